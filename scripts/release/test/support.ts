// Test support for the release archives: unpack one as an install does, and a PATH without node.

import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Unpacks `archive` into `<root>/opt/<name>/<version>` with `current` linking it, as install.sh does. */
export function installInto(root: string, archive: string, name: string, version: string): string {
  const dir = join(root, 'opt', name, version);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', archive, '-C', dir, '--strip-components=1']);
  symlinkSync(version, join(root, 'opt', name, 'current'));
  return join(root, 'opt', name, 'current');
}

/** A folder to use as PATH holding only what the launchers need (sh's dirname and readlink): no node. */
export function pathWithoutNode(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of ['dirname', 'readlink']) symlinkSync(`/usr/bin/${tool}`, join(dir, tool));
  return dir;
}
