import { seeded } from '@nester/testing/random';
import { Scrollback } from './scrollback';

test('keeps everything while under the limit, byte for byte', () => {
  const s = new Scrollback(100);
  s.push(Buffer.from('$ ls\r\n'));
  s.push(Buffer.from('a b c\r\n$ '));
  expect(s.replay().toString()).toBe('$ ls\r\na b c\r\n$ ');
});

test('drops the oldest bytes past the limit and replays from the first whole line', () => {
  const s = new Scrollback(16);
  s.push(Buffer.from('\x1b[31mline-one\r\n'));
  s.push(Buffer.from('line-two\r\n$ '));
  // 27 bytes pushed, 16 kept: "ine-one\r\nline-two\r\n$ " minus the head; the replay starts at "line-two".
  expect(s.size).toBe(16);
  expect(s.replay().toString()).toBe('line-two\r\n$ ');
});

test('a chunk larger than the limit keeps its tail', () => {
  const s = new Scrollback(8);
  s.push(Buffer.from('abcdefgh\nxyz'));
  expect(s.replay().toString()).toBe('xyz');
});

test('copies what it keeps (the relay hands over slices of a reused buffer)', () => {
  const s = new Scrollback(100);
  const shared = Buffer.from('hello\n');
  s.push(shared);
  shared.fill(0x41);
  expect(s.replay().toString()).toBe('hello\n');
});

test('never holds more than its limit, whatever the chunk sizes (seeded)', () => {
  const rng = seeded(17);
  for (let round = 0; round < 30; round++) {
    const limit = rng.between(0, 1000);
    const s = new Scrollback(limit);
    let tail = Buffer.alloc(0);
    for (let i = 0; i < 20; i++) {
      const chunk = Buffer.from(rng.bytes(rng.between(0, 600)));
      s.push(chunk);
      tail = Buffer.concat([tail, chunk]).subarray(-Math.max(limit, 1));
      expect(s.size).toBeLessThanOrEqual(limit);
    }
    // What is replayed is always a suffix of the output.
    const replay = s.replay();
    expect(tail.subarray(tail.length - replay.length).equals(replay) || replay.length === 0).toBe(true);
  }
});
