import { RfbFilterError, RfbViewOnlyFilter } from './rfb-view-only';

const version = (minor: string) => Buffer.from(`RFB 003.${minor}\n`, 'latin1');
const key = Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61]);
const pointer = Buffer.from([5, 1, 0, 10, 0, 20]);
const updateRequest = Buffer.from([3, 1, 0, 0, 0, 0, 0, 64, 0, 48]);
const setEncodings = Buffer.from([2, 0, 0, 2, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x21]);
const fence = Buffer.from([248, 0, 0, 0, 0, 0, 0, 1, 3, 9, 9, 9]);

function cutText(text: string): Buffer {
  const head = Buffer.from([6, 0, 0, 0, 0, 0, 0, 0]);
  head.writeInt32BE(text.length, 4);
  return Buffer.concat([head, Buffer.from(text, 'latin1')]);
}

/** A filter past a 3.8 handshake with security None. */
function handshaken(passInput?: () => boolean): RfbViewOnlyFilter {
  const filter = new RfbViewOnlyFilter(passInput);
  filter.server(version('008'));
  expect(filter.client(version('008'))).toEqual(version('008'));
  expect(filter.client(Buffer.from([1]))).toEqual(Buffer.from([1]));
  expect(filter.client(Buffer.from([1]))).toEqual(Buffer.from([1])); // ClientInit, shared
  return filter;
}

test('passes update requests, encodings and fences; drops keys, pointer and clipboard', () => {
  const filter = handshaken();
  const stream = Buffer.concat([setEncodings, key, updateRequest, pointer, cutText('secret'), fence, updateRequest]);
  expect(filter.client(stream)).toEqual(Buffer.concat([setEncodings, updateRequest, fence, updateRequest]));
  expect(filter.stats.droppedMessages).toBe(3);
});

test('frames messages split at every byte boundary', () => {
  const filter = handshaken();
  const stream = Buffer.concat([pointer, updateRequest, cutText('a longer clipboard text'), setEncodings, key, fence]);
  const out: Buffer[] = [];
  for (const byte of stream) out.push(filter.client(Buffer.from([byte])));
  expect(Buffer.concat(out)).toEqual(Buffer.concat([updateRequest, setEncodings, fence]));
});

test('skips a large clipboard message without buffering it', () => {
  const filter = handshaken();
  const big = cutText('x'.repeat(1_000_000));
  expect(filter.client(big.subarray(0, 100)).length).toBe(0);
  expect(filter.client(big.subarray(100)).length).toBe(0);
  expect(filter.client(updateRequest)).toEqual(updateRequest);
});

test('VNC password authentication: the 16-byte response passes, then messages are filtered', () => {
  const filter = new RfbViewOnlyFilter();
  filter.server(version('008'));
  filter.client(version('008'));
  expect(filter.client(Buffer.from([2]))).toEqual(Buffer.from([2]));
  const response = Buffer.alloc(16, 7);
  expect(filter.client(Buffer.concat([response, Buffer.from([1]), pointer, updateRequest]))).toEqual(
    Buffer.concat([response, Buffer.from([1]), updateRequest]),
  );
});

test('RFB 3.3: the server picks the security type and the client sends no choice', () => {
  const filter = new RfbViewOnlyFilter();
  expect(filter.client(version('003')).length).toBe(12);
  // The client's ClientInit waits until the server's security type is known.
  expect(filter.client(Buffer.from([1])).length).toBe(0);
  expect(filter.server(version('003'))).toEqual(Buffer.alloc(0));
  expect(filter.server(Buffer.from([0, 0, 0, 1]))).toEqual(Buffer.from([1]));
  expect(filter.client(Buffer.concat([key, updateRequest]))).toEqual(updateRequest);
});

test('refuses what it cannot frame: other security types, unknown messages', () => {
  const tight = new RfbViewOnlyFilter();
  tight.server(version('008'));
  tight.client(version('008'));
  expect(() => tight.client(Buffer.from([16]))).toThrow(RfbFilterError);
  expect(() => handshaken().client(Buffer.from([77, 0, 0]))).toThrow(/unknown RFB client message type 77/);
  expect(() => new RfbViewOnlyFilter().client(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(/RFB protocol version/);
});

test('with control allowed input passes, streamed; a withdrawal drops from the next message on', () => {
  let allowed = true;
  const filter = handshaken(() => allowed);
  const clip = cutText('a clipboard text sent in pieces');
  expect(filter.client(Buffer.concat([key, pointer]))).toEqual(Buffer.concat([key, pointer]));
  // A long input message goes on as it arrives, never held back whole.
  expect(filter.client(clip.subarray(0, 10))).toEqual(clip.subarray(0, 10));
  allowed = false;
  // Withdrawn mid-message: that message ends (its framing must), the next input is dropped.
  expect(filter.client(Buffer.concat([clip.subarray(10), pointer, updateRequest]))).toEqual(
    Buffer.concat([clip.subarray(10), updateRequest]),
  );
  expect(filter.stats.droppedMessages).toBe(1);
  allowed = true;
  const out: Buffer[] = [];
  for (const byte of Buffer.concat([pointer, fence])) out.push(filter.client(Buffer.from([byte])));
  expect(Buffer.concat(out)).toEqual(Buffer.concat([pointer, fence]));
});
