// Request bodies are snappy blocks from anyone holding a token. The header is checked here
// first (declared length within the limit and within what the input can expand to), so a bomb
// is refused before anything is allocated; then the native codec (npm `snappy`, Rust `snap`)
// decodes on libuv's thread pool, leaving the event loop free for every other request.
// Measured against common's JS decoder in ../../README.md ("Snappy").

import { snappyCheckedLength, SnappyError } from '@nester/common/prompb/snappy';
import { uncompress } from 'snappy';

export async function uncompressBody(input: Buffer, maxLength: number): Promise<Buffer> {
  snappyCheckedLength(input, maxLength);
  try {
    return (await uncompress(input, { asBuffer: true })) as Buffer;
  } catch (err) {
    throw new SnappyError((err as Error).message.replace(/^snappy: /, ''));
  }
}
