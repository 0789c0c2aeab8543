// `onread` options that read a socket into one reused buffer instead of a fresh 64 KiB one per
// read (whose external memory keeps V8 in major collections on a busy stream). The buffer is
// reused after a read only when the consumer says nothing kept a reference to the chunk; else
// the next read gets a new one and the old stays with whoever queued it.

export interface ReusedReads {
  /** Called with each read; the chunk is only valid during the call unless `released` says otherwise. */
  chunk(chunk: Buffer): void;
  /** After a chunk was handled: true when nothing kept a reference to it (its buffer can be reused). */
  released(): boolean;
}

export function reusedReadBuffer(
  size: number,
  reads: ReusedReads,
): { buffer: () => Buffer; callback: (length: number) => boolean } {
  let buffer = Buffer.allocUnsafe(size);
  return {
    buffer: () => buffer,
    callback: (length) => {
      reads.chunk(buffer.subarray(0, length));
      if (!reads.released()) buffer = Buffer.allocUnsafe(size);
      return true; // back-pressure pauses the socket itself
    },
  };
}
