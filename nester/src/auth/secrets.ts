// Secrets nester hands out (enrolment tokens, API tokens, agent credentials, tickets) are
// `<id>.<secret>`: the id finds the record, the secret is compared against a stored SHA-256
// in constant time. The secrets are 256 random bits, so a fast hash is enough: there is
// nothing to brute-force that a slow hash would protect.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A short random id with a readable prefix, e.g. `h_3f9a0c1d2e4b5a69`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time check of a presented secret against a stored hash. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return storedHash.length === presented.length && timingSafeEqual(presented, storedHash);
}

export interface SplitToken {
  id: string;
  secret: string;
}

/** Splits `<id>.<secret>`; ids never contain a dot, secrets are base64url (no dots either). */
export function splitToken(token: string | undefined): SplitToken | undefined {
  if (!token || token.length > 512) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot === token.length - 1 || token.indexOf('.', dot + 1) >= 0) return undefined;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(id) || !/^[A-Za-z0-9_-]+$/.test(secret)) return undefined;
  return { id, secret };
}

/** The bearer token of an Authorization header, if it has one. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
