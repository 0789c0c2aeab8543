import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';

import { NesterError } from '../../api/errors';
import { defaultRemoteDesktopOptions } from '../../remote-desktop/options';
import { FakeRfb, loadFakeRfb } from '../../../test/support/fakeRfb';
import { fakeNester, forbidden } from '../../../test/support/fakeNester';
import { socketFactory } from '../../../test/support/fakeWebSocket';
import { renderPanel } from '../../../test/support/renderPanel';
import { RemoteDesktopPanel } from './RemoteDesktopPanel';

beforeEach(() => {
  FakeRfb.instances = [];
});

async function connected(options = {}, nester = fakeNester()) {
  const sockets = socketFactory();
  const view = renderPanel(
    RemoteDesktopPanel,
    { ...defaultRemoteDesktopOptions, harvester: '$host', ...options },
    { ...nester.deps(sockets.create), loadRfb: loadFakeRfb },
    { host: 'h_1' },
  );
  await waitFor(() => expect(sockets.sockets).toHaveLength(1));
  act(() => {
    sockets.last().open();
    sockets.last().receive({ type: 'ready', sessionId: 's_1', kind: 'vnc', viewOnly: false });
  });
  await waitFor(() => expect(FakeRfb.instances).toHaveLength(1));
  act(() => FakeRfb.instances[0].emit('connect'));
  return { ...view, socket: sockets.last(), rfb: FakeRfb.instances[0], nester };
}

test('connects to the harvester named by the dashboard variable and hands noVNC the open socket', async () => {
  const { rfb, socket, nester } = await connected();
  expect(nester.tickets).toEqual([{ kind: 'vnc', body: { harvesterId: 'h_1', viewOnly: false } }]);
  expect(rfb.channel).toBe(socket);
  expect(rfb.target).toBe(screen.getByTestId('remote-desktop-screen'));
  expect(rfb.options).toEqual({ shared: true });
  expect(screen.queryByTestId('session-state')).not.toBeInTheDocument();
  expect(screen.getByRole('toolbar', { name: 'Remote desktop' })).toHaveTextContent('web-07');
});

test('connecting shows its steps in order, the VNC handshake last; then the toolbar times the session', async () => {
  const sockets = socketFactory();
  renderPanel(
    RemoteDesktopPanel,
    { ...defaultRemoteDesktopOptions, harvester: 'h_1' },
    { ...fakeNester().deps(sockets.create), loadRfb: loadFakeRfb },
  );
  const progress = () =>
    within(screen.getByRole('list', { name: 'Connecting' }))
      .getAllByRole('listitem')
      .map((item) => `${item.getAttribute('data-step')}:${item.getAttribute('data-progress')}`);
  await waitFor(() => expect(sockets.sockets).toHaveLength(1));
  expect(progress()).toEqual(['harvester:done', 'ticket:done', 'socket:current', 'vnc:pending']);
  act(() => {
    sockets.last().open();
    sockets.last().receive({ type: 'ready', sessionId: 's_1', kind: 'vnc', viewOnly: false });
  });
  await waitFor(() => expect(FakeRfb.instances).toHaveLength(1));
  expect(progress()).toEqual(['harvester:done', 'ticket:done', 'socket:done', 'vnc:current']);
  expect(screen.getByTestId('session-state')).toHaveTextContent('VNC handshake…');
  expect(screen.queryByTestId('session-timer')).not.toBeInTheDocument();

  act(() => FakeRfb.instances[0].emit('connect'));
  expect(screen.queryByTestId('session-state')).not.toBeInTheDocument();
  expect(screen.getByTestId('session-timer')).toHaveTextContent('0:00');
});

test('applies view-only, scaling and quality/compression options, and updates them live', async () => {
  const { rfb, rerenderWith } = await connected({ viewOnly: true, scaling: 'fit', quality: 3, compression: 7 });
  expect(rfb).toMatchObject({
    viewOnly: true,
    scaleViewport: true,
    resizeSession: false,
    qualityLevel: 3,
    compressionLevel: 7,
  });
  rerenderWith({
    ...defaultRemoteDesktopOptions,
    harvester: '$host',
    viewOnly: true,
    scaling: 'remote',
    quality: 12,
    compression: -1,
  });
  expect(rfb).toMatchObject({ scaleViewport: false, resizeSession: true, qualityLevel: 9, compressionLevel: 0 });
});

