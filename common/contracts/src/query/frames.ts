// Grafana data frames in their JSON wire form, as the adapter writes them and @grafana/data's
// dataFrameFromJSON() reads them (its DataFrameJSON): a schema and columns of values, with NaN
// and infinities listed in `entities` since JSON cannot carry them.

export interface FieldSchema {
  name: string;
  /** Grafana's FieldType values. */
  type: 'time' | 'number' | 'string' | 'boolean' | 'other';
  typeInfo?: { frame: string; nullable?: boolean };
  labels?: Record<string, string>;
  config?: Record<string, unknown>;
}

/** Where in a column the values JSON cannot carry were (null in `values`). */
export interface FieldEntities {
  NaN?: number[];
  Inf?: number[];
  NegInf?: number[];
}

export interface FrameJSON {
  schema: {
    name?: string;
    refId?: string;
    meta?: Record<string, unknown>;
    fields: FieldSchema[];
  };
  data: {
    /** One column per field, in schema order. */
    values: unknown[][];
    entities?: (FieldEntities | null)[];
  };
}
