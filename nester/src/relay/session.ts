// One relayed session: the browser's socket on one side, the agent's per-session socket on the
// other, bytes piped between them with back-pressure. View-only, the recording and the limits
// (idle, lifetime) are applied here; the audit row is written by whoever listens to onEnd.
// A terminal outlives its browser for the resume window: when the tab closes or the network drops,
// the session is `detached`, the pty keeps running (its output goes to the recording and the
// scrollback), and resume() hands it to a new socket with the recent screen replayed.
// Others may join a terminal (join()): they get the recent screen and then the output as the owner
// does; their input reaches the pty only with control the owner allows (see joiners.ts).

import type { Logger } from '@nester/common/log/logger';
import { messageBytes } from '@nester/common/net/ws-message';
import type { EndedBy } from '@nester/contracts/nester/api';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import {
  clampTerminalSize,
  type JoinersControl,
  parseMessage,
  type ReadyMessage,
  type ResizeControl,
  type SessionKind,
  type StartedControl,
} from '@nester/contracts/remote/protocol';
import type WebSocket from 'ws';
import type { AgentLink } from './agent-link';
import { AsciicastWriter } from '../recording/asciicast-writer';
import { RfbRecordingWriter } from '../recording/rfb-recording-writer';
import { browserLeft, END_WORDS, spokenDuration } from './end-reasons';
import { Scrollback } from './scrollback';
import { guarded } from '../server/guard';
import { storableText } from '../text/storable-text';
import { FlowGate, sendThrottled, type Watermarks } from './flow';
import { type Joiner, Joiners, MAX_JOINERS } from './joiners';
import { RfbFilterError, RfbViewOnlyFilter } from './rfb-view-only';

export interface SessionPlan {
  id: string;
  harvesterId: string;
  hostname: string;
  kind: SessionKind;
  viewOnly: boolean;
  user: string | null;
  cols: number;
  rows: number;
  recordingPath: string | null;
  /**
   * A desktop joiner's own view: the session it watches (whose owner it shows in `ready`). RFB is
   * stateful, so a desktop joiner gets its own VNC connection on the agent, view-only, not a copy
   * of the owner's stream; it ends with the session it watches.
   */
  joinOf?: { sessionId: string; user: string | null; control?: boolean };
}

export interface SessionLimits {
  idleMs: number;
  maxLifetimeMs: number;
  agentTimeoutMs: number;
  marks: Watermarks;
  /** How long a terminal waits for its user to come back after the browser went; 0: not at all. */
  resumeWindowMs: number;
  /** Recent terminal output kept for the replay on resume. */
  scrollbackBytes: number;
  /** A desktop recording stops at this size (the session goes on). */
  desktopRecordingMaxBytes: number;
}

export interface SessionOutcome {
  reason: string;
  endedBy: EndedBy;
  code: number;
  bytesFromBrowser: number;
  bytesToBrowser: number;
  recordingSha256: string | null;
  connected: boolean;
}

/** What the broker audits about joiners and the owner's leave for them to type. */
export interface JoinWatch {
  left(session: RelaySession, joiner: Joiner, words: string): void;
  controlAllowed(session: RelaySession, allow: boolean): void;
}

export type SessionState = 'ticketed' | 'waiting-agent' | 'live' | 'detached' | 'ended';

const EARLY_BYTES_LIMIT = 64 * 1024;

