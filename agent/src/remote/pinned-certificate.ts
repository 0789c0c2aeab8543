// Trust on a pin alone (`harvester enroll --nester-pin-sha256` without --nester-ca), as install.sh
// does for a self-signed nester: Node verifies the chain before it looks at a pin, so the pin
// cannot be checked on the real connection. A handshake that sends no application data fetches
// nester's certificate first; if its SHA-256 fingerprint is the pin, that certificate becomes the
// trust anchor for every later connection (and the pin is still checked on each).

import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, type PeerCertificate } from 'node:tls';
import { normalizePin } from './tls';

export type PinnedTrust =
  /** The chain already verifies against the system CAs: nothing to keep. */
  | { kind: 'system' }
  /** nester's self-signed certificate, matching the pin: keep it as the CA file. */
  | { kind: 'self-signed'; pem: string };

/** Fetches nester's certificate at `url` (https) and checks it against `pin`; sends no request. */
export async function fetchPinnedTrust(url: URL, pin: string, timeoutMs = 15_000): Promise<PinnedTrust> {
  const expected = normalizePin(pin);
  const { cert, chainVerified } = await peerCertificate(url, timeoutMs);
  return judge(cert, expected, chainVerified);
}

function peerCertificate(url: URL, timeoutMs: number): Promise<{ cert: PeerCertificate; chainVerified: boolean }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      servername: isIP(host) ? undefined : host,
      // Only to read the certificate: this socket is closed before any byte of ours is sent.
      rejectUnauthorized: false,
    });
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`cannot reach nester at ${url.origin}: timed out`)));
    socket.once('error', (err: Error) => fail(new Error(`cannot reach nester at ${url.origin}: ${err.message}`)));
    socket.once('secureConnect', () => {
      const result = { cert: socket.getPeerCertificate(true), chainVerified: socket.authorized };
      socket.destroy();
      resolve(result);
    });
  });
}

function judge(cert: PeerCertificate, pin: string, chainVerified: boolean): PinnedTrust {
  if (!cert.raw) throw new Error('nester presented no certificate');
  const actual = cert.fingerprint256.replace(/:/g, '').toLowerCase();
  if (actual !== pin)
    throw new Error(`nester's certificate ${cert.fingerprint256} does not match the pinned SHA-256 fingerprint`);
  if (chainVerified) return { kind: 'system' };
  const x509 = new X509Certificate(cert.raw);
  if (!x509.checkIssued(x509) || !x509.verify(x509.publicKey))
    throw new Error(
      "nester's certificate matches the pin but is issued by a CA this machine does not trust: give that CA with --nester-ca",
    );
  return { kind: 'self-signed', pem: x509.toString() };
}
