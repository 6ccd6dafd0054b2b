/**
 * Grafana template variables are not PromQL. To parse a query that uses them, each reference outside string
 * literals (`$name`, `${name}`, `${name:format}`, `[[name]]`) is replaced by a placeholder of the same length, so
 * positions in errors stay true.
 */
const VARIABLE = /\$\w+|\$\{[^}]+\}|\[\[[^\]]+\]\]/y;

/**
 * Replaces every variable reference outside string literals with `placeholder(reference, start)`; the result
 * must have the reference's length.
 */
export function replaceVariableReferences(
  text: string,
  placeholder: (reference: string, start: number) => string
): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (quote) {
      out += c;
      if (c === '\\' && quote !== '`' && i + 1 < text.length) {
        out += text[i + 1];
        i += 2;
        continue;
      }
      if (c === quote) {
        quote = null;
      }
      i += 1;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      out += c;
      i += 1;
      continue;
    }
    VARIABLE.lastIndex = i;
    const match = c === '$' || c === '[' ? VARIABLE.exec(text) : null;
    if (match) {
      out += placeholder(match[0], i);
      i += match[0].length;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

/** Each variable becomes a same-length duration (`000s`): valid where variables stand (ranges, numbers). */
export function maskVariables(text: string): string {
  return replaceVariableReferences(text, (reference) => `${'0'.repeat(reference.length - 1)}s`);
}
