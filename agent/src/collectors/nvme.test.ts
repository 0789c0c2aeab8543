import { NoDataError } from './collector';
import { nvme } from './nvme';
import { collect, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

describe('nvme collector', () => {
  itMatchesNodeExporter('nvme');

  it('reports no data without /sys/class/nvme and fails on an incomplete device', async () => {
    await expect(collect(nvme, tempPaths())).rejects.toBeInstanceOf(NoDataError);
    await expect(collect(nvme, tempPaths({}, { 'class/nvme/nvme0/model': 'X\n' }))).rejects.toThrow(/firmware_rev/);
  });
});
