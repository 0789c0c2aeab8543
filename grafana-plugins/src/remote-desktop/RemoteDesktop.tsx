import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, Input, useStyles2 } from '@grafana/ui';
import type RFB from '@novnc/novnc';
import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { Harvester } from '@nester/contracts/nester/api';
import type { ReadyMessage } from '@nester/contracts/remote/protocol';

import { Presence } from '../components/Presence';
import { SessionStatus } from '../components/SessionStatus';
import { SessionVitals } from '../components/SessionVitals';
import { useFullscreen } from '../components/useFullscreen';
import type { SessionHandle } from '../session/controller';
import { useSessionDeps } from '../session/deps';
import { SessionState } from '../session/state';
import { usePresence } from '../session/usePresence';
import { useRemoteSession } from '../session/useRemoteSession';
import { RfbClass, loadRfb as loadNoVnc } from './loadRfb';
import { RemoteDesktopOptions, clampLevel, viewportFor } from './options';
import { Toolbar } from './Toolbar';

type Props = RemoteDesktopOptions & {
  /** Watch this live desktop of someone else's instead of opening one: view only, always. */
  join?: string;
};

/** A live desktop of one harvester: noVNC on a nester session socket. */
export function RemoteDesktop(props: Props) {
  const { harvester, scaling, quality, compression, showToolbar, join } = props;
  // nester drops a joiner's input anyway; noVNC is told too, so it sends none.
  const viewOnly = props.viewOnly || join !== undefined;
  const styles = useStyles2(getStyles);
  const loadRfb = useSessionDeps().loadRfb ?? loadNoVnc;
  const [Rfb, setRfb] = useState<RfbClass | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [override, setOverride] = useState<SessionState | undefined>(undefined);
  const [remoteClipboard, setRemoteClipboard] = useState('');
  const [desktopName, setDesktopName] = useState('');
  const [password, setPassword] = useState('');
  const rootRef = useRef<HTMLDivElement>(null);
  const screenRef = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | undefined>(undefined);
  const fullscreen = useFullscreen(rootRef);

  useEffect(() => {
    let alive = true;
    loadRfb().then(
      (loaded) => alive && setRfb(() => loaded),
      (err: unknown) => alive && setLoadError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      alive = false;
    };
  }, [loadRfb]);

  const attach = useCallback(
    (socket: WebSocket, chosen: Harvester, _ready: ReadyMessage, handle: SessionHandle) => {
      const screen = screenRef.current;
      if (!Rfb || !screen) {
        throw new Error('The remote desktop view is not ready.');
      }
      const rfb = new Rfb(screen, socket, { shared: true });
      Object.assign(rfb, viewportFor(scaling));
      rfb.viewOnly = viewOnly;
      rfb.qualityLevel = clampLevel(quality, 6);
      rfb.compressionLevel = clampLevel(compression, 2);
      rfb.background = 'transparent';
      // nester's "ready" came: the VNC handshake in the browser is the last step before a picture.
      setOverride({ status: 'connecting', step: 'vnc', attempt: 1 });
      rfb.addEventListener('connect', () => setOverride(undefined));
      rfb.addEventListener('credentialsrequired', () =>
        setOverride({
          status: 'credentials',
          reason: 'vnc-password',
          message: `The VNC server on ${chosen.hostname} asks for a password.`,
        }),
      );
      rfb.addEventListener('securityfailure', (event) => {
        const detail = (event as CustomEvent<{ status: number; reason?: string }>).detail;
        handle.noteEnd({
          code: 0,
          kind: 'agent',
          title: 'VNC authentication failed',
          detail: detail.reason || `The VNC server refused the login (status ${detail.status}).`,
          retry: false,
        });
      });
      rfb.addEventListener('clipboard', (event) =>
        setRemoteClipboard((event as CustomEvent<{ text: string }>).detail.text),
      );
      rfb.addEventListener('desktopname', (event) =>
        setDesktopName((event as CustomEvent<{ name: string }>).detail.name),
      );
      rfbRef.current = rfb;
      let disconnected = false;
      rfb.addEventListener('disconnect', () => {
        disconnected = true;
      });
      return () => {
        rfbRef.current = undefined;
        setOverride(undefined);
        if (!disconnected) {
          rfb.disconnect();
        }
      };
    },
    // A new attach does not restart the session (useRemoteSession keeps the latest); settings
    // that noVNC can change live are also applied to a running session by the effect below.
    [Rfb, viewOnly, scaling, quality, compression],
  );

  const session = useRemoteSession({ kind: 'vnc', harvester, viewOnly, join, attach, enabled: Rfb !== undefined });

  useEffect(() => {
    const rfb = rfbRef.current;
    if (rfb) {
      Object.assign(rfb, viewportFor(scaling));
      rfb.qualityLevel = clampLevel(quality, 6);
      rfb.compressionLevel = clampLevel(compression, 2);
    }
  }, [scaling, quality, compression, session.state]);

  const state: SessionState = loadError
    ? { status: 'error', title: 'Could not load the VNC client', message: loadError }
    : (override ?? session.state);
  const connected = state.status === 'connected';
  // A joiner's ready names the owner's session: left in `others`, it shows whom they watch.
  const { others, own, roundTripMs } = usePresence(
    state.status === 'connected' ? state.harvester.id : undefined,
    state.status === 'connected' && !join ? state.sessionId : undefined,
  );
  const title =
    session.state.status === 'connected'
      ? `${session.state.harvester.hostname}${desktopName ? ` — ${desktopName}` : ''}`
      : harvester || 'Remote desktop';

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    rfbRef.current?.sendCredentials({ password });
    setPassword('');
  };

  return (
    <div className={styles.root} ref={rootRef} data-testid="remote-desktop">
      {showToolbar && (
        <Toolbar
          connected={connected}
          viewOnly={viewOnly}
          title={title}
          remoteClipboard={remoteClipboard}
          fullscreen={fullscreen.active}
          onCtrlAltDel={() => rfbRef.current?.sendCtrlAltDel()}
          onPaste={(text) => rfbRef.current?.clipboardPasteFrom(text)}
          onToggleFullscreen={fullscreen.toggle}
          onReconnect={session.reconnect}
          vitals={
            <SessionVitals
              sessionId={state.status === 'connected' ? state.sessionId : undefined}
              roundTripMs={roundTripMs}
            />
          }
        />
      )}
      <Presence others={others} joiners={own?.joiners} />
      <div className={styles.stage}>
        <div
          ref={screenRef}
          className={scaling === 'none' ? styles.screenScroll : styles.screen}
          data-testid="remote-desktop-screen"
          data-view-only={viewOnly}
        />
        <SessionStatus state={state} what="remote desktop" kind="vnc" onReconnect={session.reconnect}>
          {state.status === 'credentials' && state.reason === 'vnc-password' && (
            <form className={styles.password} onSubmit={submitPassword}>
              <Input
                type="password"
                aria-label="VNC password"
                value={password}
                autoFocus
                onChange={(event) => setPassword(event.currentTarget.value)}
              />
              <Button type="submit" disabled={password === ''}>
                Connect
              </Button>
            </form>
          )}
        </SessionStatus>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({
    position: 'relative',
    display: 'flex',
    flexDirection: 'column',
    width: '100%',
    height: '100%',
    background: theme.colors.background.canvas,
  }),
  stage: css({ position: 'relative', flex: 1, minHeight: 0 }),
  screen: css({ position: 'absolute', inset: 0, overflow: 'hidden' }),
  screenScroll: css({ position: 'absolute', inset: 0, overflow: 'auto' }),
  password: css({ display: 'flex', gap: theme.spacing(1), marginBottom: theme.spacing(2) }),
});
