// Prometheus 2.42's function signatures (promql/parser/functions.go): argument types, how many
// trailing arguments are optional (-1: any number), return type.

import type { ValueType } from './ast';

export interface FunctionSignature {
  args: ValueType[];
  variadic: number;
  returns: ValueType;
}

const v = 'vector' as const;
const m = 'matrix' as const;
const s = 'scalar' as const;
const str = 'string' as const;

const sig = (args: ValueType[], returns: ValueType = v, variadic = 0): FunctionSignature => ({
  args,
  variadic,
  returns,
});

const MATH = [
  'abs',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'ceil',
  'cos',
  'cosh',
  'deg',
  'exp',
  'floor',
  'ln',
  'log10',
  'log2',
  'rad',
  'sgn',
  'sin',
  'sinh',
  'sqrt',
  'tan',
  'tanh',
];
const OVER_TIME = [
  'avg_over_time',
  'count_over_time',
  'last_over_time',
  'max_over_time',
  'min_over_time',
  'present_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'sum_over_time',
  'absent_over_time',
  'changes',
  'delta',
  'deriv',
  'idelta',
  'increase',
  'irate',
  'rate',
  'resets',
];
const DATE = ['day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute', 'month', 'year'];

export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map<string, FunctionSignature>([
  ...MATH.map((name) => [name, sig([v])] as const),
  ...OVER_TIME.map((name) => [name, sig([m])] as const),
  ...DATE.map((name) => [name, sig([v], v, 1)] as const),
  ['absent', sig([v])],
  ['clamp', sig([v, s, s])],
  ['clamp_max', sig([v, s])],
  ['clamp_min', sig([v, s])],
  ['histogram_count', sig([v])],
  ['histogram_sum', sig([v])],
  ['histogram_fraction', sig([s, s, v])],
  ['histogram_quantile', sig([s, v])],
  ['holt_winters', sig([m, s, s])],
  ['label_join', sig([v, str, str, str], v, -1)],
  ['label_replace', sig([v, str, str, str, str])],
  ['pi', sig([], s)],
  ['predict_linear', sig([m, s])],
  ['quantile_over_time', sig([s, m])],
  ['round', sig([v, s], v, 1)],
  ['scalar', sig([v], s)],
  ['sort', sig([v])],
  ['sort_desc', sig([v])],
  ['time', sig([], s)],
  ['timestamp', sig([v])],
  ['vector', sig([s])],
]);
