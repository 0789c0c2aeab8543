// Why a session ended, in words for the people reading the Sessions page; the close code goes in
// the row's endCode. A browser's close code says how it left: 1000 is the app closing the session
// on purpose (End, leaving the page in the app), 1001 a closed tab or a reload, anything else (1006:
// no close frame at all) a connection that dropped. The last two can come back (a resume).

import { CLOSE } from '@nester/contracts/remote/close-codes';

export interface BrowserLeaving {
  words: string;
  /** The user may be coming back: a terminal waits for a resume. */
  mayReturn: boolean;
}

export function browserLeft(code: number): BrowserLeaving {
  if (code === CLOSE.normal) return { words: 'closed in the browser', mayReturn: false };
  if (code === CLOSE.goingAway) return { words: 'closed the browser tab (or reloaded the page)', mayReturn: true };
  return { words: 'network dropped', mayReturn: true };
}

/** "ended by admin alice: maintenance window"; the reason is optional. */
export function endedByAdmin(admin: string, reason: string): string {
  return reason ? `ended by admin ${admin}: ${reason}` : `ended by admin ${admin}`;
}

/** A resume window as people say it: "5 min", "90 s". */
export function spokenDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}

export const END_WORDS = {
  ticketUnused: 'ticket not used in time',
  networkNoPing: 'network dropped (no answer to ping)',
  harvesterLost: 'connection to the harvester dropped (no answer to ping)',
  agentClosed: 'the harvester ended the session',
  agentDropped: 'connection to the harvester dropped (its agent stopped or restarted, or its network dropped)',
  shutdown: 'nester is shutting down',
} as const;
