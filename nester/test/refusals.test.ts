// Everything that must be refused is refused, told apart, and audited: tickets (missing, wrong,
// reused, expired), foreign Origins, unenrolled and revoked agents, revoked tokens, limits;
// and revoking a harvester closes its live sessions at once.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createApiToken, revokeApiToken } from '../src/store/api-tokens';
import { enrol, spawnHarvester, type EnrolledHarvester } from '@nester/testing/harvester';
import { closeOf, connectBrowser, openSession, requestSession } from './support/browser';
import { eventually } from '@nester/testing/services';
import { enrolOnlineHarvester, GRAFANA_ORIGIN, startTestNester, type TestNester } from './support/nester';

let nester: TestNester;
let agent: EnrolledHarvester;
let harvesterId: string;

beforeAll(async () => {
  // Short-lived tickets (long enough to be redeemed on a loaded machine), a small per-harvester limit
  // and short timeouts make those cases quick to reach.
  nester = await startTestNester(
    {},
    { ticketTtlMs: 3000, maxSessionsPerHarvester: 3, idleMs: 2500, maxLifetimeMs: 4000 },
  );
  ({ agent, harvesterId } = await enrolOnlineHarvester(nester, 'terminal', {
    terminal: true,
    args: ['--remote.terminal-shell=/bin/sh'],
  }));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await nester?.stop();
});

async function refusals() {
  const { body } = await nester.api('GET', '/api/v1/sessions?limit=1000');
  return body.sessions.filter((s: { refused: boolean }) => s.refused) as {
    endReason: string;
    harvesterId: string | null;
    origin: string | null;
  }[];
}

async function helloWith(ticket: unknown, origin = GRAFANA_ORIGIN) {
  const issued = await requestSession(nester, 'terminal', harvesterId);
  const ws = connectBrowser(issued.websocketUrl, origin);
  const closed = closeOf(ws);
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(JSON.stringify({ type: 'hello', ticket: typeof ticket === 'function' ? ticket(issued.ticket) : ticket }));
  return { ...(await closed), issued };
}

test('a browser that sends no ticket is closed with 4400 and audited', async () => {
  const issued = await requestSession(nester, 'terminal', harvesterId);
  const silent = connectBrowser(issued.websocketUrl);
  expect(await closeOf(silent)).toMatchObject({ code: 4400, reason: expect.stringContaining('no ticket') });
  const binary = connectBrowser(issued.websocketUrl);
  binary.once('open', () => binary.send(Buffer.from('RFB 003.008\n')));
  expect((await closeOf(binary)).code).toBe(4400);
  await eventually(
    async () => (await refusals()).filter((r) => r.endReason.startsWith('no ticket')).length >= 2,
    'both refusals audited',
  );
});

test('wrong, reused and expired tickets are refused with 4401 and audited against their harvester', async () => {
  const wrong = await helloWith((ticket: string) => ticket.slice(0, -4) + 'AAAA');
  expect(wrong).toMatchObject({ code: 4401, reason: 'wrong ticket' });

  const session = await openSession(nester, 'terminal', harvesterId);
  const issuedTicket = (await nester.api('GET', `/api/v1/sessions?limit=1`)).body.sessions[0].id;
  expect(issuedTicket).toBe(session.sessionId);
  session.ws.close(1000);
  await session.closed;

  const first = await requestSession(nester, 'terminal', harvesterId);
  const ok = connectBrowser(first.websocketUrl);
  ok.once('open', () => ok.send(JSON.stringify({ type: 'hello', ticket: first.ticket })));
  await new Promise((resolve) => ok.once('message', resolve));
  const replay = connectBrowser(first.websocketUrl);
  const replayClosed = closeOf(replay);
  replay.once('open', () => replay.send(JSON.stringify({ type: 'hello', ticket: first.ticket })));
  expect(await replayClosed).toMatchObject({ code: 4401, reason: 'ticket already used' });
  ok.close(1000);

  // The sweeper closes the unused ticket's session row as expired; a hello arriving after that
  // is still refused as expired and audited against the ticket's harvester.
  const late = await requestSession(nester, 'terminal', harvesterId);
  const lateRow = await eventually(async () => {
    const { body } = await nester.api('GET', `/api/v1/sessions?limit=1000`);
    return body.sessions.find((s: { id: string; endedAt: string | null }) => s.id === late.sessionId && s.endedAt);
  }, 'the expired session row to be closed');
  expect(lateRow).toMatchObject({ endReason: 'ticket not used in time', endedBy: 'server' });
  const stale = connectBrowser(late.websocketUrl);
  const staleClosed = closeOf(stale);
  stale.once('open', () => stale.send(JSON.stringify({ type: 'hello', ticket: late.ticket })));
  expect(await staleClosed).toMatchObject({ code: 4401, reason: 'ticket expired' });

  const reasons = await eventually(async () => {
    const found = (await refusals()).filter((r) => r.harvesterId === harvesterId).map((r) => r.endReason);
    return found.includes('ticket expired') && found;
  }, 'the refusals to be audited');
  expect(reasons).toEqual(expect.arrayContaining(['wrong ticket', 'ticket already used', 'ticket expired']));
}, 60_000);

