/**
 * The Builder model: one metric, its label matchers and a chain of operations applied inside-out. It is what
 * the Builder mode edits and what `parsePromQL` produces from Code; `renderBuilderQuery` turns it into PromQL.
 */
import { isConstantExpression } from './constant';
import { functionSpec, parameterKinds, type RangeFunctionName, type VectorFunctionName } from './functions';
import { isSigned } from './numbers';
import {
  aggregate,
  isAtModifier,
  isOffset,
  quote,
  type Grouping,
  type LabelMatcher,
  formatNumber,
  isDuration,
  isNumberLiteral,
  labelName,
  groupingClause,
  selector,
} from './render';

export { RANGE_FUNCTIONS, type RangeFunctionName, VECTOR_FUNCTIONS, type VectorFunctionName } from './functions';

export const AGGREGATIONS = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar'] as const;
export type AggregationName = (typeof AGGREGATIONS)[number];

/** Aggregations with a leading numeric parameter: a count (`topk(5, …)`), a ratio or a quantile. */
export const RANKING_AGGREGATIONS = ['topk', 'bottomk', 'limitk', 'limit_ratio', 'quantile'] as const;
export type RankingAggregationName = (typeof RANKING_AGGREGATIONS)[number];

export const BINARY_OPERATORS = ['+', '-', '*', '/', '%', '^', '==', '!=', '>', '<', '>=', '<='] as const;
export type BinaryOperator = (typeof BINARY_OPERATORS)[number];

export const COMPARISON_OPERATORS: readonly BinaryOperator[] = ['==', '!=', '>', '<', '>=', '<='];

/** Set operators: between two queries only (`errors and on (instance) up`). */
export const SET_OPERATORS = ['and', 'or', 'unless'] as const;
export type SetOperator = (typeof SET_OPERATORS)[number];

/** What may join two queries: arithmetic, comparisons and the set operators. */
export type QueryOperator = BinaryOperator | SetOperator;

export const isSetOperator = (op: string): op is SetOperator => (SET_OPERATORS as readonly string[]).includes(op);

/**
 * How the series of two queries are paired: on the listed labels only (`on`), or on all but them (`ignoring`).
 * `group` makes it many-to-one: `left` when the left side has several series for one on the right (`group_left`),
 * copying the listed labels from the other side.
 */
export interface VectorMatching {
  mode: 'on' | 'ignoring';
  labels: string[];
  group?: { side: 'left' | 'right'; labels: string[] };
}

/**
 * A subquery: the query so far evaluated over a range at a resolution (`rate(x[5m])[1h:1m]`), for a range function
 * over it. `step` is empty for the default resolution (`[1h:]`); `offset` and `at` shift it as on a selector.
 */
export interface Subquery {
  step: string;
  offset?: string;
  at?: string;
}

/** A parameter of a function or an aggregation: a number (see Operation) or a string (a label name, a regex). */
export type Parameter = number | string;

/**
 * Numbers (`k`, `quantile`, `scalar`, number parameters) are a value, or a string: a variable reference
 * (`$threshold`) or a PromQL literal spelled otherwise than Pulse would write its value (`010`, which is 8, `0x1F`,
 * `1_000`, `1e3`), kept as written. A range is a duration (`5m`), a number of seconds (`300`) or a variable
 * (`$__rate_interval`).
 */
