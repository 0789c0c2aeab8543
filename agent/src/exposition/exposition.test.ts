import { counter, gauge, untyped } from '../metrics/family';
import { formatFloat } from './float';
import { parseText } from './parse';
import { writeText } from './text';

test('numbers are written as Go writes them', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1, '1'],
    [-1, '-1'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [236433800, '2.364338e+08'],
    [82786418688, '8.2786418688e+10'],
    [680.78, '680.78'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [2 ** 64, '1.8446744073709552e+19'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  for (const [value, text] of cases) expect(formatFloat(value)).toBe(text);
});

test('families, label pairs and series are ordered like client_golang, with escaping', () => {
  const text = writeText([
    gauge('node_b', 'B.', [{ labels: {}, value: 1 }]),
    counter('node_a_total', 'A with \\ and\nnewline.', [
      { labels: { mode: 'user', cpu: '2' }, value: 3 },
      { labels: { mode: 'idle', cpu: '10' }, value: 2 },
      { labels: { mode: 'x"y\\z\n', cpu: '10' }, value: 1 },
    ]),
    untyped('node_c', 'Empty families are omitted.', []),
  ]);
  expect(text).toBe(
    [
      '# HELP node_a_total A with \\\\ and\\nnewline.',
      '# TYPE node_a_total counter',
      'node_a_total{cpu="10",mode="idle"} 2',
      'node_a_total{cpu="10",mode="x\\"y\\\\z\\n"} 1',
      'node_a_total{cpu="2",mode="user"} 3',
      '# HELP node_b B.',
      '# TYPE node_b gauge',
      'node_b 1',
      '',
    ].join('\n'),
  );
});

test('what we write parses back to the same families', () => {
  const families = [
    gauge('node_g', 'G.', [{ labels: { device: 'a"b' }, value: 2 ** 60 }]),
    untyped('node_u', 'U.', [{ labels: {}, value: -0.5 }]),
  ];
  const parsed = parseText(writeText(families));
  expect(parsed.get('node_g')).toEqual({ name: 'node_g', help: 'G.', type: 'gauge', samples: families[0].samples });
  expect(parsed.get('node_u')?.type).toBe('untyped');
  expect(parsed.get('node_u')?.samples[0].value).toBe(-0.5);
});

test('malformed input is refused with the line number', () => {
  expect(() => parseText('ok 1\nbad{x="1" 2\n')).toThrow(/line 2/);
  expect(() => parseText('m{a="1",a="2"} 1')).toThrow(/duplicate label a/);
  expect(() => parseText('m one')).toThrow(/not a number/);
  expect(() => parseText('# TYPE m gauges')).toThrow(/unknown metric type/);
});
