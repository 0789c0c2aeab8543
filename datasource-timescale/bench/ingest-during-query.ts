// Does a heavy PromQL query hold up ingest? The latency of small remote_write requests measured
// with the adapter otherwise idle, then again, back to back, for as long as one query runs.

export interface IngestDuringQuery {
  /** Write latencies (ms) with nothing else running, then while the query ran. */
  idle: number[];
  during: number[];
  queryMs: number;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const began = performance.now();
  await work();
  return performance.now() - began;
}

export async function ingestDuringQuery(options: {
  /** Writes the k-th body: each must hold new samples, so that every write stores something. */
  write: (k: number) => Promise<void>;
  query: () => Promise<unknown>;
  idleWrites: number;
}): Promise<IngestDuringQuery> {
  let k = 0;
  const idle: number[] = [];
  while (k < options.idleWrites) idle.push(await timed(() => options.write(k++)));
  const during: number[] = [];
  let running = true;
  const began = performance.now();
  const query = options.query().finally(() => (running = false));
  while (running) during.push(await timed(() => options.write(k++)));
  await query;
  return { idle, during, queryMs: performance.now() - began };
}
