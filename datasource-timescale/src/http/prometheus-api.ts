// Prometheus' HTTP API besides queries (web/api/v1/api.go in 2.42), so that Grafana's
// Prometheus datasource and other Prometheus clients can point at the adapter:
//   GET|POST /api/v1/series?match[]=…&start=&end=         label sets of the matching series
//   GET|POST /api/v1/labels?match[]=…&start=&end=         label names
//   GET      /api/v1/label/<name>/values?match[]=…&start=&end=
//   GET      /api/v1/metadata?metric=&limit=               what remote_write sent as metadata
//   GET|POST /api/v1/query_exemplars?query=&start=&end=    exemplars are not stored: []
//   GET|POST /api/v1/format_query?query=                  the expression as Prometheus prints it
//   GET      /api/v1/status/buildinfo, /api/v1/status/runtimeinfo
//   GET      /api/v1/rules, /api/v1/alerts                  no rules are evaluated here: empty
// Parameters, answers and errors are Prometheus' (test/prometheus-api.e2e.test.ts compares
// them with Debian's Prometheus 2.42 on the same data).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import { formatDuration } from '@nester/common/config/units';
import { HttpError } from '@nester/common/http/http-error';
import { sendJson } from '@nester/common/http/respond';
import type {
  BuildInfo,
  ExemplarsResponse,
  LabelNamesResponse,
  LabelValuesResponse,
  MetadataResponse,
  Metric,
  PrometheusSuccess,
  RuntimeInfo,
  SeriesResponse,
} from '@nester/contracts/prometheus/api';
import type { Expr } from '../promql/ast';
import { parsePromQL, ParseError } from '../promql/parse';
import { formBody } from './form-body';
import { prettify } from '../promql/print';
import type { MetadataStore } from '../storage/metadata-store';
import type { SeriesSelector } from '../query/series-select';
import {
  badData,
  goQuote,
  isLabelName,
  matchersParam,
  parseForm,
  requireParsedForm,
  timeParam,
  timeRangeParams,
  type Form,
} from './prom-params';

/**
 * The Prometheus version the adapter answers as. Its API is checked against Debian bookworm's
 * Prometheus 2.42 (the differential test's peer), and clients (Grafana) pick features by it.
 */
export const PROMETHEUS_COMPATIBLE_VERSION = '2.42.0';

export interface PrometheusApiOptions {
  selector: SeriesSelector;
  metadata: MetadataStore;
  /** The adapter's own version, named in buildinfo's revision. */
  adapterVersion: string;
  startedAt: Date;
  retentionMs: number;
}

type Handler = (form: Form, o: PrometheusApiOptions) => unknown;

const ROUTES: Record<string, { methods: string[]; handle: Handler }> = {
  '/api/v1/series': { methods: ['GET', 'POST'], handle: series },
  '/api/v1/labels': { methods: ['GET', 'POST'], handle: labelNames },
  '/api/v1/metadata': { methods: ['GET'], handle: metadata },
  '/api/v1/query_exemplars': { methods: ['GET', 'POST'], handle: queryExemplars },
  '/api/v1/format_query': { methods: ['GET', 'POST'], handle: formatQuery },
  // No recording or alerting rules are evaluated here; Grafana's datasource asks for them at start.
  '/api/v1/rules': { methods: ['GET'], handle: () => ({ groups: [] }) },
  '/api/v1/alerts': { methods: ['GET'], handle: () => ({ alerts: [] }) },
  '/api/v1/status/buildinfo': { methods: ['GET'], handle: buildInfo },
  '/api/v1/status/runtimeinfo': { methods: ['GET'], handle: runtimeInfo },
};

const LABEL_VALUES = /^\/api\/v1\/label\/([^/]+)\/values$/;

/** True for the paths answered here (the caller authorizes before `handlePrometheusApi`). */
export function isPrometheusApiPath(path: string): boolean {
  return path in ROUTES || LABEL_VALUES.test(path);
}

export async function handlePrometheusApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  o: PrometheusApiOptions,
): Promise<void> {
  const method = req.method ?? 'GET';
  const values = LABEL_VALUES.exec(url.pathname);
  const route = values ? { methods: ['GET'], handle: labelValuesOf(values[1]) } : ROUTES[url.pathname];
  if (!route.methods.includes(method)) {
    throw new HttpError(405, `use ${route.methods.join(' or ')}`, { Allow: route.methods.join(', ') });
  }
  const form = parseForm(url.search.slice(1), await formBody(req));
  const data = await route.handle(form, o);
  res.setHeader('Cache-Control', 'no-store');
  sendJson(res, 200, { status: 'success', data } satisfies PrometheusSuccess<unknown>);
}

