// The close codes of nester's WebSockets (docs/nester-api.md, "Browser session WebSocket" and
// "Agent side") and what each means for the user. nester and the agent close with these names;
// the fleet app reads the words below, so a code and its meaning are written down once.

export const CLOSE = {
  /** The session ended normally: either side closed it, the shell exited. */
  normal: 1000,
  /** nester (or the agent) is shutting down, or the other side stopped answering pings. */
  goingAway: 1001,
  /** The peer broke the WebSocket protocol. */
  protocolViolation: 1002,
  /** Never sent: what a browser reports when a connection dropped without a close frame. */
  abnormal: 1006,
  /** An agent dialled a session socket that is not waiting for one. */
  policyViolation: 1008,
  /** nester failed while relaying. */
  internalError: 1011,
  /** Control channel: a newer connection of the same harvester replaced this one. */
  replaced: 4000,
  /** The session handshake or stream was not understood (no hello, too much before ready, RFB nester cannot follow). */
  protocolError: 4400,
  /** The same user resumed this terminal in another window; this socket no longer carries it. */
  resumedElsewhere: 4001,
  /** The one-time ticket was missing, wrong, reused or expired. */
  ticketRefused: 4401,
  /** An administrator ended the session; the reason names them and says why. */
  endedByAdmin: 4403,
  /** The harvester is unknown or offline. */
  harvesterOffline: 4404,
  /** Idle too long, or the agent did not answer in time. */
  timedOut: 4408,
  /** An administrator revoked the harvester (session socket and control channel). */
  harvesterRevoked: 4409,
  /** The maximum session lifetime was reached. */
  lifetimeReached: 4410,
  /** A concurrent session limit was reached. */
  sessionLimit: 4429,
  /** The agent's side failed (e.g. its VNC server is unreachable); the reason says how. */
  agentFailed: 4500,
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/**
 * What a closed session WebSocket means for the user. `retry` says whether reconnecting on our
 * own can help: a fresh ticket fixes an expired one and a dropped network may come back, but a
 * revoked harvester or a session limit will not.
 */
export type CloseKind =
  | 'ended'
  | 'protocol'
  | 'ticket'
  | 'moved'
  | 'admin'
  | 'offline'
  | 'timeout'
  | 'revoked'
  | 'lifetime'
  | 'limit'
  | 'agent'
  | 'network'
  | 'unknown';

export interface CloseMeaning {
  kind: CloseKind;
  title: string;
  detail: string;
  retry: boolean;
}

export interface CloseDescription extends CloseMeaning {
  code: number;
  /** The server's sentence when it gave one, else ours. */
  detail: string;
}

/** The words of the codes a browser may see on its session socket. */
export const CLOSE_MEANINGS: Partial<Record<CloseCode, CloseMeaning>> = {
  [CLOSE.normal]: { kind: 'ended', title: 'Session ended', detail: 'The session was closed normally.', retry: false },
  [CLOSE.goingAway]: {
    kind: 'network',
    title: 'Connection closed',
    detail: 'nester is shutting down, or the connection stopped answering.',
    retry: true,
  },
  [CLOSE.abnormal]: {
    kind: 'network',
    title: 'Connection lost',
    detail: 'The connection to nester dropped without a reason (network or proxy).',
    retry: true,
  },
  [CLOSE.internalError]: { kind: 'agent', title: 'Server error', detail: 'nester hit an internal error.', retry: true },
  [CLOSE.protocolError]: {
    kind: 'protocol',
    title: 'Protocol error',
    detail: 'nester did not understand the session handshake.',
    retry: false,
  },
  [CLOSE.ticketRefused]: {
    kind: 'ticket',
    title: 'Session ticket refused',
    detail: 'The one-time ticket was missing, wrong, already used or expired.',
    retry: true,
  },
  [CLOSE.resumedElsewhere]: {
    kind: 'moved',
    title: 'Continued elsewhere',
    detail: 'You resumed this terminal in another window or tab.',
    retry: false,
  },
  [CLOSE.endedByAdmin]: {
    kind: 'admin',
    title: 'Ended by an administrator',
    detail: 'An administrator ended this session.',
    retry: false,
  },
  [CLOSE.harvesterOffline]: {
    kind: 'offline',
    title: 'Harvester offline',
    detail: 'The harvester is unknown to nester or not connected.',
    retry: false,
  },
  [CLOSE.timedOut]: {
    kind: 'timeout',
    title: 'Timed out',
    detail: 'The session was idle too long, or the agent did not answer.',
    retry: false,
  },
  [CLOSE.harvesterRevoked]: {
    kind: 'revoked',
    title: 'Harvester revoked',
    detail: 'An administrator revoked this harvester.',
    retry: false,
  },
  [CLOSE.lifetimeReached]: {
    kind: 'lifetime',
    title: 'Session lifetime reached',
    detail: 'The maximum session lifetime was reached.',
    retry: false,
  },
  [CLOSE.sessionLimit]: {
    kind: 'limit',
    title: 'Session limit reached',
    detail: 'Too many sessions are open. Close another one and reconnect.',
    retry: false,
  },
  [CLOSE.agentFailed]: {
    kind: 'agent',
    title: 'Agent error',
    detail: 'The agent could not open the session (for example, its VNC server is unreachable).',
    retry: false,
  },
};

/** A close code and reason as the user should read them. */
export function describeClose(code: number, reason?: string): CloseDescription {
  const meaning = CLOSE_MEANINGS[code as CloseCode] ?? {
    kind: 'unknown' as const,
    title: 'Disconnected',
    detail: `The connection closed (code ${code}).`,
    retry: false,
  };
  const sentence = reason?.trim();
  return { code, ...meaning, detail: sentence ? sentence : meaning.detail };
}
