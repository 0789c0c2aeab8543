import { filefd, parseFileNr } from './filefd';
import { collect, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

describe('filefd collector', () => {
  itMatchesNodeExporter('filefd');

  it('reads allocated and maximum, skipping the always-zero middle column', () => {
    expect(parseFileNr('1024\t0\t9223372036854775807\n', 'file-nr')).toEqual({ allocated: 1024, maximum: 2 ** 63 });
  });

  it('fails on a file with too few fields', async () => {
    await expect(collect(filefd, tempPaths({ 'sys/fs/file-nr': '1024 0 100\n' }))).rejects.toThrow(
      /unexpected number of file stats/,
    );
  });
});
