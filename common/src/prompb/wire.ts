// Protocol Buffers wire format, just what the Prometheus messages need: varints, 64-bit
// fixed doubles kept as raw bytes, and length-delimited fields. Hand-written rather than
// generated so a stale marker's NaN payload never passes through a JS number (see stale.ts).

export class ProtoError extends Error {
  override name = 'ProtoError';
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

const TWO_POW_32 = 2 ** 32;

/** Reads one message (or a nested slice of one); every read is bounds-checked. */
export class ProtoReader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** A field tag: field number and wire type. */
  tag(): { field: number; wire: number } {
    const key = this.uint32();
    const field = key >>> 3;
    if (field === 0) throw new ProtoError(`field number 0 at byte ${this.pos}`);
    return { field, wire: key & 7 };
  }

  uint32(): number {
    const { buf } = this;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) throw new ProtoError('truncated varint');
      const byte = buf[this.pos++];
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result >>> 0;
    }
    // Longer encodings are negative int32s sign-extended to 10 bytes; keep the low 32 bits.
    this.skipVarintTail();
    return result >>> 0;
  }

  /**
   * An int64 varint as a JS number. Values outside ±2^53 cannot be exact and are refused
   * (no Prometheus timestamp or count comes close).
   */
  int64(): number {
    return this.int64Within(true);
  }

  /**
   * An int64 varint clamped to ±2^53: for the ends of read ranges, where Prometheus names
   * "from the beginning" with times near math.MinInt64 (its API's MinTime, in milliseconds).
   */
  int64Saturating(): number {
    return this.int64Within(false);
  }

  private int64Within(strict: boolean): number {
    const { buf } = this;
    let low = 0;
    let high = 0;
    let i = 0;
    for (; ; i++) {
      if (this.pos >= this.end) throw new ProtoError('truncated varint');
      if (i >= 10) throw new ProtoError('varint longer than 10 bytes');
      const byte = buf[this.pos++];
      if (i < 4) low |= (byte & 0x7f) << (i * 7);
      else if (i === 4) {
        low |= (byte & 0x0f) << 28;
        high |= (byte & 0x7f) >> 4;
      } else high |= (byte & 0x7f) << (i * 7 - 32);
      if (byte < 0x80) break;
    }
    low >>>= 0;
    if (high < 0) {
      // Negative: two's complement over 64 bits.
      const value = -((~high >>> 0) * TWO_POW_32 + (~low >>> 0) + 1);
      if (value >= -Number.MAX_SAFE_INTEGER) return value;
      if (strict) throw new ProtoError('int64 below -2^53');
      return -Number.MAX_SAFE_INTEGER;
    }
    const value = high * TWO_POW_32 + low;
    if (value <= Number.MAX_SAFE_INTEGER) return value;
    if (strict) throw new ProtoError('int64 above 2^53');
    return Number.MAX_SAFE_INTEGER;
  }

  /** Offset of the next 8 little-endian bytes of a fixed64/double, which it skips. */
  fixed64Offset(): number {
    const at = this.pos;
    if (at + 8 > this.end) throw new ProtoError('truncated fixed64');
    this.pos += 8;
    return at;
  }

  double(): number {
    return this.buf.readDoubleLE(this.fixed64Offset());
  }

  /** Start and end of a length-delimited field's payload, which it skips. */
  bytesRange(): [number, number] {
    const length = this.uint32();
    const start = this.pos;
    if (length > this.end - start) throw new ProtoError(`field length ${length} runs past the end of its message`);
    this.pos = start + length;
    return [start, this.pos];
  }

  string(): string {
    const [start, end] = this.bytesRange();
    return this.buf.toString('utf8', start, end);
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.int64Skip();
        return;
      case WIRE_FIXED64:
        this.fixed64Offset();
        return;
      case WIRE_BYTES:
        this.bytesRange();
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > this.end) throw new ProtoError('truncated fixed32');
        this.pos += 4;
        return;
      default:
        throw new ProtoError(`unsupported wire type ${wire} at byte ${this.pos}`);
    }
  }

  /** Expects `wire`, with a message that says which field of which message was malformed. */
  expect(wire: number, got: number, what: string): void {
    if (wire !== got) throw new ProtoError(`${what} has wire type ${got}, expected ${wire}`);
  }

  private int64Skip(): void {
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError('truncated varint');
      if (this.buf[this.pos++] < 0x80) return;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  private skipVarintTail(): void {
    for (let i = 5; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError('truncated varint');
      if (this.buf[this.pos++] < 0x80) return;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }
}

/** Appends fields to a growing buffer; nested messages are written in place and their length patched in. */
export class ProtoWriter {
  buf: Buffer;
  pos = 0;
  constructor(initialSize = 4096) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  tag(field: number, wire: number): void {
    this.uint32((field << 3) | wire);
  }

  uint32(value: number): void {
    this.ensure(5);
    let v = value >>> 0;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  /** int64 varint of a safe integer (negatives take the full 10 bytes, as protobuf requires). */
  int64(value: number): void {
    if (!Number.isSafeInteger(value)) throw new ProtoError(`${value} is not a safe integer`);
    this.ensure(10);
    let low: number;
    let high: number;
    if (value >= 0) {
      low = value % TWO_POW_32;
      high = Math.floor(value / TWO_POW_32);
    } else {
      const magnitude = -value;
      low = ~(magnitude % TWO_POW_32) >>> 0;
      high = ~Math.floor(magnitude / TWO_POW_32) >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low >= 0x80) {
      this.buf[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | ((high & 0x7f) << 25)) >>> 0;
      high >>>= 7;
    }
    this.buf[this.pos++] = low;
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** Eight raw little-endian bytes: how a NaN with a payload is written without a JS number. */
  fixed64Bytes(bytes: Buffer): void {
    this.ensure(8);
    bytes.copy(this.buf, this.pos, 0, 8);
    this.pos += 8;
  }

  string(field: number, value: string): void {
    const length = Buffer.byteLength(value);
    this.tag(field, WIRE_BYTES);
    this.uint32(length);
    this.ensure(length);
    this.pos += this.buf.write(value, this.pos, 'utf8');
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, WIRE_BYTES);
    this.uint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Writes a nested message: its fields are written by `body`, its length is patched in afterwards. */
  message(field: number, body: () => void): void {
    this.tag(field, WIRE_BYTES);
    this.ensure(1);
    const lengthAt = this.pos++;
    const start = this.pos;
    body();
    const length = this.pos - start;
    if (length < 0x80) {
      this.buf[lengthAt] = length;
      return;
    }
    // Rare for Prometheus messages: make room for a longer length varint.
    const lengthBytes = varintSize(length);
    this.ensure(lengthBytes - 1);
    this.buf.copyWithin(start + lengthBytes - 1, start, this.pos);
    this.pos += lengthBytes - 1;
    let v = length;
    let at = lengthAt;
    while (v >= 0x80) {
      this.buf[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[at] = v;
  }

  /** The encoded bytes (a copy, so the writer's buffer can be dropped). */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}
