/** @jest-environment node */
import { execFileSync } from 'node:child_process';
import { statfsSync } from 'node:fs';

import { dfUsedPercent } from './diskUsage';

test("this machine's numbers: df's 32 %, not the 72.5 % that 1 − avail/size gave", () => {
  // df -k / on the development machine: 264212084 blocks, 33755856 used, 72635056 available
  // (157.8 GiB reserved for root through resv_strict).
  const size = 264212084 * 1024;
  const used = 33755856 * 1024;
  const avail = 72635056 * 1024;
  const percent = dfUsedPercent(size, size - used, avail);
  expect(Math.ceil(percent)).toBe(32);
  expect(100 * (1 - avail / size)).toBeCloseTo(72.5, 1);
});

test("agrees with df's Use% for the root filesystem of the machine running the test", () => {
  const pcent = (path: string) => Number(/(\d+)%/.exec(execFileSync('df', ['--output=pcent', path]).toString())![1]);
  const before = pcent('/');
  const stats = statfsSync('/');
  const percent = dfUsedPercent(stats.blocks * stats.bsize, stats.bfree * stats.bsize, stats.bavail * stats.bsize);
  const after = pcent('/');
  // df rounds up; the disk may fill a little between the calls.
  expect(Math.ceil(percent)).toBeGreaterThanOrEqual(Math.min(before, after));
  expect(Math.ceil(percent)).toBeLessThanOrEqual(Math.max(before, after));
});

test('an empty or unknown filesystem is not a number', () => {
  expect(dfUsedPercent(0, 0, 0)).toBeNaN();
  expect(dfUsedPercent(100, 40, 40)).toBe(60);
});
