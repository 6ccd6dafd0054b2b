import React, { useEffect, useId, useMemo, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2, TimeRange } from '@grafana/data';
import { t } from '@grafana/i18n';
import { useStyles2 } from '@grafana/ui';

import { escapeLabelValueInExactSelector, escapeLabelValueInRegexSelector } from '../../../promql/escape';
import { selector } from '../../../promql/render';
import { type PulseDataSource, resourceRange } from '../../datasource';
import { getTokenStyles } from './PromQLView';
import {
  type CompletionContext,
  PROMQL_FUNCTIONS,
  completionContext,
  findSyntaxError,
  highlightPromQL,
} from './promqlText';
import { useResource } from './useResource';

interface Props {
  expr: string;
  datasource: PulseDataSource;
  range?: TimeRange;
  onExprChange: (expr: string) => void;
  onRunQuery: () => void;
}

interface Suggestion {
  text: string;
  /** What is inserted: a function gets its opening parenthesis, a value its escaping. */
  insert: string;
  kind: 'metric' | 'function' | 'label' | 'value';
  detail?: string;
}

const MAX_SUGGESTIONS = 12;

/**
 * PromQL as text, highlighted by the Lezer grammar under a transparent textarea (no Monaco: it would more than
 * double the data source bundle), the first syntax error marked and explained, and completion of metric names,
 * functions, labels and values from the data source. Runs on blur when changed, or on Shift+Enter.
 */
export function CodeMode({ expr, datasource, range, onExprChange, onRunQuery }: Props) {
  const styles = useStyles2(getStyles);
  const tokenStyles = useStyles2(getTokenStyles);
  const [text, setText] = useState(expr);
  const [committed, setCommitted] = useState(expr);
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const overlay = useRef<HTMLPreElement>(null);
  const pendingCursor = useRef<number | undefined>(undefined);
  const idPrefix = `pulse-code-${useId().replace(/:/g, '')}`;

  // Adopt changes made outside this editor (query history, "add query", another mode).
  if (expr !== committed) {
    setCommitted(expr);
    setText(expr);
  }

  useEffect(() => {
    if (pendingCursor.current !== undefined && textarea.current) {
      textarea.current.setSelectionRange(pendingCursor.current, pendingCursor.current);
      pendingCursor.current = undefined;
    }
  });

  const tokens = useMemo(() => highlightPromQL(text), [text]);
  const syntax = useMemo(() => findSyntaxError(text), [text]);
  const context = cursor === undefined || dismissed ? undefined : completionContext(text, cursor);
  const timeRange = resourceRange(range);
  const match = context?.metric ? selector(context.metric) : undefined;
  const resourceKey = !context
    ? undefined
    : context.kind === 'metric-or-function'
      ? 'metrics'
      : context.kind === 'label'
        ? `labels:${match ?? ''}`
        : `values:${context.label}:${match ?? ''}`;
  const words = useResource<Array<{ name: string; detail?: string }>>(resourceKey, async () => {
    if (!context) {
      return [];
    }
    if (context.kind === 'metric-or-function') {
      const { metrics } = await datasource.getMetrics(timeRange);
      return metrics.map((m) => ({ name: m.name, detail: m.type }));
    }
    if (context.kind === 'label') {
      return (await datasource.getLabelNames(match, timeRange)).values.map((name) => ({ name }));
    }
    return (await datasource.getLabelValues(context.label!, match, timeRange)).values.map((name) => ({ name }));
  });
  const suggestions = context ? suggest(context, words.value ?? []) : [];
  const open = suggestions.length > 0;

  const commit = (alwaysRun: boolean) => {
    const changed = text !== expr;
    if (changed) {
      onExprChange(text);
    }
    if (changed || alwaysRun) {
      onRunQuery();
    }
  };

  const accept = (suggestion: Suggestion) => {
    if (!context || cursor === undefined) {
      return;
    }
    const next = text.slice(0, context.from) + suggestion.insert + text.slice(cursor);
    const at = context.from + suggestion.insert.length;
    setText(next);
    setCursor(at);
    setActive(0);
    pendingCursor.current = at;
  };

  const syncScroll = () => {
    if (overlay.current && textarea.current) {
      overlay.current.scrollTop = textarea.current.scrollTop;
    }
  };

  return (
    <div>
      <div className={styles.wrapper}>
        <pre ref={overlay} aria-hidden className={cx(tokenStyles.block, styles.layer, styles.overlay)}>
          {tokens.map((token, i) => (
            <span key={i} className={cx(token.classes, token.error && tokenStyles.error)}>
              {token.text}
            </span>
          ))}
          {/* A trailing newline in a textarea takes a line; the overlay needs one more character to match. */}
          {'\n'}
        </pre>
        <textarea
          ref={textarea}
          className={cx(tokenStyles.block, styles.layer, styles.input)}
          aria-label={t('query-editor.code.label', 'PromQL query')}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={open ? `${idPrefix}-suggestions` : undefined}
          aria-activedescendant={open ? `${idPrefix}-suggestion-${active}` : undefined}
          aria-invalid={syntax ? true : undefined}
          aria-describedby={syntax ? `${idPrefix}-syntax` : undefined}
          placeholder={t('query-editor.code.placeholder', 'Enter a PromQL query (Shift+Enter to run)')}
          value={text}
          rows={Math.min(Math.max(text.split('\n').length, 3), 20)}
          spellCheck={false}
          onChange={(e) => {
            setText(e.currentTarget.value);
            setCursor(e.currentTarget.selectionStart);
            setActive(0);
            setDismissed(false);
          }}
          onSelect={(e) => setCursor(e.currentTarget.selectionStart)}
          onScroll={syncScroll}
          onBlur={() => {
            setCursor(undefined);
            commit(false);
          }}
          onKeyDown={(e) => {
            if (open && !e.shiftKey) {
              if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                const step = e.key === 'ArrowDown' ? 1 : -1;
                setActive((active + step + suggestions.length) % suggestions.length);
                return;
              }
              if (e.key === 'Enter' || e.key === 'Tab') {
                e.preventDefault();
                accept(suggestions[Math.min(active, suggestions.length - 1)]);
                return;
              }
              if (e.key === 'Escape') {
                e.preventDefault();
                setDismissed(true);
                return;
              }
            }
            if (e.key === 'Enter' && e.shiftKey) {
              e.preventDefault();
              commit(true);
            }
          }}
        />
      </div>
      {open && (
        <ul
          id={`${idPrefix}-suggestions`}
          role="listbox"
          aria-label={t('query-editor.code.suggestions', 'Suggestions')}
          className={styles.suggestions}
        >
          {suggestions.map((s, i) => (
            <li
              key={`${s.kind}:${s.text}`}
              id={`${idPrefix}-suggestion-${i}`}
              role="option"
              aria-selected={i === active}
              className={cx(styles.suggestion, i === active && styles.activeSuggestion)}
              // mousedown, not click: the textarea must keep focus (and not commit) while choosing.
              onMouseDown={(e) => {
                e.preventDefault();
                accept(s);
              }}
            >
              <span className={styles.suggestionText}>{s.text}</span>
              <span className={styles.suggestionKind}>{kindText(s)}</span>
            </li>
          ))}
        </ul>
      )}
      {syntax && (
        <div id={`${idPrefix}-syntax`} role="alert" className={styles.syntax}>
          {syntax.near
            ? t('query-editor.code.syntax-near', 'Syntax error at line {{line}}, column {{column}}, near “{{near}}”.', {
                line: syntax.line,
                column: syntax.column,
                near: syntax.near,
              })
            : t(
                'query-editor.code.syntax-end',
                'Syntax error at line {{line}}, column {{column}}: the query ends too early.',
                {
                  line: syntax.line,
                  column: syntax.column,
                }
              )}
        </div>
      )}
    </div>
  );
}

