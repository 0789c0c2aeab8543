// Snappy block format (not the framed stream format, which remote_write forbids):
// a varint of the uncompressed length, then literals and back-references.
// Format: https://github.com/google/snappy/blob/main/format_description.txt

export class SnappyError extends Error {
  override name = 'SnappyError';
}

/** The uncompressed length a block declares, read without decompressing it. */
export function snappyUncompressedLength(input: Uint8Array): number {
  return readLength(input).length;
}

/**
 * The most a block's body of `n` bytes can expand to. The densest element is a copy with a
 * 2-byte offset: 3 bytes of input for 64 bytes of output (a 1-byte-offset copy gives at most 11
 * for 2, a 4-byte-offset one 64 for 5, a literal less than it takes).
 */
export function snappyMaxExpansion(n: number): number {
  return Math.floor((n * 64) / 3);
}

/**
 * Reads and checks a block's header: the uncompressed length it declares, refused when over
 * `maxLength` or over what the rest of the input can possibly expand to. Lets a caller (or
 * another decoder) refuse a bomb before allocating anything for it.
 */
export function snappyCheckedLength(input: Uint8Array, maxLength = Number.MAX_SAFE_INTEGER): number {
  return checkedHeader(input, maxLength).length;
}

/**
 * Decompresses a block. A block declaring more than `maxLength`, or more than its input can
 * expand to, is refused before any memory is allocated for it.
 */
export function snappyUncompress(input: Uint8Array, maxLength = Number.MAX_SAFE_INTEGER): Buffer {
  const { length, pos: start } = checkedHeader(input, maxLength);
  const out = Buffer.allocUnsafe(length);
  let pos = start;
  let o = 0;
  const n = input.length;
  while (pos < n) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (pos + extra > n) throw new SnappyError('truncated literal length');
        len = 0;
        for (let i = 0; i < extra; i++) len += input[pos + i] * 2 ** (8 * i);
        pos += extra;
      }
      len += 1;
      if (pos + len > n) throw new SnappyError('literal runs past the end of the input');
      if (o + len > length) throw new SnappyError('data exceeds the declared length');
      if (len <= SHORT_RUN) for (let i = 0; i < len; i++) out[o++] = input[pos++];
      else {
        out.set(input.subarray(pos, pos + len), o);
        pos += len;
        o += len;
      }
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos + 1 > n) throw new SnappyError('truncated copy');
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos++];
    } else if (kind === 2) {
      if (pos + 2 > n) throw new SnappyError('truncated copy');
      len = (tag >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > n) throw new SnappyError('truncated copy');
      len = (tag >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > o) throw new SnappyError(`copy offset ${offset} points outside the output`);
    if (o + len > length) throw new SnappyError('data exceeds the declared length');
    if (len <= SHORT_RUN) {
      // Also right when source and target overlap (a run repeating its own beginning).
      for (const end = o + len; o < end; o++) out[o] = out[o - offset];
    } else if (offset === 1) {
      out.fill(out[o - 1], o, o + len);
      o += len;
    } else {
      // Overlapping or not: copy the pattern, then twice as much of what is already copied, ...
      for (let done = 0; done < len;) {
        const chunk = Math.min(len - done, offset + done);
        out.copyWithin(o + done, o - offset, o - offset + chunk);
        done += chunk;
      }
      o += len;
    }
  }
  if (o !== length) throw new SnappyError(`decompressed ${o} bytes but the block declares ${length}`);
  return out;
}

/** Literals and copies up to this long are moved byte by byte: cheaper than a native call. */
const SHORT_RUN = 16;

function checkedHeader(input: Uint8Array, maxLength: number): { length: number; pos: number } {
  const header = readLength(input);
  if (header.length > maxLength) {
    throw new SnappyError(`uncompressed length ${header.length} exceeds the limit of ${maxLength} bytes`);
  }
  const possible = snappyMaxExpansion(input.length - header.pos);
  if (header.length > possible) {
    throw new SnappyError(
      `the block declares ${header.length} bytes, more than its ${input.length - header.pos} bytes can expand to (${possible})`,
    );
  }
  return header;
}

function readLength(input: Uint8Array): { length: number; pos: number } {
  let length = 0;
  for (let i = 0; i < 5; i++) {
    if (i >= input.length) throw new SnappyError('truncated length header (empty or not snappy)');
    const byte = input[i];
    length += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      if (length > 0xffffffff) break;
      return { length, pos: i + 1 };
    }
  }
  throw new SnappyError('invalid length header');
}

