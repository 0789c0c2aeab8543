// nester's HTTP API as docs/nester-api.md describes it: what its routes answer and the bodies
// they take. nester's handlers build values of these types and the fleet app reads them, so a
// renamed field breaks the build on both sides. Times are ISO 8601 strings.

import type { Facts, SessionKind } from '../remote/protocol';

/** Every error answer: a sentence saying what went wrong and what to do. */
export interface ErrorBody {
  error: string;
}

/** GET /healthz (no token). */
export interface Health {
  status: 'ok';
  /** Agents with a live control channel. */
  agents: number;
  /** Sessions open or ticketed. */
  sessions: number;
}

// Harvesters

export type HarvesterStatus = 'online' | 'offline' | 'revoked';
export const HARVESTER_STATUSES: readonly HarvesterStatus[] = ['online', 'offline', 'revoked'];

/** An enrolled agent: what it last reported (its Facts) and its presence. */
export interface Harvester extends Facts {
  /** Assigned at enrolment, e.g. h_3f9a0c1d2e4b5a69; its series carry it as `harvester_id`. */
  id: string;
  /** The labels in force: an operator's (labelsSetByOperator) or else the agent's `--remote.label`s. */
  labels: Record<string, string>;
  /** What the agent reports (`--remote.label`). */
  agentLabels: Record<string, string>;
  labelsSetByOperator: boolean;
  /** A later enrolment of the same machine (same machine id) that replaces this one; null if none. */
  replacedBy: string | null;
  /** Live: online while its control channel is connected. */
  status: HarvesterStatus;
  lastSeen: string | null;
  enrolledAt: string;
  revokedAt: string | null;
}

/** The orders GET /api/v1/harvesters can sort by (`sort=`); `order=desc` reverses one. */
export type HarvesterSortKey = 'hostname' | 'status' | 'lastSeen' | 'os' | 'agentVersion';
export const HARVESTER_SORT_KEYS: readonly HarvesterSortKey[] = [
  'hostname',
  'status',
  'lastSeen',
  'os',
  'agentVersion',
];
/** The most harvesters one page (`limit=`) holds. */
export const HARVESTER_PAGE_MAX = 1000;

/** GET /api/v1/harvesters?status=&q=&os=&label=&sort=&order=&limit=&offset= (every one optional). */
export interface HarvesterListQuery {
  status?: HarvesterStatus;
  /** Substring of hostname, id, address or a label's `key=value`. */
  q?: string;
  /** `true`: leave out revoked and replaced enrolments. */
  hideRetired?: 'true' | 'false';
  /** The operating system's name as the fleet shows it (prettyName). */
  os?: string;
  /** `key=value`; repeated, a harvester must carry all of them. */
  label?: string | string[];
  sort?: HarvesterSortKey;
  order?: 'asc' | 'desc';
  /** 1 … HARVESTER_PAGE_MAX; without it, every matching harvester. */
  limit?: number;
  offset?: number;
}

/** Counts over the whole fleet, whatever the filters: the summary strip and the filter choices. */
export interface HarvesterFacets {
  status: Record<HarvesterStatus, number>;
  /** Agent version → harvesters running it (revoked ones left out). */
  agentVersion: Record<string, number>;
  os: Record<string, number>;
  /** `key=value` → harvesters carrying it. */
  label: Record<string, number>;
}

/** POST /api/v1/harvesters/:id/labels (Admin): the machine's whole label set, replacing the agent's. */
export interface LabelsRequest {
  labels: Record<string, string>;
}

export interface HarvesterList {
  harvesters: Harvester[];
  /** Harvesters matching the filters, before limit/offset. */
  total: number;
  facets: HarvesterFacets;
}

// Sessions

/** POST /api/v1/sessions/vnc and /api/v1/sessions/terminal. */
export interface SessionRequest {
  harvesterId: string;
  viewOnly?: boolean;
  /** Terminal size; clamped to 2–1000 × 1–500, default 80 × 24. */
  cols?: number;
  rows?: number;
}

