import { NoDataError } from './collector';
import { dmi } from './dmi';
import { collect, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

describe('dmi collector', () => {
  itMatchesNodeExporter('dmi');

  it('reports no data on platforms without DMI', async () => {
    await expect(collect(dmi, tempPaths())).rejects.toBeInstanceOf(NoDataError);
  });
});
