// Refused attempts cost anyone nothing to send, so they must not cost nester unbounded disk:
// a flood of refused browser upgrades (with 15 KB Origins) and refused agents writes one audit row
// and one log line per address and kind of refusal, then one row with the count when the window
// ends (here: at shutdown), with every stored field capped.

import { eventually } from '@nester/testing/services';
import { type NesterProcess, startNesterProcess } from './support/nester-process';
import { httpRequest, rawExchange } from './support/raw-http';

let nester: NesterProcess;

beforeAll(async () => {
  nester = await startNesterProcess();
}, 30_000);

afterAll(async () => {
  await nester?.stop();
});

const UPGRADE = {
  Upgrade: 'websocket',
  Connection: 'Upgrade',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version': '13',
};

async function flood(count: number, request: string, expected: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        next++;
        const answer = await rawExchange(nester.port, request);
        if (answer.status !== expected) throw new Error(`expected ${expected}, got ${answer.status}`);
      }
    }),
  );
}

async function refusedRows() {
  const { rows } = await nester.pool.query(
    `SELECT end_reason, origin, pg_column_size(s.*) AS bytes FROM fleet.sessions s WHERE refused ORDER BY requested_at`,
  );
  return rows as { end_reason: string; origin: string | null; bytes: number }[];
}

async function agentEvents() {
  const { rows } = await nester.pool.query(`SELECT detail FROM fleet.audit_events WHERE event = 'agent-refused'`);
  return rows.map((r) => r.detail as string);
}

test('a flood of refused upgrades writes one row and one log line per address and kind, capped', async () => {
  const longOrigin = `https://${'a'.repeat(15_000)}.example`;
  await flood(1000, httpRequest('GET', '/ws/session', { ...UPGRADE, Origin: longOrigin }), 403);
  await flood(
    300,
    httpRequest('GET', '/ws/agent', { ...UPGRADE, Authorization: 'Bearer h_0123456789abcdef.nope' }),
    401,
  );
  // A new kind of refusal from the same address is still audited at once.
  expect((await rawExchange(nester.port, httpRequest('GET', '/ws/session', UPGRADE))).status).toBe(403);
  const rows = await eventually(async () => {
    const found = await refusedRows();
    return found.some((r) => r.end_reason === 'no Origin header') && found;
  }, 'the refusal without Origin to be audited');

  expect(rows.map((r) => r.end_reason)).toEqual([
    expect.stringMatching(/^origin https:\/\/a{92}… is not allowed$/),
    'no Origin header',
  ]);
  expect(rows[0].origin!.length).toBe(256);
  expect(rows.reduce((sum, r) => sum + Number(r.bytes), 0)).toBeLessThan(4096);
  expect(await agentEvents()).toEqual(['unknown agent credential (not enrolled)']);
  const logged = nester.logLines().filter((l) => l.msg === 'session attempt refused' || l.msg === 'agent refused');
  expect(logged).toHaveLength(3);
  expect(Math.max(...logged.map((l) => JSON.stringify(l).length))).toBeLessThan(2048);
  await nester.assertHealthy();

  // The repeats are not lost: they are written as one row each when the window ends (or at shutdown).
  await nester.service.stop('SIGTERM');
  expect((await refusedRows()).map((r) => r.end_reason)).toEqual([
    expect.stringMatching(/is not allowed$/),
    'no Origin header',
    expect.stringMatching(
      /^origin https:\/\/a{92}… is not allowed \(repeated 999 more times from this address within 1m\)$/,
    ),
  ]);
  expect(await agentEvents()).toEqual([
    'unknown agent credential (not enrolled)',
    'unknown agent credential (not enrolled) (repeated 299 more times from this address within 1m)',
  ]);
}, 60_000);