/** The answer to a session request (201): a one-time ticket for the session WebSocket. */
export interface SessionTicket {
  sessionId: string;
  /** Random, single use, valid ~30 s; sent in the socket's hello, never in a URL. */
  ticket: string;
  websocketUrl: string;
  expiresAt: string;
  kind: SessionKind;
  viewOnly: boolean;
}

// POST /api/v1/sessions/terminal/:sessionId/resume (no body) answers a SessionTicket for the
// same sessionId: a fresh one-time ticket that takes a running terminal back after a reload or a
// dropped connection. Only the user who opened it may ask.

/**
 * POST /api/v1/sessions/terminal/:sessionId/join: a one-time ticket to watch a running terminal
 * (answered as a SessionTicket; `viewOnly` false only with control). Control needs the owner's
 * leave (a terminal: an `allow-control` frame on the owner's socket; a desktop: AllowControlRequest).
 */
export interface JoinRequest {
  /** Ask to type too; default false (view only). */
  control?: boolean;
}

/**
 * POST /api/v1/sessions/vnc/:sessionId/allow-control, by the desktop's owner: let joiners who
 * joined with control use keyboard and pointer (true), or withdraw that (false). Answered 204.
 */
export interface AllowControlRequest {
  allow: boolean;
}

/** Someone watching (or, with the owner's leave, typing in) another user's terminal. */
export interface SessionJoiner {
  user: string | null;
  control: boolean;
  joinedAt: string;
}

export type EndedBy = 'browser' | 'agent' | 'server' | 'admin';

/** One row of the session audit trail; refused attempts included. */
export interface SessionRecord {
  id: string;
  /** Null on refused attempts where it is not known (an unknown ticket, a foreign Origin). */
  harvesterId: string | null;
  hostname: string | null;
  kind: SessionKind | null;
  viewOnly: boolean;
  user: string | null;
  /** When the ticket was issued. */
  startedAt: string;
  /** When the browser redeemed the ticket; null if it never did. */
  connectedAt: string | null;
  /** Null while live. */
  endedAt: string | null;
  bytesFromBrowser: number;
  bytesToBrowser: number;
  /** In words for people: "closed the browser tab", "network dropped", "ended by admin alice: …". */
  endReason: string | null;
  endedBy: EndedBy | null;
  /** The close code the browser was given (see close-codes.ts); null while live or when refused. */
  endCode: number | null;
  /** A refused attempt (bad ticket, wrong Origin, offline harvester, limit…), reason in endReason. */
  refused: boolean;
  remoteAddress: string | null;
  /** Of the browser's WebSocket. */
  origin: string | null;
  /** Recorded (terminal: asciicast; desktop: the VNC server's stream; never a joiner's view). */
  recording: boolean;
  /** SHA-256 of the recording file, set when the session ends. */
  recordingSha256: string | null;
}

/** A session nester is relaying now (GET /api/v1/sessions/live): who, where, and bytes so far. */
export interface LiveSession {
  id: string;
  harvesterId: string;
  hostname: string;
  kind: SessionKind;
  viewOnly: boolean;
  user: string | null;
  /** connecting: ticket issued or agent dialling in; detached: a terminal waiting for its user to resume. */
  state: 'connecting' | 'live' | 'detached';
  startedAt: string;
  connectedAt: string | null;
  bytesFromBrowser: number;
  bytesToBrowser: number;
  /** While detached: why the browser went ("network dropped", …). */
  detachedBecause: string | null;
  /** Terminal: the people who joined it, oldest first. */
  joiners: SessionJoiner[];
  /** Terminal: the owner lets joiners who asked for control type. */
  controlAllowed: boolean;
}

/** GET /api/v1/sessions/live?harvesterId= */
export interface LiveSessionList {
  sessions: LiveSession[];
}

/** POST /api/v1/sessions/:sessionId/end (Admin): ends a live session; the user sees who and why. */
export interface SessionEndRequest {
  /** Up to 200 characters, shown to the user and stored in the audit. */
  reason?: string;
}

/** GET /api/v1/sessions?harvesterId=&user=&kind=&from=&to=&limit= */
export interface SessionListQuery {
  harvesterId?: string;
  user?: string;
  kind?: SessionKind;
  from?: string;
  to?: string;
  /** Default 100, max 1000. */
  limit?: number;
}

