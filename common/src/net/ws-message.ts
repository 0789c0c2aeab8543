// What `ws` hands a 'message' listener depends on the socket's binaryType: a Buffer by default, an
// ArrayBuffer or the message's fragments otherwise. Reading it through these functions never turns
// one of the other forms into "[object ArrayBuffer]" text.

/** `ws`'s RawData, spelled out so that this module needs no `ws`. */
export type WsMessageData = Buffer | ArrayBuffer | Buffer[];

/** A WebSocket message's bytes, whatever form `ws` delivered them in. */
export function messageBytes(data: WsMessageData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** A WebSocket message as UTF-8 text. */
export function messageText(data: WsMessageData): string {
  return messageBytes(data).toString('utf8');
}
