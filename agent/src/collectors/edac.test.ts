import { PartialError } from './collector';
import { edac } from './edac';
import { collect, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

describe('edac collector', () => {
  itMatchesNodeExporter('edac');

  it('keeps the controllers read before a missing counter, with success 0', async () => {
    const paths = tempPaths({}, { 'devices/system/edac/mc/mc0/ce_count': '4\n' });
    const err = await collect(edac, paths).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialError);
    expect((err as PartialError).message).toMatch(/couldn't get ce_noinfo_count for controller 0/);
    expect((err as PartialError).families[0].samples).toEqual([{ labels: { controller: '0' }, value: 4 }]);
  });
});
