// Counters shown on /api/v1/status, for operators and tests.

export interface Stats {
  samplesWritten: number;
  samplesRejected: number;
  samplesTooOld: number;
  staleMarkers: number;
  writeFailures: number;
  readRequests: number;
  queries: number;
}

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
