// Debian's Prometheus as a peer of the shared codec and of the matcher translation: its own
// remote_write receiver must accept what common/prompb encodes (the agent's sender path), and
// its RE2 regex matchers must accept, refuse and match exactly as ours do.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snappyCompress } from '@nester/common/prompb/snappy';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import { compileMatcher } from '../src/query/matchers';
import { promQuery, startPrometheus, type RunningPrometheus, type PromSeries } from '@nester/testing/prometheus';

let dir: string;
let prom: RunningPrometheus;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ts-peer-'));
  prom = await startPrometheus('global: {scrape_interval: 1h}\n', {
    dataDir: join(dir, 'tsdb'),
    args: ['--web.enable-remote-write-receiver'],
  });
}, 60_000);

afterAll(async () => {
  await prom?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('our remote_write encoder is understood by Prometheus’ own receiver (the agent’s sender path)', async () => {
  const t0 = Date.now() - 10_000;
  const body = snappyCompress(
    encodeWriteRequest({
      timeseries: [
        {
          labels: [
            { name: '__name__', value: 'nester_codec_check' },
            { name: 'host', value: 'höst-1' },
          ],
          samples: [
            { value: 1.5, timestamp: t0 },
            { value: -2.25e-300, timestamp: t0 + 1000 },
            { value: NaN, timestamp: t0 + 2000, stale: true },
          ],
        },
      ],
    }),
  );
  const res = await fetch(`${prom.url}/api/v1/write`, {
    method: 'POST',
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body,
  });
  expect(res.status).toBe(204);
  const raw = await promQuery(prom.url, '/api/v1/query', {
    query: 'nester_codec_check[1m]',
    time: String((t0 + 5000) / 1000),
  });
  expect(raw).toEqual([
    {
      metric: { __name__: 'nester_codec_check', host: 'höst-1' },
      values: [
        [t0 / 1000, '1.5'],
        [(t0 + 1000) / 1000, '-2.25e-300'],
      ],
    },
  ]);
  // The stale marker was understood as one: the instant value right after it is gone.
  const instant = await promQuery(prom.url, '/api/v1/query', {
    query: 'nester_codec_check',
    time: String((t0 + 2500) / 1000),
  });
  expect(instant).toEqual([]);
});

test('regex matchers accept, refuse and match exactly as Prometheus’ RE2 does', async () => {
  const values = [
    'a',
    'abc',
    'ABC',
    'aBc',
    'a.c',
    'axc',
    'a\nc',
    '\n',
    'b',
    'ab',
    'aa',
    'aaa',
    'aaaa',
    'x',
    'xx',
    '12',
    'a1',
    'ÄÖ',
    'äö',
    'αβγ',
    'a-z',
    '-',
    ' ',
    'a b',
    'K',
    'k',
    '\u212a',
    'ſ',
    's',
    'S',
    'a{,3}',
    '{',
    '\\',
    '[',
    ']',
    'a|b',
    'A_1',
  ];
  const t = Date.now() - 5000;
  const timeseries = [
    {
      labels: [
        { name: '__name__', value: 're_probe' },
        { name: 'i', value: 'none' },
      ],
      samples: [{ value: 1, timestamp: t }],
    },
  ];
  values.forEach((value, i) =>
    timeseries.push({
      labels: [
        { name: '__name__', value: 're_probe' },
        { name: 'i', value: String(i) },
        { name: 'v', value },
      ],
      samples: [{ value: 1, timestamp: t }],
    }),
  );
  const res = await fetch(`${prom.url}/api/v1/write`, {
    method: 'POST',
    headers: { 'Content-Encoding': 'snappy', 'Content-Type': 'application/x-protobuf' },
    body: snappyCompress(encodeWriteRequest({ timeseries })),
  });
  expect(res.status).toBe(204);

  const accepted = [
    'a.c',
    '.*',
    '.+',
    '(?i)abc',
    '(?i:a)bc',
    'a|b|',
    '[[:alpha:]]+',
    '[[:^alpha:]]',
    '\\d+',
    '\\w+\\s?\\w*',
    '[^a-c]',
    '\\pL+',
    '\\p{Greek}+',
    '\\PL',
    'a{2,3}',
    'a{,3}',
    'a{2}',
    '\\Qa.c\\E',
    '(?s)a.c',
    '(?s:.)',
    '^a$',
    '(?m)^a$',
    'x*?',
    '\\x41BC',
    '\\101BC',
    '[\\d-z]+',
    '(?P<n>a)b',
    '(?i)k',
    '(?i)s',
    '[a-c]+(?i)B?',
    '(?U)a+',
    '\\.',
    '\\{',
    '[]a]',
    '[^]a]',
    '(a|b)*',
    '\\Aa\\z',
    '[\\\\]',
    'a\\|b',
    '(?i)ä',
    '[\\p{Greek}a]+',
    '\\bab\\b',
    '(?:)',
    '()',
    'a{0}bc',
    '[a-]',
    '(?i)äö',
  ];
  const refused = [
    '(?=a)',
    '(?!a)',
    '(?<=a)',
    'a**',
    'a++',
    '\\1',
    '(a)\\1',
    'a{1001}',
    '\\Z',
    '(?#c)',
    '[z-a]',
    '(',
    ')',
    '[a',
    '\\8',
    'x{2}{3}',
    '(?P=n)',
    '\\é',
    '*a',
    '\\p{Nope}',
    '(?x)a',
    '\\C',
  ];
  const when = String(t / 1000 + 1);
  for (const pattern of [...accepted, ...refused]) {
    const body = (await (
      await fetch(
        `${prom.url}/api/v1/query?${new URLSearchParams({ query: `re_probe{v=~\`${pattern}\`}`, time: when })}`,
      )
    ).json()) as { status: string; data?: { result: PromSeries[] } };
    let ours: string[] | 'refused';
    try {
      const m = compileMatcher({ type: 2, name: 'v', value: pattern });
      ours = ['none', ...values.map((_, i) => String(i))].filter((i) =>
        m.matches(i === 'none' ? '' : values[Number(i)]),
      );
    } catch {
      ours = 'refused';
    }
    const theirs = body.status === 'success' ? body.data!.result.map((s) => s.metric.i) : 'refused';
    expect({ pattern, result: Array.isArray(ours) ? ours.sort() : ours }).toEqual({
      pattern,
      result: Array.isArray(theirs) ? theirs.sort() : theirs,
    });
    if (accepted.includes(pattern))
      expect({ pattern, refused: ours === 'refused' }).toEqual({ pattern, refused: false });
  }
});
