import type { ReleasesInfo } from '@nester/contracts/nester/api';

import { installCommand, shellQuote } from './installCommand';

const serving: ReleasesInfo = {
  harvester: { version: '0.2.0', archives: [] },
  installScriptUrl: 'https://nester.example.com:8080/install.sh',
  selfSigned: null,
};

test('with releases served: curl | sudo sh from nester, with the token', () => {
  expect(installCommand(serving, 'http://nester:8080', undefined, 'et_abc123')).toBe(
    'curl -fsSL https://nester.example.com:8080/install.sh | sudo sh -s -- --token et_abc123',
  );
  // The app's enrolment URL (what machines reach) wins over the URL nester derived.
  expect(installCommand(serving, 'http://nester:8080', 'https://public.example.com/', 'et_abc123')).toBe(
    'curl -fsSL https://public.example.com/install.sh | sudo sh -s -- --token et_abc123',
  );
});

test('a self-signed nester: curl pins its key and the agent its certificate', () => {
  const selfSigned = { pinSha256: 'ab'.repeat(32), curlPin: `sha256//${'A'.repeat(43)}=` };
  expect(installCommand({ ...serving, selfSigned }, 'https://nester:8080', undefined, 'et_abc123')).toBe(
    `curl -fsSL --insecure --pinnedpubkey '${selfSigned.curlPin}' https://nester.example.com:8080/install.sh` +
      ` | sudo sh -s -- --token et_abc123 --nester-pin-sha256 ${'ab'.repeat(32)}`,
  );
});

test('without releases: the enrol command for a machine that has the agent', () => {
  const none = { harvester: null, installScriptUrl: null, selfSigned: null };
  expect(installCommand(none, 'https://nester.example.com', undefined, 'et_abc123')).toBe(
    'harvester enroll --nester-url https://nester.example.com --token et_abc123',
  );
  expect(installCommand(undefined, 'https://nester.example.com', undefined, 'et_abc123')).toBe(
    'harvester enroll --nester-url https://nester.example.com --token et_abc123',
  );
});

test('words with shell characters are quoted so the line runs as shown', () => {
  expect(shellQuote("a b'c")).toBe(`'a b'\\''c'`);
  expect(shellQuote('$(reboot)')).toBe(`'$(reboot)'`);
  expect(installCommand(serving, 'x', undefined, '$(reboot)')).toContain("--token '$(reboot)'");
});
