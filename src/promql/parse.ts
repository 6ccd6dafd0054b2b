/**
 * PromQL -> Builder model, on the Prometheus project's own Lezer grammar. Everything the Builder cannot
 * express is refused with what it is and where, never dropped or rewritten: Code -> Builder -> Code must not lose
 * work. What the grammar lets through but Prometheus refuses (`x and bool y`, `1e400`) is refused too, never
 * "fixed". Grafana variables are kept as written where the Builder holds text (label values, numbers, ranges) and
 * refused anywhere else.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

import {
  AGGREGATIONS,
  type AggregationName,
  BINARY_OPERATORS,
  type BinaryOperator,
  type BuilderQuery,
  builderProblems,
  isComparison,
  isSetOperator,
  matchesEmpty,
  type Parameter,
  resultType,
  type QueryOperator,
  RANKING_AGGREGATIONS,
  type RankingAggregationName,
  type VectorMatching,
} from './builder';
import { isConstantNode } from './constant';
import { decodePromQLStringLiteral } from './escape';
import {
  type FunctionSpec,
  isRangeFunction,
  isVectorFunction,
  parameterKinds,
  RANGE_FUNCTION_SPECS,
  VECTOR_FUNCTION_SPECS,
} from './functions';
import { builderNumber, canonicalNumber, promqlNumberValue } from './numbers';
import {
  type Grouping,
  isAtModifier,
  durationFits,
  isDuration,
  isIntervalMacro,
  isOffset,
  type LabelMatcher,
  type MatchOp,
} from './render';
import { locateVariables, type VariableSpan } from './variables';

/** Why a query could not become a Builder model; `code` and `subject` let the editor translate `reason`. */
export interface Unrepresentable {
  code:
    | 'empty'
    | 'syntax'
    | 'unknown-function'
    | 'comment'
    | 'function'
    | 'aggregation'
    | 'range-without-function'
    | 'subquery'
    | 'offset'
    | 'at-modifier'
    | 'modifier'
    | 'duration-expression'
    | 'vector-matching'
    | 'matching-label'
    | 'group-modifier'
    | 'bool-modifier'
    | 'operator'
    | 'number-only'
    | 'number-range'
    | 'duration-range'
    | 'string'
    | 'unary'
    | 'arguments'
    | 'variable'
    | 'variable-name'
    | 'variable-metric'
    | 'metric-name'
    | 'metric-name-twice'
    | 'selector-empty'
    | 'modifier-target'
    | 'modifier-twice'
    | 'at-timestamp'
    | 'subquery-operand'
    | 'type'
    | 'internal';
  /** What cannot be represented, in English, e.g. `the function label_replace`. */
  what: string;
  /** Offsets into the query text. */
  from: number;
  to: number;
  line: number;
  column: number;
  /**
   * More of the construct, for the editor's text: the name a variable is glued into (`variable-name`), the
   * function meant (`unknown-function`: `rate` for `RATE`), the operator (`bool-modifier`, `group-modifier`).
   */
  detail?: string;
  /** `cannot represent: <what>, at line L, column C` */
  reason: string;
}

export type ParseResult = { ok: true; query: BuilderQuery } | { ok: false; error: Unrepresentable };

/** Refusals of what Prometheus itself refuses, though the grammar lets some through (`x and bool y`, `1e400`). */
export const INVALID_PROMQL: ReadonlySet<Unrepresentable['code']> = new Set<Unrepresentable['code']>([
  'syntax',
  'unknown-function',
  'bool-modifier',
  'group-modifier',
  'matching-label',
  'number-range',
  'duration-range',
  'metric-name-twice',
  'selector-empty',
  'modifier-target',
  'modifier-twice',
  'at-timestamp',
  'subquery-operand',
  'type',
]);

class CannotRepresent extends Error {
  constructor(
    readonly code: Unrepresentable['code'],
    readonly what: string,
    readonly from: number,
    readonly to: number,
    readonly detail?: string
  ) {
    super(what);
  }
}

/** The children of a node but comments (which are refused before the model is read). */
function children(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'LineComment') {
      list.push(child);
    }
  }
  return list;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

const overlaps = (a: { from: number; to: number }, b: { from: number; to: number }) =>
  a.from < b.to && b.from < Math.max(a.to, a.from + 1);

// A word the grammar reads as a function call in lower case only: `RATE(` is "unknown function" in Prometheus.
function knownFunction(name: string): boolean {
  const tree = parser.parse(`${name}()`);
  return tree.topNode.firstChild?.name === 'FunctionCall' || tree.topNode.firstChild?.name === 'AggregateExpr';
}

/** A parsed number or variable in a scalar position, with its value and its spelling. */
interface Scalar {
  value: number;
  spelling: string;
  variable: boolean;
}