test('a foreign or missing Origin is refused at the upgrade (403) and audited', async () => {
  const issued = await requestSession(nester, 'terminal', harvesterId);
  for (const origin of ['https://evil.example', null]) {
    const ws = connectBrowser(issued.websocketUrl, origin);
    const status = await new Promise<number>((resolve) =>
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
  }
  await eventually(async () => {
    const audited = await refusals();
    return (
      audited.some(
        (r) => r.endReason === 'origin https://evil.example is not allowed' && r.origin === 'https://evil.example',
      ) && audited.some((r) => r.endReason === 'no Origin header')
    );
  }, 'both Origin refusals audited');
});

test('API calls need a valid API token; sessions need a Grafana user; revoked API tokens stop working', async () => {
  expect((await nester.api('GET', '/api/v1/harvesters', undefined, { authorization: '' })).status).toBe(401);
  expect(
    (await nester.api('GET', '/api/v1/harvesters', undefined, { authorization: 'Bearer at_0000.wrong' })).status,
  ).toBe(401);
  expect((await nester.api('POST', '/api/v1/sessions/vnc', { harvesterId }, { 'x-grafana-user': '' })).status).toBe(
    401,
  );
  const { body: tokens } = await nester.api('GET', '/api/v1/enrollment-tokens');
  expect(tokens.tokens[0]).not.toHaveProperty('token');

  const extra = await createApiToken(nester.pool, 'to revoke');
  const headers = { authorization: `Bearer ${extra.token}` };
  expect((await nester.api('GET', '/api/v1/harvesters', undefined, headers)).status).toBe(200);
  await revokeApiToken(nester.pool, extra.id);
  expect((await nester.api('GET', '/api/v1/harvesters', undefined, headers)).status).toBe(401);
});

test('per-harvester session limit answers 429 and is audited; unused tickets hold a place until they expire', async () => {
  await eventually(() => nester.nester.broker.size === 0, 'earlier tickets to expire');
  const open = [];
  for (let i = 0; i < 3; i++) open.push(await openSession(nester, 'terminal', harvesterId));
  const { status, body } = await nester.api('POST', '/api/v1/sessions/terminal', { harvesterId });
  expect(status).toBe(429);
  expect(body.error).toMatch(/already has 3 sessions/);
  expect((await refusals()).some((r) => /already has 3 sessions/.test(r.endReason))).toBe(true);
  for (const session of open) session.ws.close(1000);
  await Promise.all(open.map((session) => session.closed));
}, 60_000);

test('unenrolled agents and revoked enrolment tokens are refused and audited', async () => {
  const intruder = new WebSocket(nester.url.replace('http', 'ws') + '/ws/agent', {
    headers: { authorization: 'Bearer h_0123456789abcdef.nope' },
  });
  expect(
    await new Promise((resolve) => intruder.once('unexpected-response', (_req, res) => resolve(res.statusCode))),
  ).toBe(401);

  const { body: token } = await nester.api('POST', '/api/v1/enrollment-tokens', { description: 'revoked before use' });
  expect((await nester.api('DELETE', `/api/v1/enrollment-tokens/${token.id}`)).status).toBe(204);
  const stateDir = mkdtempSync(join(tmpdir(), 'harvester-state-'));
  try {
    await expect(enrol(nester.url, token.token, stateDir)).rejects.toThrow(/enrolment token revoked/);
    expect(() => statSync(join(stateDir, 'nester.json'))).toThrow();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
  const { body } = await nester.api('GET', '/api/v1/events?limit=100');
  const events = body.events.map((e: { event: string; detail: string }) => `${e.event}: ${e.detail}`);
  expect(events).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^agent-refused: unknown agent credential/),
      expect.stringMatching(/^enrollment-refused: enrolment token revoked/),
    ]),
  );
});

