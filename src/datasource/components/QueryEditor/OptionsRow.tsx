import React from 'react';
import { CoreApp } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Combobox, ComboboxOption, InlineField, InlineFieldRow, InlineSwitch, RadioButtonGroup } from '@grafana/ui';

import { PulseQuery, QueryFormat } from '../../types';
import { BlurInput } from './BlurInput';

type QueryType = 'range' | 'instant' | 'both';

interface Props {
  query: PulseQuery;
  /** Where the editor runs; alert rules need time series and have no use for exemplars. */
  app?: CoreApp | string;
  /** Called with the whole updated query; the caller decides whether to run it. */
  onChange: (query: PulseQuery) => void;
}

function queryTypeOf(query: PulseQuery): QueryType {
  const range = query.range ?? !query.instant;
  if (range && query.instant) {
    return 'both';
  }
  return range ? 'range' : 'instant';
}

const QUERY_TYPE_FIELDS: Record<QueryType, Pick<PulseQuery, 'range' | 'instant'>> = {
  range: { range: true, instant: false },
  instant: { range: false, instant: true },
  both: { range: true, instant: true },
};

/** Legend, min step, format, type and exemplars: the options every mode shares. */
export function OptionsRow({ query, app, onChange }: Props) {
  const alerting = app === CoreApp.UnifiedAlerting || app === CoreApp.CloudAlerting;
  const formatOptions: Array<ComboboxOption<QueryFormat>> = [
    { value: 'time_series', label: t('query-editor.options.format.time-series', 'Time series') },
    { value: 'table', label: t('query-editor.options.format.table', 'Table') },
    { value: 'heatmap', label: t('query-editor.options.format.heatmap', 'Heatmap') },
  ];
  const typeOptions: Array<{ value: QueryType; label: string }> = [
    { value: 'range', label: t('query-editor.options.type.range', 'Range') },
    { value: 'instant', label: t('query-editor.options.type.instant', 'Instant') },
    { value: 'both', label: t('query-editor.options.type.both', 'Both') },
  ];
  const idPrefix = `pulse-query-${query.refId}`;

  return (
    <InlineFieldRow>
      <InlineField
        label={t('query-editor.options.legend.label', 'Legend')}
        tooltip={t(
          'query-editor.options.legend.tooltip',
          'Series name template. Label names in double braces are replaced by their values, e.g. {{example}}. Empty: the series labels.',
          { example: '{{controller}} {{method}}' }
        )}
      >
        <BlurInput
          id={`${idPrefix}-legend`}
          width={28}
          value={query.legendFormat ?? ''}
          placeholder={t('query-editor.options.legend.placeholder', 'Auto')}
          onCommit={(legendFormat) => onChange({ ...query, legendFormat })}
        />
      </InlineField>
      <InlineField
        label={t('query-editor.options.min-step.label', 'Min step')}
        tooltip={t(
          'query-editor.options.min-step.tooltip',
          'Lower limit for the step between points, e.g. 30s or 1m. The scrape interval set on the data source is the default.'
        )}
      >
        <BlurInput
          id={`${idPrefix}-interval`}
          width={12}
          value={query.interval ?? ''}
          placeholder={t('query-editor.options.min-step.placeholder', 'Auto')}
          onCommit={(interval) => onChange({ ...query, interval })}
        />
      </InlineField>
      {!alerting && (
        <InlineField label={t('query-editor.options.format.label', 'Format')}>
          <Combobox<QueryFormat>
            id={`${idPrefix}-format`}
            width={16}
            options={formatOptions}
            value={query.format ?? 'time_series'}
            onChange={(option) => onChange({ ...query, format: option.value })}
          />
        </InlineField>
      )}
      <InlineField label={t('query-editor.options.type.label', 'Type')}>
        <RadioButtonGroup<QueryType>
          aria-label={t('query-editor.options.type.label', 'Type')}
          options={typeOptions}
          value={queryTypeOf(query)}
          onChange={(type) => onChange({ ...query, ...QUERY_TYPE_FIELDS[type] })}
        />
      </InlineField>
      {!alerting && (
        <InlineField
          label={t('query-editor.options.exemplars.label', 'Exemplars')}
          tooltip={t(
            'query-editor.options.exemplars.tooltip',
            'Also fetch exemplars (trace samples) for range queries.'
          )}
        >
          <InlineSwitch
            id={`${idPrefix}-exemplar`}
            value={Boolean(query.exemplar)}
            onChange={(e) => onChange({ ...query, exemplar: e.currentTarget.checked })}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
