import { PartialError } from './collector';
import { entropy } from './entropy';
import { collect, collectText, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

describe('entropy collector', () => {
  itMatchesNodeExporter('entropy');

  it('exposes both pool figures', async () => {
    const paths = tempPaths({ 'sys/kernel/random/entropy_avail': '256\n', 'sys/kernel/random/poolsize': '256\n' });
    expect(await collectText(entropy, paths)).toBe(
      [
        '# HELP node_entropy_available_bits Bits of available entropy.',
        '# TYPE node_entropy_available_bits gauge',
        'node_entropy_available_bits 256',
        '# HELP node_entropy_pool_size_bits Bits of entropy pool.',
        '# TYPE node_entropy_pool_size_bits gauge',
        'node_entropy_pool_size_bits 256',
        '',
      ].join('\n'),
    );
  });

  it('fails without entropy_avail and keeps what it read before a missing poolsize', async () => {
    await expect(collect(entropy, tempPaths())).rejects.toThrow("couldn't get entropy_avail");
    const err = await collect(entropy, tempPaths({ 'sys/kernel/random/entropy_avail': '3\n' })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PartialError);
    expect((err as PartialError).message).toBe("couldn't get entropy poolsize");
    expect((err as PartialError).families).toHaveLength(1);
  });

  it('rejects a malformed value', async () => {
    await expect(collect(entropy, tempPaths({ 'sys/kernel/random/entropy_avail': 'lots\n' }))).rejects.toThrow(
      /malformed .*entropy_avail: "lots"/,
    );
  });
});
