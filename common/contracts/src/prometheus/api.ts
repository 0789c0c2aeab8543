// Prometheus' HTTP API answers (https://prometheus.io/docs/prometheus/latest/querying/api/):
// the envelope every /api/v1 endpoint uses and the data of query, query_range, series, labels
// and label values. The adapter's Prometheus-compatible endpoints answer in these shapes, and
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
