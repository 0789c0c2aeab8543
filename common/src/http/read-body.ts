// Request bodies read whole, within a limit: a body over it is refused (413) before it is
// buffered, at once when Content-Length announces it, else as soon as the bytes arrive.

import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

/**
 * The whole body, or HttpError 413 past `limitBytes` (the rest of the body is read off so the
 * connection can serve another request). `tooLarge` replaces the default 413 message.
 */
export async function readBody(req: IncomingMessage, limitBytes: number, tooLarge?: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) {
    req.resume();
    throw new HttpError(
      413,
      tooLarge ?? `request body of ${declared} bytes is larger than the limit of ${limitBytes} bytes`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      req.resume();
      throw new HttpError(413, tooLarge ?? `request body is larger than the limit of ${limitBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}
