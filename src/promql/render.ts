/**
 * Rendering helpers for PromQL text. Pure functions shared by the signal catalog and the Builder renderer, so
 * one choice of quoting, spacing and escaping holds everywhere (`sum by (le) (…)`, `{a="b", c=~"(x|y)"}`).
 */
import { escapeLabelValueInExactSelector, escapeRegexMetacharacters } from './escape';
import { promqlNumberValue } from './numbers';
import { VARIABLE_REFERENCE_SOURCE } from './variables';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export const MATCH_OPS: readonly MatchOp[] = ['=', '!=', '=~', '!~'];

/**
 * One label matcher. `value` is what the matcher compares with, unquoted and unescaped: the literal value for
 * `=`/`!=`, the RE2 pattern for `=~`/`!~` (see `literalPattern` to match values literally).
 */
export interface LabelMatcher {
  label: string;
  op: MatchOp;
  value: string;
}

const CLASSIC_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const CLASSIC_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Grafana template variables: $name, ${name}, ${name:format}, [[name]]. Kept as-is for Grafana to interpolate.
const VARIABLE_REFERENCE = new RegExp(`^(?:${VARIABLE_REFERENCE_SOURCE})$`);

// Words PromQL reads as keywords or numbers wherever a metric name could stand (Prometheus' lexer, any case).
const KEYWORDS = new Set(
  [
    'and or unless atan2',
    'sum avg count min max group stddev stdvar topk bottomk count_values quantile limitk limit_ratio',
    'offset smoothed anchored by without on ignoring group_left group_right fill fill_left fill_right bool',
    'start end step range inf nan',
  ]
    .join(' ')
    .split(' ')
);

/** True when the value is exactly one template variable reference (`$service`, `${service}`, `[[service]]`). */
export function isVariableReference(value: string): boolean {
  return VARIABLE_REFERENCE.test(value);
}

export function isClassicMetricName(name: string): boolean {
  return CLASSIC_METRIC_NAME.test(name);
}

/** True when the name can stand bare before the braces: classic, and no word PromQL reads as something else. */
function isBareMetricName(name: string): boolean {
  return isClassicMetricName(name) && !KEYWORDS.has(name.toLowerCase());
}

export function isClassicLabelName(name: string): boolean {
  return CLASSIC_LABEL_NAME.test(name);
}

/** A double-quoted PromQL string literal holding `value` exactly. */
export function quote(value: string): string {
  return `"${escapeLabelValueInExactSelector(value)}"`;
}

/** A label name as written in a matcher or grouping: bare when classic, quoted otherwise (Prometheus 3). */
export function labelName(name: string): string {
  return isClassicLabelName(name) ? name : quote(name);
}

/**
 * An RE2 pattern matching exactly the given values: `a`, or `(a|b)` for several; each value's metacharacters
 * are escaped. A single template variable reference is kept as-is: Grafana interpolates it (the data source
 * regex-escapes and joins multi-values as `(a|b)`).
 */
export function literalPattern(values: readonly string[]): string {
  if (values.length === 1 && isVariableReference(values[0])) {
    return values[0];
  }
  const escaped = values.map((v) => (isVariableReference(v) ? v : escapeRegexMetacharacters(v)));
  return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
}

/**
 * The matcher that selects a parameter's value(s): `=` for one literal value, `=~` with `(a|b)` for several,
 * and `=~` for a template variable (it may be multi-valued or "All").
 */
export function matchAny(label: string, values: string | readonly string[]): LabelMatcher {
  const list = typeof values === 'string' ? [values] : values;
  if (list.length === 1 && !isVariableReference(list[0])) {
    return { label, op: '=', value: list[0] };
  }
  return { label, op: '=~', value: literalPattern(list) };
}

export function labelMatcher(label: string, op: MatchOp, value: string): LabelMatcher {
  return { label, op, value };
}

export function matcher(m: LabelMatcher): string {
  return `${labelName(m.label)}${m.op}${quote(m.value)}`;
}

/**
 * A vector selector: `metric{a="b", c=~"x|y"}`. A metric name that is not a classic identifier moves inside
 * the braces as a quoted string (`{"my.metric", "label.name"="v"}`), the Prometheus 3 form; so does one that is a
 * PromQL keyword (`{"offset"}`) or that comes with a `__name__` matcher, which Prometheus refuses beside a bare name
 * ("metric name must not be set twice") but not beside a quoted one.
 */
export function selector(metric: string, matchers: readonly LabelMatcher[] = []): string {
  const rendered = matchers.map(matcher);
  if (metric === '' || !isBareMetricName(metric) || matchers.some((m) => m.label === '__name__')) {
    const parts = metric === '' ? rendered : [quote(metric), ...rendered];
    return `{${parts.join(', ')}}`;
  }
  return rendered.length === 0 ? metric : `${metric}{${rendered.join(', ')}}`;
}

