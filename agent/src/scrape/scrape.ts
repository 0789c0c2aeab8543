// One scrape: every enabled collector runs, each timed and isolated. A collector that throws
// costs only its own metrics; node_scrape_collector_success says so, and the cause is logged
// once until it changes, so a broken file does not flood the log every 15 seconds. Collectors
// of foreign families (textfile) run last, told every name the agent itself exports, so that a
// file cannot merge a second TYPE or duplicate series into a built-in family.

import type { Logger } from '@nester/common/log/logger';
import { type CollectContext, type CollectFn, NoDataError, PartialError } from '../collectors/collector';
import { gauge, type MetricFamily } from '../metrics/family';

export interface EnabledCollector {
  name: string;
  collect: CollectFn;
  /** See CollectorDefinition.foreign. */
  foreign?: boolean;
}

const DURATION = 'node_scrape_collector_duration_seconds';
const SUCCESS = 'node_scrape_collector_success';
const BUILT_IN: CollectContext = { reservedNames: new Set() };

export class Scraper {
  private readonly lastError = new Map<string, string>();

  constructor(
    private readonly collectors: EnabledCollector[],
    private readonly log: Logger,
  ) {}

  /**
   * Every collector's families, the scrape's own, and `own` (the agent's metrics about itself;
   * their names are reserved even when they are not exposed, so that every scrape, pushed or
   * served, refuses the same textfile families).
   */
  async scrape(own: MetricFamily[] = [], exposeOwn = true): Promise<MetricFamily[]> {
    const builtIn = await Promise.all(
      this.collectors.filter((c) => !c.foreign).map((collector) => this.run(collector, BUILT_IN)),
    );
    const reservedNames = new Set([DURATION, SUCCESS, ...own.map((fam) => fam.name)]);
    for (const result of builtIn) for (const fam of result.families) reservedNames.add(fam.name);
    const foreign = await Promise.all(
      this.collectors.filter((c) => c.foreign).map((collector) => this.run(collector, { reservedNames })),
    );
    const results = [...builtIn, ...foreign];
    const families = results.flatMap((result) => result.families);
    families.push(
      gauge(
        DURATION,
        'node_exporter: Duration of a collector scrape.',
        results.map(({ name, seconds }) => ({ labels: { collector: name }, value: seconds })),
      ),
      gauge(
        SUCCESS,
        'node_exporter: Whether a collector succeeded.',
        results.map(({ name, ok }) => ({ labels: { collector: name }, value: ok ? 1 : 0 })),
      ),
      ...(exposeOwn ? own : []),
    );
    return families;
  }

  private async run({ name, collect }: EnabledCollector, context: CollectContext) {
    const start = process.hrtime.bigint();
    let families: MetricFamily[] = [];
    let ok = true;
    try {
      // Await only real promises: a synchronous collector's duration must not include the
      // time the other collectors of this scrape take before the microtask resumes.
      const result = collect(context);
      families = result instanceof Promise ? await result : result;
      if (this.lastError.delete(name)) this.log.info({ collector: name }, 'collector recovered');
    } catch (err) {
      ok = false;
      if (err instanceof PartialError) families = err.families;
      this.report(name, err);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { name, families, ok, seconds };
  }

  private report(collector: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (this.lastError.get(collector) === message) return;
    this.lastError.set(collector, message);
    if (err instanceof NoDataError || (err instanceof PartialError && err.noData))
      this.log.debug({ collector, err: message }, 'collector returned no data');
    else this.log.error({ collector, err: message }, 'collector failed');
  }
}
