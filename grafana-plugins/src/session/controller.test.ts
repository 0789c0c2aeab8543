import { waitFor } from '@testing-library/react';

import { NesterError } from '../api/errors';
import { FakeWebSocket, socketFactory } from '../../test/support/fakeWebSocket';
import { fakeNester, forbidden, harvester } from '../../test/support/fakeNester';
import { SessionDeps, backoffMs, startSession } from './controller';
import { browserResumeStore } from './resumeStore';
import { SessionState } from './state';

function manualTimers() {
  const pending: Array<{ run: () => void; ms: number; cancelled: boolean }> = [];
  return {
    pending,
    schedule: (run: () => void, ms: number) => {
      const timer = { run, ms, cancelled: false };
      pending.push(timer);
      return () => (timer.cancelled = true);
    },
    fireNext() {
      const timer = pending.shift();
      if (timer && !timer.cancelled) {
        timer.run();
      }
      return timer;
    },
  };
}

function run(deps: SessionDeps, params: Partial<Parameters<typeof startSession>[0]> = {}) {
  const states: SessionState[] = [];
  const attached: WebSocket[] = [];
  const handle = startSession(
    {
      kind: 'terminal',
      harvester: 'h_1',
      viewOnly: false,
      size: () => ({ cols: 100, rows: 30 }),
      attach: (socket) => {
        attached.push(socket);
        return () => undefined;
      },
      ...params,
    },
    deps,
    (state) => states.push(state),
  );
  const last = () => states[states.length - 1];
  return { states, attached, handle, last };
}

async function readySession(nester = fakeNester(), params = {}) {
  const sockets = socketFactory();
  const timers = manualTimers();
  const session = run({ ...nester.deps(sockets.create), schedule: timers.schedule }, params);
  await waitFor(() => expect(sockets.sockets).toHaveLength(1));
  const socket = sockets.last();
  socket.open();
  socket.receive({ type: 'ready', sessionId: 's_1', kind: 'terminal', viewOnly: false });
  await waitFor(() => expect(session.last().status).toBe('connected'));
  return { ...session, sockets, socket, timers, nester };
}

test('asks for a ticket, sends it as the first message (never in the URL) and hands the ready socket over', async () => {
  const { states, socket, attached, nester } = await readySession();
  expect(states.map((s) => (s.status === 'connecting' ? `connecting:${s.step}` : s.status))).toEqual([
    'connecting:harvester',
    'connecting:ticket',
    'connecting:socket',
    'connected',
  ]);
  expect(nester.tickets).toEqual([
    { kind: 'terminal', body: { harvesterId: 'h_1', viewOnly: false, cols: 100, rows: 30 } },
  ]);
  expect(socket.url).toBe('ws://nester.test/ws/session');
  expect(socket.url).not.toContain('ticket');
  expect(socket.jsonSent()[0]).toEqual({ type: 'hello', ticket: 'ticket-1', cols: 100, rows: 30 });
  expect(socket.binaryType).toBe('arraybuffer');
  expect(attached).toEqual([socket]);
});

test('uses the public WebSocket URL from the app settings when one is set', async () => {
  const nester = fakeNester({
    settings: { nesterUrl: 'http://nester:8080', websocketUrl: 'wss://public.example/ws/session' },
  });
  const { socket } = await readySession(nester);
  expect(socket.url).toBe('wss://public.example/ws/session');
});

test('a hostname is not matched: the panel asks for a harvester id and asks for no ticket', async () => {
  const sockets = socketFactory();
  const nester = fakeNester();
  const session = run(nester.deps(sockets.create), { harvester: 'web-07' });
  await waitFor(() => expect(session.last().status).not.toBe('connecting'));
  expect(JSON.stringify(session.last())).toMatch(/takes a harvester id/);
  expect(nester.tickets).toHaveLength(0);
  expect(sockets.sockets).toHaveLength(0);
});

test('says the app needs configuring when no nester URL is set', async () => {
  const sockets = socketFactory();
  const session = run(fakeNester({ settings: {} }).deps(sockets.create));
  await waitFor(() => expect(session.last()).toMatchObject({ status: 'credentials', reason: 'not-configured' }));
  expect(sockets.sockets).toHaveLength(0);
});

test('a 403 from the proxy route is a plain permission-denied state naming the role', async () => {
  const sockets = socketFactory();
  const session = run(fakeNester({ createError: forbidden('createTerminalSession') }).deps(sockets.create));
  await waitFor(() => expect(session.last().status).toBe('forbidden'));
  expect(session.last()).toMatchObject({ message: expect.stringMatching(/open a terminal: it needs the Admin role/) });
});

