import { NoDataError } from './collector';
import { collect, collectText, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';
import { thermalZone } from './thermal_zone';

describe('thermal_zone collector', () => {
  itMatchesNodeExporter('thermal_zone');

  it('succeeds with nothing to report without /sys/class/thermal, as node_exporter does', async () => {
    await expect(collectText(thermalZone, tempPaths())).resolves.toBe('');
  });

  it('reports no data when a zone lacks a required attribute', async () => {
    const paths = tempPaths(
      {},
      { 'class/thermal/thermal_zone0/type': 'acpitz\n', 'class/thermal/thermal_zone0/temp': '1000\n' },
    );
    await expect(collect(thermalZone, paths)).rejects.toBeInstanceOf(NoDataError);
  });

  it('fails on a malformed temperature', async () => {
    const paths = tempPaths(
      {},
      {
        'class/thermal/thermal_zone0/type': 'acpitz\n',
        'class/thermal/thermal_zone0/policy': 'step_wise\n',
        'class/thermal/thermal_zone0/temp': 'hot\n',
      },
    );
    await expect(collect(thermalZone, paths)).rejects.toThrow(/parsing "hot"/);
  });
});
