import { bonding } from './bonding';
import { NoDataError } from './collector';
import { collect, goldenCases, runGoldenCase, tempPaths } from '../../test/support/collectors';

describe('bonding collector', () => {
  it.each(goldenCases('bonding'))('exposes what node_exporter 1.5.0 exposes ($name)', async (testCase) => {
    const { ours, theirs } = await runGoldenCase(testCase);
    expect(ours).toBe(theirs);
  });

  it('reports no data without bonding_masters', async () => {
    await expect(collect(bonding, tempPaths())).rejects.toBeInstanceOf(NoDataError);
  });
});
