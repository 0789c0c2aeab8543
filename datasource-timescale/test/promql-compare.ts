// How the PromQL differential tests compare the adapter's answers with Prometheus' own: the same
// result type, the same series (label sets), the same timestamps, values equal to 1e-12
// relative (NaN and ±Inf exactly), the same order where the expression sorts; errors with the
// same errorType and HTTP status.

import { READ_TOKEN } from './harness';

export interface Answer {
  status: number;
  body: {
    status: string;
    errorType?: string;
    error?: string;
    data?: { resultType: string; result: unknown };
  };
}

export async function ask(base: string, path: string, params: Record<string, string>, auth: boolean): Promise<Answer> {
  const res = await fetch(`${base}${path}?${new URLSearchParams(params)}`, {
    headers: auth ? { Authorization: `Bearer ${READ_TOKEN}` } : {},
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

type Pair = [number, string];
interface Series {
  metric: Record<string, string>;
  value?: Pair;
  values?: Pair[];
}

const key = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));

function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity'));
  const y = Number(b.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity'));
  if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  return Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
}

function samePairs(a: Pair[], b: Pair[]): string | undefined {
  if (a.length !== b.length) return `${a.length} points vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (a[i][0] !== b[i][0]) return `time ${a[i][0]} vs ${b[i][0]}`;
    if (!sameValue(a[i][1], b[i][1])) return `at ${a[i][0]}: ${a[i][1]} vs ${b[i][1]}`;
  }
  return undefined;
}

/** Why the adapter's answer differs from Prometheus', or undefined when it does not. */
export function difference(expr: string, prom: Answer, ours: Answer): string | undefined {
  if (prom.body.status !== ours.body.status) {
    return `Prometheus ${prom.status} ${prom.body.errorType ?? ''} ${prom.body.error ?? ''} vs adapter ${ours.status} ${ours.body.errorType ?? ''} ${ours.body.error ?? ''}`;
  }
  if (prom.body.status === 'error') {
    if (prom.body.errorType !== ours.body.errorType || prom.status !== ours.status) {
      return `error ${prom.status} ${prom.body.errorType} (${prom.body.error}) vs ${ours.status} ${ours.body.errorType} (${ours.body.error})`;
    }
    return undefined;
  }
  const p = prom.body.data!;
  const o = ours.body.data!;
  if (p.resultType !== o.resultType) return `resultType ${p.resultType} vs ${o.resultType}`;
  if (p.resultType === 'scalar' || p.resultType === 'string') {
    const [pt, pv] = p.result as Pair;
    const [ot, ov] = o.result as Pair;
    return pt === ot && (p.resultType === 'string' ? pv === ov : sameValue(pv, ov))
      ? undefined
      : `${pt} ${pv} vs ${ot} ${ov}`;
  }
  const ps = p.result as Series[];
  const os = o.result as Series[];
  const ours_ = new Map(os.map((s) => [key(s.metric), s]));
  if (ps.length !== os.length || ours_.size !== os.length) {
    return `${ps.length} series vs ${os.length}: ${JSON.stringify(ps.map((s) => s.metric)).slice(0, 300)} vs ${JSON.stringify(os.map((s) => s.metric)).slice(0, 300)}`;
  }
  for (const s of ps) {
    const mine = ours_.get(key(s.metric));
    if (!mine) return `series ${key(s.metric)} missing`;
    const d = samePairs(s.values ?? [s.value!], mine.values ?? [mine.value!]);
    if (d) return `${key(s.metric)}: ${d}`;
  }
  if (p.resultType === 'vector' && /^sort(_desc)?\(/.test(expr)) {
    const pv = ps.map((s) => s.value![1]).join();
    const ov = os.map((s) => s.value![1]).join();
    if (pv !== ov) return `order ${pv} vs ${ov}`;
  }
  return undefined;
}