async function series(form: Form, o: PrometheusApiOptions): Promise<NonNullable<SeriesData>> {
  requireParsedForm(form);
  if (!form.getAll('match[]').length) throw badData('no match[] parameter provided');
  const range = timeRangeParams(form);
  const selectors = matchersParam(form, 'invalid parameter "match[]": ');
  const found = await o.selector.selectAny(selectors, range);
  return found.map((s): Metric => Object.fromEntries(s.labels.map((l) => [l.name, l.value])));
}
type SeriesData = Extract<SeriesResponse, { status: 'success' }>['data'];

async function labelNames(form: Form, o: PrometheusApiOptions): Promise<string[]> {
  const range = timeRangeParams(form);
  const names = await o.selector.labelNames(matchersParam(form, ''), range);
  return names satisfies Extract<LabelNamesResponse, { status: 'success' }>['data'];
}

function labelValuesOf(segment: string): Handler {
  return async (form, o) => {
    const name = decodeLabelName(segment);
    const range = timeRangeParams(form);
    const values = await o.selector.labelValues(name, matchersParam(form, ''), range);
    return values satisfies Extract<LabelValuesResponse, { status: 'success' }>['data'];
  };
}

/** The path's label name, percent-decoded; Prometheus' words when it is no label name. */
function decodeLabelName(segment: string): string {
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    // Not percent-encoded UTF-8 (e.g. %FF): its bytes quoted as Go's %q does.
    const raw = segment.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => `\\x${h.toLowerCase()}`);
    throw badData(`invalid label name: "${raw.replace(/"/g, '\\"')}"`);
  }
  if (!isLabelName(name)) throw badData(`invalid label name: ${goQuote(name)}`);
  return name;
}

async function metadata(form: Form, o: PrometheusApiOptions): Promise<MetadataData> {
  let limit = -1;
  const text = form.get('limit');
  if (text !== '') {
    // strconv.Atoi: an optional sign and decimal digits within int64.
    if (!/^[+-]?\d+$/.test(text) || Math.abs(Number(text)) > 2 ** 63 - 1) {
      throw badData('limit must be a number');
    }
    limit = Number(text) > 2 ** 31 - 1 ? -1 : Math.trunc(Number(text));
  }
  return o.metadata.query({ metric: form.get('metric'), limit });
}
type MetadataData = Extract<MetadataResponse, { status: 'success' }>['data'];

function queryExemplars(form: Form): ExemplarsData {
  const start = timeParam(form, 'start');
  const end = timeParam(form, 'end');
  if (start !== undefined && end !== undefined && end < start) {
    throw badData('end timestamp must not be before start timestamp');
  }
  if (!form.get('query').trim()) throw badData('1:1: parse error: no expression found in input');
  return []; // exemplars are not stored (remote_write's are dropped at ingest)
}
type ExemplarsData = Extract<ExemplarsResponse, { status: 'success' }>['data'];

function formatQuery(form: Form): string {
  let expr: Expr;
  try {
    expr = parsePromQL(form.get('query'));
  } catch (err) {
    if (err instanceof ParseError) throw badData(`invalid parameter "query": ${err.message}`);
    throw err;
  }
  return prettify(expr);
}

function buildInfo(_form: Form, o: PrometheusApiOptions): BuildInfo {
  return {
    version: PROMETHEUS_COMPATIBLE_VERSION,
    revision: `timescale-adapter ${o.adapterVersion}`,
    branch: '',
    buildUser: '',
    buildDate: '',
    goVersion: `node ${process.version}`,
  };
}

function runtimeInfo(_form: Form, o: PrometheusApiOptions): RuntimeInfo {
  return {
    startTime: o.startedAt.toISOString(),
    CWD: process.cwd(),
    reloadConfigSuccess: true,
    lastConfigTime: o.startedAt.toISOString(), // flags are read once, at start
    corruptionCount: 0,
    goroutineCount: 0,
    GOMAXPROCS: availableParallelism(),
    GOGC: '',
    GODEBUG: '',
    storageRetention: formatDuration(o.retentionMs),
  };
}
