import { bonding } from './bonding';
import { NoDataError } from './collector';
import { collect, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

describe('bonding collector', () => {
  itMatchesNodeExporter('bonding');

  it('reports no data without bonding_masters', async () => {
    await expect(collect(bonding, tempPaths())).rejects.toBeInstanceOf(NoDataError);
  });
});
