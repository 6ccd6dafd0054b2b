/**
 * PromQL as text for the editor, on the Prometheus project's Lezer grammar: highlighting tokens, the first
 * syntax error, and what to complete at the cursor. Pure functions.
 */
import { classHighlighter, highlightCode } from '@lezer/highlight';
import { parser } from '@prometheus-io/lezer-promql';

import { AGGREGATIONS, RANGE_FUNCTIONS, RANKING_AGGREGATIONS, VECTOR_FUNCTIONS } from '../../../promql/builder';
import { maskVariables } from '../../../promql/variables';

export interface Token {
  text: string;
  /** Lezer highlight classes (`tok-number`, …); empty for plain text. */
  classes: string;
  /** Part of the first syntax error. */
  error?: boolean;
}

export interface SyntaxProblem {
  from: number;
  to: number;
  line: number;
  column: number;
  /** The text at the error, empty at the end of the query. */
  near: string;
}

/** The first syntax error, or undefined when the query parses (an empty query is not an error). */
export function findSyntaxError(text: string): SyntaxProblem | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  const tree = parser.parse(maskVariables(text));
  let found: { from: number; to: number } | undefined;
  tree.iterate({
    enter: (node) => {
      if (found) {
        return false;
      }
      if (node.type.isError) {
        found = { from: node.from, to: node.to };
        return false;
      }
      return undefined;
    },
  });
  if (!found) {
    return undefined;
  }
  const before = text.slice(0, found.from).split('\n');
  const near = text
    .slice(found.from, Math.max(found.to, found.from + 1))
    .split('\n')[0]
    .slice(0, 20);
  return { ...found, line: before.length, column: before[before.length - 1].length + 1, near };
}

/** The text split into highlighted tokens, the first syntax error marked. */
export function highlightPromQL(text: string): Token[] {
  const tree = parser.parse(maskVariables(text));
  const error = findSyntaxError(text);
  const tokens: Token[] = [];
  let offset = 0;
  const push = (piece: string, classes: string) => {
    // Split a piece at the error's bounds so only the erroneous part is marked.
    const start = offset;
    const end = offset + piece.length;
    offset = end;
    if (!error || end <= error.from || start >= Math.max(error.to, error.from + 1)) {
      tokens.push({ text: piece, classes });
      return;
    }
    const errorEnd = Math.max(error.to, error.from + 1);
    const cuts = [start, Math.max(start, error.from), Math.min(end, errorEnd), end];
    for (let i = 0; i < 3; i++) {
      if (cuts[i + 1] > cuts[i]) {
        tokens.push({
          text: text.slice(cuts[i], cuts[i + 1]),
          classes,
          ...(i === 1 && { error: true }),
        });
      }
    }
  };
  highlightCode(
    text,
    tree,
    classHighlighter,
    (piece, classes) => push(piece, classes),
    () => push('\n', '')
  );
  return tokens;
}

export type CompletionKind = 'metric' | 'function' | 'label' | 'value';

export interface CompletionContext {
  kind: 'metric-or-function' | 'label' | 'value';
  /** The word typed so far, and where it starts. */
  prefix: string;
  from: number;
  /** For labels and values: the metric before the braces, if any. */
  metric?: string;
  /** For values: the label being matched, and how. */
  label?: string;
  op?: '=' | '!=' | '=~' | '!~';
}

/** What the word at `cursor` can be completed with, or undefined (inside a number, a range, a comment…). */
export function completionContext(text: string, cursor: number): CompletionContext | undefined {
  const before = text.slice(0, cursor);
  // Inside a label matcher's value: `label op "prefix`.
  const value = /([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)$/.exec(before);
  if (value && insideBraces(before)) {
    return {
      kind: 'value',
      prefix: value[3],
      from: cursor - value[3].length,
      label: value[1],
      op: value[2] as CompletionContext['op'],
      metric: metricBeforeBraces(before),
    };
  }
  const word = /[a-zA-Z_:][\w:]*$/.exec(before);
  const prefix = word ? word[0] : '';
  const from = cursor - prefix.length;
  if (prefix === '' || insideString(before)) {
    return undefined;
  }
  if (insideBraces(before)) {
    // A label name: right after `{` or `,`.
    return /[{,]\s*$/.test(before.slice(0, from))
      ? { kind: 'label', prefix, from, metric: metricBeforeBraces(before) }
      : undefined;
  }
  if (/\[[^\]]*$/.test(before) || /\d$/.test(before.slice(0, from))) {
    return undefined;
  }
  // Grouping labels: `by (` or `without (`.
  if (/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*,)?\s*$/.test(before.slice(0, from))) {
    return { kind: 'label', prefix, from };
  }
  return { kind: 'metric-or-function', prefix, from };
}

function insideString(before: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (quote) {
      if (c === '\\') {
        i += 1;
      } else if (c === quote) {
        quote = null;
      }
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    }
  }
  return quote !== null;
}

function insideBraces(before: string): boolean {
  const open = before.lastIndexOf('{');
  return open >= 0 && before.indexOf('}', open) < 0;
}

function metricBeforeBraces(before: string): string | undefined {
  const open = before.lastIndexOf('{');
  const name = /([a-zA-Z_:][\w:]*)\s*$/.exec(before.slice(0, open));
  return name ? name[1] : undefined;
}

/** PromQL functions and aggregations offered by the completion: every one the Builder holds, once each. */
export const PROMQL_FUNCTIONS: readonly string[] = [
  ...new Set<string>([
    ...RANGE_FUNCTIONS,
    ...VECTOR_FUNCTIONS,
    ...AGGREGATIONS,
    ...RANKING_AGGREGATIONS,
    'count_values',
    'histogram_quantile',
    'time',
    'vector',
  ]),
].sort();