const BLOCK_SIZE = 1 << 16; // matches the reference: back-references never cross a 64 KiB block
const HASH_BITS = 14;
const INPUT_MARGIN = 15;
const MIN_NON_LITERAL_BLOCK = 1 + 1 + INPUT_MARGIN;

/** Compresses into the block format, the way the reference and Go implementations do. */
export function snappyCompress(input: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(maxCompressedLength(input.length));
  let o = writeVarint(out, 0, input.length);
  const table = new Int32Array(1 << HASH_BITS);
  for (let start = 0; start < input.length; start += BLOCK_SIZE) {
    const end = Math.min(start + BLOCK_SIZE, input.length);
    o =
      end - start < MIN_NON_LITERAL_BLOCK
        ? emitLiteral(out, o, input, start, end)
        : compressBlock(input, start, end, out, o, table);
  }
  return out.subarray(0, o);
}

export function maxCompressedLength(length: number): number {
  return 32 + length + Math.floor(length / 6);
}

function load32(src: Uint8Array, i: number): number {
  return (src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24)) >>> 0;
}

function hash(value: number): number {
  return Math.imul(value, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function compressBlock(
  src: Uint8Array,
  base: number,
  end: number,
  out: Uint8Array,
  o: number,
  table: Int32Array,
): number {
  table.fill(0);
  const limit = end - INPUT_MARGIN;
  let nextEmit = base;
  let s = base + 1;
  let nextHash = hash(load32(src, s));
  for (;;) {
    // Skip faster through data that does not compress (the reference's heuristic).
    let skip = 32;
    let nextS = s;
    let candidate: number;
    do {
      s = nextS;
      const bytesBetweenHashLookups = skip >>> 5;
      skip += bytesBetweenHashLookups;
      nextS = s + bytesBetweenHashLookups;
      if (nextS > limit) return emitLiteral(out, o, src, nextEmit, end);
      candidate = base + table[nextHash];
      table[nextHash] = s - base;
      nextHash = hash(load32(src, nextS));
    } while (load32(src, s) !== load32(src, candidate));

    o = emitLiteral(out, o, src, nextEmit, s);
    for (;;) {
      const matchStart = s;
      s += 4;
      for (let c = candidate + 4; s < end && src[s] === src[c]; s++, c++);
      o = emitCopy(out, o, matchStart - candidate, s - matchStart);
      nextEmit = s;
      if (s >= limit) return emitLiteral(out, o, src, nextEmit, end);
      table[hash(load32(src, s - 1))] = s - 1 - base;
      const current = hash(load32(src, s));
      candidate = base + table[current];
      table[current] = s - base;
      if (load32(src, s) !== load32(src, candidate)) {
        nextHash = hash(load32(src, s + 1));
        s++;
        break;
      }
    }
  }
}

function emitLiteral(out: Uint8Array, o: number, src: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len === 0) return o;
  const n = len - 1;
  if (n < 60) out[o++] = n << 2;
  else if (n < 1 << 8) {
    out[o++] = 60 << 2;
    out[o++] = n;
  } else if (n < 1 << 16) {
    out[o++] = 61 << 2;
    out[o++] = n & 0xff;
    out[o++] = n >>> 8;
  } else {
    out[o++] = 62 << 2;
    out[o++] = n & 0xff;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n >>> 16;
  }
  out.set(src.subarray(start, end), o);
  return o + len;
}

function emitCopy(out: Uint8Array, o: number, offset: number, len: number): number {
  while (len >= 68) {
    o = emitCopy2(out, o, offset, 64);
    len -= 64;
  }
  if (len > 64) {
    o = emitCopy2(out, o, offset, 60);
    len -= 60;
  }
  if (len >= 12 || offset >= 2048) return emitCopy2(out, o, offset, len);
  out[o++] = ((offset >>> 8) << 5) | ((len - 4) << 2) | 1;
  out[o++] = offset & 0xff;
  return o;
}

function emitCopy2(out: Uint8Array, o: number, offset: number, len: number): number {
  out[o++] = ((len - 1) << 2) | 2;
  out[o++] = offset & 0xff;
  out[o++] = offset >>> 8;
  return o;
}

function writeVarint(out: Uint8Array, o: number, value: number): number {
  while (value >= 0x80) {
    out[o++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[o++] = value;
  return o;
}
