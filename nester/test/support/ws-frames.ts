// Test support: WebSocket frames built by hand (RFC 6455 §5.2), to send what no client library
// would: bad opcodes, lying lengths, unmasked client frames, fragments that never end.

export function frame(
  opcode: number,
  payload: Buffer,
  { fin = true, mask = true, rsv = 0, maskKey = Buffer.from([0x12, 0x34, 0x56, 0x78]) } = {},
): Buffer {
  const length = payload.length;
  const header = [((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)) >>> 0];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    header.push(maskBit | 127, 0, 0, 0, 0);
    header.push((length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
  }
  if (!mask) return Buffer.concat([Buffer.from(header), payload]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ maskKey[i % 4]));
  return Buffer.concat([Buffer.from(header), maskKey, masked]);
}

export const textFrame = (text: string) => frame(0x1, Buffer.from(text));
