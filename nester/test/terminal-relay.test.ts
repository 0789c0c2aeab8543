// A real shell on a real pty (node-pty in the agent process) through the relay: commands,
// UTF-8 in both directions, resize, view-only, and the asciicast recording replayed in a
// terminal emulator.

import { messageText } from '@nester/common/net/ws-message';
import { Terminal } from '@xterm/headless';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { EnrolledHarvester } from '@nester/testing/harvester';
import { type OpenedSession, openSession } from './support/browser';
import { eventually } from '@nester/testing/services';
import { enrolOnlineHarvester, startTestNester, type TestNester } from './support/nester';

let nester: TestNester;
let agent: EnrolledHarvester;
let harvesterId: string;

beforeAll(async () => {
  nester = await startTestNester();
  ({ agent, harvesterId } = await enrolOnlineHarvester(nester, 'terminal', {
    terminal: true,
    args: ['--remote.terminal-shell=/bin/bash'],
  }));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await nester?.stop();
});

const output = (session: OpenedSession) => Buffer.concat(session.incoming).toString('utf8');
const type = (session: OpenedSession, text: string) => session.ws.send(Buffer.from(text, 'utf8'), { binary: true });
const waitFor = (session: OpenedSession, pattern: RegExp, what: string) =>
  eventually(() => pattern.exec(output(session)), what, 10_000);

/** The session's audit row once nester has completed it (that happens after the socket closes). */
const endedAuditRow = (sessionId: string) =>
  eventually(async () => {
    const { body } = await nester.api('GET', `/api/v1/sessions?harvesterId=${harvesterId}&kind=terminal`);
    return body.sessions.find((s: { id: string; endedAt: string | null }) => s.id === sessionId && s.endedAt);
  }, 'the audit row of the ended session');

test('commands run, UTF-8 round-trips even split byte by byte, and tput cols follows resizes', async () => {
  const session = await openSession(nester, 'terminal', harvesterId, { cols: 80, rows: 24 });
  expect(session.ready).toMatchObject({ kind: 'terminal', recording: true, user: 'alice' });
  const started = new Promise((resolve) =>
    session.ws.on('message', (data, binary) => !binary && resolve(JSON.parse(messageText(data)))),
  );
  // The agent says which account the shell runs as.
  expect(await started).toEqual({ type: 'started', user: userInfo().username });
  type(session, 'echo "sum=$((6*7))"\r');
  await waitFor(session, /sum=42/, 'the shell to run a command');

  // Typed input split inside multibyte characters must reach the shell intact.
  const typed = Buffer.from('echo "A:héllo 世界 🎉:Z"\r', 'utf8');
  for (const byte of typed) session.ws.send(Buffer.from([byte]), { binary: true });
  await waitFor(session, /A:héllo 世界 🎉:Z\r\n/, 'the multibyte echo');

  // Output split inside a character across two pty reads (the shell writes half, sleeps, writes the rest).
  type(session, "printf 'B:\\xe4\\xb8'; sleep 0.3; printf '\\x96\\xe7\\x95\\x8c:Y\\n'\r");
  await waitFor(session, /B:世界:Y/, 'the split character to arrive whole');

  session.ws.send(JSON.stringify({ type: 'resize', cols: 100, rows: 30 }));
  type(session, 'echo "cols=$(tput cols) lines=$(tput lines)"\r');
  await waitFor(session, /cols=100 lines=30/, 'tput to see 100x30');
  session.ws.send(JSON.stringify({ type: 'resize', cols: 57, rows: 20 }));
  type(session, 'echo "cols=$(tput cols)"\r');
  await waitFor(session, /cols=57\r/, 'tput to see 57 columns');

  type(session, 'exit 3\r');
  const exit = await eventually(async () => {
    const { code } = await session.closed;
    return { code };
  }, 'the session to end with the shell');
  expect(exit.code).toBe(1000);

  const recording = await eventually(async () => {
    const { status, body } = await nester.api('GET', `/api/v1/recordings/${session.sessionId}`);
    return status === 200 && body;
  }, 'the recording');
  const [header, ...events] = String(recording)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(header).toMatchObject({ version: 2, width: 80, height: 24 });
  const text = events
    .filter((e) => e[1] === 'o')
    .map((e) => e[2])
    .join('');
  expect(text).toContain('A:héllo 世界 🎉:Z');
  expect(text).toContain('B:世界:Y');
  expect(events.filter((e) => e[1] === 'r').map((e) => e[2])).toEqual(['100x30', '57x20']);
}, 30_000);

