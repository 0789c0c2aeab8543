// Reading a busy socket the usual way allocates a fresh 64 KiB buffer per read. At hundreds of
// MB/s that external memory keeps V8 in back-to-back major collections, which cost nester more
// CPU than the relaying itself (measured on a desktop stream: 1.5–2.2 ms of user CPU per MB with
// 'data' events, 0.7–0.85 with a reused buffer). Node reads into a caller's buffer (`onread`) only
// for sockets created with that option, and an upgraded socket is created by the HTTP server; so
// its handle moves into a new net.Socket that reads with `onread`. That relies on the socket's
// undocumented `_handle`; where it is missing or the socket is TLS, null is returned and the
// caller reads with 'data' events as usual.

import { type ReusedReads, reusedReadBuffer } from '@nester/common/net/reused-read-buffer';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

type HandleHolder = { _handle?: object | null; encrypted?: boolean };

/** The same connection as `socket`, reading into a reused `size`-byte buffer; null when not possible. */
export function readIntoReusedBuffer(socket: Duplex, size: number, reads: ReusedReads): Socket | null {
  const old = socket as Duplex & HandleHolder;
  if (!(socket instanceof Socket) || old.encrypted || !old._handle || socket.readableLength > 0) return null;
  const handle = old._handle;
  old._handle = null;
  const adopted = new Socket({ handle, onread: reusedReadBuffer(size, reads) } as ConstructorParameters<
    typeof Socket
  >[0]);
  // The HTTP server counts the original socket as an open connection until it closes.
  adopted.once('close', () => socket.destroy());
  return adopted;
}
