/**
 * The meaning of a PromQL text as a canonical string computed from the lezer tree, for the property tests: two
 * texts that differ only in whitespace, comments, redundant parentheses, keyword case, the order of label
 * matchers or grouping labels, where an aggregation's `by` stands, how a metric name is written (`x`, `{"x"}`,
 * `{__name__="x"}`), how a string is quoted or a number spelled (`010` and `8`) have the same canonical form.
 * Grafana variables stay as written. Independent of the Builder model: it reads the tree, not parse.ts.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

import { decodePromQLStringLiteral } from '../escape';
import { canonicalNumber, promqlNumberValue } from '../numbers';
import { locateVariables } from '../variables';

const UNITS: Record<string, number> = {
  y: 31536000000,
  w: 604800000,
  d: 86400000,
  h: 3600000,
  m: 60000,
  s: 1000,
  ms: 1,
};

function kids(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'LineComment') {
      list.push(child);
    }
  }
  return list;
}

/** The first syntax error of a text (variables masked), or undefined when the grammar reads it whole. */
export function lezerError(expr: string): { from: number; to: number } | undefined {
  let found: { from: number; to: number } | undefined;
  parser.parse(locateVariables(expr).masked).iterate({
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

/** The canonical form of a text the grammar reads without error (throws otherwise). */
export function canonical(expr: string): string {
  const { masked, variables } = locateVariables(expr);
  if (lezerError(expr)) {
    throw new Error(`not PromQL: ${expr}`);
  }
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const isVariable = (n: SyntaxNode) => variables.some((v) => v.from === n.from && v.to === n.to);
  const str = (n: SyntaxNode) => JSON.stringify(decodePromQLStringLiteral(text(n)));
  const labelName = (n: SyntaxNode) => (n.name === 'QuotedLabelName' ? str(n) : JSON.stringify(text(n)));
  const labels = (n: SyntaxNode | undefined) => `[${n ? kids(n).map(labelName).sort().join(',') : ''}]`;

  const number = (n: SyntaxNode): string => {
    if (isVariable(n)) {
      return `var:${text(n)}`;
    }
    const written = masked.slice(n.from, n.to);
    const signed = /^([-+])\s*/.exec(written);
    const body = { from: n.from + (signed?.[0].length ?? 0), to: n.to };
    if (signed && variables.some((v) => v.from === body.from && v.to === body.to)) {
      return signed[1] === '-'
        ? `(neg var:${expr.slice(body.from, body.to)})`
        : `var:${expr.slice(body.from, body.to)}`;
    }
    const value = promqlNumberValue(written.replace(/\s+/g, ''));
    return value === undefined ? `badnum:${written}` : `num:${canonicalNumber(value)}`;
  };

  const duration = (n: SyntaxNode): string => {
    const parts = kids(n);
    if (
      n.name === 'NumberDurationLiteralInDurationContext' ||
      (parts.length === 1 && parts[0].name === 'NumberDurationLiteralInDurationContext')
    ) {
      const leaf = n.name === 'NumberDurationLiteralInDurationContext' ? n : parts[0];
      if (isVariable(leaf)) {
        return `var:${text(leaf)}`;
      }
      const written = text(leaf);
      const units = [...written.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)];
      if (units.length > 0 && units.map((u) => u[0]).join('') === written) {
        return `ms:${units.reduce((sum, u) => sum + Number(u[1]) * UNITS[u[2]], 0)}`;
      }
      const seconds = promqlNumberValue(written);
      return seconds === undefined ? `baddur:${written}` : `ms:${seconds * 1000}`;
    }
    return `(${n.name} ${parts.map(duration).join(' ')})`;
  };

  const offset = (n: SyntaxNode): string => {
    const parts = kids(n);
    return parts[0]?.name === 'UnaryOp' ? `${text(parts[0]) === '-' ? 'neg ' : ''}${offset(parts[1])}` : duration(n);
  };

  // Prometheus binds offset and @ tighter than any operator (`a - b offset 1h` shifts b), where the grammar's tree
  // puts them around the whole `a - b`; they go down to the operand they belong to, in a canonical order.
  const modified = (n: SyntaxNode, mods: string): string => {
    const parts = kids(n);
    if (n.name === 'BinaryExpr') {
      return binary(n, modified(parts[parts.length - 1], mods));
    }
    if (n.name === 'UnaryExpr') {
      const operand = modified(parts[1], mods);
      return text(parts[0]) === '-' ? `(neg ${operand})` : operand;
    }
    return `(mod ${c(n)} ${mods})`;
  };

  const binary = (n: SyntaxNode, rightCanonical?: string): string => {
    const parts = kids(n);
    const [left, operator] = parts;
    const right = parts[parts.length - 1];
    const rightText = rightCanonical ?? c(right);
    const op = text(operator).toLowerCase();
    const bool = parts.some((p) => p.name === 'BoolModifier') ? ' bool' : '';
    const clause = parts.find((p) => p.name === 'MatchingModifierClause');
    let matching = '';
    if (clause) {
      const [mode, list, group, included] = kids(clause);
      matching = ` ${text(mode).toLowerCase()}${labels(list)}`;
      if (group) {
        matching += ` ${text(group).toLowerCase()}${labels(included)}`;
      }
    }
    const fill = parts.find((p) => p.name === 'FillModifier');
    const rest = fill ? ` ${text(fill)}` : '';
    // `-1 ^ x` is `-(1 ^ x)` in Prometheus: a sign binds more loosely than ^.
    if (op === '^' && left.name === 'NumberDurationLiteral' && /^[-+]/.test(masked.slice(left.from, left.to))) {
      const unsigned = number(left).replace(/^num:-?/, 'num:');
      const inner = `(bin ^${bool}${matching}${rest} ${unsigned} ${rightText})`;
      return masked[left.from] === '-' ? `(neg ${inner})` : inner;
    }
    return `(bin ${op}${bool}${matching}${rest} ${c(left)} ${rightText})`;
  };

  const c = (n: SyntaxNode): string => {
    const parts = kids(n);
    switch (n.name) {
      case 'OffsetExpr':
      case 'StepInvariantExpr': {
        const mods: string[] = [];
        let inner = n;
        while (inner.name === 'OffsetExpr' || inner.name === 'StepInvariantExpr') {
          const [expr, , value] = kids(inner);
          mods.push(
            inner.name === 'OffsetExpr'
              ? `offset:${offset(value)}`
              : `at:${value.name === 'AtModifierPreprocessors' ? text(value).toLowerCase() : number(value)}`
          );
          inner = expr;
        }
        return modified(inner, mods.sort().join(' '));
      }
      case 'SubqueryExpr':
        return `(subquery ${c(parts[0])} ${duration(parts[1])} ${parts[2] ? duration(parts[2]) : 'default'})`;
      case 'PromQL':
      case 'ParenExpr':
        return c(parts[0]);
      case 'VectorSelector': {
        const matchers: string[] = [];
        for (const part of parts) {
          if (part.name === 'Identifier') {
            matchers.push(`"__name__"=${JSON.stringify(text(part))}`);
            continue;
          }
          for (const m of kids(part)) {
            if (m.name === 'QuotedLabelName') {
              matchers.push(`"__name__"=${str(m)}`);
              continue;
            }
            const [name, op, value] = kids(m);
            matchers.push(`${labelName(name)}${text(op)}${str(value)}`);
          }
        }
        return `{${matchers.sort().join(',')}}`;
      }
      case 'MatrixSelector':
        return `(matrix ${c(parts[0])} ${duration(parts[1])})`;
      case 'NumberDurationLiteral':
        return number(n);
      case 'StringLiteral':
        return `str:${str(n)}`;
      case 'UnaryExpr': {
        const operand = c(parts[1]);
        const minus = text(parts[0]) === '-';
        if (operand.startsWith('num:')) {
          const value = promqlNumberValue(operand.slice(4));
          return `num:${canonicalNumber(minus ? -value! : value!)}`;
        }
        return minus ? `(neg ${operand})` : operand;
      }
      case 'FunctionCall':
        return `(call ${text(parts[0])} ${kids(parts[1]).map(c).join(' ')})`;
      case 'AggregateExpr': {
        const modifier = parts.find((p) => p.name === 'AggregateModifier');
        const body = parts.find((p) => p.name === 'FunctionCallBody');
        let grouping = '';
        if (modifier) {
          const [mode, list] = kids(modifier);
          const by = text(mode).toLowerCase();
          grouping = by === 'by' && kids(list).length === 0 ? '' : ` ${by}${labels(list)}`;
        }
        return `(agg ${text(parts[0]).toLowerCase()}${grouping} ${body ? kids(body).map(c).join(' ') : ''})`;
      }
      case 'BinaryExpr':
        return binary(n);
      default:
        return `(${n.name} ${parts.length > 0 ? parts.map(c).join(' ') : JSON.stringify(text(n))})`;
    }
  };

  return c(parser.parse(masked).topNode);
}
