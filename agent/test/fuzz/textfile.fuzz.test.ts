// Fuzz: the textfile directory is written by someone else. Random and mutated exposition text
// (bad escapes, huge label counts, invalid UTF-8, NUL, enormous lines, colliding and duplicate
// families, HELP/TYPE mismatches) next to file-system weirdness (FIFOs, directories named *.prom,
// link loops, devices, huge and growing files). Whatever is there, a scrape completes, the built-in
// metrics are intact, the exposition is valid, problems show in node_textfile_scrape_error, and
// the agent's memory does not grow with what the files change from scrape to scrape.

import { execFileSync } from 'node:child_process';
import fs, { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { loadavg } from '../../src/collectors/loadavg';
import { createCollector, tempPaths } from '../support/collectors';
import { memoryLogger } from '../support/memory-logger';
import { textfile } from '../../src/collectors/textfile';
import { writeText } from '../../src/exposition/text';
import { Scraper } from '../../src/scrape/scrape';
import { expositionProblems } from '../support/exposition-check';
import { type Random, seeded } from '@nester/testing/random';

const LOADAVG = '0.25 0.50 0.75 1/100 1234\n';
const BUILT_IN = [
  '# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\nnode_load1 0.25\n',
  '# HELP node_load5 5m load average.\n# TYPE node_load5 gauge\nnode_load5 0.5\n',
  '# HELP node_load15 15m load average.\n# TYPE node_load15 gauge\nnode_load15 0.75\n',
];

/** Names drawn for families: ordinary ones, the agent's own, and invalid ones. */
const NAMES = [
  'app_jobs_total',
  'app_temp',
  'app_temp_sum',
  'app_temp_count',
  'app_temp_bucket',
  'dup',
  'x',
  'node_load1',
  'node_load15',
  'node_textfile_scrape_error',
  'node_textfile_mtime_seconds',
  'node_scrape_collector_success',
  'process_cpu_seconds_total',
  '1bad',
  'a-b',
  'é',
  'a b',
];
const TYPES = ['counter', 'gauge', 'untyped', 'summary', 'histogram', 'bogus', ''];
const LABELS = ['a', 'b', 'le', 'quantile', 'constructor', '__proto__', '__name__', 'toString', '1x', 'a-b', ''];
const VALUES = ['1', '-1.5', '1e10', '.5', '5.', 'NaN', 'nan', '+Inf', '-inf', 'Infinity', '0x10', '1_000', 'abc', ''];
const TEXT = 'abc xyz_:{}",=\\n\t#é€\u0000\r';

function labelValue(random: Random): string {
  const pieces = ['', 'v', '\\"', '\\\\', '\\n', '\\q', '\\', '"', 'é', '\u0000', '\t', '}', ','];
  let out = '';
  for (let n = random.int(4); n > 0; n--) out += random.pick(pieces);
  return out;
}

function labels(random: Random): string {
  const count = random.chance(0.02) ? 500 + random.int(2500) : random.int(4);
  if (count === 0 && random.chance(0.7)) return '';
  const pairs: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = random.chance(0.9) && count > 4 ? `l${i}` : random.pick(LABELS);
    pairs.push(`${name}${random.chance(0.05) ? ' = ' : '='}"${labelValue(random)}"`);
  }
  const close = random.chance(0.03) ? '' : '}';
  return `{${pairs.join(random.chance(0.05) ? ' , ' : ',')}${random.chance(0.1) ? ',' : ''}${close}`;
}

function value(random: Random): string {
  if (random.chance(0.01)) return `${'1'.repeat(200_000 + random.int(200_000))}${random.pick(['', 'x', 'e5'])}`;
  if (random.chance(0.3)) return String(random.next() * 10 ** random.int(30) * (random.chance(0.2) ? -1 : 1));
  return random.pick(VALUES);
}

