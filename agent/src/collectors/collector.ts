// What a collector is: a named source of metric families, built once from its flags and
// called on every scrape. One collector per file in this folder, as in node_exporter.

import { type AnyFlagValues, type FlagDefs, type FlagValuesOf, pickFlags } from '@nester/common/config/flags';
import type { Logger } from '@nester/common/log/logger';
import type { MetricFamily } from '../metrics/family';
import type { Paths } from '../procfs/paths';

export interface CollectorOptions<V = AnyFlagValues> {
  paths: Paths;
  /** The values of the flags the collector declared (defineCollector), typed by the declaration. */
  flags: V;
  log: Logger;
}

export interface CollectContext {
  /**
   * Names of the families the agent exports itself in this scrape: the other collectors', the
   * scrape's own and the agent's. Given to collectors of foreign families (below), which must
   * not reuse them; empty for the others.
   */
  reservedNames: ReadonlySet<string>;
}

/** `context` is absent when a collector runs on its own, outside a scrape (tests, tools). */
export type CollectFn = (context?: CollectContext) => MetricFamily[] | Promise<MetricFamily[]>;

export interface CollectorDefinition {
  name: string;
  /** Enabled unless --no-collector.<name>, as in node_exporter's defaults. */
  defaultEnabled: boolean;
  /** Flags of its own, named `collector.<name>.<option>` (declared with defineCollector). */
  flags?: FlagDefs;
  /**
   * Its families come from outside the agent (the textfile collector), named by whoever wrote
   * them: it runs after the others and is told their names, so that it cannot merge into them.
   */
  foreign?: boolean;
  /** Builds the collector from every parsed agent flag, of which it reads its own. */
  create(options: CollectorOptions): CollectFn;
}

/** A collector with flags of its own: its `create` gets their values, typed by their declaration. */
export function defineCollector<const F extends FlagDefs>(
  definition: Omit<CollectorDefinition, 'flags' | 'create'> & {
    flags: F;
    create: (options: CollectorOptions<FlagValuesOf<F>>) => CollectFn;
  },
): CollectorDefinition {
  const { flags, create } = definition;
  return { ...definition, create: (options) => create({ ...options, flags: pickFlags(flags, options.flags) }) };
}

/**
 * The collector found nothing to report on this machine (node_exporter's ErrNoData): the
 * scrape marks it unsuccessful but logs it at debug level only, since it is expected.
 */
export class NoDataError extends Error {
  override name = 'NoDataError';
}

/**
 * The collector failed part-way, after some metrics were gathered. node_exporter sends
 * metrics as it goes, so a late failure still exposes the early ones next to success 0;
 * throwing this keeps that behaviour.
 */
export class PartialError extends Error {
  override name = 'PartialError';

  constructor(
    message: string,
    readonly families: MetricFamily[],
    /** The failure is node_exporter's ErrNoData (expected, logged at debug level). */
    readonly noData = false,
  ) {
    super(message);
  }
}
