// One relayed session: the browser's socket on one side, the agent's per-session socket on the
// other, bytes piped between them with back-pressure. View-only, the recording and the limits
// (idle, lifetime) are applied here; the audit row is written by whoever listens to onEnd.

import type { Logger } from '@nester/common/log/logger';
import { messageBytes } from '@nester/common/net/ws-message';
import type { EndedBy } from '@nester/contracts/nester/api';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import {
  clampTerminalSize,
  parseMessage,
  type ReadyMessage,
  type ResizeControl,
  type SessionKind,
} from '@nester/contracts/remote/protocol';
import type WebSocket from 'ws';
import type { AgentLink } from './agent-link';
import { AsciicastWriter } from '../recording/asciicast-writer';
import { guarded } from '../server/guard';
import { FlowGate, sendThrottled, type Watermarks } from './flow';
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
}

export interface SessionLimits {
  idleMs: number;
  maxLifetimeMs: number;
  agentTimeoutMs: number;
  marks: Watermarks;
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

export type SessionState = 'ticketed' | 'waiting-agent' | 'live' | 'ended';

const EARLY_BYTES_LIMIT = 64 * 1024;

export class RelaySession {
  state: SessionState = 'ticketed';
  browser?: WebSocket;
  agent?: AgentLink;
  bytesFromBrowser = 0;
  bytesToBrowser = 0;
  private early: { data: Buffer; binary: boolean }[] = [];
  private earlyBytes = 0;
  private filter?: RfbViewOnlyFilter;
  private recorder?: AsciicastWriter;
  private browserGate?: FlowGate;
  private agentGate?: FlowGate;
  private timers: NodeJS.Timeout[] = [];
  private lastActivity = Date.now();
  /** Liveness of both sockets, for the broker's ping sweep. */
  alive = true;

  constructor(
    readonly plan: SessionPlan,
    readonly agentTokenHash: Buffer,
    private readonly limits: SessionLimits,
    private readonly log: Logger,
    private readonly onEnd: (session: RelaySession, outcome: SessionOutcome) => void,
  ) {}

  /** The browser redeemed its ticket: hold its input until the agent's socket arrives. */
  attachBrowser(ws: WebSocket): void {
    this.state = 'waiting-agent';
    this.browser = ws;
    ws.on(
      'message',
      this.guard((data: WebSocket.RawData, binary: boolean) => this.fromBrowser(messageBytes(data), binary)),
    );
    ws.on('close', (code) =>
      this.end(
        code === CLOSE.normal || code === CLOSE.goingAway ? 'browser closed' : `browser closed (${code})`,
        'browser',
        CLOSE.normal,
      ),
    );
    ws.on('error', (err: Error & { code?: string }) => {
      // ws has already answered a protocol violation (e.g. 1009 for a frame over --relay.max-frame-size).
      if (err.code?.startsWith('WS_ERR_'))
        this.end(`browser protocol error: ${err.message}`, 'server', CLOSE.protocolViolation);
      else this.log.debug({ err: err.message }, 'browser socket error');
    });
    ws.on('pong', () => (this.alive = true));
    this.timers.push(
      setTimeout(
        () => this.end('the agent did not answer in time', 'server', CLOSE.timedOut),
        this.limits.agentTimeoutMs,
      ),
    );
  }

  attachAgent(ws: AgentLink): void {
    if (this.state !== 'waiting-agent' || !this.browser) {
      ws.close(CLOSE.policyViolation, 'session is not waiting for an agent');
      return;
    }
    this.state = 'live';
    this.agent = ws;
    this.clearTimers();
    this.browserGate = new FlowGate(this.browser);
    this.agentGate = new FlowGate(ws);
    if (this.plan.kind === 'vnc' && this.plan.viewOnly) this.filter = new RfbViewOnlyFilter();
    if (this.plan.kind === 'terminal' && this.plan.recordingPath) {
      this.recorder = new AsciicastWriter(this.plan.recordingPath, {
        width: this.plan.cols,
        height: this.plan.rows,
        title: `${this.plan.hostname} / ${this.plan.user ?? 'unknown user'}`,
        env: { TERM: 'xterm-256color' },
      });
    }
    ws.released = () => this.browser!.bufferedAmount === 0;
    ws.on(
      'message',
      this.guard((data: Buffer, binary: boolean) => this.fromAgent(data, binary)),
    );
    ws.on('close', (code, reason) => {
      const text = reason.toString('utf8') || 'agent closed the session';
      // The agent's own 4xxx codes (4500 and its reason) reach the browser; anything else is a normal end.
      this.end(text, 'agent', code >= 4000 && code < 5000 ? code : CLOSE.normal);
    });
    ws.on('error', (err) => this.log.debug({ err: err.message }, 'agent session socket error'));
    ws.on('pong', () => (this.alive = true));

    this.browser.send(
      JSON.stringify({
        type: 'ready',
        sessionId: this.plan.id,
        kind: this.plan.kind,
        viewOnly: this.plan.viewOnly,
        recording: !!this.recorder,
      } satisfies ReadyMessage),
    );
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
      return this.recorder?.close() ?? null;
    } catch {
      return null;
    }
  }

  /** One round of the ping sweep: false when a socket did not answer the previous ping. */
  ping(): boolean {
    if (!this.alive) return false;
    this.alive = false;
    for (const ws of [this.browser, this.agent]) if (ws?.readyState === ws?.OPEN) ws?.ping();
    return true;
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
    if (this.plan.kind !== 'terminal' || message?.type !== 'resize' || !this.agent || !this.browserGate) return;
    this.lastActivity = Date.now();
    const size = clampTerminalSize(message.cols, message.rows, this.plan);
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
    if (this.state !== 'live' || !this.browser || !this.agentGate || !this.agent) return;
    this.lastActivity = Date.now();
    if (!binary) {
      const message = parseMessage(data.toString('utf8'));
      if (message && (message.type === 'exit' || message.type === 'error')) {
        sendThrottled(this.browser, JSON.stringify(message), false, this.agentGate, this.limits.marks, 'browser');
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
    sendThrottled(this.browser, data, true, this.agentGate, this.limits.marks, 'browser');
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
