import { createTheme } from '@grafana/data';
import { act, screen, waitFor } from '@testing-library/react';

import { FakeTerminal, createFakeTerminal } from '../../../test/support/fakeTerminal';
import { fakeNester, forbidden } from '../../../test/support/fakeNester';
import { socketFactory } from '../../../test/support/fakeWebSocket';
import { renderPanel } from '../../../test/support/renderPanel';
import { terminalTheme } from '../../terminal/theme';
import { defaultTerminalOptions } from './options';
import { TerminalPanel } from './TerminalPanel';

beforeEach(() => {
  FakeTerminal.instances = [];
});

async function connected(options = {}) {
  const sockets = socketFactory();
  const nester = fakeNester();
  const view = renderPanel(
    TerminalPanel,
    { ...defaultTerminalOptions, harvester: '$host', ...options },
    { ...nester.deps(sockets.create), createTerminal: createFakeTerminal },
    { host: 'h_1' },
  );
  await waitFor(() => expect(sockets.sockets).toHaveLength(1));
  const socket = sockets.last();
  act(() => {
    socket.open();
    socket.receive({ type: 'ready', sessionId: 's_1', kind: 'terminal', viewOnly: false });
  });
  await waitFor(() => expect(screen.queryByTestId('session-state')).not.toBeInTheDocument());
  return { ...view, socket, terminal: FakeTerminal.instances[0], nester };
}

const bytes = (text: string) => new TextEncoder().encode(text).buffer;

test('opens the pty at the terminal size and says hello with it', async () => {
  const { socket, nester } = await connected();
  expect(nester.tickets[0]).toEqual({
    kind: 'terminal',
    body: { harvesterId: 'h_1', viewOnly: false, cols: 80, rows: 24 },
  });
  expect(socket.jsonSent()[0]).toEqual({ type: 'hello', ticket: 'ticket-1', cols: 80, rows: 24 });
});

test('pty output is written to the terminal and keystrokes go back as binary frames', async () => {
  const { socket, terminal } = await connected();
  act(() => socket.receive(bytes('root@web-07:~# ')));
  expect(terminal.text()).toBe('root@web-07:~# ');
  act(() => terminal.type('echo héllo\r'));
  const binary = socket.sent.filter((frame) => typeof frame !== 'string') as Uint8Array[];
  expect(new TextDecoder().decode(binary[binary.length - 1])).toBe('echo héllo\r');
});

test('a resized terminal tells the pty its new size', async () => {
  const { socket, terminal } = await connected();
  act(() => terminal.resize(132, 43));
  expect(socket.jsonSent()).toContainEqual({ type: 'resize', cols: 132, rows: 43 });
});

test('read-only sends no keystrokes', async () => {
  const { socket, terminal } = await connected({ viewOnly: true });
  const before = socket.sent.length;
  act(() => terminal.type('rm -rf /\r'));
  expect(socket.sent.filter((f) => typeof f !== 'string')).toHaveLength(0);
  expect(socket.sent.length).toBe(before);
  expect(terminal.options.disableStdin).toBe(true);
});

test('when the shell exits the panel says so with its exit code', async () => {
  const { socket } = await connected();
  act(() => {
    socket.receive({ type: 'exit', code: 130 });
    socket.serverClose(1000, 'shell exited');
  });
  const state = await screen.findByTestId('session-state');
  expect(state).toHaveTextContent('Disconnected: Shell exited');
  expect(state).toHaveTextContent('The shell exited with code 130.');
});

test('font size follows the option and colours follow the Grafana theme', async () => {
  const { terminal, rerenderWith } = await connected({ fontSize: 18 });
  expect(terminal.options.fontSize).toBe(18);
  expect(terminal.options.theme).toEqual(terminalTheme(createTheme()));
  rerenderWith({ ...defaultTerminalOptions, harvester: '$host', fontSize: 11 });
  expect(terminal.options.fontSize).toBe(11);
});

