import React, { useState } from 'react';
import { t } from '@grafana/i18n';
import { Alert, Combobox, ComboboxOption, InlineField, InlineFieldRow, Stack, Text } from '@grafana/ui';

import type { PulseDataSource } from '../datasource';
import {
  VARIABLE_QUERY_FORMS,
  VariableQuery,
  VariableQueryType,
  parseVariableQuery,
  renderVariableQuery,
  variableQueryText,
} from '../variableQuery';
import { BlurInput } from './QueryEditor/BlurInput';

interface Props {
  datasource: PulseDataSource;
  /** The stored query: a string, or `{ query }` as Grafana's Prometheus data source stores it. */
  query: unknown;
  /** Grafana's legacy variable editor contract: the query to store and the text shown as its definition. */
  onChange: (query: string, definition: string) => void;
}

// PromQL examples shown as placeholders: code, the same in every language.
const EXAMPLES = {
  match: 'nestjs_info{name=~"$service"}',
  regex: 'nestjs_.*',
  expr: 'topk(5, sum by (name) (nestjs_info))',
};

interface Fields {
  type: VariableQueryType;
  label: string;
  match: string;
  regex: string;
  expr: string;
}

function fieldsOf(query: VariableQuery | undefined): Fields {
  const fields: Fields = { type: query?.type ?? 'label_values', label: '', match: '', regex: '', expr: '' };
  switch (query?.type) {
    case 'label_names':
      return { ...fields, match: query.match ?? '' };
    case 'label_values':
      return { ...fields, label: query.label, match: query.match ?? '' };
    case 'metrics':
      return { ...fields, regex: query.regex };
    case 'query_result':
      return { ...fields, expr: query.expr };
  }
  return fields;
}

/** The query the fields describe; undefined while a required field is empty. */
function queryOf(fields: Fields): VariableQuery | undefined {
  const match = fields.match.trim() || undefined;
  switch (fields.type) {
    case 'label_names':
      return { type: 'label_names', match };
    case 'label_values':
      return fields.label ? { type: 'label_values', label: fields.label, match } : undefined;
    case 'metrics':
      return fields.regex.trim() ? { type: 'metrics', regex: fields.regex.trim() } : undefined;
    case 'query_result':
      return fields.expr.trim() ? { type: 'query_result', expr: fields.expr.trim() } : undefined;
  }
}

/**
 * The editor of a query variable: what to list (label names, label values, metric names, the samples of a query)
 * and its inputs. It stores the same strings Grafana's Prometheus data source does, e.g.
 * `label_values(nestjs_info{name=~"$service"}, instance)`.
 */
export function VariableQueryEditor({ datasource, query, onChange }: Props) {
  const stored = variableQueryText(query);
  const parsed = parseVariableQuery(stored);
  const [fields, setFields] = useState<Fields>(() => fieldsOf(parsed));

  const update = (next: Fields) => {
    setFields(next);
    const built = queryOf(next);
    if (built) {
      const text = renderVariableQuery(built);
      onChange(text, text);
    }
  };

  const typeOptions: Array<ComboboxOption<VariableQueryType>> = [
    {
      value: 'label_names',
      label: t('variable-query.type.label-names', 'Label names'),
      description: t('variable-query.type.label-names-description', 'The names of the labels series carry.'),
    },
    {
      value: 'label_values',
      label: t('variable-query.type.label-values', 'Label values'),
      description: t('variable-query.type.label-values-description', 'The values one label takes.'),
    },
    {
      value: 'metrics',
      label: t('variable-query.type.metrics', 'Metrics'),
      description: t('variable-query.type.metrics-description', 'Metric names that match a regular expression.'),
    },
    {
      value: 'query_result',
      label: t('variable-query.type.query-result', 'Query result'),
      description: t(
        'variable-query.type.query-result-description',
        'One line per series of a PromQL query, evaluated at the end of the time range.'
      ),
    },
  ];

  const loadLabels = async (input: string): Promise<Array<ComboboxOption<string>>> => {
    const { values } = await datasource.getLabelNames(fields.match.trim() || undefined);
    const needle = input.toLowerCase();
    return values
      .filter((name) => name !== '__name__' && name.toLowerCase().includes(needle))
      .map((name) => ({ value: name, label: name }));
  };

  const preview = queryOf(fields);
  const selectorField = (
    <InlineField
      label={t('variable-query.match.label', 'Series selector')}
      labelWidth={20}
      tooltip={t(
        'variable-query.match.tooltip',
        'Optional. Only series this selector matches count, e.g. nestjs_info{name=~"$service"}. Variables are replaced first.'
      )}
    >
      <BlurInput
        id="pulse-variable-match"
        width={60}
        value={fields.match}
        placeholder={EXAMPLES.match}
        onCommit={(match) => update({ ...fields, match })}
      />
    </InlineField>
  );

  return (
    <Stack direction="column" gap={1}>
      {stored.trim() !== '' && !parsed && (
        <Alert severity="warning" title={t('variable-query.unsupported.title', 'This query is not one Pulse runs')}>
          {t('variable-query.unsupported.body', 'Stored query: {{query}}. Pulse understands {{forms}}.', {
            query: stored,
            forms: VARIABLE_QUERY_FORMS.join(', '),
            interpolation: { escapeValue: false },
          })}
        </Alert>
      )}
      <InlineFieldRow>
        <InlineField label={t('variable-query.type.label', 'Query type')} labelWidth={20}>
          <Combobox<VariableQueryType>
            id="pulse-variable-type"
            width={40}
            options={typeOptions}
            value={fields.type}
            onChange={(option) => update({ ...fields, type: option.value })}
          />
        </InlineField>
      </InlineFieldRow>

      {fields.type === 'label_values' && (
        <InlineFieldRow>
          <InlineField label={t('variable-query.label.label', 'Label')} labelWidth={20}>
            <Combobox<string>
              id="pulse-variable-label"
              width={40}
              placeholder={t('variable-query.label.placeholder', 'Choose or type a label')}
              options={loadLabels}
              value={fields.label || null}
              createCustomValue
              onChange={(option) => update({ ...fields, label: option.value })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {(fields.type === 'label_values' || fields.type === 'label_names') && (
        <InlineFieldRow>{selectorField}</InlineFieldRow>
      )}
      {fields.type === 'metrics' && (
        <InlineFieldRow>
          <InlineField
            label={t('variable-query.regex.label', 'Metric regex')}
            labelWidth={20}
            tooltip={t(
              'variable-query.regex.tooltip',
              'A regular expression the whole metric name must match, e.g. nestjs_.* or node_(cpu|memory)_.*'
            )}
          >
            <BlurInput
              id="pulse-variable-regex"
              width={60}
              value={fields.regex}
              placeholder={EXAMPLES.regex}
              onCommit={(regex) => update({ ...fields, regex })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {fields.type === 'query_result' && (
        <InlineFieldRow>
          <InlineField label={t('variable-query.expr.label', 'PromQL')} labelWidth={20}>
            <BlurInput
              id="pulse-variable-expr"
              width={80}
              value={fields.expr}
              placeholder={EXAMPLES.expr}
              onCommit={(expr) => update({ ...fields, expr })}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      <Text variant="bodySmall" color="secondary">
        {preview
          ? t('variable-query.preview', 'Stored as {{query}}', {
              query: renderVariableQuery(preview),
              interpolation: { escapeValue: false },
            })
          : t('variable-query.incomplete', 'Fill in the fields above to complete the query.')}
      </Text>
    </Stack>
  );
}
