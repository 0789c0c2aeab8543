// Verifies the ID token Grafana forwards as X-Grafana-Id: an ES256 JWS signed with a key from
// Grafana's JWKS (/api/signing-keys/keys). Done with node:crypto alone; every check that the
// token is meant for us happens here: algorithm, key id, signature, issuer, audience, time.

import { type KeyObject, verify as verifySignature } from 'node:crypto';

export interface IdTokenExpectations {
  /** Grafana's root URL (its `iss`); compared without trailing slashes. */
  issuer: string;
  /** Accepted audiences; Grafana uses `org:<orgId>`. */
  audiences: string[];
  /** Allowed clock difference between Grafana and nester. */
  leewaySeconds: number;
}

export interface GrafanaIdentity {
  login: string;
  subject: string;
  email?: string;
  name?: string;
}

export class IdTokenError extends Error {
  override name = 'IdTokenError';
}

/** Looks a key up by kid; may refresh the key set once when the kid is unknown. */
export type KeyLookup = (kid: string) => Promise<KeyObject | undefined>;

export async function verifyIdToken(
  token: string,
  keyFor: KeyLookup,
  expected: IdTokenExpectations,
  nowSeconds = Date.now() / 1000,
): Promise<GrafanaIdentity> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new IdTokenError('not a JWT (expected three dot-separated parts)');
  const header = decodeJson(parts[0], 'header');
  const claims = decodeJson(parts[1], 'payload');
  if (header.alg !== 'ES256') throw new IdTokenError(`algorithm ${shown(header.alg)} is not accepted (ES256 only)`);
  // Claims are compared as the strings JWT defines them to be: String(['jwt']) would pass for 'jwt'.
  if (header.typ !== undefined && (typeof header.typ !== 'string' || header.typ.toLowerCase() !== 'jwt')) {
    throw new IdTokenError(`token type ${shown(header.typ)} is not an ID token`);
  }
  // RFC 7515 §4.1.11: a verifier must reject a `crit` it does not understand, and we understand none.
  if (header.crit !== undefined)
    throw new IdTokenError('token has critical header extensions (crit); none are accepted');
  if (typeof header.kid !== 'string' || !header.kid) throw new IdTokenError('token has no key id (kid)');
  const key = await keyFor(header.kid);
  if (!key) throw new IdTokenError(`unknown signing key ${header.kid}`);
  const signature = Buffer.from(parts[2], 'base64url');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii');
  // JWS carries ECDSA signatures as raw r||s (IEEE P1363), not DER.
  if (signature.length !== 64 || !verifySignature('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
    throw new IdTokenError('bad signature');
  }

  const leeway = expected.leewaySeconds;
  if (typeof claims.exp !== 'number') throw new IdTokenError('token has no expiry (exp)');
  if (nowSeconds > claims.exp + leeway) throw new IdTokenError('token expired');
  if (typeof claims.nbf === 'number' && nowSeconds < claims.nbf - leeway) throw new IdTokenError('token not valid yet');
  if (typeof claims.iat === 'number' && nowSeconds < claims.iat - leeway)
    throw new IdTokenError('token issued in the future');
  if (typeof claims.iss !== 'string' || trimSlash(claims.iss) !== trimSlash(expected.issuer)) {
    throw new IdTokenError(`issuer ${shown(claims.iss)} is not ${expected.issuer}`);
  }
  // RFC 7519 §4.1.3: one audience string, or an array of them.
  const audiences = (Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud]).filter(
    (aud): aud is string => typeof aud === 'string',
  );
  if (!audiences.some((aud) => expected.audiences.includes(aud))) {
    throw new IdTokenError(`audience ${audiences.join(',')} is not one of ${expected.audiences.join(',')}`);
  }
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const login = firstText(claims.username, claims.login, claims.email, subject);
  if (!login) throw new IdTokenError('token names no user');
  return { login, subject, email: firstText(claims.email) || undefined, name: firstText(claims.name) || undefined };
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new IdTokenError(`JWT ${what} is not a JSON object`);
}

/** A claim as an error message shows it: strings as they are, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'nothing');
}

function firstText(...values: unknown[]): string {
  for (const value of values) if (typeof value === 'string' && value) return value;
  return '';
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
