import { afterExit, type RestartPolicy } from './restart-policy';

const policy: RestartPolicy = { quickRunMs: 10_000, maxQuickFailures: 3, initialBackoffMs: 500, maxBackoffMs: 1500 };

test('quick failures double the back-off up to its cap, then give up', () => {
  const first = afterExit(policy, 0, 100);
  expect(first).toEqual({ action: 'restart', delayMs: 1000, quickFailures: 1 });
  const second = afterExit(policy, first.quickFailures, 100);
  expect(second).toEqual({ action: 'restart', delayMs: 1500, quickFailures: 2 });
  expect(afterExit(policy, second.quickFailures, 100)).toEqual({ action: 'give up', quickFailures: 3 });
});

test('a run that lasted resets the count: a part that dies now and then is always restarted, promptly', () => {
  expect(afterExit(policy, 2, 10_000)).toEqual({ action: 'restart', delayMs: 500, quickFailures: 0 });
});
