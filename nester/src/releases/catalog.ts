// What --releases.dir holds: harvester archives (harvester-<version>-<os>-<arch>.tar.gz, each with
// its sha256sum-style .sha256) and install.sh. Only files listed here can be served: a request
// names an entry of this catalog, never a path, so nothing outside the folder is reachable.
// Symbolic links and anything not named like a release are left out.

import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReleaseArchive } from '@nester/contracts/nester/api';
import { compareVersions } from '@nester/contracts/nester/versions';

export interface ServedFile {
  path: string;
  bytes: number;
  contentType: string;
}

export interface Catalog {
  /** Every file that may be served, by its name (archives, their .sha256, install.sh). */
  files: Map<string, ServedFile>;
  harvester: { version: string; archives: ReleaseArchive[] } | null;
  installScript: string | null;
}

const ARCHIVE = /^harvester-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)-(linux-(?:x64|arm64))\.tar\.gz$/;
const CHECKSUM = /^([0-9a-f]{64}) [ *](\S+)\n?$/;
/** A .sha256 file is one line; anything longer is not one. */
const MAX_CHECKSUM_BYTES = 512;

export async function readCatalog(dir: string): Promise<Catalog> {
  const names = (await readdir(dir)).sort();
  const regular = new Map<string, number>();
  for (const name of names) {
    if (name !== 'install.sh' && !ARCHIVE.test(name) && !ARCHIVE.test(name.replace(/\.sha256$/, ''))) continue;
    const stat = await lstat(join(dir, name));
    if (stat.isFile()) regular.set(name, stat.size);
  }

  const files = new Map<string, ServedFile>();
  const versions = new Map<string, ReleaseArchive[]>();
  for (const [name, bytes] of regular) {
    const match = ARCHIVE.exec(name);
    if (!match) continue;
    const checksumName = `${name}.sha256`;
    const checksumBytes = regular.get(checksumName);
    if (checksumBytes === undefined || checksumBytes > MAX_CHECKSUM_BYTES) continue;
    const line = CHECKSUM.exec(await readFile(join(dir, checksumName), 'utf8'));
    if (!line || line[2] !== name) continue;
    files.set(name, { path: join(dir, name), bytes, contentType: 'application/gzip' });
    files.set(checksumName, {
      path: join(dir, checksumName),
      bytes: checksumBytes,
      contentType: 'text/plain; charset=utf-8',
    });
    const archives = versions.get(match[1]) ?? [];
    archives.push({ arch: match[2], file: name, sha256: line[1], bytes });
    versions.set(match[1], archives);
  }
  const newest = [...versions.keys()].sort(compareVersions).pop();
  const installBytes = regular.get('install.sh');
  if (installBytes !== undefined)
    files.set('install.sh', { path: join(dir, 'install.sh'), bytes: installBytes, contentType: 'text/x-shellscript' });
  return {
    files,
    harvester: newest ? { version: newest, archives: versions.get(newest)! } : null,
    installScript: installBytes !== undefined ? join(dir, 'install.sh') : null,
  };
}