export type Operation =
  /**
   * `fn(metric[range])` as the first operation; `fn(query[range:step])` over the query so far with `subquery`.
   * `params` are the function's other arguments, in the order of RANGE_FUNCTION_SPECS
   * (`quantile_over_time(0.9, x[5m])`, `predict_linear(x[1h], 3600)`).
   */
  | { kind: 'range'; fn: RangeFunctionName; range: string; params?: Parameter[]; subquery?: Subquery }
  /** `fn(query, params…)`, params before the query where the function has them (`histogram_fraction(0, 1, q)`). */
  | { kind: 'function'; fn: VectorFunctionName; params?: Parameter[] }
  | { kind: 'aggregation'; fn: AggregationName; grouping?: Grouping }
  /** `topk(k, …)`, `limitk(k, …)`, `limit_ratio(ratio, …)`, `quantile(φ, …)`: `k` is the parameter. */
  | { kind: 'ranking'; fn: RankingAggregationName; k: number | string; grouping?: Grouping }
  /** `count_values("label", …)`: how many series have each value, the value in `label`. */
  | { kind: 'countValues'; label: string; grouping?: Grouping }
  | { kind: 'histogramQuantile'; quantile: number | string }
  /** `-query` */
  | { kind: 'negate' }
  /** `inner <op> scalar`, or `scalar <op> inner` with `scalarLeft`; `bool` only for comparisons. */
  | { kind: 'binaryScalar'; op: BinaryOperator; scalar: number | string; scalarLeft?: boolean; bool?: boolean }
  /**
   * `inner <op> other`: a binary operation with a second Builder query (`errors / requests`,
   * `up and on (instance) node_uname_info`, `x or vector(0)`). Without `matching`, series are paired on all their
   * labels; `bool` only for comparisons.
   */
  | { kind: 'binaryQuery'; op: QueryOperator; query: BuilderQuery; bool?: boolean; matching?: VectorMatching };

/** What a query starts from in place of a metric: `vector(0)` (one series, no labels) or `time()` (a number). */
export type Source = { kind: 'vector'; value: number | string } | { kind: 'time' };

export interface BuilderQuery {
  metric: string;
  matchers: LabelMatcher[];
  operations: Operation[];
  /** The selector's modifiers, as written: `x offset 5m`, `x @ end()`, `rate(x[5m] offset -1h @ 1700000000)`. */
  offset?: string;
  at?: string;
  /** In place of the metric and its filters. */
  source?: Source;
}

/**
 * True when the matcher also selects series without the label (`a=""`, `a!="x"`, `a=~".*"`): Prometheus refuses a
 * selector without a metric whose matchers all do. A regex JavaScript cannot read counts as not matching.
 */
export function matchesEmpty(m: LabelMatcher): boolean {
  switch (m.op) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    default:
      try {
        return new RegExp(`^(?:${m.value})$`, 'u').test('') === (m.op === '=~');
      } catch {
        return false;
      }
  }
}

/** The number of an operation (`k`, `quantile`, `scalar`), when it is neither a number nor a variable. */
function notANumber(value: number | string): boolean {
  return typeof value === 'string' && !isNumberLiteral(value);
}

/** What an expression evaluates to, for the operations that need one or the other. */
export type ValueType = 'vector' | 'scalar';

/** Problems that make a model unrenderable; empty when it renders. */
export function builderProblems(query: BuilderQuery): string[] {
  return check(query).problems;
}

/** What the query evaluates to: series, or a single number (`time()`, `scalar(x)`, `time() - 1`). */
export function resultType(query: BuilderQuery): ValueType {
  return check(query).type;
}

function parameterProblems(fn: string, kinds: ReturnType<typeof parameterKinds>, params: Parameter[]): string[] {
  if (!kinds) {
    return [`${fn} does not take ${params.length} parameters`];
  }
  const problems: string[] = [];
  params.forEach((param, i) => {
    if (kinds[i] === 'number' && notANumber(param) && !isConstantExpression(String(param))) {
      problems.push(`${param} is not a number`);
    }
    if (kinds[i] === 'string' && typeof param !== 'string') {
      problems.push(`${fn} needs text, not the number ${param}`);
    }
  });
  // The label written to must be named (Prometheus: "invalid destination label name").
  if ((fn === 'label_replace' || fn === 'label_join') && params[0] === '') {
    problems.push(`${fn} needs the name of the label it writes`);
  }
  return problems;
}

function modifierProblems(offset: string | undefined, at: string | undefined): string[] {
  const problems: string[] = [];
  if (offset !== undefined && !isOffset(offset)) {
    problems.push(`the offset ${offset} is not a duration (5m, -1h, or a variable)`);
  }
  if (at !== undefined && !isAtModifier(at)) {
    problems.push(`the @ ${at} is not start(), end() or a Unix timestamp`);
  }
  return problems;
}

