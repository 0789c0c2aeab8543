import { formatDuration, waitingLine } from './progress';

test('durations read as people say them', () => {
  expect(formatDuration(1234)).toBe('1.2 s');
  expect(formatDuration(59_940)).toBe('59.9 s');
  expect(formatDuration(65_000)).toBe('1 min 5 s');
});

test('the waiting line names everything still awaited with how long it has been', () => {
  const waiting = new Map([
    ['nester', 1000],
    ['timescale-adapter', 3000],
  ]);
  expect(waitingLine(0, waiting, 5000)).toBe('⠋ waiting for nester (4.0 s), timescale-adapter (2.0 s)');
});
