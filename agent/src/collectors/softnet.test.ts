import { parseSoftnet, softnet } from './softnet';
import { collect, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

const ROW = (processed: string) =>
  `${processed} 00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n`;

describe('softnet collector', () => {
  itMatchesNodeExporter('softnet');

  it('labels rows by position and reads the 32-bit hex counters', () => {
    expect(parseSoftnet(ROW('ffffffff') + ROW('0000000a'), 'softnet_stat')).toEqual([
      [4294967295, 1, 2],
      [10, 1, 2],
    ]);
  });

  it('fails on short or malformed rows', async () => {
    await expect(collect(softnet, tempPaths({ 'net/softnet_stat': '00000001 00000002\n' }))).rejects.toThrow(
      /2 columns were detected, but at least 9 were expected/,
    );
    await expect(collect(softnet, tempPaths({ 'net/softnet_stat': ROW('1ffffffff') }))).rejects.toThrow(
      /malformed value/,
    );
  });
});
