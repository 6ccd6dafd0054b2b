/**
 * The PromQL functions the Builder holds as operations, with their other arguments, as Prometheus declares them
 * (promql/parser/functions.go): what the operation applies to (the query so far: an instant vector, or a range of
 * it for the range functions), which arguments come before and after it, and what it returns.
 */

/** A parameter: a number (a literal or a variable) or a string (a label name, a separator, a regex). */
export type ParameterKind = 'number' | 'string';

export interface FunctionSpec {
  /** Parameters written before the query (`quantile_over_time(0.9, …)`, `histogram_fraction(0, 0.1, …)`). */
  before: ParameterKind[];
  /** Parameters written after it (`clamp(…, 0, 1)`, `label_replace(…, "dst", "$1", "src", "(.*)")`). */
  after: ParameterKind[];
  /** How many of the last `after` parameters may be left out (`round(x)` or `round(x, 5)`). */
  optional?: number;
  /** The last `after` parameter repeats any number of times, none included (`sort_by_label(x, "a", "b")`). */
  variadic?: boolean;
  /** What the function returns; a vector unless said. */
  returns?: 'scalar';
}

const plain: FunctionSpec = { before: [], after: [] };

/** Functions over a range of the query (`fn(metric[5m])`, `fn(expr[1h:1m])`). */
export const RANGE_FUNCTION_SPECS = {
  rate: plain,
  irate: plain,
  increase: plain,
  delta: plain,
  idelta: plain,
  deriv: plain,
  changes: plain,
  resets: plain,
  avg_over_time: plain,
  min_over_time: plain,
  max_over_time: plain,
  sum_over_time: plain,
  count_over_time: plain,
  last_over_time: plain,
  first_over_time: plain,
  present_over_time: plain,
  absent_over_time: plain,
  stddev_over_time: plain,
  stdvar_over_time: plain,
  mad_over_time: plain,
  ts_of_min_over_time: plain,
  ts_of_max_over_time: plain,
  ts_of_first_over_time: plain,
  ts_of_last_over_time: plain,
  quantile_over_time: { before: ['number'], after: [] },
  predict_linear: { before: [], after: ['number'] },
  double_exponential_smoothing: { before: [], after: ['number', 'number'] },
} satisfies Record<string, FunctionSpec>;

/** Functions of an instant vector (`abs(x)`, `clamp(x, 0, 1)`), histogram_quantile aside (an operation of its own). */
export const VECTOR_FUNCTION_SPECS = {
  abs: plain,
  ceil: plain,
  floor: plain,
  round: { before: [], after: ['number'], optional: 1 },
  clamp: { before: [], after: ['number', 'number'] },
  clamp_min: { before: [], after: ['number'] },
  clamp_max: { before: [], after: ['number'] },
  exp: plain,
  ln: plain,
  log2: plain,
  log10: plain,
  sqrt: plain,
  sgn: plain,
  absent: plain,
  timestamp: plain,
  scalar: { before: [], after: [], returns: 'scalar' },
  sort: plain,
  sort_desc: plain,
  sort_by_label: { before: [], after: ['string'], variadic: true },
  sort_by_label_desc: { before: [], after: ['string'], variadic: true },
  label_replace: { before: [], after: ['string', 'string', 'string', 'string'] },
  label_join: { before: [], after: ['string', 'string', 'string'], variadic: true },
  histogram_count: plain,
  histogram_sum: plain,
  histogram_avg: plain,
  histogram_stddev: plain,
  histogram_stdvar: plain,
  histogram_fraction: { before: ['number', 'number'], after: [] },
  day_of_month: plain,
  day_of_week: plain,
  day_of_year: plain,
  days_in_month: plain,
  hour: plain,
  minute: plain,
  month: plain,
  year: plain,
  acos: plain,
  acosh: plain,
  asin: plain,
  asinh: plain,
  atan: plain,
  atanh: plain,
  cos: plain,
  cosh: plain,
  sin: plain,
  sinh: plain,
  tan: plain,
  tanh: plain,
  deg: plain,
  rad: plain,
} satisfies Record<string, FunctionSpec>;

export type RangeFunctionName = keyof typeof RANGE_FUNCTION_SPECS;
export type VectorFunctionName = keyof typeof VECTOR_FUNCTION_SPECS;

export const RANGE_FUNCTIONS = Object.keys(RANGE_FUNCTION_SPECS) as RangeFunctionName[];
export const VECTOR_FUNCTIONS = Object.keys(VECTOR_FUNCTION_SPECS) as VectorFunctionName[];

export const isRangeFunction = (name: string): name is RangeFunctionName =>
  Object.prototype.hasOwnProperty.call(RANGE_FUNCTION_SPECS, name);
export const isVectorFunction = (name: string): name is VectorFunctionName =>
  Object.prototype.hasOwnProperty.call(VECTOR_FUNCTION_SPECS, name);

export function functionSpec(name: RangeFunctionName | VectorFunctionName): FunctionSpec {
  return isRangeFunction(name) ? RANGE_FUNCTION_SPECS[name] : VECTOR_FUNCTION_SPECS[name];
}

/** The kinds of the parameters a call with `count` parameters has, or undefined when it cannot have that many. */
export function parameterKinds(spec: FunctionSpec, count: number): ParameterKind[] | undefined {
  const fixed = spec.before.length + spec.after.length;
  const min = fixed - (spec.optional ?? 0) - (spec.variadic ? 1 : 0);
  if (count < min || (!spec.variadic && count > fixed)) {
    return undefined;
  }
  const kinds = [...spec.before, ...spec.after];
  while (kinds.length < count) {
    kinds.push(spec.after[spec.after.length - 1]);
  }
  return kinds.slice(0, count);
}

/** The parameters a new operation of the function starts with: Prometheus' own defaults where it has some. */
export function defaultParameters(name: RangeFunctionName | VectorFunctionName): Array<number | string> {
  switch (name) {
    case 'quantile_over_time':
      return [0.95];
    case 'predict_linear':
      return [3600];
    case 'double_exponential_smoothing':
      return [0.5, 0.5];
    case 'clamp':
      return [0, 1];
    case 'clamp_min':
    case 'clamp_max':
      return [0];
    case 'histogram_fraction':
      return [0, 0.1];
    case 'label_replace':
      return ['', '$1', '', '(.*)'];
    case 'label_join':
      return ['', ','];
    default: {
      const spec = functionSpec(name);
      const count = spec.before.length + spec.after.length - (spec.optional ?? 0) - (spec.variadic ? 1 : 0);
      return parameterKinds(spec, count)!.map((kind) => (kind === 'number' ? 0 : ''));
    }
  }
}