function check(query: BuilderQuery): { problems: string[]; type: ValueType } {
  const problems: string[] = [];
  const matchers = chosenMatchers(query);
  let type: ValueType = query.source?.kind === 'time' ? 'scalar' : 'vector';
  if (query.source) {
    if (query.metric !== '' || matchers.length > 0) {
      problems.push(`${query.source.kind}() takes the place of the metric: remove the metric and its filters`);
    }
    if (query.offset !== undefined || query.at !== undefined) {
      problems.push('offset and @ apply to a metric, not to vector() or time()');
    }
    if (query.source.kind === 'vector' && notANumber(query.source.value)) {
      problems.push(`${query.source.value} is not a number`);
    }
  } else if (query.metric === '' && matchers.length === 0) {
    problems.push('choose a metric or add a label filter');
  } else if (query.metric === '' && matchers.every(matchesEmpty)) {
    problems.push('without a metric, a label filter must match a non-empty value');
  }
  problems.push(...modifierProblems(query.offset, query.at));
  const needsVector = (what: string) => {
    if (type === 'scalar') {
      problems.push(`${what} needs series, not a single number: use vector(…) or remove it`);
    }
  };
  query.operations.forEach((op, i) => {
    if (op.kind === 'range') {
      if (op.subquery) {
        needsVector(`the subquery of ${op.fn}`);
        if (op.subquery.step !== '' && !isDuration(op.subquery.step)) {
          problems.push(`the step ${op.subquery.step} is not a duration (1m, 30s, a variable or empty)`);
        }
        problems.push(...modifierProblems(op.subquery.offset, op.subquery.at));
      } else if (i !== 0) {
        problems.push(`${op.fn} needs the raw metric: move it to the first operation`);
      } else if (query.source) {
        problems.push(`${op.fn} needs a metric's range, not ${query.source.kind}(): make it a subquery`);
      }
      if (!isDuration(op.range)) {
        problems.push(`the range ${op.range} is not a duration (5m, 1h30m, 300 or a variable)`);
      }
      const params = op.params ?? [];
      problems.push(...parameterProblems(op.fn, parameterKinds(functionSpec(op.fn), params.length), params));
      type = 'vector';
    }
    if (op.kind === 'function') {
      needsVector(op.fn);
      const spec = functionSpec(op.fn);
      const params = op.params ?? [];
      problems.push(...parameterProblems(op.fn, parameterKinds(spec, params.length), params));
      type = spec.returns === 'scalar' ? 'scalar' : 'vector';
    }
    if (
      op.kind === 'aggregation' ||
      op.kind === 'ranking' ||
      op.kind === 'countValues' ||
      op.kind === 'histogramQuantile'
    ) {
      needsVector(
        op.kind === 'histogramQuantile' ? 'histogram_quantile' : op.kind === 'countValues' ? 'count_values' : op.fn
      );
    }
    if (op.kind === 'countValues' && op.label === '') {
      problems.push('count_values needs the name of the label it writes the values to');
    }
    const number = op.kind === 'ranking' ? op.k : op.kind === 'histogramQuantile' ? op.quantile : undefined;
    if (number !== undefined && notANumber(number)) {
      problems.push(`${number} is not a number`);
    }
    if (op.kind === 'binaryScalar' && notANumber(op.scalar)) {
      problems.push(`${op.scalar} is not a number`);
    }
    if ((op.kind === 'binaryScalar' || op.kind === 'binaryQuery') && op.bool && !isComparison(op.op)) {
      problems.push(`bool only applies to comparisons, not ${op.op}`);
    }
    if (op.kind === 'binaryScalar' && isSetOperator(op.op)) {
      problems.push(`${op.op} needs a second query, not a number`);
    }
    if (op.kind === 'binaryScalar' && type === 'scalar' && isComparison(op.op) && !op.bool) {
      // Prometheus: "comparisons between scalars must use BOOL modifier".
      problems.push(`comparing two numbers with ${op.op} needs bool`);
    }
    if (op.kind === 'binaryQuery' && op.matching?.group && isSetOperator(op.op)) {
      problems.push(`group_${op.matching.group.side} does not apply to ${op.op}`);
    }
    if (op.kind === 'binaryQuery') {
      const other = check(op.query);
      problems.push(...other.problems.map((problem) => `the query after ${op.op}: ${problem}`));
      const numbers = type === 'scalar' || other.type === 'scalar';
      if (numbers && isSetOperator(op.op)) {
        problems.push(`${op.op} needs series on both sides, not a single number`);
      } else if (numbers && op.matching) {
        problems.push(`${op.matching.mode} (…) matches series, not a single number`);
      }
      if (type === 'scalar' && other.type === 'scalar' && isComparison(op.op) && !op.bool) {
        problems.push(`comparing two numbers with ${op.op} needs bool`);
      }
      type = type === 'scalar' && other.type === 'scalar' ? 'scalar' : 'vector';
    }
  });
  return { problems, type };
}

