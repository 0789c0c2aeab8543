// Running ansible-playbook and ansible-lint from the tests: output kept, a hard time limit that kills
// the whole process group (Ansible forks workers), and the PLAY RECAP read back.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ANSIBLE_DIR = join(__dirname, '..');

export interface Run {
  code: number;
  output: string;
}

/** Runs `command args` in ansible/, with plain output, killing its process group after `timeoutMs`. */
export function runIn(
  command: string,
  args: string[],
  timeoutMs: number,
  env: Record<string, string> = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ANSIBLE_DIR,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'),
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_FORCE_COLOR: '0',
        ANSIBLE_HOST_KEY_CHECKING: 'False',
        ANSIBLE_LOCAL_TEMP: '/tmp/.ansible-nester-tests',
        ...env,
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms]\n`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

export interface Recap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
}

/** The PLAY RECAP line of `host`. */
export function recap(output: string, host: string): Recap | undefined {
  const line = new RegExp(`^${host}\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)`, 'm').exec(
    output,
  );
  if (!line) return undefined;
  const [ok, changed, unreachable, failed] = line.slice(1).map(Number);
  return { ok, changed, unreachable, failed };
}

/** The tasks a run reported changed (`changed: [host]` lines with their task headers), for failure messages. */
export function changedTasks(output: string): string[] {
  const found: string[] = [];
  let task = '';
  for (const line of output.split('\n')) {
    const header = /^(?:TASK|RUNNING HANDLER) \[(.*)\]/.exec(line);
    if (header) task = header[1];
    else if (/^changed: /.test(line)) found.push(`${task}: ${line}`);
  }
  return found;
}

/** The Debian packages the converge test's container has beside the nspawn base (tests/base-packages.txt). */
export function basePackages(): string[] {
  return readFileSync(join(ANSIBLE_DIR, 'tests', 'base-packages.txt'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}
