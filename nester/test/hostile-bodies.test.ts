// Input PostgreSQL would refuse (NUL, lone surrogates, out-of-range numbers and times) is a
// clear 400 at the edge, not a 500 from the database; and seeded fuzzing of every POST route's
// JSON body, against the real `nester serve` process, finds no 5xx and leaves stored data alone.

import { connectFakeAgent, type FakeAgent } from './support/fake-agent';
import { seeded } from '@nester/testing/random';
import { deepJson, randomJson, randomString } from './support/fuzz';
import { type NesterProcess, startNesterProcess } from './support/nester-process';

let nester: NesterProcess;
let agent: FakeAgent;
let before: string;

/** Rows that existed before the test; valid requests may add rows, none may change these. */
async function stored(): Promise<string> {
  const { rows } = await nester.pool.query(
    `SELECT id, hostname, facts, revoked_at FROM fleet.harvesters WHERE id = $1
     UNION ALL SELECT id, description, NULL, revoked_at FROM fleet.enrollment_tokens WHERE created_at < $2 ORDER BY 1`,
    [agent.harvesterId, new Date(startedAt)],
  );
  return JSON.stringify(rows);
}
let startedAt = 0;

beforeAll(async () => {
  nester = await startNesterProcess();
  agent = await connectFakeAgent(nester, { hostname: 'target', capabilities: { vnc: true, terminal: true } });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { body } = await nester.api('GET', `/api/v1/harvesters/${agent.harvesterId}`);
    if (body.hostname === 'target' && body.status === 'online') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
  startedAt = Date.now();
  before = await stored();
}, 60_000);

afterAll(async () => {
  agent?.close();
  await nester?.stop();
});

afterEach(async () => {
  await nester.assertHealthy();
  expect(await stored()).toBe(before);
  expect(nester.logLines().filter((l) => l.msg === 'request failed')).toEqual([]);
});

test('NUL in ids and query filters is a 400 that says so', async () => {
  const targets: [string, string][] = [
    ['GET', '/api/v1/harvesters/h%00x'],
    ['GET', '/api/v1/harvesters?q=%00'],
    ['GET', '/api/v1/harvesters?status=online%00'],
    ['GET', '/api/v1/sessions?harvesterId=h%00'],
    ['GET', '/api/v1/sessions?user=a%00b'],
    ['GET', '/api/v1/events?event=%00'],
    ['GET', '/api/v1/events?harvesterId=%00'],
    ['GET', '/api/v1/recordings/s_%00'],
    ['DELETE', '/api/v1/enrollment-tokens/et_%00'],
    ['POST', '/api/v1/harvesters/h_%00/revoke'],
  ];
  for (const [method, path] of targets) {
    const { status, body } = await nester.api(method, path);
    expect([path, status, body.error]).toEqual([path, 400, expect.stringMatching(/NUL/)]);
  }
});

