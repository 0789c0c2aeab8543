import { snappyCompress, snappyUncompress, SnappyError } from '@nester/common/prompb/snappy';
import { seeded } from '@nester/testing/random';
import { uncompressBody } from './uncompress';

test('the native decoder reads what common encodes, and agrees with the JS decoder on mutated blocks', async () => {
  const random = seeded(7);
  const text = Buffer.from('node_cpu_seconds_total{cpu="3",mode="idle"} 12345.67\n'.repeat(400));
  for (const input of [Buffer.alloc(0), random.bytes(5000), text]) {
    expect((await uncompressBody(snappyCompress(input), 1 << 20)).equals(input)).toBe(true);
  }
  const seed = snappyCompress(text);
  let refused = 0;
  for (let i = 0; i < 2000; i++) {
    const mutated = Buffer.from(i % 3 ? seed : seed.subarray(0, random.int(seed.length)));
    for (let k = 0; k <= random.int(3); k++) mutated[random.int(mutated.length)] = random.int(256);
    let js: Buffer | SnappyError;
    try {
      js = snappyUncompress(mutated, 1 << 20);
    } catch (err) {
      js = err as SnappyError;
    }
    const native = await uncompressBody(mutated, 1 << 20).catch((err: unknown) => err);
    if (js instanceof Buffer) expect(native instanceof Buffer && native.equals(js)).toBe(true);
    else {
      refused++;
      expect(native).toBeInstanceOf(SnappyError);
    }
  }
  expect(refused).toBeGreaterThan(100);
});

test('a block declaring more than the limit, or than its input can expand to, is refused before decoding', async () => {
  await expect(uncompressBody(Buffer.from([0xff, 0xff, 0xff, 0x7f, 0x00]), 256 << 20)).rejects.toThrow(
    /more than its 1 bytes can expand to/,
  );
  await expect(uncompressBody(snappyCompress(Buffer.alloc(2000)), 1000)).rejects.toThrow(/exceeds the limit of 1000/);
});
