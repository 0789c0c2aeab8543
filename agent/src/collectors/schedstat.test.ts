import { NoDataError } from './collector';
import { parseSchedstat, schedstat } from './schedstat';
import { collectText, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

const SCHEDSTAT = [
  'version 15',
  'timestamp 4295190658',
  'cpu0 0 0 0 0 0 0 2045936778163039 343796328169361 4767485306',
  'domain0 00000000,00000003 212499247 210112015 1861015 1860405436 536440 369707 2188 13 0',
  'cpu1 0 0 0 0 0 0 9007199254740993 2000000000 12',
  '',
].join('\n');

describe('schedstat collector', () => {
  itMatchesNodeExporter('schedstat');

  it('reads running, waiting and timeslices of each CPU line only', () => {
    expect(parseSchedstat(SCHEDSTAT).map((cpu) => cpu.cpu)).toEqual(['0', '1']);
  });

  it('exposes seconds, keeping nanosecond counters above 2^53 as node_exporter rounds them', async () => {
    const text = await collectText(schedstat, tempPaths({ schedstat: SCHEDSTAT }));
    expect(text).toContain('node_schedstat_running_seconds_total{cpu="0"} 2.045936778163039e+06\n');
    expect(text).toContain('node_schedstat_running_seconds_total{cpu="1"} 9.007199254740993e+06\n');
    expect(text).toContain('node_schedstat_waiting_seconds_total{cpu="1"} 2\n');
    expect(text).toContain('node_schedstat_timeslices_total{cpu="0"} 4.767485306e+09\n');
  });

  it('reports no data without CONFIG_SCHEDSTATS', async () => {
    await expect(collectText(schedstat, tempPaths())).rejects.toBeInstanceOf(NoDataError);
  });
});