export class RelaySession {
  state: SessionState = 'ticketed';
  browser?: WebSocket;
  agent?: AgentLink;
  bytesFromBrowser = 0;
  bytesToBrowser = 0;
  readonly startedAt = new Date();
  connectedAt: Date | null = null;
  private early: { data: Buffer; binary: boolean }[] = [];
  private earlyBytes = 0;
  private filter?: RfbViewOnlyFilter;
  private recorder?: AsciicastWriter;
  private desktopRecorder?: RfbRecordingWriter;
  private browserGate?: FlowGate;
  private agentGate?: FlowGate;
  private timers: NodeJS.Timeout[] = [];
  private lastActivity = Date.now();
  private scrollback?: Scrollback;
  private detachTimer?: NodeJS.Timeout;
  /** The account the terminal's shell runs as, once the agent said. */
  private runsAs?: string;
  /** Why the browser went, while detached. */
  detachedBecause?: string;
  /** Liveness of each socket, for the broker's ping sweep. */
  private browserAlive = true;
  private agentAlive = true;
  /** Terminal: the people watching it besides its owner. */
  readonly joiners: Joiners;
  /** The owner lets joiners who asked for control type. */
  controlAllowed = false;
  /**
   * A desktop joiner's view with control: its input passes nester's RFB filter while this is true
   * (the broker follows the watched desktop's `controlAllowed`).
   */
  inputAllowed = false;

  constructor(
    readonly plan: SessionPlan,
    readonly agentTokenHash: Buffer,
    private readonly limits: SessionLimits,
    private readonly log: Logger,
    private readonly onEnd: (session: RelaySession, outcome: SessionOutcome) => void,
    private readonly watch?: JoinWatch,
  ) {
    this.joiners = new Joiners(limits.marks.high);
  }

  /** The browser redeemed its ticket: hold its input until the agent's socket arrives. */
  attachBrowser(ws: WebSocket): void {
    this.state = 'waiting-agent';
    this.browser = ws;
    this.listenToBrowser(ws);
    this.timers.push(
      setTimeout(
        () => this.end('the agent did not answer in time', 'server', CLOSE.timedOut),
        this.limits.agentTimeoutMs,
      ),
    );
  }

