import { NoDataError } from './collector';
import { powersupplyclass } from './powersupplyclass';
import { collect, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

describe('powersupplyclass collector', () => {
  itMatchesNodeExporter('powersupplyclass');

  it('reports no data without /sys/class/power_supply', async () => {
    await expect(collect(powersupplyclass, tempPaths())).rejects.toBeInstanceOf(NoDataError);
  });

  it('fails on a malformed numeric attribute, naming the file', async () => {
    const paths = tempPaths(
      {},
      { 'class/power_supply/BAT0/type': 'Battery\n', 'class/power_supply/BAT0/capacity': 'full\n' },
    );
    await expect(collect(powersupplyclass, paths)).rejects.toThrow(/parsing "full" in .*BAT0\/capacity/);
  });
});
