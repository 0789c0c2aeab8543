// Counters shown on /api/v1/status, for operators and tests: the contract's AdapterStats.

import type { AdapterStats } from '@nester/contracts/query/adapter-status';

export type Stats = AdapterStats;

export function newStats(): Stats {
  return {
    samplesWritten: 0,
    samplesRejected: 0,
    samplesTooOld: 0,
    staleMarkers: 0,
    writeFailures: 0,
    readRequests: 0,
    queries: 0,
  };
}