test('revoking a harvester closes its live sessions at once and locks its agent out', async () => {
  const { agent: victim, harvesterId: id } = await enrolOnlineHarvester(
    nester,
    'terminal',
    { terminal: true, args: ['--remote.terminal-shell=/bin/sh'] },
    { maxUses: 1 },
  );
  try {
    const session = await openSession(nester, 'terminal', id);
    const { status, body } = await nester.api('POST', `/api/v1/harvesters/${id}/revoke`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id, status: 'revoked' });
    expect(await session.closed).toEqual({ code: 4409, reason: 'harvester revoked' });
    const audit = await eventually(
      async () =>
        (await nester.api('GET', `/api/v1/sessions?harvesterId=${id}`)).body.sessions.find(
          (s: { endedAt: string | null }) => s.endedAt,
        ),
      'the audit row',
    );
    expect(audit).toMatchObject({ endedBy: 'admin', endReason: 'harvester revoked', user: 'alice' });
    // The agent dials again by itself and is refused, which is audited.
    await eventually(async () => {
      const { body: events } = await nester.api('GET', `/api/v1/events?event=agent-refused&harvesterId=${id}`);
      return events.events.some((e: { detail: string }) => e.detail === 'harvester revoked');
    }, 'the revoked agent to be refused');
    expect((await nester.api('POST', '/api/v1/sessions/terminal', { harvesterId: id })).status).toBe(409);
  } finally {
    await victim.stop();
  }
}, 30_000);

test('an agent that is not enrolled keeps running and waits for enrolment', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'harvester-state-'));
  const idle = spawnHarvester(stateDir);
  try {
    await eventually(() => /not enrolled with nester yet/.test(idle.output()), 'the agent to say it is not enrolled');
    expect(idle.process.exitCode).toBeNull();
  } finally {
    await idle.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('idle sessions, sessions past their lifetime and oversized frames are ended and audited', async () => {
  const idle = await openSession(nester, 'terminal', harvesterId);
  expect(await idle.closed).toEqual({ code: 4408, reason: 'idle timeout' });

  const busy = await openSession(nester, 'terminal', harvesterId);
  const typing = setInterval(() => busy.ws.send(Buffer.from(':\r'), { binary: true }), 300);
  expect(await busy.closed).toEqual({ code: 4410, reason: 'maximum session lifetime reached' });
  clearInterval(typing);

  const big = await openSession(nester, 'terminal', harvesterId);
  big.ws.send(Buffer.alloc(1024 * 1024 + 1), { binary: true });
  expect((await big.closed).code).toBe(1009);

  const rows = await eventually(async () => {
    const { body } = await nester.api('GET', `/api/v1/sessions?harvesterId=${harvesterId}&limit=1000`);
    const mine = [idle, busy, big].map((s) =>
      body.sessions.find((r: { id: string; endedAt: string | null }) => r.id === s.sessionId && r.endedAt),
    );
    return mine.every(Boolean) && mine;
  }, 'the three audit rows');
  expect(rows.map((r: { endReason: string; endedBy: string }) => [r.endReason, r.endedBy])).toEqual([
    ['idle timeout', 'server'],
    ['maximum session lifetime reached', 'server'],
    [expect.stringMatching(/^browser protocol error: Max payload size exceeded/), 'server'],
  ]);
}, 60_000);

test('input that nester drops from a view-only browser does not keep the session from going idle', async () => {
  const viewer = await openSession(nester, 'terminal', harvesterId, { viewOnly: true });
  const typing = setInterval(() => viewer.ws.send(Buffer.from('echo still here\r'), { binary: true }), 300);
  try {
    // Before the fix each dropped keystroke counted as activity: the session ran to its lifetime (4410).
    expect(await viewer.closed).toEqual({ code: 4408, reason: 'idle timeout' });
  } finally {
    clearInterval(typing);
  }
}, 60_000);
