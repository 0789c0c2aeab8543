// The kernel's page size, which Node does not expose: the AT_PAGESZ entry of the
// auxiliary vector the kernel handed this process (/proc/self/auxv, pairs of native words).

import { readFileSync } from 'node:fs';

const AT_NULL = 0n;
const AT_PAGESZ = 6n;
const FALLBACK = 4096;

export function parseAuxvPageSize(auxv: Buffer): number | undefined {
  for (let offset = 0; offset + 16 <= auxv.length; offset += 16) {
    const type = auxv.readBigUInt64LE(offset);
    if (type === AT_NULL) break;
    if (type === AT_PAGESZ) return Number(auxv.readBigUInt64LE(offset + 8));
  }
  return undefined;
}

let cached: number | undefined;

/** The page size in bytes (64-bit little-endian layout; 4096 if it cannot be read). */
export function pageSize(): number {
  if (cached === undefined) {
    try {
      cached = parseAuxvPageSize(readFileSync('/proc/self/auxv')) ?? FALLBACK;
    } catch {
      cached = FALLBACK;
    }
  }
  return cached;
}
