/**
 * The Builder model: one metric, its label matchers and a chain of operations applied inside-out. It is what
 * the Builder mode edits and what `parsePromQL` produces from Code; `renderBuilderQuery` turns it into PromQL.
 */
import { isSigned } from './numbers';
import {
  aggregate,
  type Grouping,
  type LabelMatcher,
  formatNumber,
  isDuration,
  isNumberLiteral,
  labelName,
  rangeFunction,
  selector,
} from './render';

/** Functions over a range vector that the Builder offers; each takes `metric[range]`. */
export const RANGE_FUNCTIONS = [
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'changes',
  'resets',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'present_over_time',
  'stddev_over_time',
  'stdvar_over_time',
] as const;
export type RangeFunctionName = (typeof RANGE_FUNCTIONS)[number];

export const AGGREGATIONS = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar'] as const;
export type AggregationName = (typeof AGGREGATIONS)[number];

/** Aggregations with a leading numeric parameter. */
export const RANKING_AGGREGATIONS = ['topk', 'bottomk'] as const;
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
 * Numbers (`k`, `quantile`, `scalar`) are a value, or a string: a variable reference (`$threshold`) or a PromQL
 * literal spelled otherwise than Pulse would write its value (`010`, which is 8, `0x1F`, `1_000`, `1e3`), kept as
 * written. A range is a duration (`5m`), a number of seconds (`300`) or a variable (`$__rate_interval`).
 */
export type Operation =
  /** `fn(metric[range])`; only valid as the first operation. */
  | { kind: 'range'; fn: RangeFunctionName; range: string }
  | { kind: 'aggregation'; fn: AggregationName; grouping?: Grouping }
  | { kind: 'ranking'; fn: RankingAggregationName; k: number | string; grouping?: Grouping }
  | { kind: 'histogramQuantile'; quantile: number | string }
  /** `inner <op> scalar`, or `scalar <op> inner` with `scalarLeft`; `bool` only for comparisons. */
  | { kind: 'binaryScalar'; op: BinaryOperator; scalar: number | string; scalarLeft?: boolean; bool?: boolean }
  /**
   * `inner <op> other`: a binary operation with a second Builder query (`errors / requests`,
   * `up and on (instance) node_uname_info`). Without `matching`, series are paired on all their labels;
   * `bool` only for comparisons.
   */
  | { kind: 'binaryQuery'; op: QueryOperator; query: BuilderQuery; bool?: boolean; matching?: VectorMatching };

export interface BuilderQuery {
  metric: string;
  matchers: LabelMatcher[];
  operations: Operation[];
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

/** Problems that make a model unrenderable; empty when it renders. */
export function builderProblems(query: BuilderQuery): string[] {
  const problems: string[] = [];
  const matchers = chosenMatchers(query);
  if (query.metric === '' && matchers.length === 0) {
    problems.push('choose a metric or add a label filter');
  } else if (query.metric === '' && matchers.every(matchesEmpty)) {
    problems.push('without a metric, a label filter must match a non-empty value');
  }
  query.operations.forEach((op, i) => {
    if (op.kind === 'range' && i !== 0) {
      problems.push(`${op.fn} needs the raw metric: move it to the first operation`);
    }
    if (op.kind === 'range' && !isDuration(op.range)) {
      problems.push(`the range ${op.range} is not a duration (5m, 1h30m, 300 or a variable)`);
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
    if (op.kind === 'binaryQuery' && op.matching?.group && isSetOperator(op.op)) {
      problems.push(`group_${op.matching.group.side} does not apply to ${op.op}`);
    }
    if (op.kind === 'binaryQuery') {
      problems.push(...builderProblems(op.query).map((problem) => `the query after ${op.op}: ${problem}`));
    }
  });
  return problems;
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

/** The PromQL of a valid model, and the precedence of its outermost binary operator (Infinity: atomic). */
function renderChain(query: BuilderQuery): { expr: string; outer: number } {
  let expr = selector(query.metric, chosenMatchers(query));
  // Precedence of the outermost binary operator in `expr`, or Infinity when expr is atomic.
  let outer = Infinity;
  for (const op of query.operations) {
    switch (op.kind) {
      case 'range':
        expr = rangeFunction(op.fn, expr, op.range);
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
      case 'histogramQuantile':
        expr = `histogram_quantile(${formatNumber(op.quantile)}, ${expr})`;
        outer = Infinity;
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
