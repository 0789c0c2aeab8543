// node datasource-timescale/dist/bench/snappy.js (after npm run build) — the adapter's snappy
// decoding: common's JS decoder against the native one (npm `snappy`) on remote_write bodies as
// Prometheus sends them, and on crafted blocks that maximise decode time within the default
// limits (--write.max-body-size 32 MiB, --write.max-decompressed-size 256 MiB). For each, the
// best of several runs, and for the native codec's async call the longest the event loop
// stayed blocked meanwhile.

import { snappyCompress, snappyUncompress } from '@nester/common/prompb/snappy';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import type { TimeSeries } from '@nester/common/prompb/types';
import { uncompress, uncompressSync } from 'snappy';

const MiB = 1 << 20;
const MAX_BODY = 32 * MiB;
const MAX_OUT = 256 * MiB;

function varint(value: number): number[] {
  const bytes = [];
  for (; value >= 0x80; value = Math.floor(value / 128)) bytes.push((value & 0x7f) | 0x80);
  bytes.push(value);
  return bytes;
}

/** A 2-byte literal, then `element` repeated while both limits allow. */
function crafted(element: number[], outPerElement: number): Buffer {
  const count = Math.min(Math.floor((MAX_BODY - 16) / element.length), Math.floor((MAX_OUT - 2) / outPerElement));
  const header = varint(2 + count * outPerElement);
  const body = Buffer.alloc(header.length + 3 + count * element.length);
  body.set(header);
  body.set([1 << 2, 0x61, 0x62], header.length);
  body.fill(Buffer.from(element), header.length + 3);
  return body;
}

function literals(): Buffer {
  const count = Math.floor((MAX_BODY - 8) / 2);
  const header = varint(count);
  const body = Buffer.alloc(header.length + 2 * count);
  body.set(header);
  body.fill(Buffer.from([0, 0x61]), header.length);
  return body;
}

function realistic(series: number): Buffer {
  const metrics = ['node_cpu_seconds_total', 'node_network_receive_bytes_total', 'node_filesystem_avail_bytes'];
  const timeseries: TimeSeries[] = [];
  for (let i = 0; i < series; i++) {
    timeseries.push({
      labels: [
        { name: '__name__', value: metrics[i % metrics.length] },
        { name: 'cpu', value: String(i % 16) },
        { name: 'instance', value: `host-${i % 50}.example.net:9100` },
        { name: 'job', value: 'node' },
        { name: 'mode', value: ['idle', 'user', 'system', 'iowait'][i % 4] },
      ],
      samples: [{ value: ((i * 7919) % 100_000) / 100, timestamp: 1_732_600_000_000 + (i % 15) * 1000 }],
    });
  }
  return snappyCompress(encodeWriteRequest({ timeseries }));
}

function best(runs: number, work: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

/** Wall time of the native async call, and the longest gap between event-loop turns meanwhile. */
async function nativeAsync(input: Buffer): Promise<{ ms: number; blockedMs: number }> {
  let blockedMs = 0;
  let last = performance.now();
  let running = true;
  const tick = () => {
    const now = performance.now();
    blockedMs = Math.max(blockedMs, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const start = performance.now();
  await uncompress(input, { asBuffer: true });
  running = false;
  return { ms: performance.now() - start, blockedMs };
}

async function main(): Promise<void> {
  const cases: [string, Buffer][] = [
    ['remote_write, 2,000 series (Prometheus batch)', realistic(2000)],
    ['remote_write, 50,000 series (--write.max-series)', realistic(50_000)],
    ['worst: 2-byte-offset copies of 64 at offset 1', crafted([(63 << 2) | 2, 1, 0], 64)],
    ['worst: 1-byte-offset copies of 11 at offset 2', crafted([(7 << 2) | 1, 2], 11)],
    ['worst: 1-byte literals', literals()],
  ];
  process.stdout.write(
    '| body | in | out | JS | native (sync) | native async: event loop blocked |\n|---|--:|--:|--:|--:|--:|\n',
  );
  for (const [name, input] of cases) {
    const runs = input.length < MiB ? 200 : 5;
    const expected = uncompressSync(input, { asBuffer: true }) as Buffer;
    if (!snappyUncompress(input, MAX_OUT).equals(expected)) throw new Error(`${name}: the decoders disagree`);
    const js = best(runs, () => snappyUncompress(input, MAX_OUT));
    const native = best(runs, () => uncompressSync(input, { asBuffer: true }));
    const { blockedMs } = await nativeAsync(input);
    const size = (n: number) => (n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${(n / 1024).toFixed(0)} KiB`);
    const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(0));
    process.stdout.write(
      `| ${name} | ${size(input.length)} | ${size(expected.length)} | ${ms(js)} ms | ${ms(native)} ms | ${ms(blockedMs)} ms |\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
