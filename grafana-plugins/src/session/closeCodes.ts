/**
 * What a closed session WebSocket means for the user (close codes of docs/nester-api.md).
 * `retry` says whether reconnecting on our own can help: a fresh ticket fixes an expired one
 * and a dropped network may come back, but a revoked harvester or a session limit will not.
 */
export type CloseKind =
  | 'ended'
  | 'protocol'
  | 'ticket'
  | 'offline'
  | 'timeout'
  | 'revoked'
  | 'lifetime'
  | 'limit'
  | 'agent'
  | 'network'
  | 'unknown';

export interface CloseDescription {
  code: number;
  kind: CloseKind;
  title: string;
  /** The server's sentence when it gave one, else ours. */
  detail: string;
  retry: boolean;
}

interface CloseMeaning {
  kind: CloseKind;
  title: string;
  detail: string;
  retry: boolean;
}

const meanings: Record<number, CloseMeaning> = {
  1000: { kind: 'ended', title: 'Session ended', detail: 'The session was closed normally.', retry: false },
  1001: {
    kind: 'network',
    title: 'Connection closed',
    detail: 'nester is shutting down, or the connection stopped answering.',
    retry: true,
  },
  1006: {
    kind: 'network',
    title: 'Connection lost',
    detail: 'The connection to nester dropped without a reason (network or proxy).',
    retry: true,
  },
  1011: { kind: 'agent', title: 'Server error', detail: 'nester hit an internal error.', retry: true },
  4400: {
    kind: 'protocol',
    title: 'Protocol error',
    detail: 'nester did not understand the session handshake.',
    retry: false,
  },
  4401: {
    kind: 'ticket',
    title: 'Session ticket refused',
    detail: 'The one-time ticket was missing, wrong, already used or expired.',
    retry: true,
  },
  4404: {
    kind: 'offline',
    title: 'Harvester offline',
    detail: 'The harvester is unknown to nester or not connected.',
    retry: false,
  },
  4408: {
    kind: 'timeout',
    title: 'Timed out',
    detail: 'The session was idle too long, or the agent did not answer.',
    retry: false,
  },
  4409: {
    kind: 'revoked',
    title: 'Harvester revoked',
    detail: 'An administrator revoked this harvester.',
    retry: false,
  },
  4410: {
    kind: 'lifetime',
    title: 'Session lifetime reached',
    detail: 'The maximum session lifetime was reached.',
    retry: false,
  },
  4429: {
    kind: 'limit',
    title: 'Session limit reached',
    detail: 'Too many sessions are open. Close another one and reconnect.',
    retry: false,
  },
  4500: {
    kind: 'agent',
    title: 'Agent error',
    detail: 'The agent could not open the session (for example, its VNC server is unreachable).',
    retry: false,
  },
};

export function describeClose(code: number, reason?: string): CloseDescription {
  const meaning = meanings[code] ?? {
    kind: 'unknown' as const,
    title: 'Disconnected',
    detail: `The connection closed (code ${code}).`,
    retry: false,
  };
  const sentence = reason?.trim();
  return { code, ...meaning, detail: sentence ? sentence : meaning.detail };
}
