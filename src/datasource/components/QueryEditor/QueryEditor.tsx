import React, { useEffect, useRef, useState } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Alert, Button, ConfirmModal, RadioButtonGroup, Stack } from '@grafana/ui';

import { renderBuilderQuery } from '../../../promql/builder';
import { parsePromQL } from '../../../promql/parse';
import type { PulseDataSource } from '../../datasource';
import { queryExpr } from '../../queryExpr';
import { EditorMode, PulseDataSourceOptions, PulseQuery } from '../../types';
import { BuilderMode, EMPTY_BUILDER } from './BuilderMode';
import { type BuilderSource, builderSourceOf, keepSourceText, renderedBuilder } from './builderSource';
import { CodeMode } from './CodeMode';
import { GuidedMode } from './GuidedMode';
import { OptionsRow } from './OptionsRow';
import { PromQLView } from './PromQLView';
import { applyGuided, guidedStillMatches } from './guided';
import { unrepresentableText } from './unrepresentable';

export type PulseQueryEditorProps = QueryEditorProps<PulseDataSource, PulseQuery, PulseDataSourceOptions>;

/** The mode a query opens in: its own, or Code for a query that came without one (e.g. from Prometheus). */
export function editorModeOf(query: PulseQuery): EditorMode {
  return query.editorMode ?? (query.expr?.trim() ? 'code' : 'guided');
}

/**
 * Guided, Builder and Code over one query. The structured state (`guided`, `builder`) is stored beside `expr`;
 * switching modes converts through the PromQL and never drops work silently: what the Builder cannot represent
 * is named, replacing PromQL with a guided query is confirmed, and the text the Builder read stays as written
 * until the model is edited (see builderSource.ts).
 */
export function QueryEditor({ query, onChange, onRunQuery, datasource, range, app }: PulseQueryEditorProps) {
  const mode = editorModeOf(query);
  const [cannotBuild, setCannotBuild] = useState<string | undefined>(undefined);
  const [confirmGuided, setConfirmGuided] = useState(false);
  const names = datasource.metricNames;
  const source = useRef<BuilderSource | undefined | null>(null);
  if (source.current === null) {
    source.current = mode === 'builder' ? builderSourceOf(query) : undefined;
  }

  // A query saved with only its editor state (provisioned JSON without `expr`) gets its PromQL back when the
  // editor opens, so the preview, Code mode and the saved dashboard show what it runs.
  const missingExpr = query.expr?.trim() ? '' : queryExpr(query, names);
  useEffect(() => {
    if (missingExpr === '') {
      return;
    }
    onChange(
      mode === 'guided' && query.guided ? applyGuided(query, query.guided, names, app) : { ...query, expr: missingExpr }
    );
  }, [missingExpr, mode, query, names, app, onChange]);

  const toGuided = () => {
    setCannotBuild(undefined);
    if (query.guided) {
      onChange(applyGuided(query, query.guided, names, app));
    } else {
      onChange({ ...query, editorMode: 'guided', expr: '' });
    }
    onRunQuery();
  };

  const switchTo = (target: EditorMode) => {
    if (target === mode) {
      return;
    }
    const expr = query.expr?.trim() ?? '';
    if (target === 'code') {
      setCannotBuild(undefined);
      onChange({ ...query, editorMode: 'code' });
      return;
    }
    if (target === 'builder') {
      const kept = query.builder;
      if (expr === '') {
        source.current = undefined;
        setCannotBuild(undefined);
        onChange({ ...query, editorMode: 'builder', builder: kept ?? EMPTY_BUILDER });
        return;
      }
      // The text stays as written; the Builder re-renders it only once the user edits the model.
      const keptRendering = kept && renderedBuilder(kept);
      if (kept && keptRendering === expr) {
        source.current = { text: query.expr, rendered: keptRendering };
        setCannotBuild(undefined);
        onChange({ ...query, editorMode: 'builder', builder: kept });
        return;
      }
      const parsed = parsePromQL(query.expr);
      if (!parsed.ok) {
        setCannotBuild(unrepresentableText(parsed.error, query.expr));
        return;
      }
      source.current = { text: query.expr, rendered: renderBuilderQuery(parsed.query) };
      setCannotBuild(undefined);
      onChange({ ...query, editorMode: 'builder', builder: parsed.query });
      return;
    }
    // Guided: free when nothing would be lost, confirmed otherwise.
    if (expr === '' || guidedStillMatches(query, names)) {
      toGuided();
    } else {
      setConfirmGuided(true);
    }
  };

  const modeOptions: Array<{ value: EditorMode; label: string }> = [
    { value: 'guided', label: t('query-editor.mode.guided', 'Guided') },
    { value: 'builder', label: t('query-editor.mode.builder', 'Builder') },
    { value: 'code', label: t('query-editor.mode.code', 'Code') },
  ];

  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" justifyContent="flex-end">
        <RadioButtonGroup<EditorMode>
          size="sm"
          aria-label={t('query-editor.mode.label', 'Editor mode')}
          options={modeOptions}
          value={mode}
          onChange={switchTo}
        />
      </Stack>
      {cannotBuild && (
        <Alert
          severity="info"
          title={t('query-editor.switch.cannot-build-title', 'This query stays as PromQL')}
          onRemove={() => setCannotBuild(undefined)}
        >
          <Stack direction="column" gap={1} alignItems="flex-start">
            <span>{cannotBuild}</span>
            {mode !== 'code' && (
              <Button
                size="sm"
                variant="secondary"
                onClick={() => {
                  setCannotBuild(undefined);
                  onChange({ ...query, editorMode: 'code' });
                }}
              >
                {t('query-editor.switch.open-code', 'Edit it in Code')}
              </Button>
            )}
          </Stack>
        </Alert>
      )}

      {mode === 'guided' && (
        <GuidedMode
          datasource={datasource}
          query={query}
          range={range}
          app={app}
          onChange={onChange}
          onRunQuery={onRunQuery}
        />
      )}
      {mode === 'builder' && (
        <BuilderMode
          datasource={datasource}
          query={query}
          range={range}
          onChange={(next) => onChange(keepSourceText(next, source.current ?? undefined))}
          onRunQuery={onRunQuery}
        />
      )}
      {mode === 'code' ? (
        <CodeMode
          expr={query.expr ?? ''}
          datasource={datasource}
          range={range}
          onExprChange={(expr) => onChange({ ...query, expr, editorMode: 'code' })}
          onRunQuery={onRunQuery}
        />
      ) : (
        <PromQLView expr={query.expr ?? ''} />
      )}

      <OptionsRow
        query={query}
        app={app}
        onChange={(next) => {
          onChange(next);
          onRunQuery();
        }}
      />
      <ConfirmModal
        isOpen={confirmGuided}
        title={t('query-editor.switch.guided-title', 'Replace the PromQL with a guided query?')}
        body={
          query.guided
            ? t(
                'query-editor.switch.guided-body-restore',
                'The current PromQL was changed after it was built in Guided. Switching back replaces it with the last guided query.'
              )
            : t(
                'query-editor.switch.guided-body-new',
                'Guided builds the PromQL from a signal you choose. Switching replaces the current PromQL.'
              )
        }
        confirmText={t('query-editor.switch.guided-confirm', 'Replace PromQL')}
        dismissText={t('query-editor.switch.guided-dismiss', 'Keep PromQL')}
        onConfirm={() => {
          setConfirmGuided(false);
          toGuided();
        }}
        onDismiss={() => setConfirmGuided(false)}
      />
    </Stack>
  );
}
