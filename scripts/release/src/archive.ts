// Reproducible .tar.gz: entries sorted by name, owned by 0:0, one fixed mtime, normalised modes,
// gzip without a name or time stamp; and the sha256sum-style checksum file beside it.

import { spawn } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { sha256File } from './node-runtime';

/** Packs `parent/top` as `top/…` into `outFile`; `mtime` in seconds since the epoch. */
export async function writeTarGz(parent: string, top: string, outFile: string, mtime: number): Promise<void> {
  const tar = spawn(
    'tar',
    [
      '--create',
      '--format=gnu',
      '--sort=name',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      `--mtime=@${mtime}`,
      '--mode=u+rw,go-w,go+rX',
      '--directory',
      parent,
      top,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
  );
  let stderr = '';
  tar.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) => tar.once('close', (code) => resolve(code ?? 1)));
  await pipeline(tar.stdout, createGzip({ level: 9 }), createWriteStream(outFile));
  const code = await exited;
  if (code !== 0) throw new Error(`tar failed (${code}): ${stderr.trim()}`);
}

/** Writes `<archive>.sha256` as sha256sum writes it (`sha256sum -c` checks it); answers the hash. */
export async function writeChecksum(archive: string): Promise<string> {
  const hash = await sha256File(archive);
  writeFileSync(`${archive}.sha256`, `${hash}  ${basename(archive)}\n`);
  return hash;
}
