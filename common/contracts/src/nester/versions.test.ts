import { installCommand, type ReleasesInfo } from './api';
import { compareVersions } from './versions';

test('versions order as semver: pre-releases below their release, numbers numerically', () => {
  const sorted = ['0.10.0', '0.2.0', '0.2.0-rc.10', '0.2.0-rc.2', '0.2.0-beta', '1.0.0', '0.9.9'].sort(compareVersions);
  expect(sorted).toEqual(['0.2.0-beta', '0.2.0-rc.2', '0.2.0-rc.10', '0.2.0', '0.9.9', '0.10.0', '1.0.0']);
  expect(compareVersions('0.1.0', '0.1.0')).toBe(0);
});

test('the install command: curl | sudo sh with the token; pinned to the key and certificate when self-signed', () => {
  const info: ReleasesInfo = {
    harvester: { version: '0.1.0', archives: [] },
    installScriptUrl: 'https://nester.example.com:8080/install.sh',
    selfSigned: null,
  };
  expect(installCommand(info, 'et_abc')).toBe(
    'curl -fsSL https://nester.example.com:8080/install.sh | sudo sh -s -- --token et_abc',
  );
  const pinSha256 = 'ab'.repeat(32);
  const curlPin = `sha256//${'A'.repeat(43)}=`;
  expect(installCommand({ ...info, selfSigned: { pinSha256, curlPin } }, 'et_abc')).toBe(
    `curl -fsSL --insecure --pinnedpubkey '${curlPin}' https://nester.example.com:8080/install.sh | sudo sh -s -- --token et_abc --nester-pin-sha256 ${pinSha256}`,
  );
  expect(installCommand({ ...info, installScriptUrl: null }, 'et_abc')).toBeNull();
});
