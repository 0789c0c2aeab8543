import { replayChannel } from './replayChannel';

test('a replay channel looks open, drops what is sent, delivers fed bytes as copies, closes once', () => {
  const channel = replayChannel();
  // noVNC refuses a channel missing any of these as its own keys.
  for (const key of ['send', 'close', 'binaryType', 'onerror', 'onmessage', 'onopen', 'protocol', 'readyState']) {
    expect(Object.keys(channel)).toContain(key);
  }
  expect(channel.readyState).toBe(1);
  const received: ArrayBuffer[] = [];
  channel.onmessage = (event) => received.push(event.data);
  expect(() => channel.send(new Uint8Array([3, 1]))).not.toThrow();
  const file = new Uint8Array([9, 1, 2, 3, 9]);
  channel.feed(file.subarray(1, 4));
  expect(received.map((data) => [...new Uint8Array(data)])).toEqual([[1, 2, 3]]);
  expect(received[0].byteLength).toBe(3); // not the whole file's buffer
  const closes: number[] = [];
  channel.onclose = (event) => closes.push(event.code);
  channel.close();
  channel.close();
  expect(closes).toEqual([1000]);
  channel.feed(file);
  expect(received).toHaveLength(1);
});
