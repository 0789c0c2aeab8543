// bin/<name> in an archive: a POSIX sh launcher that runs the bundle on the archive's own Node.js,
// from wherever it is installed or linked (/usr/local/bin/harvester → /opt/harvester/current/bin/harvester).

export interface LauncherOptions {
  name: string;
  /** Node/V8 flags, as the checkout's bin/<name>.js shebang passes them. */
  nodeFlags: string[];
  /** Environment defaults (the caller's value wins). */
  env: Record<string, string>;
  /** Why the flags, for the comment. */
  why?: string;
}

export function launcherScript({ name, nodeFlags, env, why }: LauncherOptions): string {
  const exports = Object.entries(env).map(([key, value]) => `export ${key}="\${${key}:-${value}}"\n`);
  return [
    '#!/bin/sh\n',
    `# ${name}, run on the Node.js runtime inside this archive (lib/node): nothing else to install.\n`,
    ...(why ? why.split('\n').map((line) => `# ${line}\n`) : []),
    'here=$(dirname "$(readlink -f "$0")")/..\n',
    ...exports,
    `exec "$here/lib/node" ${nodeFlags.map((flag) => `${flag} `).join('')}"$here/lib/${name}.js" "$@"\n`,
  ].join('');
}