test('Ctrl+Alt+Del goes to the remote desktop, and is off in a view-only session', async () => {
  const { rfb, unmount } = await connected();
  fireEvent.click(screen.getByRole('button', { name: /Ctrl\+Alt\+Del/ }));
  expect(rfb.calls).toContainEqual(['sendCtrlAltDel']);
  unmount();

  FakeRfb.instances = [];
  await connected({ viewOnly: true });
  expect(screen.getByRole('button', { name: /Ctrl\+Alt\+Del/ })).toBeDisabled();
});

test('text can be sent to the remote clipboard; the remote clipboard is shown', async () => {
  const { rfb } = await connected();
  act(() => rfb.emit('clipboard', { text: 'copied remotely' }));
  fireEvent.click(screen.getByRole('button', { name: /Clipboard/ }));
  expect(await screen.findByDisplayValue('copied remotely')).toBeInTheDocument();
  fireEvent.change(screen.getByLabelText('Text to send'), { target: { value: 'pasted here' } });
  fireEvent.click(screen.getByRole('button', { name: /Send to remote clipboard/ }));
  expect(rfb.calls).toContainEqual(['clipboardPasteFrom', 'pasted here']);
});

test('a VNC password request shows a password form that answers noVNC', async () => {
  const { rfb } = await connected();
  act(() => rfb.emit('credentialsrequired', { types: ['password'] }));
  expect(screen.getByTestId('session-state')).toHaveAttribute('data-state', 'credentials');
  expect(screen.getByText('Password needed')).toBeInTheDocument();
  fireEvent.change(screen.getByLabelText('VNC password'), { target: { value: 's3cret' } });
  fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
  expect(rfb.calls).toContainEqual(['sendCredentials', { password: 's3cret' }]);
  act(() => rfb.emit('connect'));
  expect(screen.queryByTestId('session-state')).not.toBeInTheDocument();
});

test('a closed session says why, with a reconnect button', async () => {
  const { socket } = await connected();
  act(() => socket.serverClose(4409, 'harvester revoked'));
  const state = await screen.findByTestId('session-state');
  expect(state).toHaveAttribute('data-state', 'disconnected');
  expect(state).toHaveTextContent('Disconnected: Harvester revoked');
  expect(state).toHaveTextContent('harvester revoked (code 4409)');
  expect(within(state).getByRole('button', { name: /Reconnect/ })).toBeInTheDocument();
});

test.each([
  ['permission denied', { createError: forbidden('createVncSession') }, 'forbidden', /needs the Editor role/],
  [
    'nester unreachable',
    { createError: new NesterError('unreachable', 'Grafana could not reach nester.', 502) },
    'reconnecting',
    /could not reach nester/,
  ],
  ['not configured', { settings: {} }, 'credentials', /not configured yet/],
])('%s is shown plainly', async (_name, options, status, text) => {
  const sockets = socketFactory();
  renderPanel(
    RemoteDesktopPanel,
    { ...defaultRemoteDesktopOptions, harvester: 'h_1' },
    { ...fakeNester(options).deps(sockets.create), loadRfb: loadFakeRfb },
  );
  await waitFor(() => expect(screen.getByTestId('session-state')).toHaveAttribute('data-state', status));
  expect(screen.getByTestId('session-state')).toHaveTextContent(text);
});

test('without a harvester the panel says what to set', async () => {
  const sockets = socketFactory();
  renderPanel(
    RemoteDesktopPanel,
    { ...defaultRemoteDesktopOptions, harvester: '' },
    { ...fakeNester().deps(sockets.create), loadRfb: loadFakeRfb },
  );
  expect(await screen.findByText('No harvester selected')).toBeInTheDocument();
  expect(sockets.sockets).toHaveLength(0);
});

test('a noVNC that cannot load is an error, not a blank panel', async () => {
  const sockets = socketFactory();
  renderPanel(
    RemoteDesktopPanel,
    { ...defaultRemoteDesktopOptions, harvester: 'h_1' },
    { ...fakeNester().deps(sockets.create), loadRfb: () => Promise.reject(new Error('chunk failed')) },
  );
  expect(await screen.findByText('Could not load the VNC client')).toBeInTheDocument();
});
