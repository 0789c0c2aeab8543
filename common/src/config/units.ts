// Parsers for the human units operators type in flags and config files.

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

/**
 * Parses a Prometheus/Go style duration ("500ms", "15s", "1h30m", "90d") into milliseconds.
 * A bare number is taken as seconds, as Prometheus' config does for scrape timeouts.
 */
export function parseDuration(text: string): number {
  const input = text.trim();
  if (/^\d+(\.\d+)?$/.test(input) && Number.isFinite(Number(input))) return Number(input) * 1000;
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(input); match; match = part.exec(input)) {
    total += Number(match[1]) * DURATION_UNITS_MS[match[2]];
    consumed = part.lastIndex;
  }
  // Too many digits make Infinity, which would read as "no limit".
  if (consumed === 0 || consumed !== input.length || !Number.isFinite(total)) {
    throw new Error(`"${text}" is not a duration; use forms like 500ms, 15s, 5m, 1h30m, 90d`);
  }
  return total;
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Parses a size ("512MiB", "1GB", "4096") into bytes. */
export function parseBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const factor = match ? BYTE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || factor === undefined || !Number.isFinite(Number(match[1]) * factor)) {
    throw new Error(`"${text}" is not a size; use forms like 4096, 64KiB, 512MiB, 1GB`);
  }
  return Math.round(Number(match[1]) * factor);
}

/** Formats milliseconds back into the shortest duration text, for --help defaults. */
export function formatDuration(ms: number): string {
  for (const unit of ['y', 'w', 'd', 'h', 'm', 's']) {
    const size = DURATION_UNITS_MS[unit];
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
