/** asciicast v2: a JSON header line, then one [time, code, data] event per line. */
export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp?: number;
  title?: string;
}

export interface CastEvent {
  time: number;
  /** 'o' output, 'i' input, 'm' marker, 'r' resize; other codes are kept and ignored. */
  code: string;
  data: string;
}

export interface Cast {
  header: CastHeader;
  events: CastEvent[];
  /** Seconds from start to the last event. */
  duration: number;
}

export class CastError extends Error {}

/**
 * Parses a recording. A recording is written while the session runs, so a last line cut
 * short by a crash is dropped rather than failing the whole replay.
 */
export function parseCast(text: string): Cast {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) {
    throw new CastError('The recording is empty.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(lines[0]);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CastError('The recording does not start with an asciicast header.');
  }
  const header = parsed as CastHeader;
  if (header.version !== 2 || !Number.isInteger(header.width) || !Number.isInteger(header.height)) {
    throw new CastError(`Unsupported recording format (asciicast version ${String(header.version)}; expected 2).`);
  }
  const events: CastEvent[] = [];
  lines.slice(1).forEach((line, index) => {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      if (index === lines.length - 2) {
        return; // a torn last line
      }
      throw new CastError(`Line ${index + 2} of the recording is not valid JSON.`);
    }
    if (!Array.isArray(event) || typeof event[0] !== 'number' || typeof event[1] !== 'string') {
      throw new CastError(`Line ${index + 2} of the recording is not an asciicast event.`);
    }
    events.push({ time: event[0], code: event[1], data: typeof event[2] === 'string' ? event[2] : '' });
  });
  events.sort((a, b) => a.time - b.time);
  return { header, events, duration: events.length ? events[events.length - 1].time : 0 };
}

/** Index of the first event after `time` (events up to it have been played). */
export function eventIndexAfter(events: CastEvent[], time: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (events[mid].time <= time) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

/** Terminal size from an "r" event's data ("120x32"). */
export function parseSize(data: string): { cols: number; rows: number } | undefined {
  const match = /^(\d+)x(\d+)$/.exec(data.trim());
  return match ? { cols: Number(match[1]), rows: Number(match[2]) } : undefined;
}
