/**
 * PromQL -> Builder model, on the Prometheus project's own Lezer grammar. Everything the Builder cannot
 * express is refused with what it is and where, never dropped: Code -> Builder -> Code must not lose work.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

import {
  AGGREGATIONS,
  type AggregationName,
  BINARY_OPERATORS,
  type BinaryOperator,
  type BuilderQuery,
  isComparison,
  isSetOperator,
  type QueryOperator,
  RANGE_FUNCTIONS,
  type RangeFunctionName,
  RANKING_AGGREGATIONS,
  type RankingAggregationName,
  type VectorMatching,
} from './builder';
import { decodePromQLStringLiteral } from './escape';
import type { Grouping, LabelMatcher, MatchOp } from './render';
import { replaceVariableReferences } from './variables';

/** Why a query could not become a Builder model; `code` and `subject` let the editor translate `reason`. */
export interface Unrepresentable {
  code:
    | 'empty'
    | 'syntax'
    | 'function'
    | 'aggregation'
    | 'range-without-function'
    | 'subquery'
    | 'modifier'
    | 'duration-expression'
    | 'vector-matching'
    | 'operator'
    | 'number-only'
    | 'string'
    | 'unary'
    | 'arguments'
    | 'variable'
    | 'metric-name';
  /** What cannot be represented, in English, e.g. `the function label_replace`. */
  what: string;
  /** Offsets into the query text. */
  from: number;
  to: number;
  line: number;
  column: number;
  /** `cannot represent: <what>, at line L, column C` */
  reason: string;
}

export type ParseResult = { ok: true; query: BuilderQuery } | { ok: false; error: Unrepresentable };

class CannotRepresent extends Error {
  constructor(
    readonly code: Unrepresentable['code'],
    readonly what: string,
    readonly from: number,
    readonly to: number
  ) {
    super(what);
  }
}

// Grafana variables become same-length placeholder durations (positions stay true) and are restored where the
// Builder holds text: ranges and numbers.
function replaceVariables(expr: string): { text: string; variables: Map<string, string> } {
  const variables = new Map<string, string>();
  const text = replaceVariableReferences(expr, (original, start) => {
    const index = String(variables.size + 1);
    if (index.length > original.length - 1) {
      throw new CannotRepresent('variable', `the variable ${original}`, start, start + original.length);
    }
    const placeholder = `${index.padStart(original.length - 1, '0')}s`;
    variables.set(placeholder, original);
    return placeholder;
  });
  return { text, variables };
}

function children(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    list.push(child);
  }
  return list;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

const PLAIN_NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

class Reader {
  constructor(
    private readonly text: string,
    private readonly variables: Map<string, string>
  ) {}

