// What a build is named by and stamped with: the commit, and its time as every file's mtime, so the
// same commit gives the same bytes. SOURCE_DATE_EPOCH (reproducible-builds.org) overrides the time.

import { execFileSync } from 'node:child_process';

export interface SourceState {
  commit: string;
  mtime: number;
}

export function sourceState(repo: string, env: NodeJS.ProcessEnv = process.env): SourceState {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', ['-C', repo, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return '';
    }
  };
  const commit = git('rev-parse', 'HEAD') || 'unknown';
  const dirty = commit !== 'unknown' && git('status', '--porcelain', '--untracked-files=no') !== '';
  const epoch = env.SOURCE_DATE_EPOCH ?? git('log', '-1', '--format=%ct');
  const mtime = Number(epoch);
  return { commit: dirty ? `${commit}-dirty` : commit, mtime: Number.isInteger(mtime) && mtime > 0 ? mtime : 0 };
}
