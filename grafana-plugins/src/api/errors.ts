import { isFetchError } from '@grafana/runtime';

import { Operation } from './operations';

/**
 * What went wrong, in the terms a panel shows to the user:
 * - forbidden: Grafana's proxy refused the route (reqRole) — 403 "plugin proxy route access denied";
 * - credentials: nester refused the API token (401), or the app has not been configured;
 * - offline: the harvester is offline, revoked or lacks the capability (409);
 * - not-found: unknown harvester/session/token, or the route does not exist (404);
 * - limit: a session limit was reached (429);
 * - unreachable: Grafana could not reach nester (502/503/504);
 * - error: anything else.
 */
export type NesterErrorKind = 'forbidden' | 'credentials' | 'offline' | 'not-found' | 'limit' | 'unreachable' | 'error';

export class NesterError extends Error {
  constructor(
    readonly kind: NesterErrorKind,
    message: string,
    readonly status?: number,
    readonly operation?: Operation,
  ) {
    super(message);
    this.name = 'NesterError';
  }
}

function kindForStatus(status: number): NesterErrorKind {
  if (status === 403) {
    return 'forbidden';
  }
  if (status === 401) {
    return 'credentials';
  }
  if (status === 409) {
    return 'offline';
  }
  if (status === 404) {
    return 'not-found';
  }
  if (status === 429) {
    return 'limit';
  }
  if (status === 502 || status === 503 || status === 504) {
    return 'unreachable';
  }
  return 'error';
}

function bodyMessage(data: unknown): string | undefined {
  if (typeof data === 'string' && data.trim() !== '') {
    return data.trim();
  }
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    for (const key of ['error', 'message']) {
      if (typeof record[key] === 'string' && record[key] !== '') {
        return record[key];
      }
    }
  }
  return undefined;
}

function defaultMessage(kind: NesterErrorKind, operation?: Operation): string {
  switch (kind) {
    case 'forbidden':
      return operation
        ? `Your Grafana role does not allow you to ${operation.what}: it needs the ${operation.role} role.`
        : 'Your Grafana role does not allow this.';
    case 'credentials':
      return 'nester refused the API token. An administrator must set a valid token in the Nester app configuration.';
    case 'unreachable':
      return 'Grafana could not reach nester. Check the nester URL in the app configuration and that nester is running.';
    case 'not-found':
      return 'Not found.';
    case 'limit':
      return 'A session limit was reached. Close another session and try again.';
    case 'offline':
      return 'The harvester is offline.';
    default:
      return 'The request to nester failed.';
  }
}

/** Turns a Grafana fetch error (or anything thrown) into a NesterError. */
export function toNesterError(err: unknown, operation?: Operation): NesterError {
  if (err instanceof NesterError) {
    return err;
  }
  if (isFetchError(err)) {
    const kind = kindForStatus(err.status);
    const fromBody = bodyMessage(err.data);
    // Grafana's own 403 and 502 carry generic text; our sentences say what to do.
    const message =
      kind === 'forbidden'
        ? defaultMessage(kind, operation)
        : kind === 'unreachable'
          ? `${defaultMessage(kind, operation)}${fromBody ? ` (Grafana: ${fromBody})` : ''}`
          : (fromBody ?? defaultMessage(kind, operation));
    return new NesterError(kind, message, err.status, operation);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new NesterError('error', message, undefined, operation);
}
