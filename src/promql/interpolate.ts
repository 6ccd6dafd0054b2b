/**
 * Template variables in PromQL, escaped for where each one stands. Grafana's template service hands a format
 * function the value but not its position, and a value means something different in each place:
 *
 * - inside the string of a regex matcher (`=~`, `!~`): the values are literals to match, so RE2 metacharacters
 *   are escaped (`shop.orders` must not match `shopXorders`), several become `(a|b)`, then string-escaped;
 * - inside any other string (`=`, `!=`, function arguments): string-escaped only (quotes, backslashes, control
 *   characters), so no value can end the string and inject PromQL;
 * - outside strings (a metric name, a duration, a number, `by ($labels)`): PromQL the user placed there on
 *   purpose, inserted as it is; several values are joined with commas (`by (a,b)`).
 *
 * The same rule holds whether a variable has one value or several. A custom "All" value (`.*`, `.+`) is a regex
 * the dashboard author wrote; Grafana inserts it without calling the format function, so it stays a regex.
 */
import { escapeLabelValueInExactSelector, escapeLabelValueInRegexSelector, regexAlternation } from './escape';

export type VariableValue = string | string[];
export type VariableFormat = (value: VariableValue) => string;

/** Grafana's `templateSrv.replace(text, scopedVars, format)` for one piece of the expression. */
export type ReplaceVariables = (text: string, format: VariableFormat) => string;

const values = (value: VariableValue) => (Array.isArray(value) ? value : [value]);

export const formatInRegex: VariableFormat = (value) =>
  Array.isArray(value) ? regexAlternation(value) : escapeLabelValueInRegexSelector(value);

export const formatInString: VariableFormat = (value) => {
  const escaped = values(value).map(escapeLabelValueInExactSelector);
  // `=` takes one value; several keep Grafana's `(a|b)` shape, which is visible in the query rather than silent.
  return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
};

export const formatInCode: VariableFormat = (value) => values(value).join(',');

// A variable reference as Grafana's template service finds them: $name, ${name…}, [[name…]].
const REFERENCE = /\$\w+|\$\{[^}]+\}|\[\[[^\]]+\]\]/;

/** Where a string literal opened at `quoteAt` stands: in a regex matcher, or any other string. */
function stringFormat(text: string, quoteAt: number): VariableFormat {
  const before = text.slice(0, quoteAt).trimEnd();
  return before.endsWith('=~') || before.endsWith('!~') ? formatInRegex : formatInString;
}

/** The end (exclusive) of the string literal that opens at `start`, and whether its closing quote is there. */
function stringEnd(text: string, start: number): { end: number; closed: boolean } {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\' && quote !== '`') {
      i += 1;
    } else if (text[i] === quote) {
      return { end: i + 1, closed: true };
    }
  }
  return { end: text.length, closed: false };
}

/**
 * A literal's body in double-quoted syntax, so escaped values can go in whatever quotes the author used:
 * a raw `` `…` `` body has no escapes, a `'…'` body escapes `'` but not `"`.
 */
function asDoubleQuotedBody(quote: string, body: string): string {
  if (quote === '`') {
    return escapeLabelValueInExactSelector(body);
  }
  if (quote === "'") {
    return body.replace(/\\(.)|"/gs, (match, escaped?: string) =>
      escaped === undefined ? '\\"' : escaped === "'" ? "'" : match
    );
  }
  return body;
}

/** Interpolates every variable of a PromQL expression with the escaping of the place it stands in. */
export function interpolatePromQL(expr: string, replace: ReplaceVariables): string {
  let out = '';
  let code = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '#') {
      // A comment runs to the end of the line; a quote in it opens no string.
      const newline = expr.indexOf('\n', i);
      i = newline === -1 ? expr.length : newline;
      continue;
    }
    if (c !== '"' && c !== "'" && c !== '`') {
      continue;
    }
    const { end, closed } = stringEnd(expr, i);
    const body = expr.slice(i + 1, closed ? end - 1 : end);
    out += replace(expr.slice(code, i), formatInCode);
    if (REFERENCE.test(body)) {
      out += `"${replace(asDoubleQuotedBody(c, body), stringFormat(expr, i))}${closed ? '"' : ''}`;
    } else {
      out += expr.slice(i, end);
    }
    code = end;
    i = end - 1;
  }
  return out + replace(expr.slice(code), formatInCode);
}
