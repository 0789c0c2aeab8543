// How a machine can trust nester before it is enrolled: when nester's certificate is self-signed,
// its SHA-256 fingerprint (the agent's --nester-pin-sha256) and its public key's pin in curl's
// --pinnedpubkey form, so the one-line install command fetches install.sh from this nester only.

import { createHash, X509Certificate } from 'node:crypto';

export interface SelfSignedPins {
  pinSha256: string;
  curlPin: string;
}

/** The pins of a self-signed certificate (the first in `pem`); null for one a CA issued. */
export function selfSignedPins(pem: Buffer | string): SelfSignedPins | null {
  const cert = new X509Certificate(pem);
  if (!cert.checkIssued(cert) || !cert.verify(cert.publicKey)) return null;
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return {
    pinSha256: cert.fingerprint256.replaceAll(':', '').toLowerCase(),
    curlPin: `sha256//${createHash('sha256').update(spki).digest('base64')}`,
  };
}