test('a Viewer opening a terminal gets a plain permission-denied state', async () => {
  const sockets = socketFactory();
  renderPanel(
    TerminalPanel,
    { ...defaultTerminalOptions, harvester: 'h_1' },
    {
      ...fakeNester({ createError: forbidden('createTerminalSession') }).deps(sockets.create),
      createTerminal: createFakeTerminal,
    },
  );
  const state = await screen.findByText('Permission denied');
  expect(state.closest('[data-testid="session-state"]')).toHaveTextContent('it needs the Admin role');
  expect(sockets.sockets).toHaveLength(0);
});

test('the light theme gives dark text on a light background', () => {
  const light = terminalTheme(createTheme({ colors: { mode: 'light' } }));
  const dark = terminalTheme(createTheme({ colors: { mode: 'dark' } }));
  expect(light.background).not.toBe(dark.background);
  expect(light.foreground).not.toBe(dark.foreground);
});

test('a recorded session says so', async () => {
  const sockets = socketFactory();
  renderPanel(
    TerminalPanel,
    { ...defaultTerminalOptions, harvester: 'h_1' },
    { ...fakeNester().deps(sockets.create), createTerminal: createFakeTerminal },
  );
  await waitFor(() => expect(sockets.sockets).toHaveLength(1));
  act(() => {
    sockets.last().open();
    sockets.last().receive({ type: 'ready', sessionId: 's_1', kind: 'terminal', viewOnly: false, recording: true });
  });
  expect(await screen.findByText('● recorded')).toBeInTheDocument();
});

test('a harvester option cleared ends the session and says what to set; set again, it reconnects', async () => {
  const { socket, nester, rerenderWith } = await connected();
  rerenderWith({ ...defaultTerminalOptions, harvester: '' });
  expect(await screen.findByText('No harvester selected')).toBeInTheDocument();
  expect(socket.readyState).toBe(WebSocket.CLOSED);

  rerenderWith({ ...defaultTerminalOptions, harvester: '$host' });
  expect(screen.queryByText('No harvester selected')).not.toBeInTheDocument();
  expect(screen.getByTestId('session-state')).toHaveAttribute('data-state', 'connecting');
  await waitFor(() => expect(nester.tickets).toHaveLength(2));
});

test('the toolbar says which account the shell runs as, changes the font size and ends the session', async () => {
  const { socket, terminal } = await connected();
  act(() => socket.receive({ type: 'started', user: 'root' }));
  expect(await screen.findByText('root@web-07')).toBeInTheDocument();
  act(() => screen.getByRole('button', { name: 'Larger text' }).click());
  await waitFor(() => expect(terminal.options.fontSize).toBe(defaultTerminalOptions.fontSize + 1));
  act(() => screen.getByRole('button', { name: 'End session' }).click());
  expect(socket.closedWith).toMatchObject({ code: 1000 });
  expect(await screen.findByText('Disconnected: Session ended')).toBeInTheDocument();
  expect(screen.getByText(/You ended this session/)).toBeInTheDocument();
});

test('the owner sees who joined, and can let joiners type and stop them', async () => {
  const { socket } = await connected();
  const joiners = (controlAllowed: boolean) => ({
    type: 'joiners',
    joiners: [{ user: 'bob', control: true, joinedAt: '2026-12-03T10:00:00.000Z' }],
    controlAllowed,
  });
  act(() => socket.receive(joiners(false)));
  expect(await screen.findByTestId('presence-joiner')).toHaveTextContent('bob (watching, may type)');
  act(() => screen.getByRole('button', { name: 'Let joiners type' }).click());
  expect(socket.jsonSent()).toContainEqual({ type: 'allow-control', allow: true });
  act(() => socket.receive(joiners(true)));
  act(() => screen.getByRole('button', { name: 'Stop joiners typing' }).click());
  expect(socket.jsonSent()).toContainEqual({ type: 'allow-control', allow: false });
  act(() => socket.receive({ type: 'joiners', joiners: [], controlAllowed: false }));
  await waitFor(() => expect(screen.queryByTestId('presence-joiner')).not.toBeInTheDocument());
});
