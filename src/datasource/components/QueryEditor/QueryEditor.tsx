import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Stack } from '@grafana/ui';

import type { PulseDataSource } from '../../datasource';
import { PulseDataSourceOptions, PulseQuery } from '../../types';
import { CodeMode } from './CodeMode';
import { OptionsRow } from './OptionsRow';

export type PulseQueryEditorProps = QueryEditorProps<PulseDataSource, PulseQuery, PulseDataSourceOptions>;

/**
 * The query editor. For now one mode, Code; `editorMode` is stored with the query so the Guided and Builder
 * modes can take over the same model without losing the expression.
 */
export function QueryEditor({ query, onChange, onRunQuery }: PulseQueryEditorProps) {
  return (
    <Stack direction="column" gap={1}>
      <CodeMode
        expr={query.expr ?? ''}
        onExprChange={(expr) => onChange({ ...query, expr, editorMode: 'code' })}
        onRunQuery={onRunQuery}
      />
      <OptionsRow
        query={query}
        onChange={(next) => {
          onChange(next);
          onRunQuery();
        }}
      />
    </Stack>
  );
}
