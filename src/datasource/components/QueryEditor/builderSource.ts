import { type BuilderQuery, builderProblems, renderBuilderQuery } from '../../../promql/builder';
import { parsePromQL } from '../../../promql/parse';
import type { PulseQuery } from '../../types';

/**
 * The text a Builder model was read from, and the model's PromQL at that moment. While the Builder's PromQL is
 * that rendering (no edit, or edits undone), the query keeps the text as the user wrote it: Code -> Builder -> Code
 * returns it byte for byte, with its line breaks, indentation and parentheses.
 */
export interface BuilderSource {
  text: string;
  rendered: string;
}

/** The model's PromQL, or undefined while it cannot render. */
export function renderedBuilder(builder: BuilderQuery): string | undefined {
  return builderProblems(builder).length === 0 ? renderBuilderQuery(builder) : undefined;
}

/** The source of a query saved in Builder mode: its text, when it reads as the model it was saved with. */
export function builderSourceOf(query: PulseQuery): BuilderSource | undefined {
  const text = query.expr ?? '';
  const saved = query.builder && renderedBuilder(query.builder);
  if (!saved || text.trim() === '' || text === saved) {
    return undefined;
  }
  const parsed = parsePromQL(text);
  return parsed.ok && renderedBuilder(parsed.query) === saved ? { text, rendered: saved } : undefined;
}

/** A Builder change: its PromQL, or the source's text while the model renders as it did when it was read. */
export function keepSourceText(next: PulseQuery, source: BuilderSource | undefined): PulseQuery {
  return source && next.editorMode === 'builder' && next.expr === source.rendered
    ? { ...next, expr: source.text }
    : next;
}
