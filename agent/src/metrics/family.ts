// The in-memory shape of a scrape: metric families as node_exporter's Go client gathers them.

export type MetricType = 'counter' | 'gauge' | 'untyped';

export type Labels = Record<string, string>;

export interface Sample {
  labels: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

export function family(name: string, type: MetricType, help: string, samples: Sample[] = []): MetricFamily {
  return { name, help, type, samples };
}

export const gauge = (name: string, help: string, samples: Sample[] = []) => family(name, 'gauge', help, samples);
export const counter = (name: string, help: string, samples: Sample[] = []) => family(name, 'counter', help, samples);
export const untyped = (name: string, help: string, samples: Sample[] = []) => family(name, 'untyped', help, samples);

/** One unlabelled sample. */
export const single = (value: number): Sample[] => [{ labels: {}, value }];