export const isComparison = (op: string) => (COMPARISON_OPERATORS as readonly string[]).includes(op);

// Binary operator precedence, as in PromQL (higher binds tighter).
function precedence(op: QueryOperator): number {
  switch (op) {
    case '^':
      return 6;
    case '*':
    case '/':
    case '%':
      return 5;
    case '+':
    case '-':
      return 4;
    case 'and':
    case 'unless':
      return 2;
    case 'or':
      return 1;
    default:
      return 3; // comparisons
  }
}

// A sign binds as * does, but looser than ^: `-x * 2` is `(-x) * 2`, `-x ^ 2` is `-(x ^ 2)`.
const NEGATION = 5.5;

/**
 * An operand of a binary operator needs parentheses when it binds more loosely than the operator, or equally on
 * the side the operator does not associate to (all are left-associative except `^`): `(a - b) - c` is written
 * `a - b - c`, but `a - (b - c)` keeps them. So PromQL written by hand or by a signal renders back as written (but for
 * parentheses around a plain selector or aggregation, which carry nothing).
 */
function operand(expr: string, outer: number, op: QueryOperator, side: 'left' | 'right'): string {
  const p = precedence(op);
  const associatesRight = op === '^';
  const needs = outer < p || (outer === p && (side === 'left' ? associatesRight : !associatesRight));
  // Around and/or/unless an operation keeps its parentheses even where precedence would not need them, as
  // PromQL is usually written (`(up == 0) and on (instance) info`): few readers know that == binds tighter.
  const readable = isSetOperator(op) && outer !== Infinity;
  return needs || readable ? `(${expr})` : expr;
}

/** Renders the model as PromQL; throws with the first problem of `builderProblems`. */
export function renderBuilderQuery(query: BuilderQuery): string {
  const problems = builderProblems(query);
  if (problems.length > 0) {
    throw new Error(problems[0]);
  }
  return renderChain(query).expr;
}

/**
 * The label filters that take part in the query: a row just added, whose label is not chosen yet, does not (it
 * would render `{""=""}`, which Prometheus refuses).
 */
function chosenMatchers(query: BuilderQuery): LabelMatcher[] {
  return query.matchers.filter((m) => m.label !== '');
}

/** ` offset 5m @ end()`, or nothing. */
function modifiers(offset: string | undefined, at: string | undefined): string {
  return `${offset === undefined ? '' : ` offset ${offset}`}${at === undefined ? '' : ` @ ${at}`}`;
}

function parameterText(kind: 'number' | 'string', value: Parameter): string {
  if (kind === 'string') {
    return quote(String(value));
  }
  return typeof value === 'string' && isConstantExpression(value) ? value : formatNumber(value);
}

/** `fn(before…, argument, after…)` with the parameters of a valid operation. */
function call(fn: RangeFunctionName | VectorFunctionName, argument: string, params: Parameter[] = []): string {
  const spec = functionSpec(fn);
  const kinds = parameterKinds(spec, params.length)!;
  const texts = params.map((p, i) => parameterText(kinds[i], p));
  const before = texts.slice(0, spec.before.length);
  const after = texts.slice(spec.before.length);
  return `${fn}(${[...before, argument, ...after].join(', ')})`;
}

