/**
 * Escaping of label values for PromQL selectors. Pure functions; the signal catalog and the data source's
 * template-variable interpolation share them so a value means the same thing wherever it is rendered.
 */

// RE2 metacharacters (Prometheus matchers are anchored RE2 regexes).
const RE2_METACHARACTERS = /[\\.+*?()|[\]{}^$]/g;

// Characters that cannot appear raw inside a double-quoted PromQL string.
const STRING_SPECIAL = /[\\"\u0000-\u001f\u007f]/g;

const NAMED_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** Escapes a value for the inside of a double-quoted PromQL string (`{label="…"}`). */
export function escapeLabelValueInExactSelector(value: string): string {
  return value.replace(
    STRING_SPECIAL,
    (c) => NAMED_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
  );
}

/** Escapes RE2 metacharacters so the value matches itself literally. */
export function escapeRegexMetacharacters(value: string): string {
  return value.replace(RE2_METACHARACTERS, '\\$&');
}

/** Escapes a value for a regex matcher (`{label=~"…"}`): regex first, then string quoting. */
export function escapeLabelValueInRegexSelector(value: string): string {
  return escapeLabelValueInExactSelector(escapeRegexMetacharacters(value));
}

/**
 * Renders several values as one regex alternation for `=~`: `(a|b)`; a single value without parentheses.
 */
export function regexAlternation(values: string[]): string {
  const escaped = values.map(escapeLabelValueInRegexSelector);
  if (escaped.length === 1) {
    return escaped[0];
  }
  return `(${escaped.join('|')})`;
}
