import { randomBytes } from 'node:crypto';
import { FrameError, FrameReader, OPCODE } from './frame-reader';

/** A frame as a client sends it (masked with `mask`). */
function clientFrame(opcode: number, payload: Buffer, options: { fin?: boolean; mask?: Buffer } = {}): Buffer {
  const mask = options.mask ?? randomBytes(4);
  const n = payload.length;
  const head = Buffer.alloc(n < 126 ? 2 : n < 65536 ? 4 : 10);
  head[0] = (options.fin === false ? 0 : 0x80) | opcode;
  if (n < 126) head[1] = 0x80 | n;
  else if (n < 65536) {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(n, 2);
  } else {
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i & 3]));
  return Buffer.concat([head, mask, masked]);
}

type Event = ['binary', Buffer] | ['text', string] | ['control', number, Buffer];

function read(chunks: Buffer[], maxBytes = 1 << 20): { events: Event[]; binary: Buffer } {
  const events: Event[] = [];
  const reader = new FrameReader(
    {
      binary: (slice) => events.push(['binary', Buffer.from(slice)]),
      text: (text) => events.push(['text', text]),
      control: (opcode, payload) => events.push(['control', opcode, payload]),
    },
    maxBytes,
  );
  for (const chunk of chunks) {
    reader.push(chunk);
    chunk.fill(0xee); // the caller reuses its read buffer: nothing kept may depend on it
  }
  const binary = Buffer.concat(events.flatMap((e) => (e[0] === 'binary' ? [e[1]] : [])));
  return { events: events.filter((e) => e[0] !== 'binary'), binary };
}

function splitEvery(stream: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; at += size) chunks.push(Buffer.from(stream.subarray(at, at + size)));
  return chunks;
}

const desktop = randomBytes(200_000);
const stream = Buffer.concat([
  clientFrame(OPCODE.binary, desktop.subarray(0, 70_000), { mask: Buffer.alloc(4) }), // the agent's zero mask
  clientFrame(OPCODE.text, Buffer.from('{"type":"exit","code":'), { fin: false }),
  clientFrame(OPCODE.ping, Buffer.from('are you there')),
  clientFrame(OPCODE.continuation, Buffer.from('0, "note":"naïve ✓"}')),
  clientFrame(OPCODE.binary, desktop.subarray(70_000, 70_100), { fin: false }),
  clientFrame(OPCODE.continuation, desktop.subarray(70_100)),
  clientFrame(OPCODE.binary, Buffer.alloc(0)),
  clientFrame(OPCODE.close, Buffer.from([0x03, 0xe8, 0x62, 0x79, 0x65])),
]);

describe('FrameReader', () => {
  const whole = read([Buffer.from(stream)]);

  it('delivers binary payload unmasked and in order, text and control frames whole', () => {
    expect(whole.binary.equals(desktop)).toBe(true);
    expect(whole.events).toEqual([
      ['control', OPCODE.ping, Buffer.from('are you there')],
      ['text', '{"type":"exit","code":0, "note":"naïve ✓"}'],
      ['control', OPCODE.close, Buffer.from([0x03, 0xe8, 0x62, 0x79, 0x65])],
    ]);
  });

  it.each([1, 2, 3, 7, 13, 1000, 65_536])(
    'gives the same result however the stream is split (%d-byte reads)',
    (size) => {
      const split = read(splitEvery(stream, size));
      expect(split.binary.equals(desktop)).toBe(true);
      expect(split.events).toEqual(whole.events);
    },
  );

  it.each([
    ['an unmasked frame', 1002, Buffer.from([0x82, 0x01, 0x00])],
    ['reserved bits', 1002, clientFrame(0x40 | OPCODE.binary, Buffer.from('x'))],
    ['a continuation with nothing to continue', 1002, clientFrame(OPCODE.continuation, Buffer.from('x'))],
    [
      'a new message inside a fragmented one',
      1002,
      Buffer.concat([
        clientFrame(OPCODE.binary, Buffer.from('a'), { fin: false }),
        clientFrame(OPCODE.binary, Buffer.from('b')),
      ]),
    ],
    ['an unknown opcode', 1002, clientFrame(0x3, Buffer.from('x'))],
    ['a fragmented ping', 1002, clientFrame(OPCODE.ping, Buffer.from('x'), { fin: false })],
    ['a control frame over 125 bytes', 1002, clientFrame(OPCODE.ping, Buffer.alloc(126))],
    ['a frame over the limit', 1009, clientFrame(OPCODE.binary, Buffer.alloc(2000))],
    [
      'a text message over the limit in small frames',
      1009,
      Buffer.concat([
        clientFrame(OPCODE.text, Buffer.alloc(600, 'a'), { fin: false }),
        clientFrame(OPCODE.continuation, Buffer.alloc(600, 'a')),
      ]),
    ],
    ['text that is not UTF-8', 1007, clientFrame(OPCODE.text, Buffer.from([0xc3, 0x28]))],
  ])('refuses %s with close code %d', (_name, code, bytes) => {
    let refused: unknown;
    try {
      read([bytes], 1000);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(FrameError);
    expect((refused as FrameError).code).toBe(code);
  });
});
