// --query.max-concurrency: at most n queries evaluate at once; the others wait their turn in
// arrival order (as Prometheus' ActiveQueryTracker), or give up at their deadline.

export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(deadline: number, work: () => Promise<T>, onTimeout: () => Error): Promise<T> {
    if (this.active >= this.max) {
      await new Promise<void>((resolve, reject) => {
        const entry = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(
          () => {
            const i = this.waiting.indexOf(entry);
            if (i >= 0) this.waiting.splice(i, 1);
            reject(onTimeout());
          },
          Math.max(0, deadline - Date.now()),
        );
        this.waiting.push(entry);
      });
    } else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
