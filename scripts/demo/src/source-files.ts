// Modification times of a build step's files: sources walked recursively (skipping what builds
// and installs write: node_modules, dist, dot folders), outputs stat'ed one by one.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Stamped } from './up-to-date';

const SKIPPED = new Set(['node_modules', 'dist']);

/** Every file under `paths` (files or folders), with its mtime; a missing path is skipped. */
export function stampSources(paths: readonly string[]): Stamped[] {
  const found: Stamped[] = [];
  const visit = (path: string): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (!stat.isDirectory()) {
      found.push({ path, mtimeMs: stat.mtimeMs });
      return;
    }
    for (const entry of readdirSync(path)) {
      if (!SKIPPED.has(entry) && !entry.startsWith('.')) visit(join(path, entry));
    }
  };
  for (const path of paths) visit(path);
  return found;
}

/** Each output with its mtime, undefined when it does not exist. */
export function stampOutputs(paths: readonly string[]): Stamped[] {
  return paths.map((path) => {
    try {
      return { path, mtimeMs: statSync(path).mtimeMs };
    } catch {
      return { path };
    }
  });
}