/** Newest first. */
export interface SessionList {
  sessions: SessionRecord[];
}

// Audit events

export type AuditEventName =
  | 'enrolled'
  | 'enrollment-refused'
  | 'agent-refused'
  | 'harvester-revoked'
  | 'harvester-replaced'
  | 'harvester-deleted'
  | 'harvester-labels-set'
  | 'enrollment-token-created'
  | 'enrollment-token-revoked'
  | 'session-resumed'
  | 'session-joined'
  | 'session-left'
  | 'session-control-allowed'
  | 'session-ended-by-admin';

export interface AuditEvent {
  id: number;
  at: string;
  event: AuditEventName;
  harvesterId: string | null;
  actor: string | null;
  remoteAddress: string | null;
  detail: string;
}

/** GET /api/v1/events?event=&harvesterId=&limit= */
export interface AuditEventListQuery {
  event?: AuditEventName;
  harvesterId?: string;
  /** Default 100, max 1000. */
  limit?: number;
}

/** Newest first. */
export interface AuditEventList {
  events: AuditEvent[];
}

// Enrolment tokens

export type EnrollmentTokenStatus = 'active' | 'expired' | 'used up' | 'revoked';

export interface EnrollmentToken {
  id: string;
  description: string;
  createdAt: string;
  createdBy: string | null;
  /** Null: no expiry. */
  expiresAt: string | null;
  /** Null: unlimited. */
  maxUses: number | null;
  uses: number;
  revokedAt: string | null;
  status: EnrollmentTokenStatus;
}

/** POST /api/v1/enrollment-tokens; every field optional, null as if left out. */
export interface NewEnrollmentToken {
  /** Cut at 500 characters. */
  description?: string | null;
  /** A duration (`30m`, `24h`, `7d`) or a number of seconds, from 1 s to 10 years; none: no expiry. */
  ttl?: string | number | null;
  /** 1 to 1,000,000; none: unlimited. */
  maxUses?: number | null;
}

/** Answered once, at creation (201): the only time the secret is visible. */
export interface CreatedEnrollmentToken extends EnrollmentToken {
  token: string;
}

export interface EnrollmentTokenList {
  tokens: EnrollmentToken[];
}

// Agent side

/** POST /api/v1/enroll: an agent trades an enrolment token for its own credential. */
export interface EnrollRequest {
  token: string;
  facts: Facts;
}

/** 201; the agent keeps the credential (mode 0600) and sends `<harvesterId>.<credential>`. */
export interface EnrollResponse {
  harvesterId: string;
  credential: string;
}

// Releases (nester serve --releases.dir)

/** One agent archive nester serves at `GET /releases/<file>`, with `<file>.sha256` beside it. */
export interface ReleaseArchive {
  /** `linux-x64`, `linux-arm64`. */
  arch: string;
  file: string;
  sha256: string;
  bytes: number;
}

/** GET /api/v1/releases: what `install.sh` installs, and how to fetch it from this nester. */
export interface ReleasesInfo {
  /** The newest harvester release in --releases.dir; null when there is none. */
  harvester: { version: string; archives: ReleaseArchive[] } | null;
  /** `<public URL>/install.sh`; null when --releases.dir is not set or holds no install.sh. */
  installScriptUrl: string | null;
  /**
   * Set when nester's certificate is self-signed: its SHA-256 fingerprint (the agent's
   * --nester-pin-sha256) and its public key's pin as curl's --pinnedpubkey takes it (`sha256//<base64>`).
   */
  selfSigned: { pinSha256: string; curlPin: string } | null;
}

/** The one line that installs and enrols a harvester, as the Enrolment page shows it. */
export function installCommand(info: ReleasesInfo, token: string): string | null {
  if (!info.installScriptUrl) return null;
  const curl = info.selfSigned ? `curl -fsSL --insecure --pinnedpubkey '${info.selfSigned.curlPin}'` : 'curl -fsSL';
  const pin = info.selfSigned ? ` --nester-pin-sha256 ${info.selfSigned.pinSha256}` : '';
  return `${curl} ${info.installScriptUrl} | sudo sh -s -- --token ${token}${pin}`;
}
