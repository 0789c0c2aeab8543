// Who is calling, as Grafana vouches for it. With --grafana.jwks-url the X-Grafana-Id token is
// verified (signature, issuer, audience, time); without it X-Grafana-User is taken at its word,
// which is safe only because every /api/v1 call must also carry the API token Grafana holds.

import type { IncomingMessage } from 'node:http';
import { HttpError } from '@nester/common/http/http-error';
import { type IdTokenExpectations, IdTokenError, verifyIdToken } from './grafana-jwt';
import type { JwksCache } from './jwks';
import { storableText } from '../text/storable-text';

export interface IdentitySource {
  jwks?: JwksCache;
  expectations?: IdTokenExpectations;
}

/** The Grafana login behind a request, or null when Grafana sent none. */
export async function grafanaUser(req: IncomingMessage, source: IdentitySource): Promise<string | null> {
  if (source.jwks && source.expectations) {
    const token = header(req, 'x-grafana-id');
    if (!token) {
      throw new HttpError(
        401,
        'no X-Grafana-Id: enable Grafana feature toggle idForwarding, or run nester without --grafana.jwks-url',
      );
    }
    try {
      const identity = await verifyIdToken(token, (kid) => source.jwks!.keyFor(kid), source.expectations);
      return storableText(identity.login, 256) || null;
    } catch (err) {
      if (err instanceof IdTokenError) throw new HttpError(401, `X-Grafana-Id rejected: ${err.message}`);
      throw err;
    }
  }
  const login = header(req, 'x-grafana-user')?.trim();
  return login ? storableText(login, 256) || null : null;
}

/** Like grafanaUser, for actions that must be attributed to someone. */
export async function requireGrafanaUser(req: IncomingMessage, source: IdentitySource): Promise<string> {
  const user = await grafanaUser(req, source);
  if (!user) {
    throw new HttpError(
      401,
      'no Grafana user on the request: set [dataproxy] send_user_header = true in grafana.ini, or configure --grafana.jwks-url',
    );
  }
  return user;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