function kindText(s: Suggestion): string {
  switch (s.kind) {
    case 'metric':
      return s.detail
        ? `${t('query-editor.code.kind.metric', 'metric')} · ${s.detail}`
        : t('query-editor.code.kind.metric', 'metric');
    case 'function':
      return t('query-editor.code.kind.function', 'function');
    case 'label':
      return t('query-editor.code.kind.label', 'label');
    case 'value':
      return t('query-editor.code.kind.value', 'value');
  }
}

/** Completions for the word at the cursor: prefix matches first, then substring matches. */
function suggest(context: CompletionContext, words: Array<{ name: string; detail?: string }>): Suggestion[] {
  const candidates: Suggestion[] = [];
  if (context.kind === 'metric-or-function') {
    for (const fn of PROMQL_FUNCTIONS) {
      candidates.push({ text: fn, insert: `${fn}(`, kind: 'function' });
    }
    for (const w of words) {
      candidates.push({ text: w.name, insert: w.name, kind: 'metric', detail: w.detail });
    }
  } else if (context.kind === 'label') {
    for (const w of words) {
      if (w.name !== '__name__') {
        candidates.push({ text: w.name, insert: w.name, kind: 'label' });
      }
    }
  } else {
    for (const w of words) {
      candidates.push({ text: w.name, insert: escapeForMatcher(w.name, context), kind: 'value' });
    }
  }
  const needle = context.prefix.toLowerCase();
  const starts = candidates.filter((c) => c.text.toLowerCase().startsWith(needle) && c.text !== context.prefix);
  const contains = candidates.filter(
    (c) => !c.text.toLowerCase().startsWith(needle) && c.text.toLowerCase().includes(needle)
  );
  return [...starts, ...contains].slice(0, MAX_SUGGESTIONS);
}

function escapeForMatcher(value: string, context: CompletionContext): string {
  return context.op === '=~' || context.op === '!~'
    ? escapeLabelValueInRegexSelector(value)
    : escapeLabelValueInExactSelector(value);
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({
    position: 'relative',
    width: '100%',
  }),
  layer: css({
    padding: theme.spacing(0.5, 1),
    border: `1px solid transparent`,
    borderRadius: theme.shape.radius.default,
    width: '100%',
    letterSpacing: 'normal',
    tabSize: 2,
  }),
  overlay: css({
    position: 'absolute',
    inset: 0,
    overflow: 'hidden',
    pointerEvents: 'none',
    color: theme.colors.text.primary,
    background: theme.components.input.background,
  }),
  input: css({
    position: 'relative',
    display: 'block',
    resize: 'vertical',
    color: 'transparent',
    caretColor: theme.colors.text.primary,
    background: 'transparent',
    borderColor: theme.components.input.borderColor,
    outline: 'none',
    '&::placeholder': { color: theme.colors.text.disabled },
    '&:focus': {
      borderColor: theme.colors.primary.border,
      boxShadow: `0 0 0 1px ${theme.colors.primary.border}`,
    },
  }),
  suggestions: css({
    listStyle: 'none',
    margin: theme.spacing(0.5, 0, 0),
    padding: theme.spacing(0.5, 0),
    maxWidth: 640,
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  suggestion: css({
    display: 'flex',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    padding: theme.spacing(0.25, 1),
    cursor: 'pointer',
  }),
  activeSuggestion: css({ background: theme.colors.action.selected }),
  suggestionText: css({ overflow: 'hidden', textOverflow: 'ellipsis' }),
  suggestionKind: css({ color: theme.colors.text.secondary, flexShrink: 0 }),
  syntax: css({
    marginTop: theme.spacing(0.5),
    color: theme.colors.error.text,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
