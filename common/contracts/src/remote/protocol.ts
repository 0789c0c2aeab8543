// The wire contract of remote access (docs/nester-api.md, "Browser session WebSocket" and "Agent
// side"): paths, headers, the JSON messages of the agent's control channel, the browser's
// handshake and the terminal's control frames. nester, the agent and the fleet app import it so a
// rename cannot drift apart. Close codes are in close-codes.ts.

export const AGENT_CONTROL_PATH = '/ws/agent';
export const AGENT_SESSION_PATH = '/ws/agent/session/';
export const BROWSER_SESSION_PATH = '/ws/session';
export const ENROLL_PATH = '/api/v1/enroll';
/** Header carrying the per-session secret that nester sent in `open-session`. */
export const SESSION_TOKEN_HEADER = 'x-nester-session-token';

export type SessionKind = 'vnc' | 'terminal';
export const SESSION_KINDS: readonly SessionKind[] = ['vnc', 'terminal'];

export interface OsRelease {
  id: string;
  name: string;
  version: string;
  prettyName: string;
}

/** What an agent reports about its machine, at enrolment and on every control connection. */
export interface Facts {
  hostname: string;
  machineId: string;
  os: OsRelease;
  kernel: string;
  arch: string;
  cpus: number;
  memoryBytes: number;
  addresses: string[];
  agentVersion: string;
  capabilities: { vnc: boolean; terminal: boolean };
  labels: Record<string, string>;
}

// agent → nester
export interface FactsMessage {
  type: 'facts';
  facts: Facts;
}
export interface HeartbeatMessage {
  type: 'heartbeat';
}
/** The agent cannot serve a session it was asked to open (capability off, VNC server down…). */
export interface SessionRefusedMessage {
  type: 'session-refused';
  sessionId: string;
  reason: string;
}
export type AgentMessage = FactsMessage | HeartbeatMessage | SessionRefusedMessage;

// nester → agent
export interface WelcomeMessage {
  type: 'welcome';
  harvesterId: string;
  heartbeatIntervalMs: number;
}
export interface OpenSessionMessage {
  type: 'open-session';
  sessionId: string;
  kind: SessionKind;
  viewOnly: boolean;
  cols?: number;
  rows?: number;
  /** Secret the agent presents (X-Nester-Session-Token) when it dials the session socket. */
  token: string;
}
export interface CloseSessionMessage {
  type: 'close-session';
  sessionId: string;
  reason: string;
}
/**
 * The machine's labels as an operator set them in the fleet app; sent after `welcome` and on
 * each edit. The agent keeps them and puts them on its pushed series instead of its `--remote.label`s.
 */
export interface LabelsMessage {
  type: 'labels';
  labels: Record<string, string>;
}
export type NesterMessage = WelcomeMessage | OpenSessionMessage | CloseSessionMessage | LabelsMessage;

// browser ↔ nester, on the session socket before it carries the session's bytes
/** The browser's first message; the ticket never travels in the URL. Terminal: with its size. */
export interface HelloMessage {
  type: 'hello';
  ticket: string;
  cols?: number;
  rows?: number;
}
/** nester's answer once the agent's side is connected; the socket carries the session after it. */
export interface ReadyMessage {
  type: 'ready';
  sessionId: string;
  kind: SessionKind;
  viewOnly: boolean;
  /** True when nester records this session (a joiner's own view of a desktop never is). */
  recording: boolean;
  /**
   * True when this socket took over a session that was already running (a resume): the next
   * binary frame is the recent output nester kept, to replay on a reset terminal.
   */
  resumed?: boolean;
  /** The Grafana user who opened the session. */
  user?: string | null;
  /** Terminal: how long nester keeps the shell for a resume after the browser goes (ms; 0: off). */
  resumeWindowMs?: number;
  /** Terminal, on a resume: the account the shell runs as (a fresh session says it in `started`). */
  runsAs?: string;
  /**
   * True on a joiner's socket (someone else's terminal): the next binary frame is the recent
   * output, as on a resume; `viewOnly` says whether this joiner's typing reaches the shell.
   */
  joined?: boolean;
}

// Text frames on a terminal session socket (binary frames are raw pty bytes).
export interface ResizeControl {
  type: 'resize';
  cols: number;
  rows: number;
}
export interface ExitControl {
  type: 'exit';
  code: number;
}
export interface ErrorControl {
  type: 'error';
  message: string;
}
/** agent → nester → browser, once the shell is spawned: which account it runs as. */
export interface StartedControl {
  type: 'started';
  user: string;
}
/** owner's browser → nester: let joiners who asked for control type (or stop them). */
export interface AllowControlMessage {
  type: 'allow-control';
  allow: boolean;
}
/** nester → every socket of a terminal: who has joined it, on each change. */
export interface JoinersControl {
  type: 'joiners';
  joiners: { user: string | null; control: boolean; joinedAt: string }[];
  controlAllowed: boolean;
}
export type TerminalControl = ResizeControl | ExitControl | ErrorControl | StartedControl | JoinersControl;

export const TERMINAL_LIMITS = { minCols: 2, maxCols: 1000, minRows: 1, maxRows: 500 } as const;

/** Terminal sizes come from browsers: keep them in a range a pty accepts. */
export function clampTerminalSize(cols: unknown, rows: unknown, fallback = { cols: 80, rows: 24 }) {
  const pick = (value: unknown, min: number, max: number, otherwise: number) =>
    typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : otherwise;
  return {
    cols: pick(cols, TERMINAL_LIMITS.minCols, TERMINAL_LIMITS.maxCols, fallback.cols),
    rows: pick(rows, TERMINAL_LIMITS.minRows, TERMINAL_LIMITS.maxRows, fallback.rows),
  };
}

/** Parses a JSON text frame into an object with a string `type`, or undefined. */
export function parseMessage(text: string): { type: string; [key: string]: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      typeof (value as { type?: unknown }).type === 'string'
    ) {
      return value as { type: string };
    }
  } catch {
    // not JSON
  }
  return undefined;
}