test('times PostgreSQL cannot store are a 400', async () => {
  for (const time of ['-100000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '0000-01-01T00:00:00Z']) {
    const { status, body } = await nester.api('GET', `/api/v1/sessions?from=${encodeURIComponent(time)}`);
    expect([time, status, body.error]).toEqual([time, 400, expect.stringMatching(/year 1 to 9999/)]);
  }
});

test('NUL and lone surrogates in JSON bodies are a 400 naming the field', async () => {
  const cases: [string, unknown, RegExp][] = [
    ['/api/v1/sessions/vnc', { harvesterId: 'h\u0000' }, /\$\.harvesterId/],
    ['/api/v1/sessions/terminal', { harvesterId: agent.harvesterId, extra: ['\ud800'] }, /\$\.extra\[0\]/],
    ['/api/v1/enrollment-tokens', { description: 'rack\u00007' }, /\$\.description/],
    ['/api/v1/enrollment-tokens', { description: 'half \udc00' }, /\$\.description/],
    ['/api/v1/enroll', { token: 'x', facts: { hostname: 'a\ud800' } }, /\$\.facts\.hostname/],
    ['/api/v1/enroll', { token: 'x', facts: { 'key\u0000': 1 } }, /a key/],
  ];
  for (const [path, body, where] of cases) {
    const answer = await nester.api('POST', path, body);
    expect([path, answer.status, answer.body.error]).toEqual([path, 400, expect.stringMatching(where)]);
    expect(answer.body.error).toMatch(/NUL .* or a lone UTF-16 surrogate/);
  }
});

test('out-of-range ttl and maxUses of an enrolment token are a 400', async () => {
  const bad: [unknown, RegExp][] = [
    [{ ttl: '100000000000y' }, /ttl must be between 1s and 10y/],
    [{ ttl: '0s' }, /ttl must be between 1s and 10y/],
    [{ ttl: 1e308 }, /ttl must be between/],
    [{ ttl: { h: 1 } }, /ttl must be a duration/],
    [{ ttl: 'soon' }, /not a duration/],
    [{ maxUses: 2 ** 31 }, /maxUses must be an integer from 1 to 1000000/],
    [{ maxUses: 1e308 }, /maxUses must be an integer/],
    [{ maxUses: 0 }, /maxUses must be an integer/],
    [{ maxUses: 2.5 }, /maxUses must be an integer/],
    [{ maxUses: '3' }, /maxUses must be an integer/],
    [{ description: 42 }, /description must be a string/],
  ];
  for (const [body, message] of bad) {
    const answer = await nester.api('POST', '/api/v1/enrollment-tokens', body);
    expect([body, answer.status, answer.body.error]).toEqual([body, 400, expect.stringMatching(message)]);
  }
  const good = await nester.api('POST', '/api/v1/enrollment-tokens', { ttl: '10y', maxUses: 1_000_000 });
  expect(good.status).toBe(201);
  expect(good.body.maxUses).toBe(1_000_000);
});

test('facts whose cut would split a surrogate pair enrol fine, cut on a code point', async () => {
  const { body: token } = await nester.api('POST', '/api/v1/enrollment-tokens', {});
  const hostname = 'h'.repeat(255) + '😀😀';
  const enrolled = await fetch(`${nester.url}/api/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: token.token, facts: { hostname } }),
  });
  expect(enrolled.status).toBe(201);
  const { harvesterId } = (await enrolled.json()) as { harvesterId: string };
  expect((await nester.api('GET', `/api/v1/harvesters/${harvesterId}`)).body.hostname).toBe('h'.repeat(255) + '😀');
});

// --- fuzzing -------------------------------------------------------------------------------

const ROUTES = [
  '/api/v1/enroll',
  '/api/v1/harvesters/:id/revoke',
  '/api/v1/sessions/vnc',
  '/api/v1/sessions/terminal',
  '/api/v1/enrollment-tokens',
];
const FACT_FIELDS = ['hostname', 'machineId', 'os', 'kernel', 'arch', 'cpus', 'memoryBytes', 'addresses', 'labels'];
const HOSTILE_NUMBERS = [0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 5e-324];

test('fuzz (seeded): JSON bodies of every POST route are answered below 500', async () => {
  const seed = 0xb0d1e5;
  const rng = seeded(seed);
  const { body: enrolment } = await nester.api('POST', '/api/v1/enrollment-tokens', { maxUses: 20 });
  // A valid body per route, so that one damaged field reaches the code behind the others' checks.
  const valid = (route: string): Record<string, unknown> =>
    ({
      '/api/v1/enroll': { token: enrolment.token, facts: { hostname: 'fuzzed', os: { name: 'Debian' }, cpus: 2 } },
      '/api/v1/harvesters/:id/revoke': {},
      '/api/v1/sessions/vnc': { harvesterId: agent.harvesterId, viewOnly: true },
      '/api/v1/sessions/terminal': { harvesterId: agent.harvesterId, viewOnly: false, cols: 80, rows: 24 },
      '/api/v1/enrollment-tokens': { description: 'fuzzed', ttl: '1h', maxUses: 5 },
    })[route]!;
  const hostile = (): unknown =>
    rng.chance(0.3) ? rng.pick(HOSTILE_NUMBERS) : rng.chance(0.5) ? randomString(rng) : randomJson(rng, 3);
  const damage = (body: Record<string, unknown>) => {
    for (let edits = rng.between(1, 2); edits > 0; edits--) {
      const keys = Object.keys(body);
      const kind = rng.between(0, 4);
      if (kind === 0 && keys.length) delete body[rng.pick(keys)];
      else if (kind === 1) body[randomString(rng)] = hostile();
      else if (kind === 2 && body.facts) {
        (body.facts as Record<string, unknown>)[rng.pick(FACT_FIELDS)] = rng.chance(0.5) ? hostile() : { x: hostile() };
      } else if (keys.length) body[rng.pick(keys)] = hostile();
    }
    return body;
  };
  const cases = Array.from({ length: 300 }, () => {
    const route = rng.pick(ROUTES);
    const path = route.replace(':id', rng.pick(['h_0000000000000000', 'x', '%E2%82%AC']));
    const kind = rng.between(0, 9);
    let text: string;
    if (kind === 0) text = JSON.stringify(randomJson(rng));
    else if (kind === 1)
      text = rng.pick([deepJson(20_000), '{"a":', '\u0000', '{"a":1}{"b":2}', '{"__proto__":{"x":1}}']);
    else if (kind === 2) text = JSON.stringify({ ...valid(route), pad: 'x'.repeat(70_000) });
    else if (kind === 3) text = rng.bytes(rng.between(1, 200)).toString('latin1');
    else text = JSON.stringify(damage(valid(route)));
    const headers: Record<string, string> = rng.chance(0.9) ? { ...nester.headers } : {};
    headers['content-type'] = rng.chance(0.95) ? 'application/json' : rng.pick(['text/plain', 'application/jsonx', '']);
    return { path, text, headers };
  });
  const failures: unknown[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < cases.length) {
        const i = next++;
        const { path, text, headers } = cases[i];
        const response = await fetch(`${nester.url}${path}`, { method: 'POST', headers, body: text });
        const answer = await response.text();
        let json: unknown;
        try {
          json = JSON.parse(answer);
        } catch {
          json = undefined;
        }
        if (response.status >= 500 || json === undefined)
          failures.push({ seed, case: i, path, body: text.slice(0, 300), status: response.status, answer });
      }
    }),
  );
  expect(failures).toEqual([]);
  // Whatever was enrolled through the fuzz holds only text PostgreSQL accepted, bounded.
  const { rows } = await nester.pool.query(`SELECT max(length(facts::text)) AS longest FROM fleet.harvesters`);
  expect(Number(rows[0].longest)).toBeLessThan(64 * 1024);
}, 60_000);