/** A textfile: mostly well-formed exposition with the mistakes people (and attackers) make. */
function exposition(random: Random): string {
  const lines: string[] = [];
  for (let f = random.int(5); f >= 0; f--) {
    const name = random.chance(0.8) ? random.pick(NAMES) : random.string(1 + random.int(8), 'abcxyz_:0');
    if (random.chance(0.5)) lines.push(`# HELP ${name} ${random.string(random.int(20), TEXT)}`);
    if (random.chance(0.5)) lines.push(`# TYPE ${name} ${random.pick(TYPES)}`);
    for (let s = random.int(6); s > 0; s--) {
      const sample = random.chance(0.1) ? `${name}${random.pick(['_sum', '_count', '_bucket'])}` : name;
      const timestamp = random.chance(0.03) ? ` ${random.int(2e9)}` : '';
      lines.push(`${sample}${labels(random)} ${value(random)}${timestamp}`);
    }
    if (random.chance(0.1)) lines.push(`# TYPE ${name} gauge`); // late or second TYPE
    if (random.chance(0.1)) lines.push(`# ${random.string(random.int(30), TEXT)}`);
    if (random.chance(0.1)) lines.push('');
  }
  if (random.chance(0.02)) lines.push(`big{a="${'v'.repeat(1_000_000)}"} 1`);
  if (random.chance(0.02)) lines.push(`# HELP long ${'h'.repeat(1_000_000)}`);
  return lines.join(random.chance(0.1) ? '\r\n' : '\n') + (random.chance(0.9) ? '\n' : '');
}

/** Bytes flipped, inserted or cut: invalid UTF-8, NULs, torn lines. */
function mutate(random: Random, text: string): Buffer {
  let bytes = Buffer.from(text);
  for (let n = 1 + random.int(5); n > 0; n--) {
    const at = random.int(bytes.length + 1);
    const op = random.int(4);
    if (op === 0 && bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = random.int(256);
    else if (op === 1)
      bytes = Buffer.concat([bytes.subarray(0, at), random.bytes(1 + random.int(4)), bytes.subarray(at)]);
    else if (op === 2) bytes = bytes.subarray(0, at);
    else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([random.pick([0x00, 0xff, 0xc3, 0x80, 0x0a])])]);
  }
  return bytes;
}

/** Entries that can never be read as a textfile: each makes node_textfile_scrape_error 1. */
const UNREADABLE = ['fifo', 'directory', 'loop', 'dangling', 'device', 'huge', 'growing'] as const;
type Kind = 'valid' | 'mutated' | 'unreadable-mode' | (typeof UNREADABLE)[number];
const KINDS: Kind[] = [
  ...Array<Kind>(6).fill('valid'),
  ...Array<Kind>(5).fill('mutated'),
  'unreadable-mode',
  ...UNREADABLE.filter((kind) => kind !== 'growing'),
];

/** Files that grow whenever they are read, as a writer appending while the agent reads would. */
const growing = new Set<string>();

function populate(random: Random, dir: string): { kinds: Kind[] } {
  const kinds: Kind[] = [];
  for (let n = random.int(7); n > 0; n--) {
    // A growing file costs 8 MiB of writes: rarer than the rest.
    const kind = random.chance(0.01) ? 'growing' : random.pick(KINDS);
    const path = join(dir, `${kinds.length}-${kind}.prom`);
    kinds.push(kind);
    switch (kind) {
      case 'valid':
        writeFileSync(path, exposition(random));
        break;
      case 'mutated':
        writeFileSync(path, mutate(random, exposition(random)));
        break;
      case 'unreadable-mode': // the agent usually runs as root, who reads it anyway
        writeFileSync(path, exposition(random));
        chmodSync(path, 0);
        break;
      case 'fifo':
        execFileSync('mkfifo', [path]);
        break;
      case 'directory':
        mkdirSync(path);
        break;
      case 'loop':
        symlinkSync(`${path}.other.prom`, path);
        symlinkSync(path, `${path}.other.prom`);
        break;
      case 'dangling':
        symlinkSync(join(dir, 'nowhere'), path);
        break;
      case 'device':
        symlinkSync(random.pick(['/dev/zero', '/dev/null', '/dev/urandom']), path);
        break;
      case 'huge':
        writeFileSync(path, 'ok_huge 1\n');
        truncateSync(path, 9 << 20); // sparse: NULs past the budget
        break;
      case 'growing':
        writeFileSync(path, 'grows 1\n');
        growing.add(path);
        break;
    }
  }
  if (random.chance(0.1)) mkdirSync(join(dir, 'not-a-textfile'));
  return { kinds };
}

async function scrapeOnce(collectors: {
  loadavg: ReturnType<typeof createCollector>;
  textfile: ReturnType<typeof createCollector>;
}) {
  const { log } = memoryLogger();
  const scraper = new Scraper(
    [
      { name: 'loadavg', collect: collectors.loadavg },
      { name: 'textfile', collect: collectors.textfile, foreign: true },
    ],
    log,
  );
  return writeText(await scraper.scrape());
}

