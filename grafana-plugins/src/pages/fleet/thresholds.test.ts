import { countHigh, isHigh, thresholdFor } from './thresholds';

test("steps are Grafana's default: green below 80 %, red from 80 %", () => {
  expect(thresholdFor('cpuPercent', 79.9)?.color).toBe('green');
  expect(thresholdFor('cpuPercent', 80)?.color).toBe('red');
  expect(thresholdFor('diskPercent', 100)?.color).toBe('red');
  expect(thresholdFor('memoryPercent', undefined)).toBeUndefined();
  expect(thresholdFor('memoryPercent', NaN)).toBeUndefined();
});

test('load is judged per CPU: high from one per core', () => {
  expect(isHigh('loadPerCpu', 0.99)).toBe(false);
  expect(isHigh('loadPerCpu', 1)).toBe(true);
});

test('counts the machines past a threshold, each figure on its own', () => {
  expect(
    countHigh([
      { cpuPercent: 95, memoryPercent: 10, diskPercent: 81, loadPerCpu: 2 },
      { cpuPercent: 10, memoryPercent: 85 },
      { diskPercent: 50 },
      {},
    ]),
  ).toEqual({ cpu: 1, memory: 1, disk: 1, load: 1, reporting: 4 });
});
