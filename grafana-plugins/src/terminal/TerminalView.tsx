import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { ToolbarButton, useStyles2, useTheme2 } from '@grafana/ui';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Harvester, SessionJoiner } from '@nester/contracts/nester/api';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import type {
  AllowControlMessage,
  ReadyMessage,
  ResizeControl,
  TerminalControl,
} from '@nester/contracts/remote/protocol';

import { currentUser } from '../app/context';
import { Presence } from '../components/Presence';
import { JoinMode } from './JoinMode';
import { SessionStatus } from '../components/SessionStatus';
import { SessionVitals } from '../components/SessionVitals';
import type { SessionHandle } from '../session/controller';
import { useSessionDeps } from '../session/deps';
import { usePresence } from '../session/usePresence';
import { useRemoteSession } from '../session/useRemoteSession';
import { terminalTheme } from './theme';
import { TerminalLike, createXterm } from './xterm';

export interface TerminalViewProps {
  harvester: string;
  fontSize: number;
  viewOnly?: boolean;
  /** Watch this running session of someone else's instead of opening a shell. */
  join?: string;
  /** With `join`: join with control, typing while the owner allows it (otherwise view only). */
  joinWithControl?: boolean;
}

/** A shell on one harvester: xterm.js on a nester session socket, under a small toolbar. */
export function TerminalView({
  harvester,
  fontSize: optionFontSize,
  viewOnly: askedViewOnly = false,
  join,
  joinWithControl = false,
}: TerminalViewProps) {
  // A view-only joiner watches: its typing would be dropped by nester anyway.
  const viewOnly = askedViewOnly || (join !== undefined && !joinWithControl);
  const [joiners, setJoiners] = useState<SessionJoiner[]>([]);
  const [controlAllowed, setControlAllowed] = useState(false);
  // A control joiner types only while the owner allows it (nester drops the rest): the keyboard
  // follows the owner's lock so the joiner sees at once whether typing reaches the shell.
  const typingOff = viewOnly || (join !== undefined && !controlAllowed);
  const socketRef = useRef<WebSocket | undefined>(undefined);
  // The toolbar's A− / A+ step from the panel option.
  const [fontStep, setFontStep] = useState(0);
  const fontSize = Math.min(32, Math.max(8, optionFontSize + fontStep));
  const [runsAs, setRunsAs] = useState<string | undefined>(undefined);
  const [openedBy, setOpenedBy] = useState<string | undefined>(undefined);
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const createTerminal = useSessionDeps().createTerminal ?? createXterm;
  const hostRef = useRef<HTMLDivElement>(null);
  // The xterm instance: state for rendering and effects to follow it, a ref to configure it
  // (an imperative object, not React state to mutate).
  const [terminal, setTerminal] = useState<TerminalLike | undefined>(undefined);
  const terminalRef = useRef<TerminalLike | undefined>(undefined);

  // One xterm for the life of the view; sessions come and go on it. Font, theme and view-only
  // are applied by the next effect, which runs right after this one and on every change.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) {
      return undefined;
    }
    const term = createTerminal({});
    term.open(host);
    terminalRef.current = term;
    setTerminal(term);
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => term.fit());
    });
    observer.observe(host);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      term.dispose();
      terminalRef.current = undefined;
      setTerminal(undefined);
    };
  }, [createTerminal]);

  useEffect(() => {
    const term = terminalRef.current;
    if (term) {
      term.options.fontSize = fontSize;
      term.options.theme = terminalTheme(theme);
      term.options.disableStdin = typingOff;
      term.fit();
    }
  }, [terminal, fontSize, theme, typingOff]);

  const [recording, setRecording] = useState(false);

  const attach = useCallback(
    (socket: WebSocket, _harvester: Harvester, ready: ReadyMessage, handle: SessionHandle) => {
      setRecording(Boolean(ready.recording));
      setRunsAs(ready.runsAs);
      setOpenedBy(ready.user ?? undefined);
      setJoiners([]);
      setControlAllowed(false);
      socketRef.current = ready.joined ? undefined : socket;
      if (!terminal) {
        throw new Error('The terminal is not ready.');
      }
      const encoder = new TextEncoder();
      terminal.reset();
      const onMessage = (event: MessageEvent) => {
        if (typeof event.data !== 'string') {
          terminal.write(new Uint8Array(event.data as ArrayBuffer));
          return;
        }
        // As received: fields may be missing, and other types are ignored.
        let parsed: unknown;
        try {
          parsed = JSON.parse(event.data);
        } catch {
          return;
        }
        if (!parsed || typeof parsed !== 'object') {
          return;
        }
        const control = parsed as Partial<TerminalControl>;
        if (control.type === 'started' && typeof control.user === 'string') {
          setRunsAs(control.user);
        } else if (control.type === 'joiners' && Array.isArray(control.joiners)) {
          setJoiners(control.joiners);
          setControlAllowed(control.controlAllowed === true);
        } else if (control.type === 'exit') {
          const code = control.code;
          handle.noteEnd({
            code: CLOSE.normal,
            kind: 'ended',
            title: 'Shell exited',
            detail: code === undefined ? 'The shell exited.' : `The shell exited with code ${code}.`,
            retry: false,
          });
        } else if (control.type === 'error') {
          handle.noteEnd({
            code: CLOSE.agentFailed,
            kind: 'agent',
            title: 'Terminal error',
            detail: control.message || 'The agent reported an error.',
            retry: false,
          });
        }
      };
      const send = (data: string | Uint8Array) => {
        if (socket.readyState === WebSocket.OPEN) {
          socket.send(data);
        }
      };
      socket.addEventListener('message', onMessage);
      const resize = (cols: number, rows: number) =>
        send(JSON.stringify({ type: 'resize', cols, rows } satisfies ResizeControl));
      const subscriptions = [
        terminal.onData((data) => !viewOnly && send(encoder.encode(data))),
        terminal.onBinary((data) => !viewOnly && send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff))),
        terminal.onResize(({ cols, rows }) => resize(cols, rows)),
      ];
      // The pty was opened at the size the ticket asked for; catch up if the panel changed since.
      resize(terminal.cols, terminal.rows);
      terminal.focus();
      return () => {
        setRecording(false);
        setJoiners([]);
        socketRef.current = undefined;
        socket.removeEventListener('message', onMessage);
        subscriptions.forEach((subscription) => subscription.dispose());
      };
    },
    [terminal, viewOnly],
  );

  const session = useRemoteSession({
    kind: 'terminal',
    harvester,
    viewOnly,
    join,
    enabled: terminal !== undefined,
    size: () => ({ cols: terminal?.cols ?? 80, rows: terminal?.rows ?? 24 }),
    attach,
  });

  const live = session.state.status === 'connected' ? session.state : undefined;
  // A joiner shares the owner's session: the owner is "also here", the joiner is not.
  const { others, roundTripMs } = usePresence(live?.harvester.id, join ? undefined : live?.sessionId);
  const shownJoiners = join ? withoutOneOf(joiners, currentUser().login) : joiners;

  const connected = session.state.status === 'connected';
  return (
    <div className={styles.root} data-testid="terminal">
      <div className={styles.bar} role="toolbar" aria-label="Terminal">
        <span className={styles.identity} data-testid="terminal-identity">
          {live ? `${runsAs ?? '…'}@${live.harvester.hostname}` : harvester}
          {openedBy && <span className={styles.muted}> · opened by {openedBy}</span>}
        </span>
        <SessionVitals sessionId={live?.sessionId} roundTripMs={roundTripMs} />
        <ToolbarButton
          icon="copy"
          aria-label="Copy"
          tooltip="Copy the selection"
          disabled={!connected}
          onClick={() => void navigator.clipboard?.writeText(terminal?.getSelection() ?? '')}
        />
        <ToolbarButton
          icon="clipboard-alt"
          aria-label="Paste"
          tooltip={typingOff ? 'Read-only session' : 'Paste from the clipboard'}
          disabled={!connected || typingOff}
          onClick={() => void navigator.clipboard?.readText().then((text) => terminal?.paste(text))}
        />
        <ToolbarButton aria-label="Smaller text" tooltip="Smaller text" onClick={() => setFontStep((s) => s - 1)}>
          A−
        </ToolbarButton>
        <ToolbarButton aria-label="Larger text" tooltip="Larger text" onClick={() => setFontStep((s) => s + 1)}>
          A+
        </ToolbarButton>
        {!join && !viewOnly && (
          <ToolbarButton
            icon={controlAllowed ? 'lock' : 'unlock'}
            aria-label={controlAllowed ? 'Stop joiners typing' : 'Let joiners type'}
            tooltip={
              controlAllowed
                ? 'People who joined with control can type in this shell; click to stop them'
                : 'Let people who join with control type in this shell (view-only joiners never can)'
            }
            disabled={!connected}
            variant={controlAllowed ? 'active' : 'default'}
            onClick={() => {
              const message: AllowControlMessage = { type: 'allow-control', allow: !controlAllowed };
              socketRef.current?.send(JSON.stringify(message));
            }}
          />
        )}
        <ToolbarButton icon="sync" aria-label="Reconnect" tooltip="Reconnect" onClick={session.reconnect} />
        <ToolbarButton
          icon="times"
          aria-label={join ? 'Leave session' : 'End session'}
          tooltip={join ? 'Stop watching (the shell goes on)' : 'End the session (the shell ends too)'}
          disabled={!connected}
          onClick={session.end}
        >
          {join ? 'Leave' : 'End'}
        </ToolbarButton>
      </div>
      {join && live && <JoinMode control={joinWithControl} allowed={controlAllowed} owner={openedBy} />}
      <Presence others={others} joiners={shownJoiners} />
      <div className={styles.stage}>
        <div
          className={styles.host}
          ref={hostRef}
          data-testid="terminal-screen"
          onClick={() => terminal?.focus()}
          role="presentation"
        />
        {recording && session.state.status === 'connected' && (
          <span className={styles.recording} title="nester records this terminal session for the audit">
            ● recorded
          </span>
        )}
        <SessionStatus state={session.state} what="terminal" onReconnect={session.reconnect} />
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
    background: theme.colors.background.primary,
  }),
  stage: css({ position: 'relative', flex: 1, minHeight: 0 }),
  bar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0, 0.5),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  identity: css({
    flex: 1,
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  muted: css({ color: theme.colors.text.secondary, fontFamily: theme.typography.fontFamily }),
  host: css({ position: 'absolute', inset: 0, padding: theme.spacing(0.5), overflow: 'hidden' }),
  recording: css({
    position: 'absolute',
    top: theme.spacing(0.5),
    right: theme.spacing(1.5),
    zIndex: 1,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.error.text,
    opacity: 0.8,
    pointerEvents: 'none',
  }),
});

/** The joiners without one entry of `login` (this view's own; the same user may have joined twice). */
function withoutOneOf(joiners: SessionJoiner[], login: string): SessionJoiner[] {
  const own = joiners.findIndex((joiner) => joiner.user === login);
  return own < 0 ? joiners : [...joiners.slice(0, own), ...joiners.slice(own + 1)];
}
