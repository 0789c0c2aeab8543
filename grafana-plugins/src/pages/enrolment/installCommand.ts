import { installCommand as curlInstallCommand, type ReleasesInfo } from '@nester/contracts/nester/api';

/** Quotes a word for a POSIX shell only when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The one line an operator runs on a new machine (docs/nester-api.md): `curl … /install.sh | sudo sh`
 * when nester serves releases (from `enrollUrl` when the app sets one: the URL machines reach),
 * else the enrol command for a machine that has the agent already.
 */
export function installCommand(
  releases: ReleasesInfo | undefined,
  nesterUrl: string,
  enrollUrl: string | undefined,
  token: string,
): string {
  const quoted = shellQuote(token);
  if (releases?.installScriptUrl) {
    const scriptUrl = enrollUrl ? `${enrollUrl.replace(/\/+$/, '')}/install.sh` : releases.installScriptUrl;
    return curlInstallCommand({ ...releases, installScriptUrl: shellQuote(scriptUrl) }, quoted)!;
  }
  return ['harvester', 'enroll', '--nester-url', shellQuote(enrollUrl || nesterUrl), '--token', quoted].join(' ');
}