  private source(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  private fail(code: Unrepresentable['code'], what: string, node: SyntaxNode): never {
    throw new CannotRepresent(code, what, node.from, node.to);
  }

  /** The original text of a node, with variables restored. */
  private original(node: SyntaxNode): string {
    const raw = this.source(node);
    return this.variables.get(raw) ?? raw;
  }

  /** A scalar operand (number, signed number, variable, parenthesised), or null when the node is not one. */
  private scalar(node: SyntaxNode): number | string | null {
    if (node.name === 'ParenExpr') {
      const [inner] = children(node);
      return inner ? this.scalar(inner) : null;
    }
    if (node.name === 'UnaryExpr') {
      const [op, operand] = children(node);
      const value = operand ? this.scalar(operand) : null;
      if (value === null) {
        return null;
      }
      if (typeof value === 'string') {
        this.fail('variable', `a sign before the variable ${value}`, node);
      }
      return this.source(op) === '-' ? -value : value;
    }
    if (node.name !== 'NumberDurationLiteral') {
      return null;
    }
    const text = this.source(node);
    const variable = this.variables.get(text);
    if (variable) {
      return variable;
    }
    if (!PLAIN_NUMBER.test(text)) {
      this.fail('number-only', `the number ${text} (write it as a decimal number)`, node);
    }
    return Number(text);
  }

  query(node: SyntaxNode): BuilderQuery {
    switch (node.name) {
      case 'ParenExpr': {
        const [inner] = children(node);
        return this.query(inner);
      }
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'MatrixSelector':
        return this.fail('range-without-function', 'a range selector without a range function', node);
      case 'SubqueryExpr':
        return this.fail('subquery', 'a subquery', node);
      case 'OffsetExpr':
        return this.fail('modifier', 'the offset modifier', node);
      case 'StepInvariantExpr':
        return this.fail('modifier', 'the @ modifier', node);
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        return this.fail('modifier', `the ${node.name === 'AnchoredExpr' ? 'anchored' : 'smoothed'} modifier`, node);
      case 'FunctionCall':
        return this.functionCall(node);
      case 'AggregateExpr':
        return this.aggregateExpr(node);
      case 'BinaryExpr':
        return this.binaryExpr(node);
      case 'UnaryExpr':
        if (this.scalar(node) !== null) {
          return this.fail('number-only', 'a number without a metric', node);
        }
        return this.fail('unary', 'a sign in front of a query (use "* -1")', node);
      case 'NumberDurationLiteral':
        return this.fail('number-only', 'a number without a metric', node);
      case 'StringLiteral':
        return this.fail('string', 'a string without a metric', node);
      default:
        return this.fail('syntax', `the expression ${node.name}`, node);
    }
  }

  private vectorSelector(node: SyntaxNode): BuilderQuery {
    let metric: string | undefined;
    const matchers: LabelMatcher[] = [];
    for (const child of children(node)) {
      if (child.name === 'Identifier') {
        metric = this.source(child);
        continue;
      }
      for (const m of children(child)) {
        if (m.name === 'QuotedLabelName') {
          if (metric !== undefined) {
            this.fail('metric-name', 'a second metric name', m);
          }
          metric = decodePromQLStringLiteral(this.source(m));
          continue;
        }
        const [nameNode, opNode, valueNode] = children(m);
        const label =
          m.name === 'QuotedLabelMatcher' ? decodePromQLStringLiteral(this.source(nameNode)) : this.source(nameNode);
        matchers.push({
          label,
          op: this.source(opNode) as MatchOp,
          value: decodePromQLStringLiteral(this.source(valueNode)),
        });
      }
    }
    if (metric === undefined) {
      // `{__name__="x", …}` is the metric x; a regex on __name__ stays a matcher.
      const nameIndex = matchers.findIndex((m) => m.label === '__name__' && m.op === '=');
      if (nameIndex >= 0) {
        metric = matchers[nameIndex].value;
        matchers.splice(nameIndex, 1);
      }
    }
    return { metric: metric ?? '', matchers, operations: [] };
  }

  private functionCall(node: SyntaxNode): BuilderQuery {
    const [identifier, body] = children(node);
    const name = this.source(identifier);
    const args = children(body);
    if ((RANGE_FUNCTIONS as readonly string[]).includes(name)) {
      if (args.length !== 1) {
        this.fail('arguments', `${name} with ${args.length} arguments`, node);
      }
      const [arg] = args;
      if (arg.name === 'SubqueryExpr') {
        this.fail('subquery', 'a subquery', arg);
      }
      if (arg.name !== 'MatrixSelector') {
        this.fail('arguments', `${name} of something other than a metric with a range`, arg);
      }
      const [inner, range] = children(arg);
      if (inner.name !== 'VectorSelector') {
        this.query(inner);
        this.fail('arguments', `a range over ${this.source(inner)}`, inner);
      }
      const rangeParts = children(range);
      if (rangeParts.length !== 1 || rangeParts[0].name !== 'NumberDurationLiteralInDurationContext') {
        this.fail('duration-expression', `the duration expression ${this.original(range)}`, range);
      }
      const query = this.vectorSelector(inner);
      query.operations.push({ kind: 'range', fn: name as RangeFunctionName, range: this.original(range) });
      return query;
    }
    if (name === 'histogram_quantile') {
      if (args.length !== 2) {
        this.fail('arguments', `histogram_quantile with ${args.length} arguments`, node);
      }
      const quantile = this.scalar(args[0]);
      if (quantile === null) {
        this.fail('arguments', 'a quantile that is not a number', args[0]);
      }
      const query = this.query(args[1]);
      query.operations.push({ kind: 'histogramQuantile', quantile });
      return query;
    }
    return this.fail('function', `the function ${name}`, identifier);
  }

  private grouping(modifier: SyntaxNode): Grouping {
    const [mode, labels] = children(modifier);
    return { mode: this.source(mode).toLowerCase() === 'by' ? 'by' : 'without', labels: this.labelList(labels) };
  }

  /** The names of a GroupingLabels node: `(a, "b.c")`. */
  private labelList(node: SyntaxNode): string[] {
    return children(node).map((label) =>
      label.name === 'QuotedLabelName' ? decodePromQLStringLiteral(this.source(label)) : this.source(label)
    );
  }

  /** `on (a) group_left (b)` / `ignoring (a)`: the MatchingModifierClause of a binary expression. */
  private vectorMatching(clause: SyntaxNode): VectorMatching {
    const [mode, labels, group, included] = children(clause);
    const matching: VectorMatching = { mode: mode.name === 'On' ? 'on' : 'ignoring', labels: this.labelList(labels) };
    if (group) {
      matching.group = {
        side: group.name === 'GroupLeft' ? 'left' : 'right',
        labels: included ? this.labelList(included) : [],
      };
    }
    return matching;
  }

  private aggregateExpr(node: SyntaxNode): BuilderQuery {
    const parts = children(node);
    const name = this.source(parts[0]);
    const modifier = parts.find((p) => p.name === 'AggregateModifier');
    const body = parts.find((p) => p.name === 'FunctionCallBody');
    const args = body ? children(body) : [];
    const grouping = modifier ? this.grouping(modifier) : undefined;
    if ((RANKING_AGGREGATIONS as readonly string[]).includes(name)) {
      if (args.length !== 2) {
        this.fail('arguments', `${name} with ${args.length} arguments`, node);
      }
      const k = this.scalar(args[0]);
      if (k === null) {
        this.fail('arguments', `a ${name} count that is not a number`, args[0]);
      }
      const query = this.query(args[1]);
      query.operations.push({ kind: 'ranking', fn: name as RankingAggregationName, k, ...(grouping && { grouping }) });
      return query;
    }
    if (!(AGGREGATIONS as readonly string[]).includes(name)) {
      return this.fail('aggregation', `the aggregation ${name}`, parts[0]);
    }
    if (args.length !== 1) {
      this.fail('arguments', `${name} with ${args.length} arguments`, node);
    }
    const query = this.query(args[0]);
    query.operations.push({ kind: 'aggregation', fn: name as AggregationName, ...(grouping && { grouping }) });
    return query;
  }

  private binaryExpr(node: SyntaxNode): BuilderQuery {
    const parts = children(node);
    const [left, operator] = parts;
    const right = parts[parts.length - 1];
    // Keywords are case-insensitive in PromQL (`AND`, `On`); the model keeps them in lower case.
    const op = isSetOperator(this.source(operator).toLowerCase())
      ? this.source(operator).toLowerCase()
      : this.source(operator);
    const fill = parts.find((p) => p.name === 'FillModifier');
    if (fill) {
      this.fail('vector-matching', `vector matching (${this.source(fill)})`, fill);
    }
    if (!(BINARY_OPERATORS as readonly string[]).includes(op) && !isSetOperator(op)) {
      this.fail('operator', `the operator ${op}`, operator);
    }
    const bool = parts.some((p) => p.name === 'BoolModifier');
    const clause = parts.find((p) => p.name === 'MatchingModifierClause');
    const leftScalar = this.scalar(left);
    const rightScalar = this.scalar(right);
    if (leftScalar !== null && rightScalar !== null) {
      this.fail('number-only', 'arithmetic between numbers only', node);
    }
    if (leftScalar === null && rightScalar === null) {
      const query = this.query(left);
      query.operations.push({
        kind: 'binaryQuery',
        op: op as QueryOperator,
        query: this.query(right),
        ...(bool && isComparison(op) && { bool }),
        ...(clause && { matching: this.vectorMatching(clause) }),
      });
      return query;
    }
    if (isSetOperator(op)) {
      this.fail('operator', `${op} with a number`, node);
    }
    if (clause) {
      // The grammar lets it through, Prometheus does not: vector matching only applies between two vectors.
      this.fail('vector-matching', `vector matching with a number (${this.source(clause)})`, clause);
    }
    const scalarLeft = leftScalar !== null;
    const query = this.query(scalarLeft ? right : left);
    query.operations.push({
      kind: 'binaryScalar',
      op: op as BinaryOperator,
      scalar: (scalarLeft ? leftScalar : rightScalar)!,
      ...(scalarLeft && { scalarLeft }),
      ...(bool && isComparison(op) && { bool }),
    });
    return query;
  }
}

/** Parses PromQL into the Builder model, or says precisely what it cannot represent and where. */
export function parsePromQL(expr: string): ParseResult {
  const error = (code: Unrepresentable['code'], what: string, from: number, to: number): ParseResult => {
    const { line, column } = position(expr, from);
    const prefix = code === 'syntax' ? 'cannot parse' : 'cannot represent';
    return {
      ok: false,
      error: { code, what, from, to, line, column, reason: `${prefix}: ${what}, at line ${line}, column ${column}` },
    };
  };
  if (expr.trim() === '') {
    return error('empty', 'an empty query', 0, 0);
  }
  try {
    const { text, variables } = replaceVariables(expr);
    const tree = parser.parse(text);
    let syntaxError: { from: number; to: number } | undefined;
    tree.iterate({
      enter: (n) => {
        if (syntaxError) {
          return false;
        }
        if (n.type.isError) {
          syntaxError = { from: n.from, to: n.to };
          return false;
        }
        return undefined;
      },
    });
    if (syntaxError) {
      return error('syntax', 'invalid PromQL', syntaxError.from, syntaxError.to);
    }
    const top = tree.topNode.firstChild;
    if (!top) {
      return error('empty', 'an empty query', 0, 0);
    }
    return { ok: true, query: new Reader(text, variables).query(top) };
  } catch (e) {
    if (e instanceof CannotRepresent) {
      return error(e.code, e.what, e.from, e.to);
    }
    if (e instanceof SyntaxError) {
      return error('syntax', e.message, 0, expr.length);
    }
    throw e;
  }
}
