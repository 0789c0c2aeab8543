import { KeyObject, generateKeyPairSync, randomUUID, sign } from 'node:crypto';

import { SandboxUser } from './identity';

/**
 * Grafana's ID tokens (feature toggle idForwarding): an ES256 JWT about the signed-in user,
 * sent to plugin backends as X-Grafana-Id, verifiable with the JWKS at /api/signing-keys/keys.
 * Claims follow grafana/authlib's IDTokenClaims; lifetime is Grafana's 10 minutes.
 */
export class IdTokenSigner {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly kid = randomUUID();

  constructor(
    private readonly issuer: string,
    private readonly orgId = 1,
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  jwks() {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'ES256' }] };
  }

  sign(user: SandboxUser, nowSeconds = Math.floor(Date.now() / 1000)): string {
    const header = { alg: 'ES256', kid: this.kid, typ: 'jwt' };
    const claims = {
      iss: this.issuer,
      sub: `user:${user.uid}`,
      aud: [`org:${this.orgId}`],
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + 600,
      identifier: user.uid,
      type: 'user',
      namespace: 'default',
      authenticatedBy: 'password',
      email: user.email,
      email_verified: false,
      username: user.login,
      name: user.name,
      role: user.role,
    };
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${encode(header)}.${encode(claims)}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${signature.toString('base64url')}`;
  }
}
