// Hostile request targets and WebSocket upgrades against the real `nester serve` process: the
// requests that used to end it (issue #11), the dot-segment paths that took a Viewer's proxy
// route to Admin endpoints, and seeded fuzzing of both. After each test the process must still
// run, answer /healthz, have printed nothing but its own log lines, and keep its data.

import WebSocket from 'ws';
import { connectFakeAgent, type FakeAgent } from './support/fake-agent';
import { seeded, type Random } from '@nester/testing/random';
import { GRAFANA_ORIGIN } from './support/nester';
import { type NesterProcess, startNesterProcess } from './support/nester-process';
import { httpRequest, rawExchange } from './support/raw-http';
import { frame, textFrame } from './support/ws-frames';

let nester: NesterProcess;
let agent: FakeAgent;
/** A second harvester whose credential the fuzz uses (its control channel gets replaced). */
let intruder: FakeAgent;
let enrolmentTokenId: string;
let sessionId: string;
let snapshot: string;

const UPGRADE = {
  Upgrade: 'websocket',
  Connection: 'Upgrade',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version': '13',
};

/** What must survive any request a client sends: the harvesters, tokens and session rows there were. */
async function stored(): Promise<string> {
  // Valid requests may add rows (a fuzzed POST can create an enrolment token); none may change.
  const before = snapshot ? (JSON.parse(snapshot).tokens as { id: string }[]).map((t) => t.id) : null;
  const { rows } = await nester.pool.query(
    `SELECT (SELECT json_agg(h ORDER BY id) FROM (SELECT id, hostname, revoked_at FROM fleet.harvesters) h) AS harvesters,
            (SELECT json_agg(t ORDER BY id) FROM (SELECT id, revoked_at, uses FROM fleet.enrollment_tokens WHERE $2::text[] IS NULL OR id = ANY($2)) t) AS tokens,
            (SELECT json_agg(s ORDER BY id) FROM (SELECT id, user_login FROM fleet.sessions WHERE id = $1) s) AS sessions,
            (SELECT json_agg(a ORDER BY id) FROM (SELECT id, revoked_at FROM fleet.api_tokens) a) AS api_tokens`,
    [sessionId, before],
  );
  return JSON.stringify(rows[0]);
}

beforeAll(async () => {
  nester = await startNesterProcess();
  agent = await connectFakeAgent(nester);
  intruder = await connectFakeAgent(nester, { hostname: 'intruder' });
  ({
    body: { id: enrolmentTokenId },
  } = await nester.api('POST', '/api/v1/enrollment-tokens', { description: 'must stay hidden from viewers' }));
  const deadline = Date.now() + 10_000;
  let issued = await nester.api('POST', '/api/v1/sessions/terminal', { harvesterId: agent.harvesterId });
  while (issued.status === 409 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    issued = await nester.api('POST', '/api/v1/sessions/terminal', { harvesterId: agent.harvesterId });
  }
  expect(issued.status).toBe(201);
  sessionId = issued.body.sessionId;
  // Facts reach PostgreSQL with the next presence flush; the snapshot must include them.
  while ((await stored()).includes('"enrolling"')) await new Promise((resolve) => setTimeout(resolve, 100));
  snapshot = await stored();
}, 60_000);

afterAll(async () => {
  agent?.close();
  intruder?.close();
  await nester?.stop();
});

afterEach(async () => {
  await nester.assertHealthy();
  expect(await stored()).toBe(snapshot);
  const failures = nester.logLines().filter((l) => l.msg === 'request failed' || l.msg === 'WebSocket upgrade failed');
  expect(failures).toEqual([]);
});

const auth = () => ({ Authorization: `Bearer ${nester.apiToken}`, 'X-Grafana-User': 'alice' });

describe('requests that used to end the process', () => {
  test('absolute-form and other targets a URL parser refuses are answered, on requests and upgrades', async () => {
    for (const target of ['http://a:99999/healthz', 'http://[::1/healthz', 'https://x:0/api/v1/harvesters', '*']) {
      const plain = await rawExchange(nester.port, httpRequest('GET', target, auth()));
      expect([target, plain.status! < 500]).toEqual([target, true]);
      const upgrade = await rawExchange(nester.port, httpRequest('GET', target, UPGRADE));
      expect([target, upgrade.status! >= 400 && upgrade.status! < 500]).toEqual([target, true]);
    }
    // The absolute form is accepted (RFC 9112 §3.2.2); its authority is ignored.
    expect((await rawExchange(nester.port, httpRequest('GET', 'http://a:99999/healthz'))).status).toBe(200);
    const connect = await rawExchange(nester.port, httpRequest('CONNECT', '127.0.0.1:22'));
    expect(connect.status).toBe(405);
  });

  test('a WebSocket upgrade to /ws/agent/session/%ZZ is refused with 400', async () => {
    const answer = await rawExchange(nester.port, httpRequest('GET', '/ws/agent/session/%ZZ', UPGRADE));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/percent-encoding/);
  });
});

