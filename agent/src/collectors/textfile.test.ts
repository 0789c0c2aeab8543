import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs, { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeTextFamilies, textfile } from './textfile';
import { parseTextFormat } from './textfile-format';
import {
  collectText,
  createCollector,
  itMatchesNodeExporter,
  scrapeText,
  tempPaths,
  tempTree,
} from '../../test/support/collectors';
import { memoryLogger } from '../../test/support/memory-logger';
import { writeText } from '../exposition/text';
import { counter, single } from '../metrics/family';
import { Scraper } from '../scrape/scrape';

describe('textfile collector', () => {
  itMatchesNodeExporter('textfile');

  it('exposes only node_textfile_scrape_error 0 without a directory (the upstream default)', async () => {
    expect(await collectText(textfile, tempPaths())).toBe(
      [
        '# HELP node_textfile_scrape_error 1 if there was an error opening or reading a file, 0 otherwise',
        '# TYPE node_textfile_scrape_error gauge',
        'node_textfile_scrape_error 0',
        '',
      ].join('\n'),
    );
  });

  it('flags a missing directory', async () => {
    const text = await collectText(textfile, tempPaths(), ['--collector.textfile.directory=/nonexistent/textfiles']);
    expect(text).toContain('node_textfile_scrape_error 1\n');
  });

  it('exports the other families of a file holding a histogram, which it leaves out (logged)', async () => {
    const dir = tempTree({
      'h.prom': '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\nok 1\n',
    });
    const text = await collectText(textfile, tempPaths(), [`--collector.textfile.directory=${dir}`]);
    expect(text).toContain(`# HELP ok Metric read from ${join(dir, 'h.prom')}\n`);
    expect(text).not.toMatch(/^h_/m);
    expect(text).toContain('node_textfile_scrape_error 0\n');
  });

  it('refuses a FIFO instead of blocking on it', async () => {
    const dir = tempTree({ 'ok.prom': 'ok 1\n' });
    execFileSync('mkfifo', [join(dir, 'pipe.prom')]);
    const text = await collectText(textfile, tempPaths(), [`--collector.textfile.directory=${dir}`]);
    expect(text).toContain('ok 1\n');
    expect(text).toContain('node_textfile_scrape_error 1\n');
  });

  it('parses the text format strictly', () => {
    expect(parseTextFormat('# HELP a Line one\\nline two.\n# TYPE a gauge\na{l="x\\"y"} -Inf\n')).toEqual([
      {
        name: 'a',
        help: 'Line one\nline two.',
        type: 'gauge',
        samples: [{ labels: { l: 'x"y' }, value: -Infinity }],
        hasTimestamp: false,
      },
    ]);
    expect(() => parseTextFormat('# HELP a x\n# HELP a y\na 1\n')).toThrow('second HELP line');
    expect(() => parseTextFormat('a 1\n# TYPE a gauge\n')).toThrow('must come before its samples');
    expect(() => parseTextFormat('a{l="\\q"} 1\n')).toThrow('invalid escape sequence');
    expect(() => parseTextFormat('a{l="1",l="2"} 1\n')).toThrow('duplicate label name');
    expect(() => parseTextFormat('a one\n')).toThrow('line 1: expected a float as value');
  });

  it('fills labels missing within a file and keeps the first of duplicate series', () => {
    const file = (path: string, text: string) => ({
      path,
      bytes: 0,
      samples: 0,
      mtimeSeconds: 0,
      families: parseTextFormat(text),
    });
    const { families, problems } = mergeTextFamilies([
      file('/a.prom', 'x{a="1"} 1\nx{b="2"} 2\n'),
      file('/b.prom', 'x{a="1",b=""} 3\n'),
    ]);
    expect(families[0].samples).toEqual([
      { labels: { a: '1', b: '' }, value: 1 },
      { labels: { a: '', b: '2' }, value: 2 },
    ]);
    expect(problems).toEqual([
      expect.objectContaining({ error: false, fields: expect.objectContaining({ count: 1 }) }),
    ]);
  });

  it('accepts label names that are also properties of JavaScript objects', async () => {
    const dir = tempTree({ 'a.prom': 'x{constructor="c",toString="t"} 1\nx{a="1"} 2\n' });
    const text = await collectText(textfile, tempPaths(), [`--collector.textfile.directory=${dir}`]);
    expect(text).toContain('x{a="",constructor="c",toString="t"} 1\n');
    expect(text).toContain('x{a="1",constructor="",toString=""} 2\n');
    expect(text).toContain('node_textfile_scrape_error 0\n');
  });
});