  /** Listens to a browser socket; a socket that has been replaced (resume) is no longer heard. */
  private listenToBrowser(ws: WebSocket): void {
    ws.on(
      'message',
      this.guard((data: WebSocket.RawData, binary: boolean) => {
        if (ws === this.browser) this.fromBrowser(messageBytes(data), binary);
      }),
    );
    ws.on('close', (code) => {
      if (ws === this.browser) this.browserClosed(code);
    });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws has already answered a protocol violation (e.g. 1009 for a frame over --relay.max-frame-size).
      if (err.code?.startsWith('WS_ERR_') && ws === this.browser)
        this.end(`browser protocol error: ${err.message}`, 'server', CLOSE.protocolViolation);
      else this.log.debug({ err: err.message }, 'browser socket error');
    });
    ws.on('pong', () => {
      if (ws === this.browser) this.browserAlive = true;
    });
  }

  /** Whether a resume can take this session over now. */
  get resumable(): boolean {
    return (
      this.plan.kind === 'terminal' &&
      this.limits.resumeWindowMs > 0 &&
      (this.state === 'live' || this.state === 'detached')
    );
  }

  private browserClosed(code: number): void {
    const left = browserLeft(code);
    if (left.mayReturn && this.state === 'live' && this.resumable) return this.detach(left.words);
    this.end(left.words, 'browser', CLOSE.normal);
  }

  /** The browser went but may come back: keep the pty for the resume window. */
  private detach(words: string): void {
    this.state = 'detached';
    this.detachedBecause = words;
    this.browser = undefined;
    this.browserGate = undefined;
    // Nobody to wait for: the agent's output flows into the recording and the scrollback.
    this.agentGate?.unblock('browser');
    const window = this.limits.resumeWindowMs;
    this.log.info({ reason: words, resumeWindowMs: window }, 'browser gone; the terminal waits for a resume');
    this.detachTimer = setTimeout(
      () => this.end(`${words}; not resumed within ${spokenDuration(window)}`, 'browser', CLOSE.normal),
      window,
    );
  }

  /**
   * Hands the running terminal to `ws` (a fresh resume ticket was redeemed): a socket still
   * attached (the same user in another window, or a dropped one not noticed yet) is told where
   * it went; the new one gets `ready` with resumed: true, then the kept output in one frame.
   */
  resume(ws: WebSocket, size: { cols: number; rows: number }): boolean {
    if (!this.resumable || !this.agent) return false;
    const previous = this.browser;
    this.browser = undefined;
    if (previous) closeSocket(previous, CLOSE.resumedElsewhere, 'you resumed this terminal in another window');
    clearTimeout(this.detachTimer);
    this.state = 'live';
    this.detachedBecause = undefined;
    this.browser = ws;
    this.browserAlive = true;
    this.listenToBrowser(ws);
    this.browserGate = new FlowGate(ws);
    this.agentGate?.unblock('browser');
    ws.send(JSON.stringify(this.readyMessage(true)));
    const replay = this.scrollback?.replay();
    if (replay?.length) sendThrottled(ws, replay, true, this.agentGate!, this.limits.marks, 'browser');
    this.lastActivity = Date.now();
    this.resizeTo(size.cols, size.rows);
    // The owner's new socket hears who is watching, as the old one had.
    if (this.joiners.size) this.announceJoiners();
    return true;
  }

  /**
   * Whether someone may join this session now: a terminal whose shell runs, or a desktop that is
   * live (not itself a joiner's view).
   */
  get joinable(): boolean {
    if (!this.agent || this.plan.joinOf) return false;
    if (this.plan.kind === 'vnc') return this.state === 'live';
    return this.state === 'live' || this.state === 'detached';
  }

  /**
   * Counts `ws` (the browser socket of a desktop joiner's own view-only session) as watching this
   * desktop: the live list shows it, its leave is audited, and it is closed when this session
   * ends. Nothing is fanned out to it: its own VNC connection feeds it.
   */
  watchedBy(ws: WebSocket, who: Omit<Joiner, 'ws' | 'joinedAt'>): Joiner | undefined {
    if (this.plan.kind !== 'vnc' || !this.joinable || this.joiners.size >= MAX_JOINERS) return undefined;
    const joiner: Joiner = { ...who, ws, joinedAt: new Date() };
    this.joiners.add(joiner);
    ws.on('close', (code) => this.leave(ws, browserLeft(code).words));
    // Its own session pings it too; this sweep must see the answers or it would cut it off.
    ws.on('pong', () => (joiner.alive = true));
    return joiner;
  }

  /**
   * Adds a joiner (a join ticket was redeemed): `ready` with joined: true, the recent output in
   * one frame, then everything the pty prints. Its typing reaches the pty only with control.
   */
  join(ws: WebSocket, who: Omit<Joiner, 'ws' | 'joinedAt'>): Joiner | undefined {
    if (this.plan.kind !== 'terminal' || !this.joinable || this.joiners.size >= MAX_JOINERS) return undefined;
    const joiner: Joiner = { ...who, ws, joinedAt: new Date() };
    this.joiners.add(joiner);
    const gate = new FlowGate(ws);
    ws.on(
      'message',
      this.guard((data: WebSocket.RawData, binary: boolean) => {
        if (binary && this.joiners.find(ws)) this.fromJoiner(joiner, gate, messageBytes(data));
      }),
    );
    ws.on('close', (code) => this.leave(ws, browserLeft(code).words));
    ws.on('error', (err) => this.log.debug({ err: err.message }, 'joiner socket error'));
    ws.on('pong', () => (joiner.alive = true));
    ws.send(JSON.stringify({ ...this.readyMessage(false), viewOnly: !who.control, joined: true }));
    const replay = this.scrollback?.replay();
    if (replay?.length) ws.send(replay, { binary: true });
    this.announceJoiners();
    return joiner;
  }

  private leave(ws: WebSocket, words: string): void {
    const joiner = this.joiners.remove(ws);
    if (!joiner) return;
    this.watch?.left(this, joiner, words);
    if (this.state !== 'ended') this.announceJoiners();
  }

  /** A joiner's keystrokes: to the pty only with control the owner allows; otherwise dropped. */
  private fromJoiner(joiner: Joiner, gate: FlowGate, data: Buffer): void {
    if (!joiner.control || !this.controlAllowed || !this.agent) return;
    if (this.state !== 'live' && this.state !== 'detached') return;
    this.bytesFromBrowser += data.length;
    this.lastActivity = Date.now();
    sendThrottled(this.agent, data, true, gate, this.limits.marks, 'agent');
  }

  /**
   * Tells the owner and every joiner of a terminal who is watching, after each change. A desktop's
   * sockets carry RFB only (noVNC reads every frame as RFB): its owner sees joiners in the live list.
   */
  private announceJoiners(): void {
    if (this.plan.kind !== 'terminal') return;
    const frame: JoinersControl = {
      type: 'joiners',
      joiners: this.joiners.list(),
      controlAllowed: this.controlAllowed,
    };
    const text = JSON.stringify(frame);
    if (this.browser?.readyState === this.browser?.OPEN) this.browser?.send(text);
    this.joiners.send(text, false);
  }

  private readyMessage(resumed: boolean): ReadyMessage {
    const { joinOf } = this.plan;
    return {
      type: 'ready',
      sessionId: joinOf?.sessionId ?? this.plan.id,
      kind: this.plan.kind,
      viewOnly: this.plan.viewOnly,
      recording: !!(this.recorder ?? this.desktopRecorder),
      resumed,
      user: joinOf ? joinOf.user : this.plan.user,
      resumeWindowMs: this.plan.kind === 'terminal' ? this.limits.resumeWindowMs : 0,
      ...(this.runsAs ? { runsAs: this.runsAs } : {}),
      ...(joinOf ? { joined: true } : {}),
    };
  }

  attachAgent(ws: AgentLink): void {
    if (this.state !== 'waiting-agent' || !this.browser) {
      ws.close(CLOSE.policyViolation, 'session is not waiting for an agent');
      return;
    }
    this.state = 'live';
    this.agent = ws;
    this.connectedAt = new Date();
    this.clearTimers();
    this.browserGate = new FlowGate(this.browser);
    this.agentGate = new FlowGate(ws);
    if (this.plan.kind === 'vnc' && this.plan.viewOnly) this.filter = new RfbViewOnlyFilter(() => this.inputAllowed);
    // Kept for a resume and for joiners' first screen.
    if (this.plan.kind === 'terminal') this.scrollback = new Scrollback(this.limits.scrollbackBytes);
    if (this.plan.kind === 'terminal' && this.plan.recordingPath) {
      this.recorder = new AsciicastWriter(this.plan.recordingPath, {
        width: this.plan.cols,
        height: this.plan.rows,
        title: `${this.plan.hostname} / ${this.plan.user ?? 'unknown user'}`,
        env: { TERM: 'xterm-256color' },
      });
    }
    // The owner's desktop: the VNC server's stream, which a fresh RFB client replays.
    if (this.plan.kind === 'vnc' && this.plan.recordingPath && !this.plan.joinOf) {
      this.desktopRecorder = new RfbRecordingWriter(
        this.plan.recordingPath,
        { title: `${this.plan.hostname} / ${this.plan.user ?? 'unknown user'}` },
        this.limits.desktopRecordingMaxBytes,
      );
    }
    // Detached, the slices went to the scrollback and the recording only, and both copy them.
    ws.released = () => (this.browser?.bufferedAmount ?? 0) === 0;
    ws.on(
      'message',
      this.guard((data: Buffer, binary: boolean) => this.fromAgent(data, binary)),
    );
    ws.on('close', (code, reason) => {
      // An agent killed or restarted, or its network gone, sends no close frame (1006) or goes
      // away (1001): the browser hears so, as a dropped connection it may retry, not a normal end.
      const dropped = code === CLOSE.abnormal || code === CLOSE.goingAway;
      const text = reason.toString('utf8') || (dropped ? END_WORDS.agentDropped : END_WORDS.agentClosed);
      // The agent's own 4xxx codes (4500 and its reason) reach the browser as they are.
      this.end(text, 'agent', code >= 4000 && code < 5000 ? code : dropped ? CLOSE.goingAway : CLOSE.normal);
    });
    ws.on('error', (err) => this.log.debug({ err: err.message }, 'agent session socket error'));
    ws.on('pong', () => (this.agentAlive = true));

    this.browser.send(JSON.stringify(this.readyMessage(false)));
    for (const { data, binary } of this.early.splice(0)) this.fromBrowser(data, binary);
    this.lastActivity = Date.now();
    this.armIdleTimer();
    this.timers.push(
      setTimeout(
        () => this.end('maximum session lifetime reached', 'server', CLOSE.lifetimeReached),
        this.limits.maxLifetimeMs,
      ),
    );
  }

  /** Ends the session once: closes both sockets and the recording, then hands the outcome to onEnd. */
  end(reason: string, endedBy: EndedBy, code: number): void {
    if (this.state === 'ended') return;
    const connected = this.state === 'live';
    this.state = 'ended';
    this.clearTimers();
    closeSocket(this.browser, code, reason);
    closeSocket(this.agent, CLOSE.normal, reason);
    // Joiners see the session end with the owner's reason.
    for (const ws of this.joiners.sockets()) {
      const joiner = this.joiners.remove(ws);
      closeSocket(ws, code, reason);
      if (joiner) this.watch?.left(this, joiner, `the session ended: ${reason}`);
    }
    const outcome = {
      reason,
      endedBy,
      code,
      bytesFromBrowser: this.bytesFromBrowser,
      bytesToBrowser: this.bytesToBrowser,
      connected,
    };
    this.onEnd(this, { ...outcome, recordingSha256: this.closeRecording() });
  }

  /** The recording's SHA-256, or null when there is none or it cannot be closed. */
  private closeRecording(): string | null {
    try {
      return (this.recorder ?? this.desktopRecorder)?.close() ?? null;
    } catch {
      return null;
    }
  }

  /**
   * One round of the broker's ping sweep. An agent that did not answer the previous ping ends
   * the session; a browser that did not is cut off, which counts as a dropped network (a
   * terminal then waits for a resume).
   */
  ping(): void {
    if (!this.agentAlive) return this.end(END_WORDS.harvesterLost, 'server', CLOSE.goingAway);
    if (this.browser && !this.browserAlive) {
      if (this.resumable) this.browser.terminate();
      else return this.end(END_WORDS.networkNoPing, 'server', CLOSE.goingAway);
    }
    this.joiners.ping();
    this.agentAlive = false;
    this.browserAlive = false;
    for (const ws of [this.browser, this.agent]) if (ws?.readyState === ws?.OPEN) ws?.ping();
  }

  private fromBrowser(data: Buffer, binary: boolean): void {
    if (this.state === 'waiting-agent') {
      this.earlyBytes += data.length;
      if (this.earlyBytes > EARLY_BYTES_LIMIT)
        this.end('browser sent too much before the session was ready', 'server', CLOSE.protocolError);
      else this.early.push({ data, binary });
      return;
    }
    if (this.state !== 'live' || !this.agent || !this.browserGate) return;
    if (!binary) return this.browserControl(data.toString('utf8'));
    this.bytesFromBrowser += data.length;
    let out = data;
    // Input a view-only browser sends is dropped, and what is dropped is no activity.
    if (this.plan.kind === 'terminal' && this.plan.viewOnly) return;
    if (this.filter) {
      try {
        out = this.filter.client(data);
      } catch (err) {
        return this.refuseRfb(err as Error);
      }
    }
    if (!out.length) return;
    this.lastActivity = Date.now();
    sendThrottled(this.agent, out, true, this.browserGate, this.limits.marks, 'agent');
  }

  private browserControl(text: string): void {
    const message = parseMessage(text);
    if (message?.type === 'allow-control' && typeof message.allow === 'boolean') {
      // A view-only owner cannot type, so neither can anyone they let in.
      if (this.plan.kind !== 'terminal' || this.plan.viewOnly) return;
      if (message.allow === this.controlAllowed) return;
      this.controlAllowed = message.allow;
      this.watch?.controlAllowed(this, message.allow);
      return this.announceJoiners();
    }
    if (this.plan.kind !== 'terminal' || message?.type !== 'resize' || !this.agent || !this.browserGate) return;
    this.lastActivity = Date.now();
    this.resizeTo(message.cols, message.rows);
  }

  private resizeTo(cols: unknown, rows: unknown): void {
    if (!this.agent || !this.browserGate) return;
    const size = clampTerminalSize(cols, rows, this.plan);
    this.recorder?.resize(size.cols, size.rows);
    sendThrottled(
      this.agent,
      JSON.stringify({ type: 'resize', ...size } satisfies ResizeControl),
      false,
      this.browserGate,
      this.limits.marks,
      'agent',
    );
  }

  private fromAgent(data: Buffer, binary: boolean): void {
    if (this.state === 'detached' && binary) {
      this.lastActivity = Date.now();
      this.recorder?.output(data);
      this.scrollback?.push(data);
      this.joiners.send(data, true);
      return;
    }
    if (this.state !== 'live' || !this.browser || !this.agentGate || !this.agent) return;
    this.lastActivity = Date.now();
    if (!binary) {
      const message = parseMessage(data.toString('utf8'));
      if (message?.type === 'started' && typeof message.user === 'string') {
        // Kept for a resume's ready; bounded and plain, it is shown to people.
        this.runsAs = storableText(message.user, 64, { stripControls: true });
        const started: StartedControl = { type: 'started', user: this.runsAs };
        sendThrottled(this.browser, JSON.stringify(started), false, this.agentGate, this.limits.marks, 'browser');
        return;
      }
      if (message && (message.type === 'exit' || message.type === 'error')) {
        const text = JSON.stringify(message);
        sendThrottled(this.browser, text, false, this.agentGate, this.limits.marks, 'browser');
        if (this.plan.kind === 'terminal') this.joiners.send(text, false);
      }
      return;
    }
    this.bytesToBrowser += data.length;
    if (this.filter) {
      try {
        const released = this.filter.server(data);
        if (released.length && this.browserGate)
          sendThrottled(this.agent, released, true, this.browserGate, this.limits.marks, 'agent');
      } catch (err) {
        return this.refuseRfb(err as Error);
      }
    }
    this.recorder?.output(data);
    this.desktopRecorder?.output(data);
    this.scrollback?.push(data);
    sendThrottled(this.browser, data, true, this.agentGate, this.limits.marks, 'browser');
    // A desktop's joiners have their own VNC connections; only a terminal's output fans out.
    if (this.plan.kind === 'terminal') this.joiners.send(data, true);
  }

  /** A failure while relaying ends this session, never the process. */
  private guard<A extends unknown[]>(listener: (...args: A) => void): (...args: A) => void {
    return guarded(
      this.log,
      'relaying a message',
      () => this.end('internal error while relaying', 'server', CLOSE.internalError),
      listener,
    );
  }

  private refuseRfb(err: Error): void {
    const detail = err instanceof RfbFilterError ? err.message : 'cannot parse the VNC stream';
    this.end(detail, 'server', CLOSE.protocolError);
  }

  private armIdleTimer(): void {
    const due = this.lastActivity + this.limits.idleMs - Date.now();
    const timer = setTimeout(
      () => {
        this.timers = this.timers.filter((t) => t !== timer);
        if (Date.now() - this.lastActivity >= this.limits.idleMs) this.end('idle timeout', 'server', CLOSE.timedOut);
        else this.armIdleTimer();
      },
      Math.max(0, due),
    );
    this.timers.push(timer);
  }

  private clearTimers(): void {
    clearTimeout(this.detachTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}

function closeSocket(ws: WebSocket | AgentLink | undefined, code: number, reason: string): void {
  if (!ws || ws.readyState === ws.CLOSED || ws.readyState === ws.CLOSING) return;
  ws.resume(); // a socket paused by back-pressure could not read the peer's close frame
  ws.close(code, closeReason(reason));
  // A peer that never answers the close handshake (or is paused by back-pressure) must not hold the socket.
  setTimeout(() => ws.terminate(), 5000).unref();
}

/** WebSocket close reasons are limited to 123 bytes of UTF-8. */
export function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}