describe('dot segments and encoded separators', () => {
  // What a Grafana-style proxy sends on for the Viewer route `api/v1/harvesters/*` when the
  // browser asked for `…/harvesters/..%2Fenrollment-tokens`: it unescapes the `*` remainder.
  const escapes = () => [
    `../recordings/${sessionId}`,
    '../enrollment-tokens',
    '../events',
    '../sessions',
    `..%2Frecordings%2F${sessionId}`,
    '..%2fenrollment-tokens',
    '%2e%2e/enrollment-tokens',
    '%2E%2E%2Fevents',
    '.%2e/sessions',
    '%2e./sessions',
    `${agent.harvesterId}/../../enrollment-tokens`,
    './../events',
    '..\\enrollment-tokens',
    '..%5Cenrollment-tokens',
    '..%5cevents',
    '%252e%252e/x/../events',
  ];

  test('are refused with 400 wherever they are, so a Viewer route cannot reach Admin endpoints', async () => {
    for (const rest of escapes()) {
      const answer = await rawExchange(nester.port, httpRequest('GET', `/api/v1/harvesters/${rest}`, auth()));
      expect([rest, answer.status]).toEqual([rest, 400]);
      expect(answer.body).toMatch(/dot segment|encoded separator/);
      expect(answer.body).not.toContain(enrolmentTokenId);
    }
    for (const target of [
      '/api/v1/./harvesters',
      '/./healthz',
      '/healthz/..',
      '/api/v1/harvesters/.',
      '/%2e/healthz',
    ]) {
      expect([target, (await rawExchange(nester.port, httpRequest('GET', target, auth()))).status]).toEqual([
        target,
        400,
      ]);
    }
    // POST and DELETE too: a Viewer's GET route must not become an Admin action either.
    const revoke = await rawExchange(
      nester.port,
      httpRequest('POST', `/api/v1/harvesters/x/..%2F${agent.harvesterId}/revoke`, auth()),
    );
    expect(revoke.status).toBe(400);
  });

  test('are refused on WebSocket upgrades too', async () => {
    for (const target of [
      '/ws/agent/session/../../session',
      '/ws/%2e%2e/ws/session',
      '/ws/agent/session/..%2F..%2Fsession',
      `/ws/agent/session/${sessionId}/..`,
      '/ws/x/../session',
    ]) {
      const answer = await rawExchange(nester.port, httpRequest('GET', target, { ...UPGRADE, Origin: GRAFANA_ORIGIN }));
      expect([target, answer.status]).toEqual([target, 400]);
    }
  });

  test('plain paths still route as before, percent-encoded characters included', async () => {
    const one = await rawExchange(nester.port, httpRequest('GET', `/api/v1/harvesters/${agent.harvesterId}`, auth()));
    expect(one.status).toBe(200);
    const encoded = agent.harvesterId.replace('_', '%5F');
    expect((await rawExchange(nester.port, httpRequest('GET', `/api/v1/harvesters/${encoded}`, auth()))).status).toBe(
      200,
    );
    expect((await nester.api('GET', '/api/v1/harvesters?q=%2e%2e%2F')).status).toBe(200);
  });
});

// --- fuzzing -------------------------------------------------------------------------------

const ROUTES = [
  ['GET', '/healthz'],
  ['POST', '/api/v1/enroll'],
  ['GET', '/api/v1/harvesters'],
  ['GET', '/api/v1/harvesters/:id'],
  ['POST', '/api/v1/harvesters/:id/revoke'],
  ['POST', '/api/v1/sessions/vnc'],
  ['POST', '/api/v1/sessions/terminal'],
  ['POST', '/api/v1/sessions/terminal/:id/join'],
  ['GET', '/api/v1/sessions'],
  ['GET', '/api/v1/recordings/:id'],
  ['GET', '/api/v1/enrollment-tokens'],
  ['POST', '/api/v1/enrollment-tokens'],
  ['DELETE', '/api/v1/enrollment-tokens/:id'],
  ['GET', '/api/v1/events'],
  ['GET', '/ws/session'],
  ['GET', '/ws/agent'],
  ['GET', '/ws/agent/session/:id'],
] as const;

const METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'get', 'FOO', 'G@T', 'CONNECT'];
const ESCAPES = ['%2e', '%2E', '%2f', '%2F', '%5c', '%00', '%ZZ', '%', '%e', '%ff', '%c0%ae', '%u002e', '%252e', '%20'];
const PIECES = ['.', '..', '/', '//', '\\', ';', '?', '#', '&', '=', '%', '+', '~', '@', ':', '*', '\t', ' '];

/** A request target derived from a real route, then damaged. */
function fuzzTarget(rng: Random, route: string): string {
  const parts = route
    .split('/')
    .map((p) => (p.startsWith(':') ? rng.pick([agent.harvesterId, sessionId, enrolmentTokenId, 'h_0', '']) : p));
  for (let edits = rng.between(0, 4); edits > 0; edits--) {
    const at = rng.between(1, parts.length);
    const kind = rng.between(0, 5);
    if (kind === 0) parts.splice(at, 0, rng.pick(['.', '..', '%2e%2e', '.%2E', '']));
    else if (kind === 1) parts[at - 1] += rng.pick(ESCAPES);
    else if (kind === 2) parts[at - 1] += rng.pick(PIECES);
    else if (kind === 3) parts[at - 1] += rng.bytes(rng.between(1, 6)).toString('latin1');
    else if (kind === 4) parts[at - 1] = parts[at - 1].toUpperCase();
    else parts.splice(at, 1);
  }
  let target = parts.join('/');
  if (rng.chance(0.3))
    target += `?${rng.pick(['q', 'limit', 'status', 'from', 'harvesterId'])}=${rng.pick([...ESCAPES, '..', 'x', '-1', '1e9'])}`;
  const form = rng.between(0, 9);
  if (form === 0) target = `http://${rng.pick(['a', '[::1', 'x:99999', '', 'a@b', '%zz'])}${target}`;
  else if (form === 1) target = rng.pick(['*', '127.0.0.1:8080', 'example.com:443', '', 'healthz']);
  else if (form === 2) target = target + '/x'.repeat(rng.between(100, 5000));
  return target;
}

function fuzzHeaders(rng: Random): Record<string, string> {
  const headers: Record<string, string> = rng.chance(0.6) ? auth() : {};
  if (rng.chance(0.2)) headers['Content-Type'] = 'application/json';
  if (rng.chance(0.1)) headers['X-Grafana-User'] = rng.bytes(rng.between(1, 30)).toString('latin1');
  if (rng.chance(0.05)) headers['Content-Length'] = rng.pick(['-1', 'abc', '1, 2', '0x10']);
  if (rng.chance(0.05)) headers['Transfer-Encoding'] = rng.pick(['chunked', 'gzip', 'chunked, chunked']);
  return headers;
}

async function inParallel<T>(items: T[], width: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
      }
    }),
  );
}

test('fuzz (seeded): request targets on every route get an answer below 500', async () => {
  const seed = 0x7a17;
  const rng = seeded(seed);
  const cases = Array.from({ length: 400 }, () => {
    const [routeMethod, route] = rng.pick(ROUTES);
    const method = rng.chance(0.7) ? routeMethod : rng.pick(METHODS);
    return { method, target: fuzzTarget(rng, route), headers: fuzzHeaders(rng) };
  });
  const failures: unknown[] = [];
  await inParallel(cases, 6, async ({ method, target, headers }, i) => {
    const request = httpRequest(method, target, headers, method === 'POST' ? '{}' : '');
    const answer = await rawExchange(nester.port, request);
    // Every request gets a status line (HEAD and parse errors included), never a 5xx.
    if (answer.status === undefined || answer.status >= 500)
      failures.push({ seed, case: i, method, target: target.slice(0, 200), status: answer.status, body: answer.body });
  });
  expect(failures).toEqual([]);
}, 60_000);

