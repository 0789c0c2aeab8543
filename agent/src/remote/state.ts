// The agent's enrolment, kept on disk: nester's URL, the harvester id and the agent's own
// credential, in a file only the agent's user can read (0600, directory 0700), replaced
// atomically so a crash mid-write never leaves half a credential.

import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Enrolment {
  nesterUrl: string;
  harvesterId: string;
  credential: string;
  enrolledAt: string;
  /** CA file and certificate pin given at enrolment, reused by the control channel. */
  nesterCa?: string;
  nesterPinSha256?: string;
}

export const STATE_FILE = 'nester.json';

/** /var/lib/harvester for root (a system service), the XDG state directory otherwise. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.getuid?.() === 0) return '/var/lib/harvester';
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'harvester');
}

export function readEnrolment(stateDir: string): Enrolment | undefined {
  const path = join(stateDir, STATE_FILE);
  if (!existsSync(path)) return undefined;
  let value: Partial<Enrolment>;
  try {
    value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Enrolment>;
  } catch (err) {
    throw new Error(
      `${path} is not readable JSON (${(err as Error).message}); enrol again with harvester enroll --force`,
      { cause: err },
    );
  }
  if (!value.nesterUrl || !value.harvesterId || !value.credential) {
    throw new Error(`${path} is incomplete; enrol again with harvester enroll --force`);
  }
  return value as Enrolment;
}

export function writeEnrolment(stateDir: string, enrolment: Enrolment): string {
  return writeStateFile(stateDir, STATE_FILE, `${JSON.stringify(enrolment, null, 2)}\n`);
}

/** Writes `name` in the state directory (0600, directory 0700), atomically; returns its path. */
export function writeStateFile(stateDir: string, name: string, content: string): string {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  chmodSync(stateDir, 0o700);
  const path = join(stateDir, name);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, path);
  return path;
}
