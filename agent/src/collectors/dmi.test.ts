import { NoDataError } from './collector';
import { dmi } from './dmi';
import { collect, goldenCases, runGoldenCase, tempPaths } from '../../test/support/collectors';

describe('dmi collector', () => {
  it.each(goldenCases('dmi'))('exposes what node_exporter 1.5.0 exposes ($name)', async (testCase) => {
    const { ours, theirs } = await runGoldenCase(testCase);
    expect(ours).toBe(theirs);
  });

  it('reports no data on platforms without DMI', async () => {
    await expect(collect(dmi, tempPaths())).rejects.toBeInstanceOf(NoDataError);
  });
});
