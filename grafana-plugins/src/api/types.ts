// Shapes of nester's HTTP API (docs/nester-api.md).

export type HarvesterStatus = 'online' | 'offline' | 'revoked';

export interface HarvesterOs {
  id?: string;
  name?: string;
  version?: string;
  prettyName?: string;
}

export interface Harvester {
  id: string;
  hostname: string;
  machineId?: string;
  os?: HarvesterOs;
  kernel?: string;
  arch?: string;
  cpus?: number;
  memoryBytes?: number;
  addresses?: string[];
  agentVersion?: string;
  capabilities?: { vnc?: boolean; terminal?: boolean };
  labels?: Record<string, string>;
  status: HarvesterStatus;
  lastSeen?: string | null;
  enrolledAt?: string;
  revokedAt?: string | null;
}

export type SessionKind = 'vnc' | 'terminal';

export interface SessionTicket {
  sessionId: string;
  ticket: string;
  websocketUrl: string;
  expiresAt?: string;
  kind: SessionKind;
  viewOnly: boolean;
}

export interface SessionRecord {
  id: string;
  harvesterId: string;
  hostname?: string;
  kind: SessionKind;
  viewOnly: boolean;
  user?: string;
  startedAt: string;
  endedAt?: string | null;
  bytesFromBrowser?: number;
  bytesToBrowser?: number;
  endReason?: string | null;
  endedBy?: 'browser' | 'agent' | 'server' | 'admin' | null;
  recording?: boolean;
  /** A refused attempt (bad ticket, wrong Origin, offline harvester, limit…), reason in endReason. */
  refused?: boolean;
  connectedAt?: string | null;
  remoteAddress?: string | null;
  origin?: string | null;
}

export interface SessionFilters {
  harvesterId?: string;
  user?: string;
  kind?: SessionKind;
  from?: string;
  to?: string;
  limit?: number;
}

export interface EnrollmentToken {
  id: string;
  description?: string;
  createdAt: string;
  createdBy?: string | null;
  expiresAt?: string | null;
  maxUses?: number | null;
  uses?: number;
  revokedAt?: string | null;
  status?: 'active' | 'expired' | 'used up' | 'revoked';
}

/** Returned once, at creation: the only time the secret is visible. */
export interface CreatedEnrollmentToken extends EnrollmentToken {
  token: string;
}

export interface NewEnrollmentToken {
  description: string;
  ttl: string;
  maxUses?: number;
}

/** The app's jsonData (secureJsonData holds apiToken and is never sent to the browser). */
export interface AppSettings {
  /** Where Grafana's server reaches nester (used by the proxy routes). */
  nesterUrl?: string;
  /** Browser-facing WebSocket URL of nester's session endpoint; empty = use the URL nester returns. */
  websocketUrl?: string;
  /** Nester URL agents enrol against (install command); empty = nesterUrl. */
  enrollUrl?: string;
  /** Optional Prometheus-compatible datasource for the harvester page's recent metrics. */
  metricsDatasourceUid?: string;
  /** PromQL label matcher that selects one harvester's series; ${hostname} and ${id} are replaced. */
  metricsSelector?: string;
}
