// HTTPS as nester serves it: --web.tls-cert and --web.tls-key (flags, environment or YAML), both
// or neither; write tokens and samples then cross the network encrypted, and a plain-HTTP
// client gets no answer at all.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase } from '@nester/testing/database';
import { decodeReadResponse, encodeReadRequest } from '@nester/common/prompb/read';
import { snappyCompress, snappyUncompress } from '@nester/common/prompb/snappy';
import { MatcherType } from '@nester/common/prompb/types';
import { BIN, startAdapterBinary, type AdapterProcess } from './binary';
import { createAdapterDatabase, READ_TOKEN, series, WRITE_TOKEN, writeBody } from './harness';
import { selfSignedCertificate } from '@nester/testing/certificate';

let dir: string;
let db: TestDatabase;
let adapter: AdapterProcess;
const t0 = Date.now() - 60_000;

function httpsRequest(
  url: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: readFileSync(join(dir, 'cert.pem')), timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const healthy = async (url: string) => (await httpsRequest(`${url}/-/healthy`).catch(() => undefined))?.status === 200;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ts-tls-'));
  selfSignedCertificate(dir);
  db = await createAdapterDatabase('adapter_tls');
  // From the YAML file given by --config.file, like every other flag.
  writeFileSync(
    join(dir, 'adapter.yml'),
    `web.tls-cert: ${join(dir, 'cert.pem')}\nweb.tls-key: ${join(dir, 'key.pem')}\n`,
  );
  adapter = await startAdapterBinary([`--db.url=${db.url}`, `--config.file=${join(dir, 'adapter.yml')}`], {
    scheme: 'https',
    healthy,
  });
}, 60_000);

afterAll(async () => {
  await adapter?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

test('remote_write, remote_read and queries over HTTPS with a self-signed certificate', async () => {
  const write = await httpsRequest(`${adapter.url}/api/v1/write`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${WRITE_TOKEN}`,
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
    },
    body: writeBody([series('tls_metric', { instance: 'a' }, [[t0, 42]])]),
  });
  expect(write.status).toBe(204);
  const values = await httpsRequest(`${adapter.url}/api/v1/label/__name__/values`, {
    headers: { Authorization: `Bearer ${READ_TOKEN}` },
  });
  expect(JSON.parse(values.body.toString())).toEqual({ status: 'success', data: ['tls_metric'] });
  const read = await httpsRequest(`${adapter.url}/api/v1/read`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Encoding': 'snappy' },
    body: snappyCompress(
      encodeReadRequest({
        queries: [
          {
            startTimestampMs: t0,
            endTimestampMs: t0,
            matchers: [{ type: MatcherType.EQ, name: '__name__', value: 'tls_metric' }],
          },
        ],
        acceptedResponseTypes: [],
      }),
    ),
  });
  expect(read.status).toBe(200);
  const [result] = decodeReadResponse(snappyUncompress(read.body)).results;
  expect(result.timeseries[0].samples).toEqual([{ timestamp: t0, value: 42 }]);
  await adapter.expectUnharmed();
});

test('a plain-HTTP client gets no answer, and the adapter serves on', async () => {
  const plain = `http://127.0.0.1:${adapter.port}`;
  await expect(fetch(`${plain}/-/healthy`, { signal: AbortSignal.timeout(15_000) })).rejects.toThrow();
  await expect(
    fetch(`${plain}/api/v1/write`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${WRITE_TOKEN}`, 'Content-Encoding': 'snappy' },
      body: writeBody([series('tls_metric', { instance: 'plain' }, [[t0, 1]])]),
      signal: AbortSignal.timeout(15_000),
    }),
  ).rejects.toThrow();
  await adapter.expectUnharmed();
});

test('a certificate without its key (or the reverse), or an unreadable one, is refused at start', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [BIN, '--auth.disabled', ...args], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH, ...env },
    });
  const certOnly = run([`--web.tls-cert=${join(dir, 'cert.pem')}`]);
  expect({ status: certOnly.status, stderr: certOnly.stderr }).toEqual({
    status: 2,
    stderr: expect.stringMatching(/--web.tls-cert and --web.tls-key go together/),
  });
  const keyOnly = run([], { ADAPTER_TLS_KEY: join(dir, 'key.pem') });
  expect(keyOnly.status).toBe(2);
  expect(keyOnly.stderr).toMatch(/go together/);
  const missing = run([`--web.tls-cert=${join(dir, 'nope.pem')}`, `--web.tls-key=${join(dir, 'key.pem')}`]);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toMatch(/--web.tls-cert: cannot read .*nope.pem: ENOENT/);
});
