// install.sh as nester serves it: the file from --releases.dir with this nester's settings (URL,
// harvester version, archive checksums, pins) written in place of its `# @NESTER_SETTINGS@` line.
// Every value is checked against a strict pattern and single-quoted: what reaches `sh` is data.

import type { ReleasesInfo } from '@nester/contracts/nester/api';

export const SETTINGS_MARKER = '# @NESTER_SETTINGS@';

const SAFE: Record<string, RegExp> = {
  NESTER_URL: /^https?:\/\/[A-Za-z0-9.:[\]-]+(?:\/[A-Za-z0-9._~/-]*)?$/,
  HARVESTER_VERSION: /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/,
  HARVESTER_SHA256_LINUX_X64: /^[0-9a-f]{64}$/,
  NESTER_PIN_SHA256: /^[0-9a-f]{64}$/,
  NESTER_CURL_PIN: /^sha256\/\/[A-Za-z0-9+/=]{44}$/,
};

export function renderInstallScript(script: string, baseUrl: string, info: ReleasesInfo): string {
  if (!script.includes(`\n${SETTINGS_MARKER}\n`))
    throw new Error(
      `install.sh in --releases.dir has no "${SETTINGS_MARKER}" line: copy the one npm run release wrote`,
    );
  const values: Record<string, string | undefined> = {
    NESTER_URL: baseUrl.replace(/\/+$/, ''),
    HARVESTER_VERSION: info.harvester?.version,
    HARVESTER_SHA256_LINUX_X64: info.harvester?.archives.find((archive) => archive.arch === 'linux-x64')?.sha256,
    NESTER_PIN_SHA256: info.selfSigned?.pinSha256,
    NESTER_CURL_PIN: info.selfSigned?.curlPin,
  };
  const lines = Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => {
      if (!SAFE[name].test(value))
        throw new Error(`refusing to write ${name}=${JSON.stringify(value)} into install.sh`);
      return `${name}='${value}'`;
    });
  return script.replace(`\n${SETTINGS_MARKER}\n`, `\n${lines.join('\n')}\n`);
}