function screen(terminal: Terminal): Promise<string> {
  return new Promise((resolve) =>
    terminal.write('', () => {
      const lines: string[] = [];
      for (let i = 0; i < terminal.rows; i++)
        lines.push(terminal.buffer.active.getLine(terminal.buffer.active.viewportY + i)?.translateToString(true) ?? '');
      resolve(lines.join('\n'));
    }),
  );
}

test('the recording replays to the same screen the browser saw', async () => {
  const session = await openSession(nester, 'terminal', harvesterId, { cols: 60, rows: 12 });
  type(session, "printf '\\e[1;32mgreen\\e[0m and wide 世界\\n'; seq 1 4; echo END-OF-$((40+2))\r");
  await waitFor(session, /END-OF-42/, 'the commands to finish');
  // Everything the browser was sent up to the end (the shell's next prompt may still be on its way
  // when END-OF-42 arrives, and it is in the recording too).
  session.ws.close(1000);
  await session.closed;
  const browserView = new Terminal({ cols: 60, rows: 12, allowProposedApi: true });
  for (const chunk of session.incoming) browserView.write(chunk);
  const seen = await screen(browserView);

  const { body } = await nester.api('GET', `/api/v1/recordings/${session.sessionId}`);
  const [header, ...events] = String(body)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const replay = new Terminal({ cols: header.width, rows: header.height, allowProposedApi: true });
  for (const [, code, data] of events) {
    if (code === 'o') replay.write(data);
    if (code === 'r') replay.resize(...(data.split('x').map(Number) as [number, number]));
  }
  expect(await screen(replay)).toBe(seen);
  expect(seen).toContain('END-OF-42');
  expect(seen).toContain('green and wide 世界');

  const row = await endedAuditRow(session.sessionId);
  expect(row.recording).toBe(true);
  expect(row.recordingSha256).toMatch(/^[0-9a-f]{64}$/);
  const file = readFileSync(`${nester.recordingsDir}/${harvesterId}/${session.sessionId}.cast`);
  expect(createHash('sha256').update(file).digest('hex')).toBe(row.recordingSha256);
}, 30_000);

test('a view-only terminal shows output but ignores typed input', async () => {
  const session = await openSession(nester, 'terminal', harvesterId, { viewOnly: true });
  expect(session.ready).toMatchObject({ viewOnly: true });
  await waitFor(session, /[#$] $/m, 'the prompt');
  type(session, 'echo "typed-$((1+1))"\r');
  // Give an unfiltered shell ample time to answer, then look: the command must not have run.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(output(session)).not.toContain('typed-2');
  session.ws.close(1000);
  await session.closed;
  expect(await endedAuditRow(session.sessionId)).toMatchObject({
    viewOnly: true,
    bytesFromBrowser: Buffer.byteLength('echo "typed-$((1+1))"\r'),
  });
}, 30_000);

test('terminals run as the configured user with that user’s groups, not the agent’s', async () => {
  const { agent: asNobody, harvesterId: id } = await enrolOnlineHarvester(
    nester,
    'terminal',
    { terminal: true, args: ['--remote.terminal-shell=/bin/sh', '--remote.terminal-user=nobody'] },
    { maxUses: 1 },
  );
  try {
    if (process.getuid?.() !== 0) {
      // Only root can start a shell as someone else: the agent refuses and says why.
      const issued = await openSession(nester, 'terminal', id).catch((err: Error) => err);
      expect(issued).toBeInstanceOf(Error);
      expect((issued as Error).message).toMatch(/4500|cannot open a terminal as nobody/);
      return;
    }
    const session = await openSession(nester, 'terminal', id);
    type(session, 'echo "who=$(id -un) groups=$(id -G)"\r');
    const match = await waitFor(session, /who=(\S+) groups=([\d ]+)\r/, 'id to answer');
    expect(match[1]).toBe('nobody');
    expect(match[2].trim().split(' ')).not.toContain('0');
    session.ws.close(1000);
    await session.closed;
  } finally {
    await asNobody.stop();
  }
}, 30_000);
