/**
 * Escaping of label values for PromQL selectors. Pure functions; the signal catalog and the data source's
 * template-variable interpolation share them so a value means the same thing wherever it is rendered.
 */

// RE2 metacharacters (Prometheus matchers are anchored RE2 regexes).
const RE2_METACHARACTERS = /[\\.+*?()|[\]{}^$]/g;

// Characters that cannot appear raw inside a double-quoted PromQL string.
const STRING_SPECIAL = /[\\"\u0000-\u001f\u007f]/g;

// As Grafana's current escapeLabelValueInExactSelector: named escapes first, `\xNN` for the rest.
const NAMED_ESCAPES: Record<string, string> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
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

const SIMPLE_UNESCAPES: Record<string, string> = {
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/**
 * Decodes a PromQL string literal as written in a query, quotes included (`"…"`, `'…'` or a raw `` `…` ``):
 * the inverse of escapeLabelValueInExactSelector. Throws on an escape PromQL does not know.
 */
export function decodePromQLStringLiteral(literal: string): string {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote || !['"', "'", '`'].includes(quote)) {
    throw new SyntaxError(`not a complete string literal: ${literal}`);
  }
  const body = literal.slice(1, -1);
  if (quote === '`') {
    return body;
  }
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[i + 1];
    if (next in SIMPLE_UNESCAPES) {
      out += SIMPLE_UNESCAPES[next];
      i += 1;
      continue;
    }
    const hex = (digits: number, at: number) => {
      const text = body.slice(at, at + digits);
      if (text.length !== digits || !/^[0-9a-fA-F]+$/.test(text)) {
        throw new SyntaxError(`invalid escape \\${next} in ${literal}`);
      }
      return String.fromCodePoint(parseInt(text, 16));
    };
    if (next === 'x') {
      out += hex(2, i + 2);
      i += 3;
    } else if (next === 'u') {
      out += hex(4, i + 2);
      i += 5;
    } else if (next === 'U') {
      out += hex(8, i + 2);
      i += 9;
    } else if (/[0-7]/.test(next ?? '') && /^[0-7]{3}$/.test(body.slice(i + 1, i + 4))) {
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      throw new SyntaxError(`unknown escape sequence \\${next ?? ''} in ${literal}`);
    }
  }
  return out;
}
