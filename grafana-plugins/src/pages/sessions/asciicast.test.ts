import { CastError, parseCast } from './asciicast';
import { formatClock, stepTo } from './playback';

const recording = [
  JSON.stringify({ version: 2, width: 80, height: 24, timestamp: 1764151200 }),
  JSON.stringify([0.1, 'o', '$ ']),
  JSON.stringify([1.0, 'o', 'echo hi\r\n']),
  JSON.stringify([1.5, 'r', '100x30']),
  JSON.stringify([1.6, 'i', 'secret input']),
  JSON.stringify([2.0, 'o', 'hi\r\n$ ']),
].join('\n');

test('parses an asciicast v2 recording', () => {
  const cast = parseCast(recording);
  expect(cast.header).toMatchObject({ width: 80, height: 24 });
  expect(cast.events).toHaveLength(5);
  expect(cast.duration).toBe(2);
});

test('drops a last line torn by a crash but refuses garbage in the middle', () => {
  expect(parseCast(`${recording}\n[2.5, "o", "tor`).events).toHaveLength(5);
  expect(() => parseCast(`${recording.replace('[1,', '{1,')}`)).toThrow(CastError);
});

test.each([
  ['', /empty/],
  ['not json', /asciicast header/],
  ['null', /asciicast header/],
  ['[2, 80, 24]', /asciicast header/],
  [JSON.stringify({ version: 3, term: { cols: 80, rows: 24 } }), /version 3/],
])('refuses %j', (text, message) => {
  expect(() => parseCast(text)).toThrow(message);
});

test('playing forward writes only new output and applies resizes in order', () => {
  const cast = parseCast(recording);
  const first = stepTo(cast, 0, 1.0);
  expect(first).toEqual({ reset: false, actions: [{ write: '$ echo hi\r\n' }], playedIndex: 2 });
  const second = stepTo(cast, first.playedIndex, 5);
  expect(second.actions).toEqual([{ resize: { cols: 100, rows: 30 } }, { write: 'hi\r\n$ ' }]);
});

test('seeking back starts over at the recorded size', () => {
  const cast = parseCast(recording);
  const step = stepTo(cast, 5, 0.5);
  expect(step).toEqual({ reset: true, actions: [{ resize: { cols: 80, rows: 24 } }, { write: '$ ' }], playedIndex: 1 });
});

test('formats the clock', () => {
  expect(formatClock(0)).toBe('0:00');
  expect(formatClock(75.9)).toBe('1:15');
});
