// Whether a build step's outputs are current: every output exists and none is older than the
// newest of its sources (modification times, as make decides). Pure: the caller stats the files.

export interface Stamped {
  path: string;
  /** Undefined when the file does not exist. */
  mtimeMs?: number;
}

export type Verdict = { upToDate: true } | { upToDate: false; reason: string };

export function buildVerdict(sources: readonly Stamped[], outputs: readonly Stamped[]): Verdict {
  if (outputs.length === 0) return { upToDate: false, reason: 'it names no output to check' };
  const missing = outputs.find((output) => output.mtimeMs === undefined);
  if (missing) return { upToDate: false, reason: `${missing.path} is missing` };
  const oldest = outputs.reduce((a, b) => ((b.mtimeMs as number) < (a.mtimeMs as number) ? b : a));
  let newest: Stamped | undefined;
  for (const source of sources) {
    if (source.mtimeMs !== undefined && (newest === undefined || source.mtimeMs > (newest.mtimeMs as number)))
      newest = source;
  }
  if (newest && (newest.mtimeMs as number) > (oldest.mtimeMs as number))
    return { upToDate: false, reason: `${newest.path} changed after ${oldest.path} was built` };
  return { upToDate: true };
}
