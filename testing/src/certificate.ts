// A self-signed certificate for TLS tests: EC P-256, valid a day, for localhost and 127.0.0.1.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface TestCertificate {
  certFile: string;
  keyFile: string;
}

/** Writes cert.pem and key.pem into `dir` with openssl. */
export function selfSignedCertificate(dir: string): TestCertificate {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}
