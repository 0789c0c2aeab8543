import type { Harvester } from '@nester/contracts/nester/api';
import { CLOSE, CloseDescription, describeClose } from '@nester/contracts/remote/close-codes';
import type { ReadyMessage, SessionKind } from '@nester/contracts/remote/protocol';

import { NesterClient } from '../api/client';
import { NesterError } from '../api/errors';
import { AppSettings } from '../config/settings';
import { SessionClosedError, openSessionSocket } from './openSocket';
import { resolveHarvester } from './resolveHarvester';
import type { ResumeStore } from './resumeStore';
import { SessionState } from './state';

export interface SessionParams {
  kind: SessionKind;
  /** Harvester id or hostname, dashboard variables already applied. */
  harvester: string;
  viewOnly: boolean;
  /** Join this running session of someone else's instead of opening one (view only; a terminal's owner may allow typing). */
  join?: string;
  /** Extra hello/ticket fields computed at connect time (terminal size). */
  size?: () => { cols: number; rows: number };
  /**
   * Takes the ready socket over (noVNC, xterm) and returns what undoes that. Called
   * synchronously inside the "ready" message event, so no frame after it is missed.
   */
  attach: (socket: WebSocket, harvester: Harvester, ready: ReadyMessage) => () => void;
}

export interface SessionDeps {
  client: Pick<NesterClient, 'getHarvester' | 'listHarvesters' | 'createSession'> &
    Partial<Pick<NesterClient, 'resumeSession' | 'listLiveSessions' | 'joinSession'>>;
  /** Where a terminal's session id survives a reload (sessionStorage); without it, no resume after a reload. */
  resumeStore?: ResumeStore;
  loadSettings: (signal: AbortSignal) => Promise<AppSettings>;
  createSocket?: (url: string) => WebSocket;
  schedule?: (run: () => void, ms: number) => () => void;
}

export interface SessionHandle {
  /** Starts over now, with a fresh ticket. */
  reconnect(): void;
  /** Ends the session for good (unmount, options changed). */
  stop(): void;
  /** The user ends the session: nester ends it at once (no resume), and the view says so. */
  end(): void;
  /** Lets the view say why the session is ending (e.g. the shell exited) before the socket closes. */
  noteEnd(close: CloseDescription): void;
  /** Lets the view report a state of its own (e.g. the VNC server wants a password). */
  report(state: SessionState): void;
}

const OFFLINE_RECHECK_MS = 15_000;
const MAX_AUTOMATIC_RETRIES = 5;

export function backoffMs(retry: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, retry - 1));
}

const defaultSchedule = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

