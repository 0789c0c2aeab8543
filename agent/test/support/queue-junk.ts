// Entries a fuzz test puts into the agent's queue directory that the queue did not write:
// random names and bytes, directories, FIFOs and links named like segments, segment numbers far
// past 2^53, zero-length, torn and badly checksummed segments, a junk cursor. Seeded.

import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeRecord } from '../../src/push/queue/record';
import type { Random } from '@nester/testing/random';

const name = (seq: bigint) => `${seq.toString().padStart(20, '0')}.seg`;

/** The highest segment number named in `dir`, or 0. */
export function highestSegment(dir: string): bigint {
  let highest = 0n;
  for (const entry of readdirSync(dir)) {
    const match = /^(\d{20,})\.seg$/.exec(entry);
    if (match && BigInt(match[1]) > highest) highest = BigInt(match[1]);
  }
  return highest;
}

export interface JunkOptions {
  /** A file outside the directory that links point to: it must never be written. */
  victim: string;
  /** Whether `cursor` itself may be replaced (only before the queue first starts). */
  cursor: boolean;
}

/** Adds one foreign entry; returns a description for failure messages. */
export function addJunk(random: Random, dir: string, { victim, cursor }: JunkOptions): string {
  const next = highestSegment(dir) + 1n + BigInt(random.int(3));
  const seq = random.pick([
    next,
    next,
    BigInt(random.int(5)),
    2n ** 53n + BigInt(random.int(3)) - 1n,
    10n ** 20n - 1n,
    2n ** 64n + 7n,
    10n ** 30n,
  ]);
  const target = join(dir, name(seq));
  if (present(target) || random.chance(0.15)) return foreignName(random, dir, victim, cursor);
  const kind = random.int(9);
  switch (kind) {
    case 0:
      mkdirSync(target);
      return `directory ${name(seq)}`;
    case 1:
      execFileSync('mkfifo', [target]);
      return `FIFO ${name(seq)}`;
    case 2: {
      const to = random.pick([victim, '/dev/zero', '/dev/urandom', join(dir, 'nowhere'), target]);
      symlinkSync(to, target);
      return `link ${name(seq)} -> ${to}`;
    }
    case 3:
      writeFileSync(target, '');
      return `empty ${name(seq)}`;
    case 4:
      writeFileSync(target, random.bytes(random.int(200)));
      return `random bytes ${name(seq)}`;
    case 5: {
      const record = encodeRecord({ samples: 1, oldestMs: 1, payload: Buffer.from('forged') });
      writeFileSync(target, record.subarray(0, random.int(record.length)));
      return `torn record ${name(seq)}`;
    }
    case 6: {
      const record = encodeRecord({ samples: 1, oldestMs: 1, payload: Buffer.from('forged') });
      record[4 + random.int(4)] ^= 0xff;
      writeFileSync(target, record);
      return `bad checksum ${name(seq)}`;
    }
    case 7: {
      const record = Buffer.alloc(20);
      record.writeUInt32LE(0xffffffff, 0);
      writeFileSync(target, record);
      return `impossible length ${name(seq)}`;
    }
    default:
      writeFileSync(join(dir, `${random.string(1 + random.int(30), '0123456789')}.seg`), random.bytes(random.int(64)));
      return 'a segment-like name of another spelling';
  }
}

function foreignName(random: Random, dir: string, victim: string, cursor: boolean): string {
  const kind = random.int(cursor ? 6 : 4);
  const other = join(dir, random.pick(['notes.txt', 'lost+found', '.hidden', 'x.seg.tmp', 'segment', 'é']));
  switch (kind) {
    case 0:
      if (present(other)) return `${other} already there`;
      writeFileSync(other, random.bytes(random.int(100)));
      return `file ${other}`;
    case 1:
      if (present(other)) return `${other} already there`;
      mkdirSync(other);
      return `directory ${other}`;
    case 2:
    case 3: {
      const tmp = join(dir, 'cursor.tmp');
      if (present(tmp)) return 'cursor.tmp already there';
      if (random.chance(0.5)) symlinkSync(victim, tmp);
      else mkdirSync(tmp);
      return 'cursor.tmp taken';
    }
    default: {
      const path = join(dir, 'cursor');
      if (present(path)) return 'cursor already there';
      const junk = random.pick([
        '{"seq":1e300,"index":0}',
        '{"seq":"99999999999999999999999","index":2}',
        'nonsense',
        '',
      ]);
      if (random.chance(0.3)) symlinkSync(random.pick(['/dev/zero', victim]), path);
      else if (random.chance(0.2)) execFileSync('mkfifo', [path]);
      else writeFileSync(path, junk);
      return 'junk cursor';
    }
  }
}

/** Whether anything is there under that name, a dangling link included. */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
