/**
 * Template variable queries, in the string forms Grafana's Prometheus data source accepts, so a dashboard can
 * move between the two: `label_names()`, `label_values(<label>)`, `label_values(<selector>, <label>)`,
 * `metrics(<regex>)` and `query_result(<expr>)`. The string is the stored form (what a Scenes QueryVariable or a
 * dashboard JSON holds); this model is what the variable editor edits.
 */

export type VariableQueryType = 'label_names' | 'label_values' | 'metrics' | 'query_result';

export type VariableQuery =
  | { type: 'label_names'; match?: string }
  | { type: 'label_values'; label: string; match?: string }
  | { type: 'metrics'; regex: string }
  | { type: 'query_result'; expr: string };

export const VARIABLE_QUERY_FORMS = [
  'label_names()',
  'label_values(<label>)',
  'label_values(<selector>, <label>)',
  'metrics(<regex>)',
  'query_result(<expr>)',
];

// A label name, or a template variable standing for one.
const LABEL = String.raw`[a-zA-Z_][a-zA-Z0-9_]*|\$\w+|\$\{\w+\}|\[\[\w+\]\]`;

const LABEL_NAMES = /^label_names\(\s*(.*?)\s*\)$/s;
// The selector is greedy, so a comma inside it (in a string literal) stays with it: the label is always last.
const LABEL_VALUES = new RegExp(String.raw`^label_values\(\s*(?:(.+)\s*,\s*)?(${LABEL})\s*\)$`, 's');
const METRICS = /^metrics\(\s*(.+?)\s*\)$/s;
const QUERY_RESULT = /^query_result\(\s*(.+?)\s*\)$/s;

/** The query text of a stored variable query: a plain string, or an object with a `query` string. */
export function variableQueryText(stored: unknown): string {
  if (typeof stored === 'string') {
    return stored;
  }
  if (stored && typeof stored === 'object' && typeof (stored as { query?: unknown }).query === 'string') {
    return (stored as { query: string }).query;
  }
  return '';
}

/** Parses a variable query; undefined when it is none of the supported forms. */
export function parseVariableQuery(text: string): VariableQuery | undefined {
  const query = text.trim();
  let m = LABEL_NAMES.exec(query);
  if (m) {
    return m[1] ? { type: 'label_names', match: m[1] } : { type: 'label_names' };
  }
  m = LABEL_VALUES.exec(query);
  if (m) {
    const match = m[1]?.trim();
    return match ? { type: 'label_values', label: m[2], match } : { type: 'label_values', label: m[2] };
  }
  m = METRICS.exec(query);
  if (m) {
    return { type: 'metrics', regex: m[1] };
  }
  m = QUERY_RESULT.exec(query);
  if (m) {
    return { type: 'query_result', expr: m[1] };
  }
  return undefined;
}

/** The stored string of a variable query; parseVariableQuery(renderVariableQuery(q)) gives q back. */
export function renderVariableQuery(query: VariableQuery): string {
  switch (query.type) {
    case 'label_names':
      return `label_names(${query.match ?? ''})`;
    case 'label_values':
      return query.match ? `label_values(${query.match}, ${query.label})` : `label_values(${query.label})`;
    case 'metrics':
      return `metrics(${query.regex})`;
    case 'query_result':
      return `query_result(${query.expr})`;
  }
}
