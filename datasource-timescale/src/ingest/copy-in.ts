// COPY … FROM STDIN of data already in memory, as one pipelined write: the Query message, one
// CopyData message holding the given buffers and CopyDone go out together, without waiting for
// the server's CopyInResponse. That saves a round trip per COPY and the stream machinery
// (pg-copy-streams, pipeline, Readable) that costs the adapter CPU PostgreSQL could use on the
// same cores. Pipelining is safe: a server that refuses the COPY (ErrorResponse, then
// ReadyForQuery) ignores the CopyData and CopyDone that follow, as the protocol prescribes for
// a frontend still sending after a failed COPY.

import type { PoolClient } from 'pg';

/** The parts of pg's Connection this uses (pg offers no public type for it). */
interface Connection {
  stream: NodeJS.WritableStream & { cork(): void; uncork(): void };
  query(text: string): void;
}

const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]);

/**
 * A pg "Submittable": client.query() hands it the connection when the client is idle, and
 * pg calls its handlers as the server answers.
 */
class CopyFromBuffers {
  rowCount = 0;

  constructor(
    private readonly text: string,
    private readonly chunks: readonly Uint8Array[],
    private readonly settle: (err: Error | undefined, rowCount: number) => void,
  ) {}

  submit(connection: Connection): void {
    let size = 0;
    for (const chunk of this.chunks) size += chunk.length;
    const header = Buffer.allocUnsafe(5);
    header[0] = 0x64; // 'd'
    header.writeUInt32BE(size + 4, 1);
    const { stream } = connection;
    // Corked, the writes below leave as one writev.
    stream.cork();
    connection.query(this.text);
    stream.write(header);
    for (const chunk of this.chunks) stream.write(chunk);
    stream.write(COPY_DONE);
    stream.uncork();
  }

  handleCopyInResponse(): void {
    // The data is already on its way.
  }

  handleCommandComplete(msg: { text?: string }): void {
    const match = /^COPY (\d+)/.exec(msg.text ?? '');
    if (match) this.rowCount = Number(match[1]);
  }

  handleReadyForQuery(): void {
    this.settle(undefined, this.rowCount);
  }

  /** A server error (pg then skips handleReadyForQuery for this query) or a broken connection. */
  handleError(err: Error): void {
    this.settle(err, 0);
  }

  /** pg wraps this for query_timeout; the promise settles through the handlers above. */
  callback(): void {}
}

/** Runs `sql` (a COPY … FROM STDIN) on `client` with `chunks` as its data; resolves with the rows copied. */
export function copyIn(client: PoolClient, sql: string, chunks: readonly Uint8Array[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const query = new CopyFromBuffers(sql, chunks, (err, rows) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve(rows);
    });
    (client as unknown as { query(q: CopyFromBuffers): void }).query(query);
  });
}
