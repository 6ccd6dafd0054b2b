import React from 'react';
import { t } from '@grafana/i18n';
import { InlineField, RadioButtonGroup } from '@grafana/ui';

import type { BuilderQuery } from '../../../promql/builder';
import { builderNumber } from '../../../promql/numbers';
import { BlurInput } from './BlurInput';

type SourceKind = 'metric' | 'vector' | 'time';

interface Props {
  id: (part: string) => string;
  builder: BuilderQuery;
  onChange: (builder: BuilderQuery) => void;
}

/**
 * What the query starts from: a metric, `vector(<number>)` (one series without labels, as in `… or vector(0)`) or
 * `time()`. Choosing another clears what only the former had (metric, filters, offset and @).
 */
export function SourceField({ id, builder, onChange }: Props) {
  const kind: SourceKind = builder.source?.kind ?? 'metric';
  const choose = (next: SourceKind) => {
    if (next === kind) {
      return;
    }
    const { source: _s, offset: _o, at: _a, ...rest } = builder;
    if (next === 'metric') {
      onChange(rest);
      return;
    }
    onChange({
      ...rest,
      metric: '',
      matchers: [],
      source: next === 'vector' ? { kind: 'vector', value: 0 } : { kind: 'time' },
    });
  };
  return (
    <>
      <InlineField label={t('query-editor.construct.source.label', 'Start from')} labelWidth={14}>
        <RadioButtonGroup<SourceKind>
          size="sm"
          aria-label={t('query-editor.construct.source.label', 'Start from')}
          options={[
            { value: 'metric', label: t('query-editor.construct.source.metric', 'Metric') },
            {
              value: 'vector',
              label: t('query-editor.construct.source.vector', 'vector(number)'),
              description: t(
                'query-editor.construct.source.vector-description',
                'One series without labels holding a number, e.g. or vector(0) where there is no series yet.'
              ),
            },
            {
              value: 'time',
              label: t('query-editor.construct.source.time', 'time()'),
              description: t('query-editor.construct.source.time-description', 'The evaluation time in seconds.'),
            },
          ]}
          value={kind}
          onChange={choose}
        />
      </InlineField>
      {builder.source?.kind === 'vector' && (
        <InlineField label={t('query-editor.construct.source.number', 'Number')} htmlFor={id('vector')}>
          <BlurInput
            id={id('vector')}
            width={10}
            value={String(builder.source.value)}
            onCommit={(text) =>
              onChange({ ...builder, source: { kind: 'vector', value: builderNumber(text) ?? text.trim() } })
            }
          />
        </InlineField>
      )}
    </>
  );
}
