// Problems a collector meets during a scrape, logged when they appear rather than every scrape:
// a problem reported in the previous scrape too is not logged again. Only the previous scrape's
// problem keys are remembered, so the memory is bounded by what one scrape can report, however
// the problems change from scrape to scrape (a key must not grow with the input: one per file
// and kind of problem, say, not one per offending series).

import type { Logger } from '@nester/common/log/logger';

export class ProblemLog {
  private previous = new Set<string>();
  private current = new Set<string>();

  constructor(private readonly log: Logger) {}

  report(key: string, level: 'warn' | 'error', fields: Record<string, unknown>, message: string): void {
    if (this.current.has(key)) return;
    this.current.add(key);
    if (!this.previous.has(key)) this.log[level](fields, message);
  }

  /** The scrape is over: what it reported is what the next one will not log again. */
  endScrape(): void {
    this.previous = this.current;
    this.current = new Set();
  }
}