describe('textfile collector under attack (whoever can write the directory)', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    jest.restoreAllMocks();
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });
  const directoryFlag = (dir: string) => `--collector.textfile.directory=${dir}`;

  it('logs changing duplicate series once per file, not once per series: its memory stays bounded', async () => {
    const dir = tempTree({});
    const { log, lines } = memoryLogger();
    const collect = createCollector(textfile, tempPaths(), [directoryFlag(dir)], log);
    for (let scrape = 0; scrape < 5; scrape++) {
      // Every scrape, 200 new duplicated series: a warn-once memory keyed by series grows forever.
      const series = Array.from({ length: 200 }, (_, i) => `dup{n="${scrape}-${i}"} 1\n`).join('');
      writeFileSync(join(dir, 'dup.prom'), series + series);
      expect(writeText(await collect())).toContain(`dup{n="${scrape}-199"} 1\n`);
    }
    const logged = lines().filter((line) => JSON.stringify(line).includes('dup'));
    expect(logged).toEqual([expect.objectContaining({ file: join(dir, 'dup.prom'), count: 200 })]);
  });

  it('refuses a file swapped for a FIFO after the directory was listed, without blocking', async () => {
    const dir = tempTree({ 'ok.prom': 'ok 1\n', 'swapped.prom': 'swapped 1\n' });
    const swapped = join(dir, 'swapped.prom');
    // The attacker wins the race: the file becomes a FIFO just before it is opened for reading.
    // A writer is ready on the other side, so that a reader that does open it is not stuck.
    let swaps = 0;
    const swap = (path: unknown) => {
      if (path !== swapped || swaps++ > 0) return;
      fs.rmSync(swapped);
      execFileSync('mkfifo', [swapped]);
      children.push(spawn('sh', ['-c', 'printf "from_fifo 1\\n" > "$1"', 'sh', swapped], { stdio: 'ignore' }));
    };
    for (const name of ['openSync', 'readFileSync'] as const) {
      const original = fs[name] as (...args: unknown[]) => unknown;
      jest.spyOn(fs, name).mockImplementation(((...args: unknown[]) => {
        swap(args[0]);
        return original(...args);
      }) as never);
    }
    const { log, lines } = memoryLogger();
    const text = writeText(await createCollector(textfile, tempPaths(), [directoryFlag(dir)], log)());
    expect(swaps).toBe(1);
    expect(text).toContain('ok 1\n');
    expect(text).not.toContain('from_fifo');
    expect(text).toContain('node_textfile_scrape_error 1\n');
    expect(JSON.stringify(lines())).toContain('is a FIFO, not a regular file');
  });

  it('refuses devices and files past the size budget, with an error saying so', async () => {
    const big = `# ${'x'.repeat(9 << 20)}\nbig 1\n`;
    const dir = tempTree({ 'big.prom': big, 'ok.prom': 'ok 1\n' });
    symlinkSync('/dev/zero', join(dir, 'zero.prom'));
    const { log, lines } = memoryLogger();
    const text = writeText(await createCollector(textfile, tempPaths(), [directoryFlag(dir)], log)());
    expect(text).toContain('ok 1\n');
    expect(text).not.toContain('big 1');
    expect(text).toContain('node_textfile_scrape_error 1\n');
    const errors = JSON.stringify(lines());
    expect(errors).toContain('is a character device, not a regular file');
    expect(errors).toMatch(/big\.prom.*larger than the \d+ bytes left of the \d+ all textfiles may hold together/);
  });

  it('never copies a line of a file it cannot parse into the log (a symlink to /etc/shadow)', async () => {
    const secret = tempTree({ shadow: 'root:$6$s3cr3tHash:19000:0:99999:7:::\n' });
    const dir = tempTree({ 'ok.prom': 'ok 1\n', 'labels.prom': 'x{a="s3cr3tValue} 1\n' });
    symlinkSync(join(secret, 'shadow'), join(dir, 'shadow.prom'));
    const { log, lines } = memoryLogger();
    const text = writeText(await createCollector(textfile, tempPaths(), [directoryFlag(dir)], log)());
    expect(text).toContain('node_textfile_scrape_error 1\n');
    const logged = JSON.stringify(lines());
    expect(logged).not.toMatch(/s3cr3t|root:/);
    expect(logged).toContain(`failed to parse textfile data from \\"${join(dir, 'shadow.prom')}\\"`);
    expect(logged).toContain('text format parsing error in line 1: invalid metric name');
    expect(logged).toContain('text format parsing error in line 1: unterminated label value');
  });

  it('refuses a family named like a built-in one: the built-in family is served intact, the error reported', async () => {
    const dir = tempTree({
      'a.prom': '# HELP node_load1 mine\n# TYPE node_load1 counter\nnode_load1 99\nnode_load1{x="1"} 98\nmine 1\n',
      'b.prom': 'node_load5 97\nnode_textfile_scrape_error 0\nnode_scrape_collector_success{collector="x"} 1\n',
    });
    const paths = tempPaths({ loadavg: '0.25 0.50 0.75 1/100 1234\n' });
    const { log, lines } = memoryLogger();
    const text = await scrapeText(paths, ['--collector.loadavg', '--collector.textfile', directoryFlag(dir)], log);
    expect(text).toContain('# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\nnode_load1 0.25\n# HELP');
    expect(text).toContain('# TYPE node_load5 gauge\nnode_load5 0.5\n# HELP');
    expect(text).not.toMatch(/ 9[789]\n/);
    expect(text.match(/^node_textfile_scrape_error .*$/gm)).toEqual(['node_textfile_scrape_error 1']);
    expect(text.match(/^node_scrape_collector_success.*$/gm)).toEqual([
      'node_scrape_collector_success{collector="loadavg"} 1',
      'node_scrape_collector_success{collector="textfile"} 1',
    ]);
    expect(text).toContain('mine 1\n');
    const logged = JSON.stringify(lines());
    expect(logged).toContain(join(dir, 'a.prom'));
    expect(logged).toContain(join(dir, 'b.prom'));
    expect(logged).toContain('families named like metrics the agent exports itself are refused');
  });

  it("refuses families named like the agent's metrics about itself, whether they are served or not", async () => {
    const dir = tempTree({ 'a.prom': 'process_cpu_seconds_total 5\nmine 1\n' });
    const { log } = memoryLogger();
    const collect = createCollector(textfile, tempPaths(), [directoryFlag(dir)], log);
    const scraper = new Scraper([{ name: 'textfile', collect, foreign: true }], log);
    const own = [counter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', single(1))];
    for (const exposeOwn of [true, false]) {
      const text = writeText(await scraper.scrape(own, exposeOwn));
      expect(text).toContain('mine 1\n');
      expect(text).not.toContain('process_cpu_seconds_total 5');
      expect(text.includes('process_cpu_seconds_total 1\n')).toBe(exposeOwn);
      expect(text).toContain('node_textfile_scrape_error 1\n');
    }
  });
});
