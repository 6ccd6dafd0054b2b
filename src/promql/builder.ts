/**
 * The Builder model: one metric, its label matchers and a chain of operations applied inside-out. It is what
 * the Builder mode edits and what `parsePromQL` produces from Code; `renderBuilderQuery` turns it into PromQL.
 */
import { aggregate, type Grouping, type LabelMatcher, formatNumber, rangeFunction, selector } from './render';

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

export type Operation =
  /** `fn(metric[range])`; only valid as the first operation. */
  | { kind: 'range'; fn: RangeFunctionName; range: string }
  | { kind: 'aggregation'; fn: AggregationName; grouping?: Grouping }
  | { kind: 'ranking'; fn: RankingAggregationName; k: number | string; grouping?: Grouping }
  | { kind: 'histogramQuantile'; quantile: number | string }
  /** `inner <op> scalar`, or `scalar <op> inner` with `scalarLeft`; `bool` only for comparisons. */
  | { kind: 'binaryScalar'; op: BinaryOperator; scalar: number | string; scalarLeft?: boolean; bool?: boolean }
  /**
   * `inner <op> other`: a binary operation with a second Builder query (`errors / requests`). Series are
   * matched on all their labels, as PromQL does without `on`/`ignoring`; `bool` only for comparisons.
   */
  | { kind: 'binaryQuery'; op: BinaryOperator; query: BuilderQuery; bool?: boolean };

export interface BuilderQuery {
  metric: string;
  matchers: LabelMatcher[];
  operations: Operation[];
}

/** Problems that make a model unrenderable; empty when it renders. */
export function builderProblems(query: BuilderQuery): string[] {
  const problems: string[] = [];
  if (query.metric === '' && query.matchers.length === 0) {
    problems.push('choose a metric or add a label filter');
  }
  query.operations.forEach((op, i) => {
    if (op.kind === 'range' && i !== 0) {
      problems.push(`${op.fn} needs the raw metric: move it to the first operation`);
    }
    if ((op.kind === 'binaryScalar' || op.kind === 'binaryQuery') && op.bool && !COMPARISON_OPERATORS.includes(op.op)) {
      problems.push(`bool only applies to comparisons, not ${op.op}`);
    }
    if (op.kind === 'binaryQuery') {
      problems.push(...builderProblems(op.query).map((problem) => `the query after ${op.op}: ${problem}`));
    }
  });
  return problems;
}

// Binary operator precedence, as in PromQL (higher binds tighter).
function precedence(op: BinaryOperator): number {
  switch (op) {
    case '^':
      return 4;
    case '*':
    case '/':
    case '%':
      return 3;
    case '+':
    case '-':
      return 2;
    default:
      return 1;
  }
}

/**
 * An operand of a binary operator needs parentheses when it binds more loosely than the operator, or equally on
 * the side the operator does not associate to (all are left-associative except `^`): `(a - b) - c` is written
 * `a - b - c`, but `a - (b - c)` keeps them. So PromQL written by hand or by a signal renders back as written.
 */
function operand(expr: string, outer: number, op: BinaryOperator, side: 'left' | 'right'): string {
  const p = precedence(op);
  const associatesRight = op === '^';
  const needs = outer < p || (outer === p && (side === 'left' ? associatesRight : !associatesRight));
  return needs ? `(${expr})` : expr;
}

/** Renders the model as PromQL; throws with the first problem of `builderProblems`. */
export function renderBuilderQuery(query: BuilderQuery): string {
  const problems = builderProblems(query);
  if (problems.length > 0) {
    throw new Error(problems[0]);
  }
  return renderChain(query).expr;
}

/** The PromQL of a valid model, and the precedence of its outermost binary operator (Infinity: atomic). */
function renderChain(query: BuilderQuery): { expr: string; outer: number } {
  let expr = selector(query.metric, query.matchers);
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
        const scalar = formatNumber(op.scalar);
        expr = op.scalarLeft ? `${scalar} ${operator} ${inner}` : `${inner} ${operator} ${scalar}`;
        outer = precedence(op.op);
        break;
      }
      case 'binaryQuery': {
        const inner = operand(expr, outer, op.op, 'left');
        const other = renderChain(op.query);
        const right = operand(other.expr, other.outer, op.op, 'right');
        expr = `${inner} ${op.bool ? `${op.op} bool` : op.op} ${right}`;
        outer = precedence(op.op);
        break;
      }
    }
  }
  return { expr, outer };
}
