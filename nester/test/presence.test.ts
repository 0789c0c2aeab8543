// Presence of the whole fleet must keep flowing when one agent's update is something PostgreSQL
// refuses: facts are made storable on arrival, and a refused row is isolated and dropped.

import { migrate } from '@nester/common/db/migrate';
import { createTestDatabase, type TestDatabase } from '@nester/testing/database';
import { createLogger } from '@nester/common/log/logger';
import type { Facts } from '@nester/contracts/remote/protocol';
import { eventually } from '@nester/testing/services';
import { PassThrough } from 'node:stream';
import type { Pool } from 'pg';
import { sanitizeFacts } from '../src/control/facts';
import { MIGRATIONS } from '../src/db/migrations';
import { PresenceWriter } from '../src/store/presence';
import { connectFakeAgent } from './support/fake-agent';
import { testPool } from '@nester/testing/pool';
import { startTestNester, type TestNester } from './support/nester';

let database: TestDatabase;
let pool: Pool;
let endPool: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase('presence');
  ({ pool, end: endPool } = testPool(database.url, 3));
  await migrate(pool, 'nester', MIGRATIONS, createLogger({ name: 'test', level: 'silent' }));
});

afterAll(async () => {
  await endPool?.();
  await database?.drop();
});

async function hostnames(): Promise<Record<string, { hostname: string; online: boolean }>> {
  const { rows } = await pool.query('SELECT id, hostname, online FROM fleet.harvesters');
  return Object.fromEntries(rows.map((r) => [r.id, { hostname: r.hostname, online: r.online }]));
}

test('a presence row PostgreSQL refuses is dropped with a log line; the rest of the batch lands, once', async () => {
  const ids = Array.from({ length: 9 }, (_, i) => `h_presence${i}`);
  for (const id of ids)
    await pool.query(`INSERT INTO fleet.harvesters (id, credential_hash) VALUES ($1, '\\x00')`, [id]);
  const lines: string[] = [];
  const destination = new PassThrough();
  destination.on('data', (chunk) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  const writer = new PresenceWriter(pool, createLogger({ name: 'test', level: 'warn', destination }), 3_600_000);
  // Facts that never went through sanitizeFacts: a lone surrogate, which jsonb refuses.
  const poison: Facts = { ...sanitizeFacts({}), hostname: 'bad\ud800' };
  ids.forEach((id, i) => writer.seen(id, { online: true, facts: i === 4 ? poison : sanitizeFacts({ hostname: id }) }));
  await writer.flush();

  const stored = await hostnames();
  for (const [i, id] of ids.entries()) {
    expect(stored[id]).toEqual(i === 4 ? { hostname: '', online: false } : { hostname: id, online: true });
  }
  const dropped = lines.map((line) => JSON.parse(line)).filter((l) => /dropped it/.test(l.msg));
  expect(dropped).toEqual([expect.objectContaining({ harvester: ids[4] })]);

  // The poison is not queued again: the next flush writes the next change and nothing else fails.
  writer.seen(ids[0], { online: false });
  await writer.close();
  expect((await hostnames())[ids[0]].online).toBe(false);
  expect(lines.filter((line) => /dropped it|will retry/.test(line))).toHaveLength(1);
});

describe('through the control channel', () => {
  let nester: TestNester;
  beforeAll(async () => {
    nester = await startTestNester();
  });
  afterAll(async () => {
    await nester?.stop();
  });

  test("an agent whose hostname ends in an emoji at the length limit does not freeze the others' presence", async () => {
    // 255 letters then an emoji: a cut at 256 UTF-16 units would keep half of the pair.
    const odd = await connectFakeAgent(nester, { hostname: 'a'.repeat(255) + '😀', os: { name: 'x\u0000y' } });
    const plain = await connectFakeAgent(nester, { hostname: 'plain-host' });
    try {
      const stored = await eventually(async () => {
        const { rows } = await nester.pool.query('SELECT id, hostname, facts FROM fleet.harvesters');
        const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
        return (
          byId[plain.harvesterId]?.hostname === 'plain-host' && byId[odd.harvesterId]?.hostname !== 'enrolling' && byId
        );
      }, 'both agents’ facts in PostgreSQL');
      expect(stored[odd.harvesterId].hostname).toBe('a'.repeat(255) + '😀');
      expect(stored[odd.harvesterId].facts.os.name).toBe('xy');
    } finally {
      odd.close();
      plain.close();
    }
  });
});