test('a refused API token asks for credentials', async () => {
  const sockets = socketFactory();
  const error = new NesterError('credentials', 'nester refused the API token.', 401);
  const session = run(fakeNester({ createError: error }).deps(sockets.create));
  await waitFor(() => expect(session.last()).toMatchObject({ status: 'credentials', reason: 'token-rejected' }));
});

test('an offline harvester is shown as offline without asking for a ticket, and checked again later', async () => {
  const sockets = socketFactory();
  const timers = manualTimers();
  const nester = fakeNester({ harvesters: [harvester({ status: 'offline' })] });
  const session = run({ ...nester.deps(sockets.create), schedule: timers.schedule });
  await waitFor(() => expect(session.last().status).toBe('offline'));
  expect(session.last()).toMatchObject({ message: expect.stringMatching(/web-07 is offline/), retryInMs: 15000 });
  expect(nester.tickets).toHaveLength(0);
  nester.fleet[0].status = 'online';
  timers.fireNext();
  await waitFor(() => expect(sockets.sockets).toHaveLength(1));
});

test('a harvester without the capability says so instead of trying', async () => {
  const sockets = socketFactory();
  const nester = fakeNester({ harvesters: [harvester({ capabilities: { vnc: false, terminal: true } })] });
  const session = run(nester.deps(sockets.create), { kind: 'vnc' });
  await waitFor(() => expect(session.last()).toMatchObject({ status: 'error', title: 'No remote desktop on web-07' }));
});

test.each([
  [4404, 'offline', undefined],
  [4401, 'reconnecting', 'Session ticket refused'],
  [4429, 'disconnected', 'Session limit reached'],
  [4500, 'disconnected', 'Agent error'],
])('closed with %i before ready: %s', async (code, status, title) => {
  const sockets = socketFactory();
  const timers = manualTimers();
  const session = run({ ...fakeNester().deps(sockets.create), schedule: timers.schedule });
  await waitFor(() => expect(sockets.sockets).toHaveLength(1));
  sockets.last().open();
  sockets.last().serverClose(code, code === 4429 ? '' : 'nester says why');
  await waitFor(() => expect(session.last().status).toBe(status));
  if (title) {
    expect(session.last()).toMatchObject({ close: { code, title } });
  }
});

test('a dropped connection reconnects with back-off, with a fresh ticket, then gives up', async () => {
  const { socket, timers, sockets, last, nester } = await readySession();
  socket.serverClose(1006);
  await waitFor(() => expect(last()).toMatchObject({ status: 'reconnecting', attempt: 1, retryInMs: backoffMs(1) }));
  timers.fireNext();
  await waitFor(() => expect(sockets.sockets).toHaveLength(2));
  expect(nester.tickets).toHaveLength(2);
  for (let attempt = 2; attempt <= 6; attempt++) {
    sockets.last().serverClose(1006);
    if (attempt <= 5) {
      await waitFor(() => expect(last()).toMatchObject({ status: 'reconnecting', attempt }));
      timers.fireNext();
      await waitFor(() => expect(sockets.sockets).toHaveLength(attempt + 1));
    }
  }
  await waitFor(() => expect(last()).toMatchObject({ status: 'disconnected', close: { code: 1006 } }));
});

test('a normal end is shown with its reason, or the one the view noted', async () => {
  const first = await readySession();
  first.socket.serverClose(1000, 'browser closed');
  await waitFor(() =>
    expect(first.last()).toMatchObject({
      status: 'disconnected',
      close: { title: 'Session ended', detail: 'browser closed' },
    }),
  );

  const second = await readySession();
  second.handle.noteEnd({
    code: 1000,
    kind: 'ended',
    title: 'Shell exited',
    detail: 'The shell exited with code 3.',
    retry: false,
  });
  second.socket.serverClose(1000);
  await waitFor(() => expect(second.last()).toMatchObject({ close: { title: 'Shell exited' } }));
});

test('stop closes the socket normally and reports nothing more', async () => {
  const { socket, handle, states } = await readySession();
  const count = states.length;
  handle.stop();
  expect(socket.closedWith).toEqual({ code: 1000, reason: undefined });
  expect(states).toHaveLength(count);
});

test.each(['null', '42', '"ready"', '{not json'])(
  'a handshake of %s is a protocol error, said plainly',
  async (frame) => {
    const sockets = socketFactory();
    const session = run({ ...fakeNester().deps(sockets.create), schedule: manualTimers().schedule });
    await waitFor(() => expect(sockets.sockets).toHaveLength(1));
    sockets.last().open();
    sockets.last().receive(frame);
    await waitFor(() =>
      expect(session.last()).toEqual({
        status: 'error',
        title: 'Could not connect',
        message: 'nester sent a malformed handshake message.',
      }),
    );
    expect(sockets.last().readyState).toBe(FakeWebSocket.CLOSED);
  },
);

