import { NoDataError, PartialError } from './collector';
import { parsePsi, pressure } from './pressure';
import { collect, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

const PSI = 'some avg10=0.00 avg60=0.00 avg300=0.00 total=1500000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=25\n';

describe('pressure collector', () => {
  itMatchesNodeExporter('pressure');

  it('reads the totals and ignores line kinds it does not know', () => {
    expect(parsePsi(`${PSI}other avg10=1\n`, 'cpu')).toEqual({ some: 1500000, full: 25 });
  });

  it('reports no data on kernels without PSI', async () => {
    await expect(collect(pressure, tempPaths())).rejects.toBeInstanceOf(NoDataError);
  });

  it('keeps the CPU figure when io is missing, with success 0', async () => {
    const err = await collect(pressure, tempPaths({ 'pressure/cpu': PSI })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialError);
    expect((err as PartialError).families.map((family) => [family.name, family.samples[0].value])).toEqual([
      ['node_pressure_cpu_waiting_seconds_total', 1.5],
    ]);
  });

  it('fails on a malformed line, naming the file', async () => {
    const paths = tempPaths({ 'pressure/cpu': 'some avg10=x total=1\n' });
    await expect(collect(pressure, paths)).rejects.toThrow(/malformed line in .*pressure\/cpu/);
  });
});
