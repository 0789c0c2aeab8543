import { ConcurrencyLimiter } from './limiter';

test('at most n run at once; the rest wait in order; a waiter past its deadline gives up', async () => {
  const limiter = new ConcurrencyLimiter(2);
  const order: string[] = [];
  let running = 0;
  let peak = 0;
  const releases: (() => void)[] = [];
  const job = (name: string) =>
    limiter.run(
      Date.now() + 60_000,
      async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(name);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return name;
      },
      () => new Error('timeout'),
    );
  const all = Promise.all(['a', 'b', 'c', 'd'].map(job));
  const late = limiter.run(
    Date.now(),
    () => Promise.resolve('never'),
    () => new Error('queue timeout'),
  );
  await expect(late).rejects.toThrow('queue timeout');
  while (order.length < 4) {
    await new Promise((resolve) => setImmediate(resolve));
    releases.shift()?.();
  }
  releases.forEach((r) => r());
  expect(await all).toEqual(['a', 'b', 'c', 'd']);
  expect(order).toEqual(['a', 'b', 'c', 'd']);
  expect(peak).toBe(2);
});
