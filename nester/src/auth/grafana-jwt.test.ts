import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { verifyIdToken } from './grafana-jwt';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const now = 1_800_000_000;
const expected = { issuer: 'https://grafana.example.com/', audiences: ['org:1'], leewaySeconds: 60 };
const keys: Record<string, KeyObject> = { k1: publicKey };
const keyFor = (kid: string) => Promise.resolve(keys[kid]);

function token(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
  key: KeyObject = privateKey,
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ alg: 'ES256', kid: 'k1', typ: 'jwt', ...header })}.${part(claims)}`;
  const signature = sign('sha256', Buffer.from(signed), { key, dsaEncoding: 'ieee-p1363' });
  return `${signed}.${signature.toString('base64url')}`;
}

const good = {
  iss: 'https://grafana.example.com',
  aud: ['org:1'],
  sub: 'user:7',
  username: 'alice',
  email: 'alice@example.com',
  exp: now + 600,
  iat: now,
};

test('a Grafana ID token signed by a known key names its user', async () => {
  await expect(verifyIdToken(token(good), keyFor, expected, now)).resolves.toMatchObject({
    login: 'alice',
    subject: 'user:7',
    email: 'alice@example.com',
  });
});

test.each([
  ['expired', token({ ...good, exp: now - 61 }), /expired/],
  ['not valid yet', token({ ...good, nbf: now + 120 }), /not valid yet/],
  ['foreign issuer', token({ ...good, iss: 'https://evil.example' }), /issuer/],
  ['other organisation', token({ ...good, aud: 'org:2' }), /audience/],
  ['naming its issuer in a list', token({ ...good, iss: [good.iss] }), /issuer \["https/],
  ['naming its audience in a nested list', token({ ...good, aud: [['org:1']] }), /audience/],
  ['of type ["jwt"]', token(good, { typ: ['jwt'] }), /token type \["jwt"\] is not an ID token/],
  ['unknown key id', token(good, { kid: 'k9' }), /unknown signing key k9/],
  ['no key id', token(good, { kid: undefined }), /no key id/],
  ['signed by another key', token(good, {}, other.privateKey), /bad signature/],
  ['alg none', token(good, { alg: 'none' }), /ES256 only/],
  ['HS256', token(good, { alg: 'HS256' }), /ES256 only/],
  ['access token type', token(good, { typ: 'at+jwt' }), /not an ID token/],
  ['carrying a critical extension (crit)', token(good, { crit: ['exp'] }), /critical header extensions/],
  ['carrying an empty crit', token(good, { crit: [] }), /critical header extensions/],
  ['garbage', 'not.a.jwt', /not a JSON object/],
])('refuses a token that is %s', async (_what, jwt, message) => {
  await expect(verifyIdToken(jwt, keyFor, expected, now)).rejects.toThrow(message);
});

test('a tampered payload fails the signature', async () => {
  const [header, , signature] = token(good).split('.');
  const forged = Buffer.from(JSON.stringify({ ...good, username: 'root' })).toString('base64url');
  await expect(verifyIdToken(`${header}.${forged}.${signature}`, keyFor, expected, now)).rejects.toThrow(
    /bad signature/,
  );
});
