import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { mergeTextFamilies, textfile } from './textfile';
import { parseTextFormat } from './textfile-format';
import { collectText, goldenCases, runGoldenCase, tempPaths, tempTree } from './testing';

describe('textfile collector', () => {
  it.each(goldenCases('textfile'))('exposes what node_exporter 1.5.0 exposes ($name)', async (testCase) => {
    const { ours, theirs } = await runGoldenCase(testCase);
    expect(ours).toBe(theirs);
  });

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
    expect(() => parseTextFormat('a one\n')).toThrow('expected float as value');
  });

  it('fills labels missing within a file and keeps the first of duplicate series', () => {
    const file = (path: string, text: string) => ({ path, mtimeSeconds: 0, families: parseTextFormat(text) });
    const merged = mergeTextFamilies(
      [file('/a.prom', 'x{a="1"} 1\nx{b="2"} 2\n'), file('/b.prom', 'x{a="1",b=""} 3\n')],
      () => undefined,
    );
    expect(merged[0].samples).toEqual([
      { labels: { a: '1', b: '' }, value: 1 },
      { labels: { a: '', b: '2' }, value: 2 },
    ]);
  });
});