test('reconnect starts over with a new ticket and ignores the old socket closing', async () => {
  const { socket, handle, sockets, last } = await readySession();
  handle.reconnect();
  await waitFor(() => expect(sockets.sockets).toHaveLength(2));
  expect(socket.readyState).toBe(FakeWebSocket.CLOSED);
  expect(last().status).toBe('connecting');
});

/** A sessionStorage stand-in: what a reload keeps. */
function memoryStore() {
  const items = new Map<string, string>();
  const storage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  } as unknown as Storage;
  return { items, store: browserResumeStore(() => storage) };
}

async function resumableSession(nester = fakeNester(), store = memoryStore()) {
  const sockets = socketFactory();
  const timers = manualTimers();
  const session = run({ ...nester.deps(sockets.create), schedule: timers.schedule, resumeStore: store.store });
  await waitFor(() => expect(sockets.sockets).toHaveLength(1));
  const socket = sockets.last();
  socket.open();
  socket.receive({ type: 'ready', sessionId: 's_1', kind: 'terminal', viewOnly: false, resumeWindowMs: 300000 });
  await waitFor(() => expect(session.last().status).toBe('connected'));
  return { ...session, sockets, socket, timers, nester, store };
}

test('a dropped terminal takes the same session back with a resume ticket, not a new session', async () => {
  const { socket, timers, sockets, nester, last } = await resumableSession();
  socket.serverClose(1006);
  await waitFor(() => expect(last()).toMatchObject({ status: 'reconnecting' }));
  timers.fireNext();
  await waitFor(() => expect(sockets.sockets).toHaveLength(2));
  expect(nester.resumes).toEqual(['s_1']);
  expect(nester.tickets).toHaveLength(1);
  sockets.last().open();
  expect(sockets.last().jsonSent()[0]).toEqual({ type: 'hello', ticket: 'resume-1', cols: 100, rows: 30 });
});

test('after a reload the view resumes the terminal its tab had; a stopped view forgets it', async () => {
  const store = memoryStore();
  const first = await resumableSession(fakeNester(), store);
  expect([...store.items.values()]).toEqual(['s_1']);
  // A reload: the page goes without stopping anything; a new view starts in the same tab.
  const nester = fakeNester();
  const second = await resumableSession(nester, store);
  expect(nester.resumes).toEqual(['s_1']);
  expect(nester.tickets).toHaveLength(0);
  expect(second.states.map((s) => (s.status === 'connecting' ? s.step : s.status))).toContain('resume');
  second.handle.stop();
  first.handle.stop();
  expect(store.items.size).toBe(0);
});

test('a session that cannot be resumed any more gives way to a new one', async () => {
  const store = memoryStore();
  await resumableSession(fakeNester(), store);
  const nester = fakeNester({ resumeError: new NesterError('not-found', 'no running session s_1', 404) });
  const sockets = socketFactory();
  const session = run({ ...nester.deps(sockets.create), resumeStore: store.store });
  await waitFor(() => expect(sockets.sockets).toHaveLength(1));
  expect(nester.tickets).toHaveLength(1);
  expect(session.states.map((s) => (s.status === 'connecting' ? s.step : s.status))).toEqual([
    'harvester',
    'resume',
    'ticket',
    'socket',
  ]);
});

test('the stored session id is only ever a session id', () => {
  const { items, store } = memoryStore();
  items.set('nester.resume.k', '../../api/v1/harvesters/h_1/revoke');
  expect(store.take('k')).toBeUndefined();
  items.set('nester.resume.k', 's_0123abcd');
  expect(store.take('k')).toBe('s_0123abcd');
  expect(store.take('k')).toBeUndefined();
});

test('a join asks for a join ticket for that session, and leaves nothing to resume', async () => {
  const store = memoryStore();
  const nester = fakeNester();
  const sockets = socketFactory();
  const session = run(
    { ...nester.deps(sockets.create), resumeStore: store.store },
    { join: 's_owner', viewOnly: true },
  );
  await waitFor(() => expect(sockets.sockets).toHaveLength(1));
  expect(nester.joins).toEqual([{ sessionId: 's_owner', control: false }]);
  expect(nester.tickets).toHaveLength(0);
  const socket = sockets.last();
  socket.open();
  expect(socket.jsonSent()[0]).toMatchObject({ type: 'hello', ticket: 'j_1.secret' });
  socket.receive({
    type: 'ready',
    sessionId: 's_owner',
    kind: 'terminal',
    viewOnly: true,
    joined: true,
    resumeWindowMs: 300000,
  });
  await waitFor(() => expect(session.last().status).toBe('connected'));
  // Someone else's terminal is not this tab's to resume after a reload.
  expect(store.items.size).toBe(0);
});
