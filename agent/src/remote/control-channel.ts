// The agent's one outbound control connection to nester. It reconnects forever with jittered
// exponential back-off (capped at seconds while nester was reachable recently: reconnect-pacing.ts),
// re-reading the enrolment each time (so a re-enrolment is picked up),
// reports facts, heartbeats, and opens a fresh session socket whenever nester asks.

import type { Logger } from '@nester/common/log/logger';
import { messageText } from '@nester/common/net/ws-message';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import {
  AGENT_CONTROL_PATH,
  type AgentMessage,
  type Facts,
  type OpenSessionMessage,
  parseMessage,
} from '@nester/contracts/remote/protocol';
import { checkLabels } from '@nester/contracts/metrics/identity';
import WebSocket from 'ws';
import { DEFAULT_RECONNECT_PACING, type ReconnectPacing, reconnectDelay } from '../retry/reconnect-pacing';
import { websocketUrl } from './session-socket';
import { type Enrolment, readEnrolment } from './state';
import { type TlsTrust, tlsOptions } from './tls';

export interface ControlChannelOptions {
  stateDir: string;
  /** Flags override what was recorded at enrolment. */
  trust: TlsTrust;
  facts: () => Promise<Facts>;
  openSession: (
    message: OpenSessionMessage,
    enrolment: Enrolment,
    trust: TlsTrust,
  ) => { close(reason: string): void } | undefined;
  log: Logger;
  /** nester sent the labels an operator set for this machine (already checked). */
  onLabels?: (labels: Record<string, string>) => void;
  pacing?: ReconnectPacing;
  /** How often facts are re-checked (and sent when changed). */
  factsIntervalMs?: number;
}

export type ChannelState = 'not-enrolled' | 'connecting' | 'connected' | 'waiting' | 'stopped';

export class ControlChannel {
  state: ChannelState = 'connecting';
  harvesterId?: string;
  private ws?: WebSocket;
  private attempt = 0;
  /** When a connection to nester was last up: a restarting nester is redialled within seconds. */
  private lastConnectedMs?: number;
  private timers: NodeJS.Timeout[] = [];
  private heartbeat?: NodeJS.Timeout;
  private pongAnswered = true;
  private retry?: NodeJS.Timeout;
  private readonly sessions = new Map<string, { close(reason: string): void }>();
  private lastFacts = '';
  private warnedNotEnrolled = false;

  constructor(private readonly options: ControlChannelOptions) {}

  start(): void {
    this.connect();
  }

  stop(): void {
    this.state = 'stopped';
    clearTimeout(this.retry);
    this.clearTimers();
    for (const session of this.sessions.values()) session.close('the agent is stopping');
    this.ws?.close(CLOSE.goingAway, 'agent stopping');
  }

