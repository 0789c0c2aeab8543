// Fuzz: the queue directory holds what the queue did not write. Seeded junk is placed before the
// queue opens and between its appends, sends and restarts; the queue must never throw, never
// write through a link, leave foreign entries alone, and deliver every record it wrote, in order.
// A second run also damages the queue's own segments between sends: only damaged records may go.

import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DiskQueue } from '../../src/push/queue/disk-queue';
import { memoryLogger } from '../support/memory-logger';
import { seeded, type Random } from '@nester/testing/random';
import { addJunk } from '../support/queue-junk';

interface Run {
  queue: DiskQueue;
  appended: number[];
  /** Own record numbers in the order they were delivered, repeats included. */
  delivered: number[];
  log: string[];
}

function fuzzRun(seed: number, damage: boolean): { run: Run; victim: string; dir: string; foreign: string[] } {
  const random = seeded(seed);
  const root = mkdtempSync(join(tmpdir(), 'queue-fuzz-'));
  const dir = join(root, 'queue');
  const victim = join(root, 'victim');
  writeFileSync(victim, 'precious\n');
  const log: string[] = [];
  const open = () =>
    new DiskQueue({
      dir,
      maxBytes: 1 << 20,
      segmentBytes: 64 + random.int(200),
      fsync: random.chance(0.5) ? 'always' : 'never',
      log: memoryLogger().log,
    });
  // Before the first start: the directory may already hold anything, a junk cursor included.
  mkdirSync(dir, { mode: 0o700 });
  for (let n = random.int(8); n > 0; n--) log.push(addJunk(random, dir, { victim, cursor: true }));
  const run: Run = { queue: open(), appended: [], delivered: [], log };
  let next = 1;
  const step = (what: string, action: () => void) => {
    log.push(what);
    try {
      action();
    } catch (err) {
      throw new Error(`seed ${seed}, after ${log.join(' | ')}: ${(err as Error).stack}`, { cause: err });
    }
  };
  for (let op = 0; op < 40; op++) {
    const choice = random.int(10);
    if (choice < 4) {
      const n = next++;
      step(`append ${n}`, () => {
        run.queue.append({ samples: 1, oldestMs: n, payload: Buffer.from(`own-${n}`) });
        run.appended.push(n);
      });
    } else if (choice < 7) {
      step('send', () => send(run, random));
    } else if (choice < 8) {
      step('restart', () => {
        run.queue.close();
        run.queue = open();
      });
    } else if (damage && choice < 9) {
      step(`damage ${damageOwn(random, dir)}`, () => undefined);
    } else {
      log.push(addJunk(random, dir, { victim, cursor: false }));
    }
  }
  step('drain', () => {
    for (let i = 0; i < 1000 && send(run, random, true); i++);
  });
  run.queue.close();
  const foreign = readdirSync(dir).filter((name) => {
    const stats = lstatSync(join(dir, name));
    return stats.isDirectory() || stats.isFIFO();
  });
  return { run, victim, dir: root, foreign };
}

/** One send; acknowledged unless the "receiver" fails it. Returns whether anything was there. */
function send(run: Run, random: Random, always = false): boolean {
  const batch = run.queue.peek(1 + random.int(5));
  if (!batch) return false;
  if (!always && random.chance(0.15)) return true; // the receiver failed: nothing acknowledged
  for (const payload of batch.payloads) {
    const text = payload.toString();
    if (text.startsWith('own-')) run.delivered.push(Number(text.slice(4)));
  }
  run.queue.ack(batch.next);
  return true;
}

/** Cuts, flips or deletes one of the queue's own segments. */
function damageOwn(random: Random, dir: string): string {
  const own = readdirSync(dir)
    .filter((name) => /^\d{20,}\.seg$/.test(name) && lstatSync(join(dir, name)).isFile())
    .sort();
  if (own.length === 0) return 'nothing';
  const path = join(dir, random.pick(own));
  const size = lstatSync(path).size;
  const kind = random.int(3);
  if (kind === 0 && size > 0) {
    truncateSync(path, random.int(size));
    return `cut ${path}`;
  }
  if (kind === 1 && size > 0) {
    const bytes = readFileSync(path);
    bytes[random.int(size)] ^= 0xff;
    writeFileSync(path, bytes);
    return `flipped a byte of ${path}`;
  }
  unlinkSync(path);
  return `deleted ${path}`;
}

/** First deliveries, in order. */
const firsts = (delivered: number[]) => [...new Set(delivered)];

describe('queue directory fuzz (fixed seeds)', () => {
  it('foreign entries cost nothing: every record delivered, in order, no link written through (80 seeds)', () => {
    for (let seed = 1; seed <= 80; seed++) {
      const { run, victim, dir, foreign } = fuzzRun(seed, false);
      const context = `seed ${seed}: ${run.log.join(' | ')}`;
      expect({ context, delivered: firsts(run.delivered) }).toEqual({ context, delivered: run.appended });
      expect(readFileSync(victim, 'utf8')).toBe('precious\n');
      // Directories and FIFOs it did not make are left where they were.
      const made = run.log
        .map((entry) => /^(?:directory|FIFO) (.*)$/.exec(entry)?.[1])
        .filter((path): path is string => path !== undefined)
        .map((path) => basename(path));
      expect({ context, left: made.filter((name) => !foreign.includes(name)) }).toEqual({ context, left: [] });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('damage to its own segments costs only damaged records; order kept, later records delivered (80 seeds)', () => {
    for (let seed = 1001; seed <= 1080; seed++) {
      const { run, victim, dir } = fuzzRun(seed, true);
      const context = `seed ${seed}: ${run.log.join(' | ')}`;
      const delivered = firsts(run.delivered);
      expect({ context, ordered: delivered.every((n, i) => i === 0 || n > delivered[i - 1]) }).toEqual({
        context,
        ordered: true,
      });
      expect({ context, unknown: delivered.filter((n) => !run.appended.includes(n)) }).toEqual({
        context,
        unknown: [],
      });
      const lastDamage = run.log
        .map((entry) => entry.startsWith('damage ') && !entry.endsWith('nothing'))
        .lastIndexOf(true);
      const appendedAfter = run.log
        .slice(lastDamage + 1)
        .filter((entry) => entry.startsWith('append '))
        .map((entry) => Number(entry.slice(7)));
      expect({ context, missing: appendedAfter.filter((n) => !delivered.includes(n)) }).toEqual({
        context,
        missing: [],
      });
      expect(readFileSync(victim, 'utf8')).toBe('precious\n');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
