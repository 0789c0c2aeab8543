import { collect, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';
import { loadavg } from './loadavg';

describe('loadavg collector', () => {
  itMatchesNodeExporter('loadavg');

  it('fails on a file without three load averages', async () => {
    await expect(collect(loadavg, tempPaths({ loadavg: '0.50 0.25\n' }))).rejects.toThrow(/malformed .*loadavg/);
    await expect(collect(loadavg, tempPaths({ loadavg: '0.50 high 0.10 1/80 123\n' }))).rejects.toThrow(
      /malformed .*loadavg/,
    );
  });
});