/**
 * `offset` and `@` read off an expression, with the keyword that introduced the first one (for refusals). In
 * Prometheus they bind tighter than any operator: `a - b offset 1h` shifts b only, though the grammar's tree puts the
 * modifier around the whole `a - b`, so they travel down to the operand they belong to.
 */
interface Modifiers {
  offset?: string;
  at?: string;
  keyword?: SyntaxNode;
  /** Where the last modifier ends. */
  end?: number;
}

const NONE: Modifiers = {};
const hasModifiers = (m: Modifiers) => m.offset !== undefined || m.at !== undefined;
const modifierFields = (m: Modifiers) => ({
  // only what the model holds: keyword and end are for refusals
  ...(m.offset !== undefined && { offset: m.offset }),
  ...(m.at !== undefined && { at: m.at }),
});

class Reader {
  constructor(
    /** The query with its variables masked: what the tree was parsed from. */
    private readonly text: string,
    /** The query as written. */
    private readonly expr: string,
    private readonly variables: VariableSpan[]
  ) {}

  private source(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  /** The text of a node as the user wrote it, variables included. */
  private written(node: SyntaxNode | { from: number; to: number }): string {
    return this.expr.slice(node.from, node.to);
  }

  private fail(code: Unrepresentable['code'], what: string, node: SyntaxNode, detail?: string): never {
    throw new CannotRepresent(code, what, node.from, node.to, detail);
  }

  private variableIn(node: SyntaxNode): VariableSpan | undefined {
    return this.variables.find((v) => overlaps(node, v));
  }

  /** A metric or label name; a variable glued into it is refused, never replaced by its placeholder. */
  private name(node: SyntaxNode): string {
    const variable = this.variableIn(node);
    if (variable) {
      throw new CannotRepresent(
        'variable-name',
        `the variable ${variable.text} inside the name ${this.written(node)}`,
        variable.from,
        variable.to,
        this.written(node)
      );
    }
    return this.source(node);
  }

  private string(node: SyntaxNode): string {
    try {
      return decodePromQLStringLiteral(this.source(node));
    } catch (e) {
      return this.fail('syntax', e instanceof Error ? e.message : 'invalid string', node);
    }
  }

  /** A scalar operand (number, signed number, variable, parenthesised), or null when the node is not one. */
  private scalar(node: SyntaxNode): Scalar | null {
    if (node.name === 'ParenExpr') {
      const [inner] = children(node);
      return inner ? this.scalar(inner) : null;
    }
    if (node.name === 'UnaryExpr') {
      const [op, operand] = children(node);
      const inner = operand ? this.scalar(operand) : null;
      if (inner === null) {
        return null;
      }
      if (inner.variable) {
        this.fail('variable', `a sign before the variable ${inner.spelling}`, node);
      }
      const sign = this.source(op);
      const value = sign === '-' ? -inner.value : inner.value;
      // `-(010)` is `-010`; a second sign (`-(-1)`) leaves the value to say it.
      const spelling = /^[-+]/.test(inner.spelling) ? canonicalNumber(value) : `${sign}${inner.spelling}`;
      return { value, spelling, variable: false };
    }
    if (node.name !== 'NumberDurationLiteral') {
      return null;
    }
    const variable = this.variableIn(node);
    if (variable) {
      if (variable.from === node.from && variable.to === node.to) {
        return { value: NaN, spelling: variable.text, variable: true };
      }
      const signOnly = /^[-+]\s*$/.test(this.expr.slice(node.from, variable.from)) && variable.to === node.to;
      return this.fail(
        'variable',
        signOnly
          ? `a sign before the variable ${variable.text}`
          : `the variable ${variable.text} inside ${this.written(node)}`,
        node
      );
    }
    const text = this.source(node).replace(/^([-+])\s*/, '$1');
    const value = promqlNumberValue(text);
    if (value === undefined) {
      if (/^[-+]?\d+(ms|s|m|h|d|w|y)/.test(text)) {
        this.fail('number-only', `the duration ${text} as a number`, node);
      }
      // The grammar reads it as a number, Prometheus refuses it: `1e400` is beyond float64, `0x…` beyond int64.
      this.fail('number-range', `the number ${text}, beyond what PromQL can hold`, node);
    }
    return { value, spelling: text, variable: false };
  }

  /** The model's value of a scalar: the number, or the text as written (a variable, `010`, `1e3`). */
  private scalarValue(scalar: Scalar): number | string {
    return scalar.variable ? scalar.spelling : (builderNumber(scalar.spelling) ?? scalar.spelling);
  }

  /** What a modifier applies to, in words: `a subquery`, `sum(x)`. */
  private describe(node: SyntaxNode): string {
    const text = this.written(node).replace(/\s+/g, ' ');
    return text.length > 40 ? `${text.slice(0, 37)}…` : text;
  }

  /** `offset 5m` and `@ end()` around an expression, added to the modifiers already read. */
  private peel(node: SyntaxNode, outer: Modifiers): { node: SyntaxNode; mods: Modifiers } {
    const mods = { ...outer };
    while (node.name === 'OffsetExpr' || node.name === 'StepInvariantExpr') {
      const [inner, keyword, value] = children(node);
      if (node.name === 'OffsetExpr') {
        if (mods.offset !== undefined) {
          // Prometheus: "offset may not be set multiple times".
          this.fail(
            'modifier-twice',
            `offset set twice (offset ${this.written(value)} and offset ${mods.offset})`,
            keyword
          );
        }
        mods.offset = this.offsetDuration(value);
      } else {
        if (mods.at !== undefined) {
          // Prometheus: "@ <timestamp> may not be set multiple times".
          this.fail('modifier-twice', `@ set twice (@ ${this.written(value)} and @ ${mods.at})`, keyword);
        }
        mods.at = this.atValue(value);
      }
      if (!mods.keyword || keyword.from < mods.keyword.from) {
        mods.keyword = keyword;
      }
      mods.end = Math.max(mods.end ?? node.to, node.to);
      node = inner;
    }
    return { node, mods };
  }

  /** The duration after `offset`: `5m`, `-1h`, `300`, a variable; as written but for spaces after the sign. */
  private offsetDuration(node: SyntaxNode): string {
    const parts = children(node);
    let sign = '';
    let leaf = parts[0];
    if (parts.length === 2 && parts[0].name === 'UnaryOp') {
      sign = this.source(parts[0]);
      const inner = children(parts[1]);
      leaf = inner.length === 1 ? inner[0] : parts[1];
    }
    if (!leaf || leaf.name !== 'NumberDurationLiteralInDurationContext') {
      this.fail('duration-expression', `the duration expression ${this.written(node)} after offset`, node);
    }
    const variable = this.variableIn(node);
    if (variable) {
      if (variable.from === leaf.from && variable.to === leaf.to && (sign === '' || isIntervalMacro(variable.text))) {
        // `offset -$__interval` (a step back, common in dashboards): the macro's value has no sign of its own.
        return `${sign}${variable.text}`;
      }
      this.fail(
        'variable',
        sign
          ? `a sign before the variable ${variable.text} after offset`
          : `the variable ${variable.text} inside ${this.written(node)}`,
        node
      );
    }
    const value = `${sign}${this.source(leaf)}`;
    if (!isOffset(value)) {
      this.fail('duration-expression', `the duration expression ${this.written(node)} after offset`, node);
    }
    this.fitting(value, node);
    return value;
  }

  /** What follows `@`: `start()`, `end()`, a timestamp or a variable. */
  private atValue(node: SyntaxNode): string {
    if (node.name === 'AtModifierPreprocessors') {
      return children(node)[0]?.name === 'AtEnd' ? 'end()' : 'start()';
    }
    const scalar = this.scalar(node);
    if (scalar === null) {
      return this.fail('syntax', `the expression ${node.name}`, node);
    }
    if (!scalar.variable && !isAtModifier(scalar.spelling)) {
      // Prometheus: "timestamp out of bounds for @ modifier".
      this.fail('at-timestamp', `the @ timestamp ${scalar.spelling}`, node);
    }
    return scalar.spelling;
  }

  /** A modifier where Prometheus refuses one: after anything but a selector, a range or a subquery. */
  private misplaced(mods: Modifiers, target: SyntaxNode): never {
    const which = mods.offset !== undefined ? `offset ${mods.offset}` : `@ ${mods.at}`;
    const keyword = mods.keyword ?? target;
    throw new CannotRepresent(
      'modifier-target',
      `${which} after ${this.describe(target)} (offset and @ apply to a metric, a range or a subquery)`,
      keyword.from,
      mods.end ?? keyword.to,
      this.describe(target)
    );
  }

  query(node: SyntaxNode, mods: Modifiers = NONE): BuilderQuery {
    if (
      hasModifiers(mods) &&
      ![
        'OffsetExpr',
        'StepInvariantExpr',
        'VectorSelector',
        'BinaryExpr',
        'UnaryExpr',
        'MatrixSelector',
        'SubqueryExpr',
      ].includes(node.name)
    ) {
      this.misplaced(mods, node);
    }
    switch (node.name) {
      case 'ParenExpr': {
        const [inner] = children(node);
        return this.query(inner);
      }
      case 'VectorSelector':
        return this.vectorSelector(node, mods);
      case 'MatrixSelector':
        return this.fail('range-without-function', 'a range selector without a range function', node);
      case 'SubqueryExpr': {
        // From its `[`, after the expression it ranges over.
        const [inner] = children(node);
        const bracket = this.text.indexOf('[', inner?.to ?? node.from);
        const from = bracket >= 0 ? bracket : node.from;
        const modifiers = [
          mods.offset !== undefined ? `offset ${mods.offset}` : '',
          mods.at !== undefined ? `@ ${mods.at}` : '',
        ].filter(Boolean);
        const brackets = this.expr.slice(from, node.to).replace(/\s+/g, '');
        throw new CannotRepresent(
          'subquery',
          `a subquery ${brackets}${modifiers.length > 0 ? ` with ${modifiers.join(' ')}` : ''} without a function over it (such as max_over_time)`,
          from,
          Math.max(node.to, mods.end ?? node.to)
        );
      }
      case 'OffsetExpr':
      case 'StepInvariantExpr': {
        const peeled = this.peel(node, mods);
        return this.query(peeled.node, peeled.mods);
      }
      case 'AnchoredExpr':
        throw new CannotRepresent(
          'modifier',
          'the anchored modifier',
          node.getChild('Anchored')?.from ?? node.from,
          node.to
        );
      case 'SmoothedExpr':
        throw new CannotRepresent(
          'modifier',
          'the smoothed modifier',
          node.getChild('Smoothed')?.from ?? node.from,
          node.to
        );
      case 'FunctionCall':
        return this.functionCall(node);
      case 'AggregateExpr':
        return this.aggregateExpr(node);
      case 'BinaryExpr':
        return this.binaryExpr(node, mods);
      case 'UnaryExpr': {
        if (this.scalar(node) !== null) {
          if (hasModifiers(mods)) {
            this.misplaced(mods, node);
          }
          return this.fail('number-only', 'a number without a metric', node);
        }
        const [sign, operand] = children(node);
        const query = this.query(operand, mods);
        if (this.source(sign) === '-') {
          query.operations.push({ kind: 'negate' });
        }
        return query;
      }
      case 'NumberDurationLiteral': {
        const variable = this.variableIn(node);
        if (variable && variable.from === node.from && variable.to === node.to) {
          return this.fail('variable-metric', `the variable ${variable.text} in place of a metric`, node);
        }
        this.scalar(node);
        return this.fail('number-only', 'a number without a metric', node);
      }
      case 'StringLiteral':
        return this.fail('string', 'a string without a metric', node);
      default:
        return this.fail('syntax', `the expression ${node.name}`, node);
    }
  }

  private vectorSelector(node: SyntaxNode, mods: Modifiers = NONE): BuilderQuery {
    let metric: string | undefined;
    let bareName = false;
    const matchers: LabelMatcher[] = [];
    let nameMatcher: SyntaxNode | undefined;
    for (const child of children(node)) {
      if (child.name === 'Identifier') {
        metric = this.name(child);
        bareName = true;
        continue;
      }
      for (const m of children(child)) {
        if (m.name === 'QuotedLabelName') {
          if (bareName) {
            // Prometheus: "metric name must not be set twice".
            this.fail('metric-name-twice', 'the metric name set twice', m);
          }
          if (metric !== undefined) {
            this.fail('metric-name', 'a second metric name', m);
          }
          metric = this.string(m);
          if (metric === '') {
            this.fail('metric-name', 'an empty metric name', m);
          }
          continue;
        }
        const [nameNode, opNode, valueNode] = children(m);
        const label = m.name === 'QuotedLabelMatcher' ? this.string(nameNode) : this.name(nameNode);
        if (label === '__name__') {
          nameMatcher ??= m;
        }
        matchers.push({ label, op: this.source(opNode) as MatchOp, value: this.string(valueNode) });
      }
    }
    if (bareName && nameMatcher) {
      // Prometheus: "metric name must not be set twice".
      this.fail('metric-name-twice', 'the metric name set twice', nameMatcher);
    }
    if (metric === undefined) {
      // `{__name__="x", …}` is the metric x; a regex on __name__ stays a matcher.
      const nameIndex = matchers.findIndex((m) => m.label === '__name__' && m.op === '=' && m.value !== '');
      if (nameIndex >= 0) {
        metric = matchers[nameIndex].value;
        matchers.splice(nameIndex, 1);
      }
    }
    if (!metric && matchers.every(matchesEmpty)) {
      // Prometheus: "vector selector must contain at least one non-empty matcher".
      this.fail('selector-empty', 'a selector that would select every series', node);
    }
    return { metric: metric ?? '', matchers, operations: [], ...modifierFields(mods) };
  }

  /** The range of `metric[range]`: a duration, a number of seconds or a variable, as written. */
  private range(node: SyntaxNode): string {
    const parts = children(node);
    if (parts.length !== 1 || parts[0].name !== 'NumberDurationLiteralInDurationContext') {
      this.fail('duration-expression', `the duration expression ${this.written(node)}`, node);
    }
    const variable = this.variableIn(node);
    if (variable) {
      if (variable.from === parts[0].from && variable.to === parts[0].to) {
        return variable.text;
      }
      this.fail('variable', `the variable ${variable.text} inside ${this.written(node)}`, node);
    }
    const range = this.source(parts[0]);
    if (!isDuration(range)) {
      this.fail('duration-expression', `the duration expression ${range}`, node);
    }
    this.fitting(range, node);
    return range;
  }

  /** Prometheus refuses a duration longer than about 292 years (an int64 of nanoseconds). */
  private fitting(duration: string, node: SyntaxNode) {
    if (!durationFits(duration)) {
      this.fail(
        'duration-range',
        `the duration ${duration}, longer than PromQL can hold (about 292 years)`,
        node,
        duration
      );
    }
  }

  /** The query read from `node`, which must be series (Prometheus: "expected type instant vector … got scalar"). */
  private series(node: SyntaxNode, what: string): BuilderQuery {
    const query = this.query(node);
    if (resultType(query) === 'scalar') {
      this.fail('type', `${what} of ${this.describe(node)}, a single number (${what} needs series)`, node, 'series');
    }
    return query;
  }

  /** A number or string argument of a function or aggregation, as its parameter kind wants it. */
  private parameter(fn: string, kind: 'number' | 'string', node: SyntaxNode): Parameter {
    if (kind === 'string') {
      if (node.name !== 'StringLiteral') {
        this.fail('arguments', `the argument ${this.written(node)} of ${fn}, where it takes a string`, node);
      }
      return this.string(node);
    }
    const scalar = this.scalar(node);
    if (scalar === null && isConstantNode(node, this.text)) {
      // `4 * 3600`: arithmetic of numbers, kept as written.
      return this.written(node);
    }
    if (scalar === null) {
      this.fail(
        'arguments',
        `the argument ${this.written(node)} of ${fn} (the Builder holds a number or a variable here)`,
        node
      );
    }
    return this.scalarValue(scalar);
  }

  /**
   * The parameters of a call and the argument the operation applies to (the query so far): the parameters of the
   * spec before it, the argument, the rest after it.
   */
  private callArguments(name: string, spec: FunctionSpec, node: SyntaxNode, args: SyntaxNode[]) {
    const kinds = args.length === 0 ? undefined : parameterKinds(spec, args.length - 1);
    if (!kinds) {
      this.fail('arguments', `${name} with ${args.length} argument${args.length === 1 ? '' : 's'}`, node);
    }
    const at = spec.before.length;
    const argument = args[at];
    const rest = [...args.slice(0, at), ...args.slice(at + 1)];
    const params = rest.map((arg, i) => this.parameter(name, kinds[i], arg));
    return { argument, params };
  }

  /** A range function: over `metric[range]` (its first operation) or over a subquery of the query so far. */
  private rangeCall(
    name: Parameters<typeof isRangeFunction>[0] & string,
    spec: FunctionSpec,
    node: SyntaxNode,
    args: SyntaxNode[]
  ) {
    const { argument, params } = this.callArguments(name, spec, node, args);
    const fn = name as Extract<BuilderQuery['operations'][number], { kind: 'range' }>['fn'];
    const paramFields = params.length > 0 ? { params } : {};
    const { node: ranged, mods } = this.peel(argument, NONE);
    if (ranged.name === 'MatrixSelector') {
      const [inner, range] = children(ranged);
      if (inner.name === 'OffsetExpr' || inner.name === 'StepInvariantExpr') {
        // Prometheus: "no offset modifiers allowed before range".
        const keyword = children(inner)[1];
        this.fail(
          'modifier-target',
          `${this.written({ from: keyword.from, to: inner.to })} before the range [${this.written(range)}] (write it after: ${this.written(children(inner)[0])}[${this.written(range)}] ${this.written({ from: keyword.from, to: inner.to })})`,
          keyword,
          this.written(children(inner)[0])
        );
      }
      if (inner.name !== 'VectorSelector') {
        this.query(inner);
        this.fail('arguments', `a range over ${this.written(inner)}`, inner);
      }
      const query = this.vectorSelector(inner, mods);
      query.operations.push({ kind: 'range', fn, range: this.range(range), ...paramFields });
      return query;
    }
    if (ranged.name === 'SubqueryExpr') {
      const [inner, range, step] = children(ranged);
      const operand = this.peel(inner, NONE).node;
      if (operand.name === 'BinaryExpr' || operand.name === 'UnaryExpr') {
        // Prometheus binds [ tighter than any operator: `a - b[5m:]` is a subquery of b, subtracted from a.
        const bracket = this.text.indexOf('[', inner.to);
        this.fail(
          'subquery-operand',
          `the subquery ${this.expr.slice(bracket, ranged.to).replace(/\s+/g, '')} of the last operand only of ${this.describe(inner)} (write parentheses around what it ranges over)`,
          ranged,
          this.describe(inner)
        );
      }
      const query = this.series(inner, `the subquery of ${name}`);
      query.operations.push({
        kind: 'range',
        fn,
        range: this.range(range),
        ...paramFields,
        subquery: { step: step ? this.range(step) : '', ...modifierFields(mods) },
      });
      return query;
    }
    if (hasModifiers(mods)) {
      this.misplaced(mods, ranged);
    }
    this.query(ranged);
    return this.fail('arguments', `${name} of something other than a metric with a range`, argument);
  }

  private functionCall(node: SyntaxNode): BuilderQuery {
    const [identifier, body] = children(node);
    const name = this.source(identifier);
    const args = children(body);
    if (isRangeFunction(name)) {
      return this.rangeCall(name, functionSpecOf(name), node, args);
    }
    if (name === 'vector' || name === 'time') {
      if (name === 'time' && args.length === 0) {
        return { metric: '', matchers: [], operations: [], source: { kind: 'time' } };
      }
      const value = name === 'vector' && args.length === 1 ? this.scalar(args[0]) : null;
      if (value === null) {
        this.fail(
          'arguments',
          name === 'vector'
            ? `vector of ${this.written(body)} (the Builder holds vector of a number)`
            : `${name} with arguments`,
          node
        );
      }
      return { metric: '', matchers: [], operations: [], source: { kind: 'vector', value: this.scalarValue(value) } };
    }
    if (name === 'histogram_quantile') {
      if (args.length !== 2) {
        this.fail('arguments', `histogram_quantile with ${args.length} arguments`, node);
      }
      const quantile = this.scalar(args[0]);
      if (quantile === null) {
        this.fail('arguments', 'a quantile that is not a number', args[0]);
      }
      const query = this.series(args[1], 'histogram_quantile');
      query.operations.push({ kind: 'histogramQuantile', quantile: this.scalarValue(quantile) });
      return query;
    }
    if (isVectorFunction(name)) {
      if (args.length === 0) {
        // `hour()` is the hour of the current time: nothing for an operation to apply to.
        this.fail('arguments', `${name}() of the current time (the Builder applies ${name} to a query)`, node);
      }
      const { argument, params } = this.callArguments(name, functionSpecOf(name), node, args);
      if ((name === 'label_replace' || name === 'label_join') && params[0] === '') {
        // Prometheus: "invalid destination label name".
        this.fail('arguments', `${name} writing to an empty label name`, args[1]);
      }
      const query = this.series(argument, name);
      query.operations.push({ kind: 'function', fn: name, ...(params.length > 0 && { params }) });
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
    return children(node).map((label) => (label.name === 'QuotedLabelName' ? this.string(label) : this.name(label)));
  }

  /** `on (a) group_left (b)` / `ignoring (a)`: the MatchingModifierClause of a binary expression. */
  private vectorMatching(clause: SyntaxNode, op: string): VectorMatching {
    const [mode, labels, group, included] = children(clause);
    const matching: VectorMatching = { mode: mode.name === 'On' ? 'on' : 'ignoring', labels: this.labelList(labels) };
    if (group) {
      const side = group.name === 'GroupLeft' ? 'left' : 'right';
      if (isSetOperator(op)) {
        // Prometheus: "no grouping allowed for "and" operation".
        this.fail('group-modifier', `group_${side} with ${op}`, group, op);
      }
      matching.group = { side, labels: included ? this.labelList(included) : [] };
      const both = matching.mode === 'on' && matching.group.labels.find((l) => matching.labels.includes(l));
      if (both) {
        // Prometheus: "label … must not occur in ON and GROUP clause at once".
        this.fail('matching-label', `the label ${both} both in on (…) and group_${side} (…)`, clause, both);
      }
    }
    return matching;
  }

  private aggregateExpr(node: SyntaxNode): BuilderQuery {
    const parts = children(node);
    // Aggregation names are keywords, and keywords are case-insensitive in PromQL (`SUM BY (a) (x)`).
    const name = this.source(parts[0]).toLowerCase();
    const modifier = parts.find((p) => p.name === 'AggregateModifier');
    const body = parts.find((p) => p.name === 'FunctionCallBody');
    const args = body ? children(body) : [];
    // `by ()` groups as no modifier does; the model leaves it out, as the rendering does.
    const written = modifier ? this.grouping(modifier) : undefined;
    const grouping = written && (written.mode === 'without' || written.labels.length > 0) ? written : undefined;
    if (name === 'count_values') {
      if (args.length !== 2) {
        this.fail('arguments', `count_values with ${args.length} arguments`, node);
      }
      const label = this.parameter(name, 'string', args[0]) as string;
      if (label === '') {
        // Prometheus: "invalid label name".
        this.fail('arguments', 'count_values writing to an empty label name', args[0]);
      }
      const query = this.series(args[1], name);
      query.operations.push({ kind: 'countValues', label, ...(grouping && { grouping }) });
      return query;
    }
    if ((RANKING_AGGREGATIONS as readonly string[]).includes(name)) {
      if (args.length !== 2) {
        this.fail('arguments', `${name} with ${args.length} arguments`, node);
      }
      const k = this.scalar(args[0]);
      if (k === null) {
        this.fail('arguments', `a ${name} parameter that is not a number (${this.written(args[0])})`, args[0]);
      }
      const query = this.series(args[1], name);
      query.operations.push({
        kind: 'ranking',
        fn: name as RankingAggregationName,
        k: this.scalarValue(k),
        ...(grouping && { grouping }),
      });
      return query;
    }
    if (!(AGGREGATIONS as readonly string[]).includes(name)) {
      return this.fail('aggregation', `the aggregation ${this.source(parts[0])}`, parts[0]);
    }
    if (args.length !== 1) {
      this.fail('arguments', `${name} with ${args.length} arguments`, node);
    }
    const query = this.series(args[0], name);
    query.operations.push({ kind: 'aggregation', fn: name as AggregationName, ...(grouping && { grouping }) });
    return query;
  }

  private binaryExpr(node: SyntaxNode, mods: Modifiers = NONE): BuilderQuery {
    const parts = children(node);
    const [left, operator] = parts;
    const right = parts[parts.length - 1];
    // Keywords are case-insensitive in PromQL (`AND`, `On`); the model keeps them in lower case.
    const written = this.source(operator);
    const op = isSetOperator(written.toLowerCase()) ? written.toLowerCase() : written;
    const fill = parts.find((p) => p.name === 'FillModifier');
    if (fill) {
      this.fail('vector-matching', `vector matching (${this.source(fill)})`, fill);
    }
    if (!(BINARY_OPERATORS as readonly string[]).includes(op) && !isSetOperator(op)) {
      this.fail('operator', `the operator ${op}`, operator);
    }
    const boolModifier = parts.find((p) => p.name === 'BoolModifier');
    if (boolModifier && !isComparison(op)) {
      // Prometheus: "bool modifier can only be used on comparison operators".
      this.fail('bool-modifier', `bool with ${op}`, boolModifier, op);
    }
    const bool = Boolean(boolModifier);
    const clause = parts.find((p) => p.name === 'MatchingModifierClause');
    if (
      op === '^' &&
      (left.name === 'UnaryExpr' || (left.name === 'NumberDurationLiteral' && /^[-+]/.test(this.source(left))))
    ) {
      // `-1 ^ x` is `-(1 ^ x)` in Prometheus (a sign binds more loosely than ^), whatever the grammar's tree says.
      this.fail('unary', 'a sign in front of a query (use "* -1")', node);
    }
    const leftScalar = this.scalar(left);
    const rightScalar = this.scalar(right);
    if (leftScalar !== null && rightScalar !== null) {
      this.fail('number-only', 'arithmetic between numbers only', node);
    }
    if (rightScalar !== null && hasModifiers(mods)) {
      this.misplaced(mods, right);
    }
    if (leftScalar === null && rightScalar === null) {
      const matching = clause && this.vectorMatching(clause, op);
      const query = this.query(left);
      const other = this.query(right, mods);
      const numbers = [query, other].filter((q) => resultType(q) === 'scalar').length;
      if (numbers > 0 && (isSetOperator(op) || matching)) {
        // Prometheus: "set operator … not allowed in binary scalar expression", "vector matching only allowed between instant vectors".
        this.fail(
          'type',
          `${isSetOperator(op) ? op : this.source(clause!)} with a single number (it needs series on both sides)`,
          node,
          'set'
        );
      }
      if (numbers === 2 && isComparison(op) && !bool) {
        this.fail(
          'type',
          `${op} between two numbers without bool (comparisons of numbers need bool)`,
          operator,
          'bool'
        );
      }
      query.operations.push({
        kind: 'binaryQuery',
        op: op as QueryOperator,
        query: other,
        ...(bool && { bool }),
        ...(matching && { matching }),
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
    const query = scalarLeft ? this.query(right, mods) : this.query(left);
    if (resultType(query) === 'scalar' && isComparison(op) && !bool) {
      this.fail('type', `${op} between two numbers without bool (comparisons of numbers need bool)`, operator, 'bool');
    }
    query.operations.push({
      kind: 'binaryScalar',
      op: op as BinaryOperator,
      scalar: this.scalarValue((scalarLeft ? leftScalar : rightScalar)!),
      ...(scalarLeft && { scalarLeft }),
      ...(bool && { bool }),
    });
    return query;
  }
}

function functionSpecOf(name: string): FunctionSpec {
  return isRangeFunction(name)
    ? RANGE_FUNCTION_SPECS[name]
    : VECTOR_FUNCTION_SPECS[name as keyof typeof VECTOR_FUNCTION_SPECS];
}

/** The first error node of a tree, if any. */
function firstError(tree: ReturnType<typeof parser.parse>): { from: number; to: number } | undefined {
  let found: { from: number; to: number } | undefined;
  tree.iterate({
    enter: (n) => {
      if (found) {
        return false;
      }
      if (n.type.isError) {
        found = { from: n.from, to: n.to };
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * What a syntax error is about, when it is more than a typo: a variable where PromQL cannot have one (`by
 * ($label)`), or a function name in the wrong case (`RATE(`).
 */
function explainSyntaxError(
  masked: string,
  variables: VariableSpan[],
  error: { from: number; to: number }
): CannotRepresent {
  const before = masked.slice(0, error.from);
  const variable =
    variables.find((v) => overlaps(error, v)) ??
    variables.find((v) => v.to <= error.from && /^\s*$/.test(masked.slice(v.to, error.from)));
  if (variable) {
    return new CannotRepresent('variable', `the variable ${variable.text} here`, variable.from, variable.to);
  }
  // An identifier the grammar did not take as a function, right before the `(` it stumbled on.
  const call = masked[error.from] === '(' ? /([a-zA-Z_:][\w:]*)\s*$/.exec(before) : null;
  if (call && call[1] === 'holt_winters') {
    const at = call.index;
    return new CannotRepresent(
      'unknown-function',
      'the function holt_winters, which Prometheus 3 names double_exponential_smoothing',
      at,
      at + call[1].length,
      'double_exponential_smoothing'
    );
  }
  if (call && !knownFunction(call[1])) {
    const name = call[1];
    const meant = knownFunction(name.toLowerCase()) ? name.toLowerCase() : undefined;
    const what = meant
      ? `an unknown function ${name} (function names are case-sensitive: ${meant})`
      : `an unknown function ${name}`;
    return new CannotRepresent('unknown-function', what, call.index, call.index + name.length, meant);
  }
  return new CannotRepresent('syntax', 'invalid PromQL', error.from, error.to);
}

/** The first comment of a tree, if any: the Builder has no place for comments, so it refuses them. */
function firstComment(tree: ReturnType<typeof parser.parse>): { from: number; to: number } | undefined {
  let found: { from: number; to: number } | undefined;
  tree.iterate({
    enter: (n) => {
      if (found) {
        return false;
      }
      if (n.name === 'LineComment') {
        found = { from: n.from, to: n.to };
        return false;
      }
      return undefined;
    },
  });
  return found;
}

function read(expr: string): BuilderQuery {
  const { masked, variables } = locateVariables(expr);
  if (masked.replace(/#.*$/gm, '').trim() === '') {
    throw new CannotRepresent('empty', 'an empty query', 0, 0);
  }
  const tree = parser.parse(masked);
  const error = firstError(tree);
  if (error) {
    throw explainSyntaxError(masked, variables, error);
  }
  const comment = firstComment(tree);
  if (comment) {
    throw new CannotRepresent('comment', 'a comment (comments are not held by the Builder)', comment.from, comment.to);
  }
  const top = children(tree.topNode)[0];
  if (!top) {
    throw new CannotRepresent('empty', 'an empty query', 0, 0);
  }
  const query = new Reader(masked, expr, variables).query(top);
  const problems = builderProblems(query);
  if (problems.length > 0) {
    // A model the Builder cannot render must never reach it; reading should have refused it with a reason.
    throw new CannotRepresent('internal', problems[0], 0, expr.length);
  }
  return query;
}

/** Parses PromQL into the Builder model, or says precisely what it cannot represent and where. Never throws. */
export function parsePromQL(expr: string): ParseResult {
  const error = (e: CannotRepresent): ParseResult => {
    const { line, column } = position(expr, e.from);
    const prefix =
      e.code === 'syntax' || e.code === 'unknown-function'
        ? 'cannot parse'
        : INVALID_PROMQL.has(e.code)
          ? 'refused by Prometheus'
          : 'cannot represent';
    return {
      ok: false,
      error: {
        code: e.code,
        what: e.what,
        from: e.from,
        to: e.to,
        line,
        column,
        ...(e.detail !== undefined && { detail: e.detail }),
        reason: `${prefix}: ${e.what}, at line ${line}, column ${column}`,
      },
    };
  };
  if (expr.trim() === '') {
    return error(new CannotRepresent('empty', 'an empty query', 0, 0));
  }
  try {
    return { ok: true, query: read(expr) };
  } catch (e) {
    if (e instanceof CannotRepresent) {
      return error(e);
    }
    const message = e instanceof Error ? e.message : String(e);
    return error(new CannotRepresent('internal', `an error in Pulse (${message})`, 0, expr.length));
  }
}
