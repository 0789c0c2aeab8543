// The real timescale-adapter binary (npm run build) on a fresh test database, with read and write
// tokens in 0600 files, and a remote_write client to give it data.
import { TestDatabase, createTestDatabase } from '@nester/testing/database';
import { snappyCompress } from '@nester/common/prompb/snappy';
import { TimeSeries } from '@nester/common/prompb/types';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import { Service, freePort, startService, waitForHttp } from '@nester/testing/services';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ADAPTER = path.resolve(__dirname, '..', '..', '..', 'datasource-timescale', 'bin', 'timescale-adapter.js');

export interface TestAdapter {
  url: string;
  readToken: string;
  writeTokenFile: string;
  service: Service;
  /** Stores series through remote_write, as Prometheus or the agent would send them. */
  write(series: TimeSeries[]): Promise<void>;
  stop(): Promise<void>;
}

/** A series with its labels sorted, as remote_write requires. */
export function series(name: string, labels: Record<string, string>, samples: Array<[number, number]>): TimeSeries {
  const all: Record<string, string> = { __name__: name, ...labels };
  return {
    labels: Object.keys(all)
      .sort()
      .map((key) => ({ name: key, value: all[key] })),
    samples: samples.map(([timestamp, value]) => ({ timestamp, value })),
  };
}

export async function startAdapter(): Promise<TestAdapter> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adapter-e2e-'));
  const readToken = randomBytes(24).toString('base64url');
  const writeToken = randomBytes(24).toString('base64url');
  const writeTokenFile = path.join(dir, 'write.token');
  fs.writeFileSync(writeTokenFile, `${writeToken}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'read.token'), `${readToken}\n`, { mode: 0o600 });
  let database: TestDatabase | undefined;
  let service: Service | undefined;
  const stop = async () => {
    await service?.stop();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    database = await createTestDatabase('gpadapter');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    service = startService('timescale-adapter', process.execPath, [
      ADAPTER,
      `--web.listen-address=127.0.0.1:${port}`,
      `--db.url=${database.url}`,
      `--auth.write-token-file=${writeTokenFile}`,
      `--auth.read-token-file=${path.join(dir, 'read.token')}`,
      '--log.level=warn',
    ]);
    await waitForHttp(service, `${url}/-/ready`, { timeoutMs: 60_000 });
    return {
      url,
      readToken,
      writeTokenFile,
      service,
      async write(timeseries) {
        const response = await fetch(`${url}/api/v1/write`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${writeToken}`,
            'Content-Encoding': 'snappy',
            'Content-Type': 'application/x-protobuf',
            'X-Prometheus-Remote-Write-Version': '0.1.0',
          },
          body: new Uint8Array(snappyCompress(encodeWriteRequest({ timeseries }))),
        });
        if (response.status !== 204) {
          throw new Error(`remote_write: HTTP ${response.status} ${await response.text()}`);
        }
      },
      stop,
    };
  } catch (err) {
    if (service) {
      console.error(`timescale-adapter output:\n${service.output()}`);
    }
    await stop();
    throw err;
  }
}
