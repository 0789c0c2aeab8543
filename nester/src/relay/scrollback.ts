// The recent output of a terminal session, kept by nester so a browser that comes back (a reload,
// a dropped network) sees its screen again. Raw pty bytes, bounded: the oldest chunks go first.
// nester does not interpret them (no terminal emulator in the server: parsing untrusted console
// codes is what made Guacamole's guacd exploitable); the browser resets its terminal and replays
// them. When old bytes were dropped, the replay starts after the first line break left, so it does
// not begin inside an escape sequence or a multibyte character that lost its head.

export class Scrollback {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private trimmed = false;

  constructor(private readonly limit: number) {}

  push(data: Buffer): void {
    if (this.limit <= 0 || !data.length) return;
    // The chunk may be a slice of a reused read buffer: keep a copy.
    const copy = Buffer.from(data.length > this.limit ? data.subarray(data.length - this.limit) : data);
    if (copy.length < data.length) this.trimmed = true;
    this.chunks.push(copy);
    this.bytes += copy.length;
    while (this.bytes > this.limit) {
      const head = this.chunks[0];
      const excess = this.bytes - this.limit;
      this.trimmed = true;
      if (head.length <= excess) {
        this.chunks.shift();
        this.bytes -= head.length;
      } else {
        this.chunks[0] = head.subarray(excess);
        this.bytes -= excess;
      }
    }
  }

  /** What to replay: everything kept, from the first complete line when the start was dropped. */
  replay(): Buffer {
    const all = Buffer.concat(this.chunks, this.bytes);
    if (!this.trimmed) return all;
    const newline = all.indexOf(0x0a);
    return newline < 0 ? Buffer.alloc(0) : all.subarray(newline + 1);
  }

  get size(): number {
    return this.bytes;
  }
}
