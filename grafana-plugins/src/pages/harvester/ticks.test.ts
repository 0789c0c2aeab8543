import { niceTicks } from './ticks';

test('round steps from the minimum to at or above the maximum', () => {
  expect(niceTicks(0, 100, 4)).toEqual([0, 50, 100]);
  expect(niceTicks(0, 3.2, 4)).toEqual([0, 1, 2, 3, 4]);
  expect(niceTicks(0, 0.3, 4)).toEqual([0, 0.1, 0.2, 0.3]);
  expect(niceTicks(0, 1, 4)).toEqual([0, 0.5, 1]);
});

test('degenerate ranges still give an axis', () => {
  expect(niceTicks(0, 0, 4)).toEqual([0, 1]);
  expect(niceTicks(0, NaN, 4)).toEqual([0, 1]);
});
