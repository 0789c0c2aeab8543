import type { Harvester } from '@nester/contracts/nester/api';
import type { CloseDescription } from '@nester/contracts/remote/close-codes';

/**
 * Connecting, in order: look up the harvester, get a ticket (or resume a terminal), open the
 * socket through nester to the agent, and for a desktop the VNC handshake in the browser.
 */
export type ConnectStep = 'harvester' | 'resume' | 'ticket' | 'socket' | 'vnc';

/** Every state a remote desktop or terminal can be in, each shown plainly to the user. */
export type SessionState =
  | { status: 'no-harvester' }
  | { status: 'connecting'; step: ConnectStep; attempt: number }
  | { status: 'credentials'; reason: 'not-configured' | 'token-rejected' | 'vnc-password'; message: string }
  | { status: 'offline'; message: string; harvester?: Harvester; retryInMs?: number }
  | { status: 'forbidden'; message: string }
  | { status: 'connected'; sessionId: string; viewOnly: boolean; harvester: Harvester }
  | { status: 'disconnected'; close: CloseDescription }
  | { status: 'reconnecting'; close: CloseDescription; attempt: number; retryInMs: number }
  | { status: 'error'; title: string; message: string };

export type SessionStatus = SessionState['status'];
