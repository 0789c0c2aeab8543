// How the agent trusts nester: the system CAs, or the CA file given (a private CA, or nester's
// self-signed certificate itself), and optionally a SHA-256 pin of nester's certificate checked
// during the handshake, before any credential is sent.

import { readFileSync } from 'node:fs';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';

export interface TlsTrust {
  caFile?: string;
  /** SHA-256 fingerprint of the server certificate, hex, colons optional. */
  pinSha256?: string;
}

export function normalizePin(pin: string): string {
  const hex = pin.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new Error(
      'the certificate pin must be a SHA-256 fingerprint: 64 hex digits (openssl x509 -noout -fingerprint -sha256 -in cert.pem)',
    );
  }
  return hex;
}

/** Options for `new WebSocket(url, options)` / https requests to nester. */
export function tlsOptions(trust: TlsTrust) {
  const options: { ca?: Buffer; checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined } = {};
  if (trust.caFile) {
    try {
      options.ca = readFileSync(trust.caFile);
    } catch (err) {
      throw new Error(
        `cannot read the nester CA file ${trust.caFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { cause: err },
      );
    }
  }
  if (trust.pinSha256) {
    const pin = normalizePin(trust.pinSha256);
    options.checkServerIdentity = (host, cert) => {
      const identity = checkServerIdentity(host, cert);
      if (identity) return identity;
      const actual = cert.fingerprint256.replace(/:/g, '').toLowerCase();
      if (actual !== pin)
        return new Error(`nester's certificate ${cert.fingerprint256} does not match the pinned SHA-256 fingerprint`);
      return undefined;
    };
  }
  return options;
}