export function startSession(
  params: SessionParams,
  deps: SessionDeps,
  onState: (state: SessionState) => void,
): SessionHandle {
  const schedule = deps.schedule ?? defaultSchedule;
  const capability = params.kind === 'vnc' ? 'remote desktop' : 'terminal';
  let stopped = false;
  let attempt = 0;
  let retries = 0;
  let abort: AbortController | undefined;
  let cancelTimer: (() => void) | undefined;
  let socket: WebSocket | undefined;
  let detach: (() => void) | undefined;
  let endNote: CloseDescription | undefined;
  /** The terminal this view had, to take back after a dropped connection or a reload. */
  let resumeId: string | undefined;
  let resumeKey: string | undefined;
  const forget = () => {
    resumeId = undefined;
    if (resumeKey) {
      deps.resumeStore?.drop(resumeKey);
    }
  };

  const emit = (state: SessionState) => {
    if (!stopped) {
      onState(state);
    }
  };

  const release = (code: number = CLOSE.normal) => {
    cancelTimer?.();
    cancelTimer = undefined;
    abort?.abort();
    detach?.();
    detach = undefined;
    // The old socket's close event must not be taken for the next session's.
    socket?.removeEventListener('close', onSocketClosed);
    if (socket && (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)) {
      socket.close(code);
    }
    socket = undefined;
  };

  const retryLater = (close: CloseDescription) => {
    retries += 1;
    if (retries > MAX_AUTOMATIC_RETRIES) {
      emit({ status: 'disconnected', close });
      return;
    }
    const retryInMs = backoffMs(retries);
    emit({ status: 'reconnecting', close, attempt: retries, retryInMs });
    cancelTimer = schedule(() => void connect(), retryInMs);
  };

  const onSocketClosed = (event: CloseEvent) => {
    detach?.();
    detach = undefined;
    socket = undefined;
    const close = endNote ?? describeClose(event.code, event.reason);
    endNote = undefined;
    if (stopped) {
      return;
    }
    if (close.retry) {
      retryLater(close);
    } else {
      forget();
      emit({ status: 'disconnected', close });
    }
  };

  const fail = (err: unknown, harvester?: Harvester) => {
    if (err instanceof SessionClosedError) {
      if (err.close.kind === 'offline') {
        emit({ status: 'offline', message: err.close.detail, harvester, retryInMs: OFFLINE_RECHECK_MS });
        cancelTimer = schedule(() => void connect(), OFFLINE_RECHECK_MS);
      } else if (err.close.retry) {
        retryLater(err.close);
      } else {
        emit({ status: 'disconnected', close: err.close });
      }
      return;
    }
    if (!(err instanceof NesterError)) {
      emit({ status: 'error', title: 'Could not connect', message: err instanceof Error ? err.message : String(err) });
      return;
    }
    switch (err.kind) {
      case 'forbidden':
        emit({ status: 'forbidden', message: err.message });
        return;
      case 'credentials':
        emit({ status: 'credentials', reason: 'token-rejected', message: err.message });
        return;
      case 'offline':
        emit({ status: 'offline', message: err.message, harvester, retryInMs: OFFLINE_RECHECK_MS });
        cancelTimer = schedule(() => void connect(), OFFLINE_RECHECK_MS);
        return;
      case 'unreachable':
        retryLater({ code: 0, kind: 'network', title: 'nester unreachable', detail: err.message, retry: true });
        return;
      case 'not-found':
        emit({ status: 'error', title: 'Harvester not found', message: err.message });
        return;
      case 'limit':
        emit({ status: 'error', title: 'Session limit reached', message: err.message });
        return;
      default:
        emit({ status: 'error', title: 'Could not connect', message: err.message });
    }
  };

  /** A resume ticket for the terminal this view had, else a new session. */
  async function requestTicket(
    harvester: Harvester,
    size: { cols: number; rows: number } | undefined,
    signal: AbortSignal,
  ) {
    if (params.join) {
      if (!deps.client.joinSession) {
        throw new Error('Joining a session is not available here.');
      }
      emit({ status: 'connecting', step: 'ticket', attempt });
      return deps.client.joinSession(params.join, !params.viewOnly, signal, params.kind);
    }
    const key = `${params.kind}.${harvester.id}.${params.viewOnly ? 'view' : 'control'}`;
    const previous = params.kind === 'terminal' ? (resumeId ?? deps.resumeStore?.take(key)) : undefined;
    resumeId = undefined;
    if (previous && deps.client.resumeSession) {
      emit({ status: 'connecting', step: 'resume', attempt });
      try {
        return await deps.client.resumeSession(previous, signal);
      } catch (err) {
        // Ended meanwhile (or not ours): a new session is what the user wants then.
        if (signal.aborted || !(err instanceof NesterError)) {
          throw err;
        }
      }
    }
    emit({ status: 'connecting', step: 'ticket', attempt });
    return deps.client.createSession(
      params.kind,
      { harvesterId: harvester.id, viewOnly: params.viewOnly, ...size },
      signal,
    );
  }

  async function connect(): Promise<void> {
    release();
    endNote = undefined;
    const controller = new AbortController();
    abort = controller;
    const { signal } = controller;
    attempt += 1;
    let harvester: Harvester | undefined;
    try {
      emit({ status: 'connecting', step: 'harvester', attempt });
      const settings = await deps.loadSettings(signal);
      if (!settings.nesterUrl) {
        emit({
          status: 'credentials',
          reason: 'not-configured',
          message: 'The Nester app is not configured yet: an administrator must set the nester URL and API token.',
        });
        return;
      }
      harvester = await resolveHarvester(deps.client, params.harvester, signal);
      if (harvester.status !== 'online') {
        const since = harvester.lastSeen ? ` It was last seen ${new Date(harvester.lastSeen).toLocaleString()}.` : '';
        const message =
          harvester.status === 'revoked'
            ? `${harvester.hostname} has been revoked and can no longer be reached.`
            : `${harvester.hostname} is offline.${since}`;
        emit({
          status: 'offline',
          message,
          harvester,
          retryInMs: harvester.status === 'revoked' ? undefined : OFFLINE_RECHECK_MS,
        });
        if (harvester.status !== 'revoked') {
          cancelTimer = schedule(() => void connect(), OFFLINE_RECHECK_MS);
        }
        return;
      }
      const capabilityKey = params.kind === 'vnc' ? 'vnc' : 'terminal';
      if (harvester.capabilities && harvester.capabilities[capabilityKey] === false) {
        emit({
          status: 'error',
          title: `No ${capability} on ${harvester.hostname}`,
          message: `The agent on ${harvester.hostname} has its ${capability} disabled or unavailable.`,
        });
        return;
      }
      const size = params.size?.();
      const ticket = await requestTicket(harvester, size, signal);
      emit({ status: 'connecting', step: 'socket', attempt });
      const chosen = harvester;
      await openSessionSocket({
        url: settings.websocketUrl?.trim() || ticket.websocketUrl,
        ticket: ticket.ticket,
        hello: size,
        signal,
        createSocket: deps.createSocket,
        attach: (ws, ready) => {
          socket = ws;
          ws.addEventListener('close', onSocketClosed);
          detach = params.attach(ws, chosen, ready);
          retries = 0;
          // A joiner does not own the terminal: nothing of theirs to resume.
          if (params.kind === 'terminal' && !ready.joined && (ready.resumeWindowMs ?? 0) > 0) {
            resumeId = ready.sessionId;
            resumeKey = `${params.kind}.${chosen.id}.${params.viewOnly ? 'view' : 'control'}`;
            deps.resumeStore?.put(resumeKey, ready.sessionId);
          }
          emit({ status: 'connected', sessionId: ready.sessionId, viewOnly: ready.viewOnly, harvester: chosen });
        },
      });
    } catch (err) {
      if (stopped || signal.aborted) {
        return;
      }
      fail(err, harvester);
    }
  }

  void connect();

  return {
    reconnect() {
      if (stopped) {
        return;
      }
      retries = 0;
      void connect();
    },
    stop() {
      stopped = true;
      forget();
      release();
    },
    end() {
      if (stopped || !socket) {
        return;
      }
      endNote = {
        code: CLOSE.normal,
        kind: 'ended',
        title: params.join ? 'You left' : 'Session ended',
        detail: params.join ? 'You left this session; it goes on for the others.' : 'You ended this session.',
        retry: false,
      };
      socket.close(CLOSE.normal);
    },
    noteEnd(close) {
      endNote = close;
    },
    report(state) {
      emit(state);
    },
  };
}
