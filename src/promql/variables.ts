/**
 * Grafana template variables are not PromQL. To parse a query that uses them, each reference outside string
 * literals and comments (`$name`, `${name}`, `${name:format}`, `[[name]]`) is replaced by a placeholder of the same
 * length, so positions in errors stay true.
 */

/** A variable reference as Grafana's template service finds them (its own pattern): $name, ${name…}, [[name…]]. */
export const VARIABLE_REFERENCE_SOURCE = String.raw`\$\w+|\$\{\w+(?:\.[^:^}]+)?(?::[^}]+)?\}|\[\[\w+?(?::\w+)?\]\]`;

const VARIABLE = new RegExp(VARIABLE_REFERENCE_SOURCE, 'y');

/**
 * Replaces every variable reference outside string literals and `#` comments with `placeholder(reference, start)`;
 * the result must have the reference's length.
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
    if (c === '#') {
      // A comment runs to the end of the line; a quote or a `$` in it is text.
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
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

/** Where a variable reference stands in a query, and as what it was written. */
export interface VariableSpan {
  from: number;
  to: number;
  text: string;
}

/** The query with its variables masked (see maskVariables), and where each one was. */
export function locateVariables(text: string): { masked: string; variables: VariableSpan[] } {
  const variables: VariableSpan[] = [];
  const masked = replaceVariableReferences(text, (reference, start) => {
    variables.push({ from: start, to: start + reference.length, text: reference });
    return `${'0'.repeat(reference.length - 1)}s`;
  });
  return { masked, variables };
}
