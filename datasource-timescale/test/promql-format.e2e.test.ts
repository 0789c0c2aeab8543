// /api/v1/format_query against Prometheus 2.42 itself: every expression of the differential
// corpus and of the formatting corpus is formatted by Debian's Prometheus and by the adapter, and
// the answers must be the same text (or both a 400 bad_data). Then seeded random mutations of
// those expressions: never a 5xx, and wherever both accept one, the same text.

import { startPrometheus, type RunningPrometheus } from '@nester/testing/prometheus';
import { seeded, type Random } from '@nester/testing/random';
import { READ_TOKEN, startHarness, type Harness } from './harness';
import { CORPUS } from './promql-corpus';
import { FORMAT_CORPUS } from './promql-format-corpus';

let prom: RunningPrometheus;
let h: Harness;

beforeAll(async () => {
  [prom, h] = await Promise.all([
    startPrometheus('global: {scrape_interval: 1h}\n'),
    startHarness('promql_format', { queryTimeoutMs: 10_000 }),
  ]);
}, 120_000);

afterAll(async () => {
  await prom?.stop();
  await h?.stop();
});

interface Answer {
  status: number;
  body: { status: string; data?: unknown; errorType?: string; error?: string };
}

async function format(base: string, query: string, auth: boolean, post = false): Promise<Answer> {
  const headers: Record<string, string> = auth ? { Authorization: `Bearer ${READ_TOKEN}` } : {};
  const form = new URLSearchParams({ query }).toString();
  const res = post
    ? await fetch(`${base}/api/v1/format_query`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
      })
    : await fetch(`${base}/api/v1/format_query?${form}`, { headers });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** Why the answers differ (errors: status and errorType; the words of parse errors differ). */
function difference(p: Answer, o: Answer): string | undefined {
  if (p.status !== o.status || p.body.status !== o.body.status || p.body.errorType !== o.body.errorType) {
    return `Prometheus ${p.status} ${JSON.stringify(p.body)} vs adapter ${o.status} ${JSON.stringify(o.body)}`;
  }
  if (p.body.status === 'success' && p.body.data !== o.body.data) {
    return `Prometheus ${JSON.stringify(p.body.data)} vs adapter ${JSON.stringify(o.body.data)}`;
  }
  if (p.body.status === 'error' && !o.body.error?.startsWith('invalid parameter "query": ')) {
    return `adapter's error ${JSON.stringify(o.body.error)} lacks Prometheus' prefix`;
  }
  return undefined;
}

const AT = '1700000000.5';
const EXPRESSIONS = [...CORPUS.map((e) => e.replaceAll('AT', AT)), ...FORMAT_CORPUS];

test(`${EXPRESSIONS.length} expressions are formatted as Prometheus 2.42 formats them`, async () => {
  const mismatches: string[] = [];
  let formatted = 0;
  for (const [i, expr] of EXPRESSIONS.entries()) {
    const post = i % 2 === 1; // both forms, alternately
    const [p, o] = await Promise.all([format(prom.url, expr, false, post), format(h.url, expr, true, post)]);
    const d = difference(p, o);
    if (d) mismatches.push(`${JSON.stringify(expr)}: ${d}`);
    if (p.body.status === 'success') formatted++;
  }
  console.log(`format_query differential: ${EXPRESSIONS.length} expressions, ${formatted} formatted by both`);
  expect(mismatches).toEqual([]);
  expect(formatted).toBeGreaterThan(500);
}, 300_000);

test('the body’s query wins over the query string’s, as with Prometheus', async () => {
  for (const path of ['/api/v1/format_query', '/api/v1/query']) {
    const ask = async (base: string, auth: boolean) => {
      const res = await fetch(`${base}${path}?query=1`, {
        method: 'POST',
        headers: {
          ...(auth ? { Authorization: `Bearer ${READ_TOKEN}` } : {}),
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'query=2&time=1700000000',
      });
      return (await res.json()) as Answer['body'];
    };
    const [p, o] = await Promise.all([ask(prom.url, false), ask(h.url, true)]);
    expect(o).toEqual(p);
  }
});

test('format_query needs the read token and answers GET and POST only', async () => {
  expect((await format(h.url, 'up', false)).status).toBe(401);
  const put = await fetch(`${h.url}/api/v1/format_query?query=up`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${READ_TOKEN}` },
  });
  expect(put.status).toBe(405);
  expect(await format(h.url, 'sum(rate(x{b="c",a=~"d"}[5m]))by(job)', true)).toEqual({
    status: 200,
    body: { status: 'success', data: 'sum by (job) (rate(x{a=~"d",b="c"}[5m]))' },
  });
});

const FRAGMENTS = [
  '(',
  ')',
  '[5m]',
  '[1h:1m]',
  ' offset 5m',
  ' offset -1m',
  ' @ 100',
  ' @ start()',
  '{a="b"}',
  '{',
  '}',
  ' by (a)',
  ' without (a, b)',
  ' + ',
  ' and on(a) ',
  ' / ignoring(b) group_left(c) ',
  ' > bool ',
  '-',
  ',',
  '"s"',
  "'\\x01'",
  '`r`',
  '1e6',
  '0x10',
  'Inf',
  'NaN',
  'sum(',
  'rate(',
  'topk(3, ',
  'abs(',
  'x',
  '#',
  '\n',
  ' ',
  'é',
  '😀',
  '\\',
  '"',
  ':',
  '@',
  'offset',
  'bool',
  '0s',
  '90m',
  '7d',
];

/** A corpus expression mutated: fragments inserted, characters cut, or nested long enough to split. */
function mutate(r: Random): string {
  let expr = r.pick(EXPRESSIONS);
  for (let n = r.between(1, 3); n > 0; n--) {
    const at = r.int(expr.length + 1);
    switch (r.int(4)) {
      case 0:
        expr = expr.slice(0, at) + r.pick(FRAGMENTS) + expr.slice(at);
        break;
      case 1:
        expr = expr.slice(0, at) + expr.slice(at + r.between(1, 4));
        break;
      case 2:
        expr = `${r.pick(['sum by (instance, job) (', 'abs(', '-(', 'max_over_time((', 'label_join('])}${expr}${r.pick([')', ')[5m:])', ', "d", ",", "a")', ') + ' + r.pick(EXPRESSIONS)])}`;
        break;
      default:
        expr = `${expr}${r.pick([' + ', ' or ', ' * on(job) group_left '])}${r.pick(EXPRESSIONS)}`;
    }
  }
  return expr;
}

test('seeded random mutations: never a 5xx, and the same text as Prometheus wherever both accept', async () => {
  const r = seeded(1642);
  const mismatches: string[] = [];
  let accepted = 0;
  for (let i = 0; i < 400; i++) {
    const expr = mutate(r);
    const [p, o] = await Promise.all([
      format(prom.url, expr, false, i % 2 === 0),
      format(h.url, expr, true, i % 2 === 0),
    ]);
    expect([200, 400]).toContain(o.status);
    expect(o.body.status).toBe(o.status === 200 ? 'success' : 'error');
    if (o.status === 400) expect(o.body.errorType).toBe('bad_data');
    const d = difference(p, o);
    if (d) mismatches.push(`${JSON.stringify(expr)}: ${d}`);
    if (p.status === 200 && o.status === 200) accepted++;
  }
  console.log(`format_query fuzz: 400 mutations, ${accepted} accepted by both`);
  expect(mismatches).toEqual([]);
  expect(accepted).toBeGreaterThan(50);
  expect((await format(h.url, 'up', true)).status).toBe(200);
}, 300_000);
