// The Prometheus remote-storage messages (prompb/types.proto and remote.proto, v1), as plain
// objects. Field numbers live in write.ts and read.ts next to the code that uses them.

export interface Label {
  name: string;
  value: string;
}

export interface Sample {
  /** NaN when `stale` is set; the marker's bits travel as the flag, never through this number. */
  value: number;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
  /** The Prometheus stale marker (NaN 0x7ff0000000000002). */
  stale?: boolean;
}

export interface TimeSeries {
  /** Sorted by name, bytewise, with no duplicates and no empty values (the sender's duty). */
  labels: Label[];
  samples: Sample[];
}

export enum MetricType {
  UNKNOWN = 0,
  COUNTER = 1,
  GAUGE = 2,
  HISTOGRAM = 3,
  GAUGEHISTOGRAM = 4,
  SUMMARY = 5,
  INFO = 6,
  STATESET = 7,
}

export interface MetricMetadata {
  type: MetricType;
  metricFamilyName: string;
  help: string;
  unit: string;
}

export interface WriteRequest {
  timeseries: TimeSeries[];
  metadata?: MetricMetadata[];
}

export enum MatcherType {
  EQ = 0,
  NEQ = 1,
  RE = 2,
  NRE = 3,
}

export interface LabelMatcher {
  type: MatcherType;
  name: string;
  value: string;
}

export interface ReadHints {
  stepMs: number;
  func: string;
  startMs: number;
  endMs: number;
  grouping: string[];
  by: boolean;
  rangeMs: number;
}

export interface Query {
  startTimestampMs: number;
  endTimestampMs: number;
  matchers: LabelMatcher[];
  hints?: ReadHints;
}

export enum ReadResponseType {
  SAMPLES = 0,
  STREAMED_XOR_CHUNKS = 1,
}

export interface ReadRequest {
  queries: Query[];
  acceptedResponseTypes: ReadResponseType[];
}

export interface QueryResult {
  timeseries: TimeSeries[];
}

export interface ReadResponse {
  results: QueryResult[];
}
