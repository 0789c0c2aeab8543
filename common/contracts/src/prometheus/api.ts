// Prometheus' HTTP API answers (https://prometheus.io/docs/prometheus/latest/querying/api/):
// the envelope every /api/v1 endpoint uses and the data of query, query_range, series, labels,
// label values, metadata, query_exemplars and the status endpoints. The adapter's Prometheus-compatible endpoints answer in these shapes, and
// Prometheus clients (Grafana's Prometheus datasource among them) read them. Float samples only:
// the adapter stores no native histograms (Prometheus' `histogram`/`histograms` fields).

/**
 * Prometheus' error types, plus `unauthorized` for a refused bearer token, which Prometheus
 * (no authentication of its own) never sends.
 */
export type PrometheusErrorType =
  | 'timeout'
  | 'canceled'
  | 'execution'
  | 'bad_data'
  | 'internal'
  | 'unavailable'
  | 'not_found'
  | 'not_acceptable'
  | 'unauthorized';

export interface PrometheusSuccess<T> {
  status: 'success';
  data: T;
  /** Non-fatal problems the answer still has, e.g. a partial result. */
  warnings?: string[];
  infos?: string[];
}

export interface PrometheusError {
  status: 'error';
  errorType: PrometheusErrorType;
  error: string;
  /** Some endpoints still carry data with an error. */
  data?: unknown;
  warnings?: string[];
  infos?: string[];
}

export type PrometheusResponse<T> = PrometheusSuccess<T> | PrometheusError;

/** Label names and values are sorted strings. */
export type LabelNamesResponse = PrometheusResponse<string[]>;
export type LabelValuesResponse = PrometheusResponse<string[]>;

/** A series' labels, `__name__` included. */
export type Metric = Record<string, string>;

/** GET/POST /api/v1/series?match[]=: the label sets of the matching series. */
export type SeriesResponse = PrometheusResponse<Metric[]>;

/** [unix time in seconds, value as a string ("NaN", "+Inf" and "-Inf" included)]. */
export type SamplePair = [number, string];

export interface InstantSample {
  metric: Metric;
  value: SamplePair;
}

export interface RangeSeries {
  metric: Metric;
  values: SamplePair[];
}

export type QueryData =
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'matrix'; result: RangeSeries[] }
  | { resultType: 'scalar'; result: SamplePair }
  | { resultType: 'string'; result: SamplePair };

/** GET/POST /api/v1/query. */
export type QueryResponse = PrometheusResponse<QueryData>;

/** GET/POST /api/v1/query_range: always a matrix. */
export type QueryRangeResponse = PrometheusResponse<{ resultType: 'matrix'; result: RangeSeries[] }>;

/** One metric family's metadata, as /api/v1/metadata lists it (`type` in Prometheus' words). */
export interface MetricMetadataEntry {
  type: 'unknown' | 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset';
  help: string;
  unit: string;
}

/** GET /api/v1/metadata?metric=&limit=: metric family name -> its distinct metadata. */
export type MetadataResponse = PrometheusResponse<Record<string, MetricMetadataEntry[]>>;

/** An exemplar of /api/v1/query_exemplars. */
export interface Exemplar {
  labels: Record<string, string>;
  value: string;
  timestamp: number;
}

/** GET/POST /api/v1/query_exemplars: per series its exemplars (the adapter stores none: `[]`). */
export type ExemplarsResponse = PrometheusResponse<{ seriesLabels: Metric; exemplars: Exemplar[] }[]>;

/** GET /api/v1/status/buildinfo: clients (Grafana) choose features by `version`. */
export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}

/** GET /api/v1/status/runtimeinfo, Prometheus 2.42's fields. */
export interface RuntimeInfo {
  startTime: string;
  CWD: string;
  reloadConfigSuccess: boolean;
  lastConfigTime: string;
  corruptionCount: number;
  goroutineCount: number;
  GOMAXPROCS: number;
  GOGC: string;
  GODEBUG: string;
  storageRetention: string;
}
