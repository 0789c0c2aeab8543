// The control channels of connected agents: one WebSocket per harvester, kept while it
// heartbeats. Through it nester asks an agent to open or drop a session; from it come facts,
// heartbeats and session refusals. Presence changes go to the batched PresenceWriter.

import type { Logger } from '@nester/common/log/logger';
import { messageText } from '@nester/common/net/ws-message';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import { type NesterMessage, type OpenSessionMessage, parseMessage } from '@nester/contracts/remote/protocol';
import type WebSocket from 'ws';
import type { PresenceWriter } from '../store/presence';
import { guarded } from '../server/guard';
import { sanitizeFacts } from './facts';

interface AgentConnection {
  ws: WebSocket;
  lastSeen: number;
  capabilities: { vnc: boolean; terminal: boolean };
}

export interface AgentHubOptions {
  heartbeatIntervalMs: number;
  presence: PresenceWriter;
  log: Logger;
  onSessionRefused: (harvesterId: string, sessionId: string, reason: string) => void;
}

export class AgentHub {
  private readonly agents = new Map<string, AgentConnection>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: AgentHubOptions) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, options.heartbeatIntervalMs / 2));
    this.sweeper.unref();
  }

  /** `operatorLabels`: the labels an operator set for this machine, sent right after the welcome. */
  register(harvesterId: string, ws: WebSocket, operatorLabels: Record<string, string> | null = null): void {
    const { presence, log, heartbeatIntervalMs } = this.options;
    const previous = this.agents.get(harvesterId);
    if (previous) {
      log.info({ harvester: harvesterId }, 'agent connected again; closing its previous control channel');
      this.agents.delete(harvesterId);
      previous.ws.close(CLOSE.replaced, 'replaced by a newer connection');
    }
    const connection: AgentConnection = { ws, lastSeen: Date.now(), capabilities: { vnc: false, terminal: false } };
    this.agents.set(harvesterId, connection);
    presence.seen(harvesterId, { online: true });

    const onMessage = (data: WebSocket.RawData, binary: boolean) => {
      connection.lastSeen = Date.now();
      const message = binary ? undefined : parseMessage(messageText(data));
      switch (message?.type) {
        case 'facts': {
          const facts = sanitizeFacts(message.facts);
          connection.capabilities = facts.capabilities;
          presence.seen(harvesterId, { facts });
          break;
        }
        case 'heartbeat':
          presence.seen(harvesterId);
          break;
        case 'session-refused':
          if (typeof message.sessionId === 'string') {
            this.options.onSessionRefused(
              harvesterId,
              message.sessionId,
              (typeof message.reason === 'string' ? message.reason : 'the agent refused the session').slice(0, 200),
            );
          }
          break;
        default:
          log.debug({ harvester: harvesterId }, 'ignoring an unknown control message');
      }
    };
    ws.on(
      'message',
      guarded(log, 'a control message', () => ws.terminate(), onMessage),
    );
    ws.on('close', (code) => {
      if (this.agents.get(harvesterId) !== connection) return; // replaced: the new one is online
      this.agents.delete(harvesterId);
      presence.seen(harvesterId, { online: false });
      log.info({ harvester: harvesterId, code }, 'agent disconnected');
    });
    ws.on('error', (err) => log.debug({ harvester: harvesterId, err: err.message }, 'control channel error'));
    this.send(harvesterId, { type: 'welcome', harvesterId, heartbeatIntervalMs });
    if (operatorLabels) this.sendLabels(harvesterId, operatorLabels);
  }

  /** Tells a connected agent its labels as an operator set them; false when it is offline. */
  sendLabels(harvesterId: string, labels: Record<string, string>): boolean {
    return this.send(harvesterId, { type: 'labels', labels });
  }

  /** The harvesters with a live control channel to this process. */
  onlineIds(): string[] {
    return [...this.agents.keys()];
  }

  isOnline(harvesterId: string): boolean {
    return this.agents.has(harvesterId);
  }

  /** What the agent reported it can do on this connection (undefined when offline). */
  capabilities(harvesterId: string): { vnc: boolean; terminal: boolean } | undefined {
    return this.agents.get(harvesterId)?.capabilities;
  }

  openSession(harvesterId: string, message: Omit<OpenSessionMessage, 'type'>): boolean {
    return this.send(harvesterId, { type: 'open-session', ...message });
  }

  closeSession(harvesterId: string, sessionId: string, reason: string): void {
    this.send(harvesterId, { type: 'close-session', sessionId, reason });
  }

  disconnect(harvesterId: string, code: number, reason: string): void {
    const connection = this.agents.get(harvesterId);
    if (!connection) return;
    this.agents.delete(harvesterId);
    this.options.presence.seen(harvesterId, { online: false });
    connection.ws.close(code, reason);
  }

  get size(): number {
    return this.agents.size;
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const [id, connection] of this.agents) {
      this.agents.delete(id);
      this.options.presence.seen(id, { online: false });
      connection.ws.close(CLOSE.goingAway, 'nester is restarting');
    }
  }

  private send(harvesterId: string, message: NesterMessage): boolean {
    const connection = this.agents.get(harvesterId);
    if (!connection || connection.ws.readyState !== connection.ws.OPEN) return false;
    connection.ws.send(JSON.stringify(message));
    return true;
  }

  /** Agents silent for three heartbeats are gone, whatever TCP thinks. */
  private sweep(): void {
    const deadline = Date.now() - 3 * this.options.heartbeatIntervalMs;
    for (const [id, connection] of this.agents) {
      if (connection.lastSeen >= deadline) continue;
      this.options.log.warn({ harvester: id }, 'agent missed three heartbeats; dropping its control channel');
      this.agents.delete(id);
      this.options.presence.seen(id, { online: false });
      connection.ws.terminate();
    }
  }
}
