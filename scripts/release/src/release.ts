// Everything `npm run release` writes into release/: the three archives with their checksums,
// install.sh beside them (what nester serves from --releases.dir).

import { chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type BuiltArchive, buildArchive } from './build';
import { FILES } from './workspace';
import { nodeRuntime } from './node-runtime';
import { PRODUCTS, type ProductName } from './products';
import { sourceState } from './source-state';

export interface ReleaseOptions {
  repo: string;
  outDir: string;
  only?: ProductName[];
  withOptional?: boolean;
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nester-release');
}

export async function release(options: ReleaseOptions): Promise<BuiltArchive[]> {
  const env = options.env ?? process.env;
  mkdirSync(options.outDir, { recursive: true });
  const node = await nodeRuntime(options.cacheDir ?? defaultCacheDir(env));
  const { commit, mtime } = sourceState(options.repo, env);
  const names = options.only ?? (Object.keys(PRODUCTS) as ProductName[]);
  const built: BuiltArchive[] = [];
  for (const name of names) {
    built.push(
      await buildArchive(PRODUCTS[name], {
        repo: options.repo,
        outDir: options.outDir,
        node,
        mtime,
        commit,
        withOptional: options.withOptional ?? false,
      }),
    );
  }
  rmSync(join(options.outDir, '.staging'), { recursive: true, force: true });
  copyFileSync(join(FILES, 'install.sh'), join(options.outDir, 'install.sh'));
  chmodSync(join(options.outDir, 'install.sh'), 0o755);
  return built;
}