/** A session waiting for its agent, and the token the agent would present. */
async function waitingSession(): Promise<{ id: string; token: string; browser: WebSocket }> {
  const { body } = await nester.api('POST', '/api/v1/sessions/vnc', { harvesterId: agent.harvesterId });
  const browser = new WebSocket(body.websocketUrl, { headers: { origin: GRAFANA_ORIGIN } });
  browser.on('error', () => {});
  await new Promise((resolve) => browser.once('open', resolve));
  browser.send(JSON.stringify({ type: 'hello', ticket: body.ticket }));
  const deadline = Date.now() + 5000;
  for (;;) {
    const open = agent.received.find((m) => m.type === 'open-session' && m.sessionId === body.sessionId);
    if (open) return { id: body.sessionId, token: open.token as string, browser };
    if (Date.now() > deadline) throw new Error('no open-session reached the agent');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('fuzz (seeded): WebSocket upgrades on the three paths, then garbage messages', async () => {
  const seed = 0x3b5;
  const rng = seeded(seed);
  const credential = `Bearer ${intruder.harvesterId}.${intruder.credential}`;
  const garbage = (): Buffer => {
    const kind = rng.between(0, 6);
    if (kind === 0) return rng.bytes(rng.between(1, 64));
    if (kind === 1)
      return textFrame(rng.pick(['{"type":"hello"}', '{"type":"hello","ticket":7}', 'null', '[]', '{', '\u0000']));
    if (kind === 2) return textFrame(JSON.stringify({ type: 'hello', ticket: rng.bytes(20).toString('latin1') }));
    if (kind === 3)
      return frame(rng.between(0, 15), rng.bytes(rng.between(0, 200)), {
        fin: rng.chance(0.5),
        rsv: rng.between(0, 7),
      });
    if (kind === 4) return frame(0x2, rng.bytes(rng.between(0, 300)), { mask: rng.chance(0.5) });
    if (kind === 5) return frame(0x1, Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80])); // invalid UTF-8 text
    return frame(0x8, Buffer.from([0x03, 0xe8, ...rng.bytes(rng.between(0, 10))]));
  };
  const cases = [];
  for (let i = 0; i < 160; i++) {
    const path = rng.pick(['/ws/session', '/ws/agent', `/ws/agent/session/${sessionId}`, '/ws/agent/session/s_0']);
    const headers: Record<string, string> = {};
    if (rng.chance(0.9)) headers.Upgrade = rng.pick(['websocket', 'WebSocket', 'h2c', '', 'websocket, x']);
    if (rng.chance(0.9)) headers.Connection = rng.pick(['Upgrade', 'keep-alive, Upgrade', 'close', 'upgrade']);
    if (rng.chance(0.9))
      headers['Sec-WebSocket-Key'] = rng.pick([
        'dGhlIHNhbXBsZSBub25jZQ==',
        'short',
        '',
        rng.bytes(24).toString('base64'),
      ]);
    if (rng.chance(0.9)) headers['Sec-WebSocket-Version'] = rng.pick(['13', '8', 'abc', '13, 8', '-1', '']);
    if (rng.chance(0.3)) headers['Sec-WebSocket-Protocol'] = rng.pick(['binary', 'a,,b', '\u00ff', 'x'.repeat(3000)]);
    if (rng.chance(0.2)) headers['Sec-WebSocket-Extensions'] = rng.pick(['permessage-deflate', 'x; y=', ';;']);
    const origin = rng.between(0, 4);
    if (origin === 0) headers.Origin = GRAFANA_ORIGIN;
    else if (origin === 1)
      headers.Origin = rng.pick(['null', 'https://evil.example', 'http://grafana.test:3000/', '%']);
    else if (origin === 2) headers.Origin = `https://${'a'.repeat(rng.between(1, 12_000))}.example`;
    if (rng.chance(0.5)) headers.Authorization = rng.pick([credential, `${credential}x`, 'Bearer a.b', 'Basic x']);
    if (rng.chance(0.2)) headers['X-Nester-Session-Token'] = rng.bytes(8).toString('base64');
    const messages = Array.from({ length: rng.between(0, 3) }, garbage);
    cases.push({ method: rng.chance(0.9) ? 'GET' : rng.pick(METHODS), path, headers, messages });
  }
  const failures: unknown[] = [];
  await inParallel(cases, 4, async ({ method, path, headers, messages }, i) => {
    const answer = await rawExchange(nester.port, httpRequest(method, path, headers), {
      afterUpgrade: (send) => messages.forEach(send),
    });
    const ok = answer.status === 101 || (answer.status !== undefined && answer.status >= 400 && answer.status < 500);
    if (!ok) failures.push({ seed, case: i, method, path, headers, status: answer.status, body: answer.body });
  });
  expect(failures).toEqual([]);

  // The agent's per-session socket past authentication: garbage frames into nester's own reader.
  for (let i = 0; i < 8; i++) {
    const waiting = await waitingSession();
    const answer = await rawExchange(
      nester.port,
      httpRequest('GET', `/ws/agent/session/${waiting.id}`, {
        ...UPGRADE,
        Authorization: `Bearer ${agent.harvesterId}.${agent.credential}`,
        'X-Nester-Session-Token': waiting.token,
      }),
      { afterUpgrade: (send) => Array.from({ length: rng.between(1, 4) }, garbage).forEach(send) },
    );
    expect({ seed, i, status: answer.status }).toEqual({ seed, i, status: 101 });
    waiting.browser.terminate();
  }
}, 60_000);