// Units once each, largest first, as Prometheus' duration syntax (and the lezer grammar) has them.
const DURATION = /^(?=\d)(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;

const NANOS_PER_SECOND = BigInt(1e9);
const UNIT_NANOS: Record<string, bigint> = {
  y: BigInt(365 * 86400) * NANOS_PER_SECOND,
  w: BigInt(7 * 86400) * NANOS_PER_SECOND,
  d: BigInt(86400) * NANOS_PER_SECOND,
  h: BigInt(3600) * NANOS_PER_SECOND,
  m: BigInt(60) * NANOS_PER_SECOND,
  s: NANOS_PER_SECOND,
  ms: BigInt(1e6),
};
const MAX_NANOS = (BigInt(1) << BigInt(63)) - BigInt(1);

/**
 * True when a duration (signed or not) fits what Prometheus holds one in, an int64 of nanoseconds (about 292 years);
 * beyond it Prometheus refuses the query ("duration out of range"). A variable fits: its value is not known here.
 */
export function durationFits(value: string): boolean {
  const unsigned = value.trim().replace(/^[-+]\s*/, '');
  if (isVariableReference(unsigned)) {
    return true;
  }
  if (DURATION.test(unsigned)) {
    let total = BigInt(0);
    for (const [, n, unit] of unsigned.matchAll(/(\d+)(ms|[ywdhms])/g)) {
      total += BigInt(n) * UNIT_NANOS[unit];
    }
    return total <= MAX_NANOS;
  }
  const seconds = promqlNumberValue(unsigned);
  return seconds === undefined || Math.abs(seconds) * 1e9 <= Number(MAX_NANOS);
}

/**
 * True for a PromQL duration (`5m`, `1h30m`), a positive number of seconds (`300`, Prometheus 3) or a variable
 * standing for one (`$__rate_interval`).
 */
export function isDuration(value: string): boolean {
  if (DURATION.test(value) || isVariableReference(value)) {
    return true;
  }
  const seconds = /^[\d.]/.test(value) ? promqlNumberValue(value) : undefined;
  return seconds !== undefined && Number.isFinite(seconds) && seconds > 0;
}

// Grafana's interval macros ($__interval, ${__rate_interval}, $__range): always a positive duration.
const INTERVAL_MACRO = /^(\$__(interval|rate_interval|range)|\$\{__(interval|rate_interval|range)\})$/;

/** True for a Grafana interval macro, whose value is always a positive duration (so `-$__interval` is one too). */
export function isIntervalMacro(value: string): boolean {
  return INTERVAL_MACRO.test(value);
}

/**
 * True for the duration of an `offset`: a duration or a number of seconds, zero included, optionally signed
 * (`-1h` looks ahead), or a variable standing for one.
 */
export function isOffset(value: string): boolean {
  const unsigned = value.replace(/^[-+]/, '');
  if (unsigned === '' || /^\s/.test(unsigned)) {
    return false;
  }
  if (isVariableReference(unsigned) || DURATION.test(unsigned)) {
    // A sign before a variable only where its value has none of its own: Grafana's interval macros.
    return value === unsigned || !isVariableReference(unsigned) || isIntervalMacro(unsigned);
  }
  const seconds = /^[\d.]/.test(unsigned) ? promqlNumberValue(unsigned) : undefined;
  return seconds !== undefined && Number.isFinite(seconds);
}

/** True for what may follow `@`: `start()`, `end()`, a Unix timestamp in seconds, or a variable standing for one. */
export function isAtModifier(value: string): boolean {
  if (value === 'start()' || value === 'end()' || isVariableReference(value)) {
    return true;
  }
  const seconds = /^[-+]?[\d.]/.test(value) ? promqlNumberValue(value) : undefined;
  return seconds !== undefined && Number.isFinite(seconds);
}

/** A range duration: passes `5m`/`$__rate_interval` through, renders seconds as a duration. */
export function duration(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`a duration must be a positive number of seconds, got ${value}`);
    }
    return Number.isInteger(value) ? `${value}s` : `${Math.round(value * 1000)}ms`;
  }
  if (!isDuration(value)) {
    throw new RangeError(`not a PromQL duration: ${value}`);
  }
  return value;
}

/** `sel[range]` */
export function rangeSelector(vectorSelector: string, range: string | number): string {
  return `${vectorSelector}[${duration(range)}]`;
}

/** `fn(sel[range])`, e.g. `rate(x[$__rate_interval])`. */
export function rangeFunction(name: string, vectorSelector: string, range: string | number): string {
  return `${name}(${rangeSelector(vectorSelector, range)})`;
}

export type GroupingMode = 'by' | 'without';

export interface Grouping {
  mode: GroupingMode;
  labels: string[];
}

/** ` by (a, b)` / ` without (a)`; empty for no grouping (an empty `by ()` renders as nothing). */
export function groupingClause(grouping?: Grouping): string {
  if (!grouping || (grouping.mode === 'by' && grouping.labels.length === 0)) {
    return '';
  }
  return ` ${grouping.mode} (${grouping.labels.map(labelName).join(', ')})`;
}

/** `sum by (a) (expr)`, `sum(expr)`, `topk by (a) (5, expr)`. */
export function aggregate(op: string, expr: string, grouping?: Grouping, param?: string | number): string {
  const clause = groupingClause(grouping);
  const args = param === undefined ? expr : `${formatNumber(param)}, ${expr}`;
  return clause === '' ? `${op}(${args})` : `${op}${clause} (${args})`;
}

/** `sum by (labels) (expr)`; plain `sum(expr)` when there are no labels. */
export function sumBy(labels: readonly string[], expr: string): string {
  return aggregate('sum', expr, { mode: 'by', labels: [...labels] });
}

/** True for a PromQL number literal (any spelling: `0.5`, `010`, `0x1F`, `1_000`, `-Inf`) or a variable reference. */
export function isNumberLiteral(value: string): boolean {
  return isVariableReference(value) || promqlNumberValue(value) !== undefined;
}

/** Numbers as PromQL writes them; a literal (spelled as written) or a variable reference passes through. */
export function formatNumber(value: string | number): string {
  if (typeof value === 'string') {
    if (isNumberLiteral(value)) {
      return value;
    }
    throw new RangeError(`not a number: ${value}`);
  }
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? 'Inf' : '-Inf';
  }
  return String(value);
}