describe('textfile fuzz (fixed seeds)', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'textfile-fuzz-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(() => {
    // The `growing` files get 2 MiB longer before every read of them.
    const fdPaths = new Map<number, string>();
    const { openSync, readSync } = fs;
    jest.spyOn(fs, 'openSync').mockImplementation(((path: string, ...rest: unknown[]) => {
      const fd = (openSync as (...args: unknown[]) => number)(path, ...rest);
      fdPaths.set(fd, String(path));
      return fd;
    }) as typeof fs.openSync);
    jest.spyOn(fs, 'readSync').mockImplementation((fd: number, ...rest: unknown[]) => {
      const path = fdPaths.get(fd);
      if (path && growing.has(path)) fs.appendFileSync(path, Buffer.alloc(2 << 20, 'g 1\n'));
      return (readSync as (...args: unknown[]) => number)(fd, ...rest);
    });
  });

  afterAll(() => {
    jest.restoreAllMocks();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('every scrape completes with the built-in metrics intact and a valid exposition (200 seeds)', async () => {
    const paths = tempPaths({ loadavg: LOADAVG });
    for (let seed = 1; seed <= 200; seed++) {
      const random = seeded(seed);
      const dir = newDir();
      const { kinds } = populate(random, dir);
      const { log, lines } = memoryLogger();
      const flags = [`--collector.textfile.directory=${dir}`];
      const collectors = {
        loadavg: createCollector(loadavg, paths, [], log),
        textfile: createCollector(textfile, paths, flags, log),
      };
      let text: string;
      try {
        text = await scrapeOnce(collectors);
      } catch (err) {
        throw new Error(`seed ${seed}: the scrape threw: ${(err as Error).stack}`, { cause: err });
      }
      const context = `seed ${seed} (${kinds.join(', ')})`;
      expect({ context, problems: expositionProblems(text) }).toEqual({ context, problems: [] });
      for (const family of BUILT_IN) expect(text).toContain(family);
      expect(text).toContain('node_scrape_collector_success{collector="textfile"} 1\n');
      const error = text.match(/^node_textfile_scrape_error (.*)$/gm);
      expect({ context, error }).toEqual({
        context,
        error: [
          kinds.some((kind) => (UNREADABLE as readonly string[]).includes(kind))
            ? 'node_textfile_scrape_error 1'
            : expect.stringMatching(/^node_textfile_scrape_error [01]$/),
        ],
      });
      // A parse error never quotes the file: its reason is one of the parser's own short phrases.
      for (const { err } of lines()) {
        const reason = /text format parsing error in line \d+: (.*)$/.exec(String(err))?.[1];
        if (reason !== undefined)
          expect({ context, reason }).toEqual({
            context,
            reason: expect.stringMatching(/^[a-z A-Z0-9'"{}=,_-]{5,80}$/),
          });
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('memory does not grow with problems that change every scrape', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const dir = newDir();
    const paths = tempPaths({ loadavg: LOADAVG });
    const { log } = memoryLogger();
    const collectors = {
      loadavg: createCollector(loadavg, paths, [], log),
      textfile: createCollector(textfile, paths, [`--collector.textfile.directory=${dir}`], log),
    };
    const random = seeded(7);
    const round = async (scrapes: number) => {
      for (let n = 0; n < scrapes; n++) {
        // New duplicate series, type conflicts and colliding names in every scrape.
        const id = random.string(12, 'abcdef0123456789');
        const series = Array.from({ length: 300 }, (_, i) => `dup{id="${id}",n="${i}"} 1\n`).join('');
        writeFileSync(join(dir, 'a.prom'), `${series}${series}# TYPE t_${id} counter\nt_${id} 1\n`);
        writeFileSync(join(dir, 'b.prom'), `t_${id} 2\nnode_load1{id="${id}"} 3\n`);
        await scrapeOnce(collectors);
      }
      gc();
      return process.memoryUsage().heapUsed;
    };
    const warm = await round(30);
    const after = await round(120);
    // The warn-once memory this replaced kept ~300 messages of ~100 bytes per scrape: 3.6+ MB here.
    expect(after - warm).toBeLessThan(2 << 20);
  }, 60_000);
});
