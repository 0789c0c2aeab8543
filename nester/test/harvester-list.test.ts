// GET /api/v1/harvesters with server-side paging, sorting and filters, against a real nester and
// PostgreSQL: every page put together is the whole sorted fleet, `order=desc` is its exact
// reverse, filters and facets count what the rows hold, presence is live, and seeded hostile
// parameters get a 400 that says what to send (never a 500), leaving the inventory intact.

import { randomBytes } from 'node:crypto';
import { HARVESTER_SORT_KEYS } from '@nester/contracts/nester/api';
import { seeded } from '@nester/testing/random';
import { connectFakeAgent, type FakeAgent } from './support/fake-agent';
import { randomString } from './support/fuzz';
import { startTestNester, type TestNester } from './support/nester';
import { eventually } from '@nester/testing/services';

let nester: TestNester;
let agent: FakeAgent;
let beating: NodeJS.Timeout;
const FLEET = 57;

/** Harvesters straight into the table: a fleet of varied hostnames, systems, versions and labels. */
async function seedFleet() {
  const rng = seeded(17);
  const oses = [
    { prettyName: 'Debian GNU/Linux 12 (bookworm)' },
    { name: 'Ubuntu', version: '24.04' },
    { prettyName: 'Fedora Linux 41' },
    {},
  ];
  for (let i = 0; i < FLEET; i++) {
    const facts = {
      os: rng.pick(oses),
      agentVersion: rng.pick(['0.1.0', '0.2.0', '0.10.0', '0.2.0-rc.1', '']),
      addresses: [`10.0.${i}.7`],
    };
    const labels = { site: rng.pick(['paris', 'lyon']), ...(i % 5 === 0 ? { role: 'db' } : {}) };
    await nester.pool.query(
      `INSERT INTO fleet.harvesters (id, credential_hash, hostname, facts, labels, last_seen, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        `h_seed${String(i).padStart(4, '0')}`,
        randomBytes(32),
        rng.pick(['web', 'Web', 'db', 'cache']) + `-${rng.int(30)}`,
        facts,
        labels,
        rng.chance(0.2) ? null : new Date(Date.UTC(2026, 10, 1) + rng.int(1e9)),
        i % 11 === 0 ? new Date() : null,
      ],
    );
  }
}

/** Keeps a fake agent online: nester drops one silent for three heartbeat intervals. */
function heartbeats(fake: FakeAgent): NodeJS.Timeout {
  return setInterval(() => fake.ws.send(JSON.stringify({ type: 'heartbeat' })), 500);
}

async function list(query: string) {
  return nester.api('GET', `/api/v1/harvesters${query ? `?${query}` : ''}`);
}

async function stored(): Promise<string> {
  const { rows } = await nester.pool.query(
    `SELECT json_agg(h ORDER BY id) AS all FROM (SELECT id, hostname, facts, labels, revoked_at FROM fleet.harvesters) h`,
  );
  return JSON.stringify(rows[0].all);
}

beforeAll(async () => {
  nester = await startTestNester();
  await seedFleet();
  agent = await connectFakeAgent(nester, { hostname: 'live-one', labels: { site: 'paris' } });
  beating = heartbeats(agent);
  await eventually(async () => {
    const { rows } = await nester.pool.query(`SELECT 1 FROM fleet.harvesters WHERE hostname = 'live-one'`);
    return rows.length ? true : undefined;
  }, 'the live agent facts');
}, 60_000);

afterAll(async () => {
  clearInterval(beating);
  agent?.close();
  await nester?.stop();
});

test('without paging parameters every harvester comes, with the total and the fleet facets', async () => {
  const { status, body } = await list('');
  expect(status).toBe(200);
  expect(body.harvesters).toHaveLength(FLEET + 1);
  expect(body.total).toBe(FLEET + 1);
  const revoked = body.harvesters.filter((h: { status: string }) => h.status === 'revoked').length;
  expect(body.facets.status).toEqual({ online: 1, offline: FLEET - revoked, revoked });
  // Hostname order ignores case; ties by id.
  const names = body.harvesters.map((h: { hostname: string }) => h.hostname.toLowerCase());
  expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
});

test.each(HARVESTER_SORT_KEYS)(
  'pages sorted by %s put together are the whole fleet; desc is the reverse',
  async (sort) => {
    const whole = (await list(`sort=${sort}`)).body.harvesters.map((h: { id: string }) => h.id);
    const pages: string[] = [];
    for (let offset = 0; offset < FLEET + 1; offset += 10) {
      const { body } = await list(`sort=${sort}&limit=10&offset=${offset}`);
      expect(body.total).toBe(FLEET + 1);
      expect(body.harvesters.length).toBeLessThanOrEqual(10);
      pages.push(...body.harvesters.map((h: { id: string }) => h.id));
    }
    expect(pages).toEqual(whole);
    const reversed = (await list(`sort=${sort}&order=desc`)).body.harvesters.map((h: { id: string }) => h.id);
    expect(reversed).toEqual([...whole].reverse());
  },
);

test('agent versions sort by number, not text; last seen puts the most recent first and never-seen last', async () => {
  const byVersion = (await list('sort=agentVersion&status=offline')).body.harvesters.map(
    (h: { agentVersion: string }) => h.agentVersion,
  );
  const known = byVersion.filter(Boolean);
  expect(known.indexOf('0.10.0')).toBeGreaterThan(known.lastIndexOf('0.2.0'));
  const seen = (await list('sort=lastSeen')).body.harvesters.map((h: { lastSeen: string | null }) => h.lastSeen);
  const firstNever = seen.indexOf(null);
  expect(seen.slice(firstNever).every((s: string | null) => s === null)).toBe(true);
  const times = seen.slice(0, firstNever).map((s: string) => Date.parse(s));
  expect(times).toEqual([...times].sort((a, b) => b - a));
});

test('status, os, label and search filters select what the rows hold; total counts them', async () => {
  const { body: online } = await list('status=online');
  expect(online.harvesters.map((h: { id: string }) => h.id)).toEqual([agent.harvesterId]);
  const { body: all } = await list('');
  for (const os of Object.keys(all.facets.os)) {
    const { body } = await list(`os=${encodeURIComponent(os)}&limit=5`);
    expect(body.total).toBe(all.facets.os[os]);
  }
  const { body: dbParis } = await list('label=role=db&label=site=paris');
  expect(dbParis.total).toBe(
    all.harvesters.filter(
      (h: { labels: Record<string, string> }) => h.labels.role === 'db' && h.labels.site === 'paris',
    ).length,
  );
  expect(dbParis.total).toBeGreaterThan(0);
  // Search covers hostname, id, address and label pairs.
  expect((await list('q=10.0.3.7')).body.harvesters.map((h: { id: string }) => h.id)).toEqual(['h_seed0003']);
  expect((await list('q=ROLE%3DDB')).body.total).toBe(all.facets.label['role=db']);
  expect((await list('q=h_seed0004')).body.total).toBe(1);
  // Past the end: no rows, the total still right.
  const { body: past } = await list('limit=10&offset=5000&status=revoked');
  expect(past.harvesters).toEqual([]);
  expect(past.total).toBe(all.facets.status.revoked);
});

test('presence is live: a disconnected agent pages as offline at once', async () => {
  const other = await connectFakeAgent(nester, { hostname: 'short-lived' });
  const beating = heartbeats(other);
  await eventually(
    async () => ((await list('status=online')).body.total === 2 ? true : undefined),
    'two online harvesters',
  );
  clearInterval(beating);
  other.close();
  await eventually(
    async () => ((await list('status=online')).body.total === 1 ? true : undefined),
    'back to one online harvester',
  );
  // Facts and presence reach the table in batches: let them land, so later tests see settled rows.
  await eventually(async () => {
    const { rows } = await nester.pool.query(
      `SELECT 1 FROM fleet.harvesters WHERE id = $1 AND hostname = 'short-lived' AND NOT online`,
      [other.harvesterId],
    );
    return rows.length === 1;
  }, 'the short-lived agent stored as offline');
});

const refused: Array<[string, RegExp]> = [
  ['limit=0', /limit must be a whole number from 1 to 1000/],
  ['limit=1001', /limit must be a whole number from 1 to 1000/],
  ['limit=-1', /limit must be/],
  ['limit=1.5', /limit must be/],
  ['offset=abc', /offset must be a whole number from 0/],
  ['sort=cpu', /sort must be one of hostname, status, lastSeen, os, agentVersion/],
  ['order=up', /order must be asc or desc/],
  ['status=gone', /status must be one of online, offline, revoked/],
  ['label=nokey', /label must be key=value/],
  ['label==x', /label must be key=value/],
  [Array.from({ length: 21 }, (_, i) => `label=k${i}=v`).join('&'), /at most 20 label filters/],
];

test.each(refused.map(([query, message]) => [query.length > 40 ? '21 label filters' : query, query, message] as const))(
  '%s is a 400 saying what to send',
  async (_name, query, message) => {
    const { status, body } = await list(query);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  },
);

test('seeded hostile parameters: only 200 or a clear 4xx, stored data intact, still serving', async () => {
  const before = await stored();
  const names = ['status', 'q', 'os', 'label', 'sort', 'order', 'limit', 'offset', 'x'];
  const values = ['1', '1000', '0', 'desc', 'asc', 'online', 'hostname', 'lastSeen', 'site=paris', '=', '%', '_'];
  for (const seed of [1, 2, 3]) {
    const rng = seeded(seed);
    for (let i = 0; i < 60; i++) {
      const params = new URLSearchParams();
      for (let n = rng.between(1, 4); n > 0; n--) {
        params.append(rng.pick(names), rng.chance(0.5) ? rng.pick(values) : randomString(rng).slice(0, 3000));
      }
      const { status, body } = await list(params.toString());
      if (status !== 200) {
        // 400 for a bad parameter; 431 when the fuzz made the request line too long for Node.
        expect([status === 400 || status === 431, typeof body.error]).toEqual([true, 'string']);
        expect(body.error.length).toBeGreaterThan(10);
      } else {
        expect(Array.isArray(body.harvesters)).toBe(true);
      }
    }
  }
  expect(await stored()).toBe(before);
  expect((await list('limit=1')).status).toBe(200);
});