  private connect(): void {
    if (this.state === 'stopped') return;
    const { log } = this.options;
    let enrolment: Enrolment | undefined;
    try {
      enrolment = readEnrolment(this.options.stateDir);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'cannot read the enrolment');
    }
    if (!enrolment) {
      if (!this.warnedNotEnrolled)
        log.info(
          { stateDir: this.options.stateDir },
          'not enrolled with nester yet; remote access waits for `harvester enroll`',
        );
      this.warnedNotEnrolled = true;
      this.state = 'not-enrolled';
      this.retry = setTimeout(() => this.connect(), 30_000);
      return;
    }
    const trust = {
      caFile: this.options.trust.caFile ?? enrolment.nesterCa,
      pinSha256: this.options.trust.pinSha256 ?? enrolment.nesterPinSha256,
    };
    const url = websocketUrl(enrolment.nesterUrl, AGENT_CONTROL_PATH);
    this.state = 'connecting';
    this.harvesterId = enrolment.harvesterId;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, {
        headers: { authorization: `Bearer ${enrolment.harvesterId}.${enrolment.credential}` },
        perMessageDeflate: false,
        maxPayload: 1024 * 1024,
        handshakeTimeout: 15_000,
        ...tlsOptions(trust),
      });
    } catch (err) {
      log.error({ err: (err as Error).message }, 'cannot connect to nester');
      return this.reconnectLater();
    }
    this.ws = ws;
    let refusedStatus: number | undefined;
    ws.on('unexpected-response', (_req, res) => {
      refusedStatus = res.statusCode;
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => this.opened(ws, enrolment));
    ws.on('pong', () => (this.pongAnswered = true));
    ws.on('message', (data, binary) => !binary && this.handle(messageText(data), enrolment, trust));
    ws.on('error', (err) => log.debug({ err: err.message }, 'control channel error'));
    ws.on('close', (code, reason) => {
      this.clearTimers();
      if (this.ws !== ws || this.state === 'stopped') return;
      if (refusedStatus === 401) {
        log.error(
          { harvester: enrolment.harvesterId },
          'nester refused this agent (revoked or not enrolled there); enrol again with harvester enroll --force',
        );
        this.attempt = 20; // keep trying, rarely: an operator may re-enrol without restarting us
        this.lastConnectedMs = undefined;
      } else if (refusedStatus) {
        log.warn({ status: refusedStatus }, 'nester answered the connection with an error');
      } else if (this.state === 'connected') {
        this.lastConnectedMs = Date.now();
        log.warn({ code, reason: reason.toString() }, 'lost the connection to nester; reconnecting');
      }
      this.reconnectLater();
    });
  }

  private opened(ws: WebSocket, enrolment: Enrolment): void {
    this.state = 'connected';
    this.attempt = 0;
    this.options.log.info({ nester: enrolment.nesterUrl, harvester: enrolment.harvesterId }, 'connected to nester');
    this.lastFacts = '';
    void this.sendFacts(ws);
    this.startHeartbeat(ws, 30_000);
    const factsTimer = setInterval(() => void this.sendFacts(ws), this.options.factsIntervalMs ?? 60_000);
    this.timers.push(factsTimer);
  }

  private startHeartbeat(ws: WebSocket, intervalMs: number): void {
    clearInterval(this.heartbeat);
    this.pongAnswered = true;
    // A ping unanswered for a whole interval means nester is gone even if TCP has not noticed.
    this.heartbeat = setInterval(() => {
      if (!this.pongAnswered) {
        this.options.log.warn('nester did not answer a ping; reconnecting');
        return ws.terminate();
      }
      this.pongAnswered = false;
      ws.ping();
      ws.send(JSON.stringify({ type: 'heartbeat' } satisfies AgentMessage));
    }, intervalMs);
  }

  private async sendFacts(ws: WebSocket): Promise<void> {
    try {
      const facts = await this.options.facts();
      const text = JSON.stringify({ type: 'facts', facts } satisfies AgentMessage);
      if (text === this.lastFacts || ws.readyState !== WebSocket.OPEN) return;
      this.lastFacts = text;
      ws.send(text);
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message }, 'cannot gather facts');
    }
  }

  private handle(text: string, enrolment: Enrolment, trust: TlsTrust): void {
    const message = parseMessage(text);
    const ws = this.ws;
    if (!message || !ws) return;
    if (message.type === 'welcome' && typeof message.heartbeatIntervalMs === 'number') {
      this.startHeartbeat(ws, Math.max(1000, message.heartbeatIntervalMs));
    } else if (message.type === 'open-session') {
      const open = message as unknown as OpenSessionMessage;
      const session = this.options.openSession(open, enrolment, trust);
      if (!session) return;
      this.sessions.set(open.sessionId, session);
      setTimeout(() => this.sessions.delete(open.sessionId), 60_000).unref(); // only early close-session needs it
    } else if (message.type === 'labels') {
      const checked = checkLabels(message.labels);
      if (!checked.ok) return this.options.log.warn({ err: checked.error }, 'ignoring labels from nester');
      this.options.onLabels?.(checked.labels);
    } else if (message.type === 'close-session' && typeof message.sessionId === 'string') {
      this.sessions
        .get(message.sessionId)
        ?.close(typeof message.reason === 'string' ? message.reason : 'closed by nester');
      this.sessions.delete(message.sessionId);
    }
  }

  /** Tells nester this agent will not serve a session. */
  refuse(sessionId: string, reason: string): void {
    if (this.ws?.readyState === WebSocket.OPEN)
      this.ws.send(JSON.stringify({ type: 'session-refused', sessionId, reason } satisfies AgentMessage));
  }

  private reconnectLater(): void {
    if (this.state === 'stopped') return;
    this.state = 'waiting';
    const pacing = this.options.pacing ?? DEFAULT_RECONNECT_PACING;
    const delay = reconnectDelay(this.attempt++, this.lastConnectedMs, Date.now(), pacing);
    this.options.log.debug({ delayMs: delay, attempt: this.attempt }, 'reconnecting to nester later');
    this.retry = setTimeout(() => this.connect(), delay);
  }

  private clearTimers(): void {
    clearInterval(this.heartbeat);
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }
}
