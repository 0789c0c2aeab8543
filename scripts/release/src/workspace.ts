// This workspace's folder (scripts/release), whether the code runs compiled (dist/src) or from src
// under jest; and the repository around it.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function find(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node-runtime.json'))) return dir;
  }
  throw new Error(`cannot find scripts/release above ${__dirname}`);
}

export const WORKSPACE = find();
export const REPO = join(WORKSPACE, '..', '..');
export const FILES = join(WORKSPACE, 'files');
