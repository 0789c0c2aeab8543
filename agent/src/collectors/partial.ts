// Runs a collector body that adds families as it goes, the way node_exporter's collectors
// send metrics down a channel: if it fails after adding some, those stay in the scrape.

import type { MetricFamily } from '../metrics/family';
import { NoDataError, PartialError } from './collector';

export function collectAsYouGo(work: (out: MetricFamily[]) => void): MetricFamily[] {
  const out: MetricFamily[] = [];
  try {
    work(out);
    return out;
  } catch (err) {
    if (out.length === 0 || err instanceof PartialError) throw err;
    throw new PartialError((err as Error).message ?? String(err), out, err instanceof NoDataError);
  }
}
