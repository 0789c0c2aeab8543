// Enrols the demo's harvester with nester through the two CLIs, as an operator would, with an
// enrolment token that cannot outlive the demo's use of it: one use, ten minutes, and revoked
// right after the enrolment whether it worked or not. (A token left behind would let anyone who
// reads the demo's state enrol machines into this fleet.)

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface EnrolOptions {
  nesterBin: string;
  harvesterBin: string;
  /** How the nester CLI reaches its database: `--data-dir=…` or `--db.url=…`. */
  database: string[];
  nesterUrl: string;
  stateDir: string;
  labels: string[];
}

export interface Enrolled {
  harvesterId: string;
  tokenId: string;
}

const nester = (options: EnrolOptions, args: string[]) =>
  run(process.execPath, [options.nesterBin, ...args, ...options.database, '--log.level=error'], { encoding: 'utf8' });

export async function enrolDemoMachine(options: EnrolOptions): Promise<Enrolled> {
  const created = await nester(options, [
    'token',
    'create',
    '--description=npm start (single use, revoked after enrolling)',
    '--max-uses=1',
    '--ttl=10m',
    '--output=json',
  ]);
  const { id, token } = JSON.parse(created.stdout) as { id: string; token: string };
  try {
    const enrolled = await run(
      options.harvesterBin,
      [
        'enroll',
        `--nester-url=${options.nesterUrl}`,
        `--token=${token}`,
        `--state-dir=${options.stateDir}`,
        ...options.labels.map((label) => `--remote.label=${label}`),
      ],
      { encoding: 'utf8' },
    );
    const harvesterId = /enrolled as (\S+);/.exec(enrolled.stdout)?.[1];
    if (!harvesterId) throw new Error(`harvester enroll said: ${enrolled.stdout.trim()}`);
    return { harvesterId, tokenId: id };
  } finally {
    await nester(options, ['token', 'revoke', id]);
  }
}
