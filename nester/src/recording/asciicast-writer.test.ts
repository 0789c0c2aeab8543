import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsciicastWriter, completeLines } from './asciicast-writer';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cast-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('multibyte characters split across reads come out whole, file is private and hashed', () => {
  const path = join(dir, 'h_1', 's_1.cast');
  const writer = new AsciicastWriter(path, { width: 80, height: 24, env: { TERM: 'xterm-256color' } });
  const bytes = Buffer.from('héllo → 世界 🎉\r\n', 'utf8');
  for (const byte of bytes) writer.output(Buffer.from([byte]));
  writer.resize(100, 40);
  const sha = writer.close();

  const content = readFileSync(path);
  const [header, ...events] = content
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(header).toMatchObject({ version: 2, width: 80, height: 24, env: { TERM: 'xterm-256color' } });
  expect(
    events
      .filter((e) => e[1] === 'o')
      .map((e) => e[2])
      .join(''),
  ).toBe('héllo → 世界 🎉\r\n');
  expect(events.at(-1)).toEqual([expect.any(Number), 'r', '100x40']);
  expect(events.every((e) => !String(e[2]).includes('\ufffd'))).toBe(true);
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(sha).toBe(createHash('sha256').update(content).digest('hex'));
});

test('a file cut mid-line is served up to its last complete line', () => {
  expect(completeLines(Buffer.from('{"version":2}\n[0.1,"o","a"]\n[0.2,"o","b'))).toEqual(
    Buffer.from('{"version":2}\n[0.1,"o","a"]\n'),
  );
});