/**
 * The PromQL of a valid model, and the precedence of its outermost operator (Infinity: atomic). `modified` says
 * that the text ends in a selector's modifier (`x offset 5m`), which a subquery's brackets must not follow bare.
 */
function renderChain(query: BuilderQuery): { expr: string; outer: number } {
  const source = query.source;
  const base =
    source?.kind === 'vector'
      ? `vector(${formatNumber(source.value)})`
      : source?.kind === 'time'
        ? 'time()'
        : selector(query.metric, chosenMatchers(query));
  const mods = modifiers(query.offset, query.at);
  const [first] = query.operations;
  let expr: string;
  let rest = query.operations;
  let modified = false;
  if (first?.kind === 'range' && !first.subquery) {
    expr = call(first.fn, `${base}[${first.range}]${mods}`, first.params);
    rest = query.operations.slice(1);
  } else {
    expr = `${base}${mods}`;
    modified = mods !== '';
  }
  // Precedence of the outermost binary operator in `expr`, or Infinity when expr is atomic.
  let outer = Infinity;
  for (const op of rest) {
    switch (op.kind) {
      case 'range': {
        const sub = op.subquery!;
        const inner = outer !== Infinity || modified ? `(${expr})` : expr;
        expr = call(op.fn, `${inner}[${op.range}:${sub.step}]${modifiers(sub.offset, sub.at)}`, op.params);
        outer = Infinity;
        break;
      }
      case 'function':
        expr = call(op.fn, expr, op.params);
        outer = Infinity;
        break;
      case 'aggregation':
        expr = aggregate(op.fn, expr, op.grouping);
        outer = Infinity;
        break;
      case 'ranking':
        expr = aggregate(op.fn, expr, op.grouping, op.k);
        outer = Infinity;
        break;
      case 'countValues': {
        const clause = groupingClause(op.grouping);
        const args = `${quote(op.label)}, ${expr}`;
        expr = clause === '' ? `count_values(${args})` : `count_values${clause} (${args})`;
        outer = Infinity;
        break;
      }
      case 'histogramQuantile':
        expr = `histogram_quantile(${formatNumber(op.quantile)}, ${expr})`;
        outer = Infinity;
        break;
      case 'negate':
        expr = outer === Infinity ? `-${expr}` : `-(${expr})`;
        outer = NEGATION;
        break;
      case 'binaryScalar': {
        const inner = operand(expr, outer, op.op, op.scalarLeft ? 'right' : 'left');
        const operator = op.bool ? `${op.op} bool` : op.op;
        // `-1 ^ x` is `-(1 ^ x)` in PromQL: a sign binds more loosely than ^.
        const scalar =
          op.scalarLeft && op.op === '^' && isSigned(op.scalar)
            ? `(${formatNumber(op.scalar)})`
            : formatNumber(op.scalar);
        expr = op.scalarLeft ? `${scalar} ${operator} ${inner}` : `${inner} ${operator} ${scalar}`;
        outer = precedence(op.op);
        break;
      }
      case 'binaryQuery': {
        const inner = operand(expr, outer, op.op, 'left');
        const other = renderChain(op.query);
        const right = operand(other.expr, other.outer, op.op, 'right');
        expr = `${inner} ${op.bool ? `${op.op} bool` : op.op}${vectorMatching(op.matching, right)} ${right}`;
        outer = precedence(op.op);
        break;
      }
    }
    modified = false;
  }
  return { expr, outer };
}

/**
 * ` on (a, b) group_left (c)`, or nothing without matching. An empty `group_left` is written bare, but as
 * `group_left ()` before a right side in parentheses, which would otherwise be read as its label list.
 */
function vectorMatching(matching: VectorMatching | undefined, right: string): string {
  if (!matching) {
    return '';
  }
  const list = (labels: string[]) => `(${labels.map(labelName).join(', ')})`;
  let text = ` ${matching.mode} ${list(matching.labels)}`;
  if (matching.group) {
    text += ` group_${matching.group.side}`;
    if (matching.group.labels.length > 0 || right.startsWith('(')) {
      text += ` ${list(matching.group.labels)}`;
    }
  }
  return text;
}
