import { NoDataError } from './collector';
import { nvme } from './nvme';
import { collect, goldenCases, runGoldenCase, tempPaths } from '../../test/support/collectors';

describe('nvme collector', () => {
  it.each(goldenCases('nvme'))('exposes what node_exporter 1.5.0 exposes ($name)', async (testCase) => {
    const { ours, theirs } = await runGoldenCase(testCase);
    expect(ours).toBe(theirs);
  });

  it('reports no data without /sys/class/nvme and fails on an incomplete device', async () => {
    await expect(collect(nvme, tempPaths())).rejects.toBeInstanceOf(NoDataError);
    await expect(collect(nvme, tempPaths({}, { 'class/nvme/nvme0/model': 'X\n' }))).rejects.toThrow(/firmware_rev/);
  });
});
