import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, TimeRange, dateTimeFormat } from '@grafana/data';
import { t } from '@grafana/i18n';
import {
  Button,
  Combobox,
  ComboboxOption,
  Icon,
  IconButton,
  InlineField,
  InlineFieldRow,
  InlineSwitch,
  MultiCombobox,
  RadioButtonGroup,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';

import {
  AGGREGATIONS,
  BINARY_OPERATORS,
  RANGE_FUNCTIONS,
  RANKING_AGGREGATIONS,
  SET_OPERATORS,
  VECTOR_FUNCTIONS,
  type BuilderQuery,
  builderProblems,
  isComparison,
  isSetOperator,
  matchesEmpty,
  type Operation,
  type QueryOperator,
  renderBuilderQuery,
} from '../../../promql/builder';
import { defaultParameters } from '../../../promql/functions';
import { builderNumber } from '../../../promql/numbers';
import {
  type GroupingMode,
  type LabelMatcher,
  MATCH_OPS,
  type MatchOp,
  isDuration,
  isNumberLiteral,
  selector,
} from '../../../promql/render';
import { constructIssues } from './constructIssues';
import { FunctionParameters } from './FunctionParameters';
import { ModifierFields } from './ModifierFields';
import { SourceField } from './SourceField';
import { type PulseDataSource, resourceRange } from '../../datasource';
import type { PulseQuery } from '../../types';
import { BlurInput } from './BlurInput';
import { labelsToCheck, unknownFilterValues } from './unknownFilterValues';
import { useResource } from './useResource';
import { VectorMatchingField } from './VectorMatchingField';

interface Props {
  datasource: PulseDataSource;
  query: PulseQuery;
  range?: TimeRange;
  onChange: (query: PulseQuery) => void;
  onRunQuery: () => void;
}

export const EMPTY_BUILDER: BuilderQuery = { metric: '', matchers: [], operations: [] };

/** The builder's problems in the user's language; empty when it renders (mirrors builderProblems). */
export function builderIssues(builder: BuilderQuery): string[] {
  const issues: string[] = [];
  if (builder.source) {
    // vector() and time() need no metric; their own issues are among the constructs'.
  } else if (builder.metric === '' && builder.matchers.length === 0) {
    issues.push(t('query-editor.builder.issue.no-metric', 'Choose a metric or add a label filter.'));
  } else if (builder.metric === '' && builder.matchers.every(matchesEmpty)) {
    issues.push(
      t('query-editor.builder.issue.empty-matchers', 'Without a metric, a label filter must match a non-empty value.')
    );
  }
  const notANumber = (value: number | string) => typeof value === 'string' && !isNumberLiteral(value);
  builder.operations.forEach((op, i) => {
    if (op.kind === 'range' && i !== 0 && !op.subquery) {
      issues.push(
        t('query-editor.builder.issue.range-first', '{{fn}} needs the raw metric: move it to the first operation.', {
          fn: op.fn,
        })
      );
    }
    if (op.kind === 'range' && !isDuration(op.range)) {
      issues.push(
        t(
          'query-editor.builder.issue.range',
          'The range {{range}} is not a duration: write 5m, 1h30m, a number of seconds or a variable.',
          { range: op.range, interpolation: { escapeValue: false } }
        )
      );
    }
    const number =
      op.kind === 'ranking'
        ? op.k
        : op.kind === 'histogramQuantile'
          ? op.quantile
          : op.kind === 'binaryScalar'
            ? op.scalar
            : undefined;
    if (number !== undefined && notANumber(number)) {
      issues.push(
        t('query-editor.builder.issue.number', '{{number}} is not a number: write a number or a variable.', {
          number,
          interpolation: { escapeValue: false },
        })
      );
    }
    if ((op.kind === 'binaryScalar' || op.kind === 'binaryQuery') && op.bool && !isComparison(op.op)) {
      issues.push(t('query-editor.builder.issue.bool', 'bool only applies to comparisons, not {{op}}.', { op: op.op }));
    }
    if (op.kind === 'binaryScalar' && isSetOperator(op.op)) {
      issues.push(
        t('query-editor.builder.issue.set-number', '{{op}} needs a second query, not a number.', { op: op.op })
      );
    }
    if (op.kind === 'binaryQuery' && op.matching?.group && isSetOperator(op.op)) {
      issues.push(
        t('query-editor.builder.issue.set-group', 'group_{{side}} does not apply to {{op}}.', {
          side: op.matching.group.side,
          op: op.op,
        })
      );
    }
    if (op.kind === 'binaryQuery') {
      // builderIssues of the other query, with constructIssues' below.
      for (const issue of builderIssues(op.query)) {
        issues.push(
          t('query-editor.builder.issue.other-query', 'The query after {{op}}: {{issue}}', {
            op: op.op,
            issue,
            interpolation: { escapeValue: false },
          })
        );
      }
    }
  });
  issues.push(...constructIssues(builder));
  if (issues.length === 0 && builderProblems(builder).length > 0) {
    // Every problem has its words above; this says so should one be missed rather than show nothing.
    issues.push(...builderProblems(builder));
  }
  return issues;
}

/** The query with a new builder state and the PromQL it renders (empty while it cannot render). */
export function applyBuilder(query: PulseQuery, builder: BuilderQuery): PulseQuery {
  const expr = builderProblems(builder).length === 0 ? renderBuilderQuery(builder) : '';
  return { ...query, editorMode: 'builder', builder, expr };
}

type OperationKind = Operation['kind'];

/** The label count_values writes each value to, until the user names another (a PromQL label name, not text). */
const COUNT_VALUES_LABEL = 'value';

function newOperation(kind: OperationKind): Operation {
  switch (kind) {
    case 'range':
      return { kind, fn: 'rate', range: '$__rate_interval' };
    case 'aggregation':
      return { kind, fn: 'sum', grouping: { mode: 'by', labels: [] } };
    case 'ranking':
      return { kind, fn: 'topk', k: 5 };
    case 'histogramQuantile':
      return { kind, quantile: 0.95 };
    case 'binaryScalar':
      return { kind, op: '*', scalar: 1 };
    case 'binaryQuery':
      return { kind, op: '/', query: EMPTY_BUILDER };
    case 'function':
      return { kind, fn: 'abs' };
    case 'countValues':
      return { kind, label: COUNT_VALUES_LABEL };
    case 'negate':
      return { kind };
  }
}

const filterOptions = (values: string[], input: string, describe?: (v: string) => string | undefined) => {
  const needle = input.toLowerCase();
  return values
    .filter((v) => v.toLowerCase().includes(needle))
    .slice(0, 1000)
    .map((v) => ({ value: v, label: v, description: describe?.(v) }));
};

/** Metric, label filters and a chain of operations; the PromQL is rendered by src/promql/builder.ts. */
export function BuilderMode({ datasource, query, range, onChange, onRunQuery }: Props) {
  const styles = useStyles2(getStyles);
  const builder = query.builder ?? EMPTY_BUILDER;
  const issues = builderIssues(builder);

  const update = (next: BuilderQuery) => {
    const changed = applyBuilder(query, next);
    onChange(changed);
    if (changed.expr) {
      onRunQuery();
    }
  };

  return (
    <Stack direction="column" gap={1}>
      <BuilderFields
        datasource={datasource}
        range={range}
        idPrefix={`pulse-builder-${query.refId}`}
        builder={builder}
        onChange={update}
      />
      {issues.length > 0 && (
        <ul className={styles.issues} aria-label={t('query-editor.builder.issues', 'What the query still needs')}>
          {issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      )}
    </Stack>
  );
}

interface BuilderFieldsProps {
  datasource: PulseDataSource;
  range?: TimeRange;
  /** Prefix of the element ids; a nested query (the right side of a binary operation) has its own. */
  idPrefix: string;
  builder: BuilderQuery;
  onChange: (builder: BuilderQuery) => void;
}

/** The fields of one Builder query: metric, filters, operations (one of which may hold another query). */
function BuilderFields({ datasource, range, idPrefix, builder, onChange: update }: BuilderFieldsProps) {
  const styles = useStyles2(getStyles);
  const timeRange = resourceRange(range);
  const metricSelector = builder.metric ? selector(builder.metric) : undefined;
  const setMatcher = (index: number, matcher: LabelMatcher) =>
    update({ ...builder, matchers: builder.matchers.map((m, i) => (i === index ? matcher : m)) });
  const setOperation = (index: number, op: Operation) =>
    update({ ...builder, operations: builder.operations.map((o, i) => (i === index ? op : o)) });
  const moveOperation = (index: number, by: number) => {
    const operations = [...builder.operations];
    const [op] = operations.splice(index, 1);
    operations.splice(index + by, 0, op);
    update({ ...builder, operations });
  };

  const loadMetrics = async (input: string): Promise<Array<ComboboxOption<string>>> => {
    const { metrics } = await datasource.getMetrics(timeRange);
    const byName = new Map(metrics.map((m) => [m.name, m]));
    return filterOptions(
      metrics.map((m) => m.name),
      input,
      (name) => {
        const info = byName.get(name);
        return [info?.type, info?.help].filter(Boolean).join(' · ') || undefined;
      }
    );
  };
  const loadLabels = labelNames(datasource, range, [builder.metric]);
  const loadValues = (label: string) => async (input: string) =>
    label ? filterOptions((await datasource.getLabelValues(label, metricSelector, timeRange)).values, input) : [];

  // Exact filter values are checked against the label's values for the metric in the range, as Guided does.
  const checkLabels = labelsToCheck(builder.matchers);
  const seen = useResource(
    checkLabels.length > 0 ? JSON.stringify([metricSelector, timeRange, checkLabels]) : undefined,
    async () =>
      Object.fromEntries(
        await Promise.all(
          checkLabels.map(async (label) => [label, await datasource.getLabelValues(label, metricSelector, timeRange)])
        )
      )
  );
  const unknownFilters = seen.value ? unknownFilterValues(builder.matchers, seen.value) : [];

  const operationKinds: Array<ComboboxOption<OperationKind>> = [
    { value: 'range', label: t('query-editor.builder.op.range', 'Range function (rate, increase, …)') },
    { value: 'aggregation', label: t('query-editor.builder.op.aggregation', 'Aggregation (sum, avg, …)') },
    { value: 'ranking', label: t('query-editor.builder.op.ranking', 'Top or bottom K') },
    { value: 'histogramQuantile', label: t('query-editor.builder.op.quantile', 'Histogram quantile') },
    { value: 'binaryScalar', label: t('query-editor.builder.op.binary', 'Binary operation with a number') },
    {
      value: 'binaryQuery',
      label: t('query-editor.builder.op.binary-query', 'Binary operation with a query'),
      description: t(
        'query-editor.builder.op.binary-query-description',
        'Combine with a second metric or expression, e.g. errors divided by requests.'
      ),
    },
    {
      value: 'function',
      label: t('query-editor.construct.op.function', 'Function (abs, clamp, label_replace, …)'),
    },
    { value: 'countValues', label: t('query-editor.construct.op.count-values', 'Count values') },
    { value: 'negate', label: t('query-editor.construct.op.negate', 'Negate (-)') },
  ];

  const modifierId = (part: string) => `${idPrefix}-${part}`;
  return (
    <Stack direction="column" gap={1}>
      <InlineFieldRow>
        <SourceField id={modifierId} builder={builder} onChange={update} />
      </InlineFieldRow>
      {!builder.source && (
        <>
          <InlineFieldRow>
            <InlineField label={t('query-editor.builder.metric.label', 'Metric')} labelWidth={14}>
              <Combobox<string>
                id={`${idPrefix}-metric`}
                width={50}
                placeholder={t('query-editor.builder.metric.placeholder', 'Search metrics')}
                options={loadMetrics}
                value={builder.metric || null}
                createCustomValue
                onChange={(option) => update({ ...builder, metric: option.value })}
              />
            </InlineField>
          </InlineFieldRow>

          <Text variant="bodySmall" weight="medium">
            {t('query-editor.builder.filters.title', 'Label filters')}
          </Text>
          {builder.matchers.map((matcher, index) => {
            const n = index + 1;
            const filterId = `${idPrefix}-filter-${n}`;
            return (
              <InlineFieldRow key={index}>
                <span className={styles.hidden} id={`${filterId}-label-name`}>
                  {t('query-editor.builder.filter.label-name', 'Filter {{n}} label', { n })}
                </span>
                <span className={styles.hidden} id={`${filterId}-op-name`}>
                  {t('query-editor.builder.filter.op-name', 'Filter {{n}} operator', { n })}
                </span>
                <span className={styles.hidden} id={`${filterId}-value-name`}>
                  {t('query-editor.builder.filter.value-name', 'Filter {{n}} value', { n })}
                </span>
                <Combobox<string>
                  aria-labelledby={`${filterId}-label-name`}
                  width={24}
                  placeholder={t('query-editor.builder.filter.label-placeholder', 'Label')}
                  options={loadLabels}
                  value={matcher.label || null}
                  createCustomValue
                  onChange={(option) => setMatcher(index, { ...matcher, label: option.value })}
                />
                <Combobox<MatchOp>
                  aria-labelledby={`${filterId}-op-name`}
                  width={8}
                  options={MATCH_OPS.map((op) => ({ value: op, label: op }))}
                  value={matcher.op}
                  onChange={(option) => setMatcher(index, { ...matcher, op: option.value })}
                />
                <Combobox<string>
                  aria-labelledby={`${filterId}-value-name`}
                  width={32}
                  placeholder={t('query-editor.builder.filter.value-placeholder', 'Value')}
                  options={loadValues(matcher.label)}
                  value={matcher.value || null}
                  invalid={unknownFilters.includes(matcher)}
                  createCustomValue
                  onChange={(option) => setMatcher(index, { ...matcher, value: option.value })}
                />
                <IconButton
                  name="times"
                  tooltip={t('query-editor.builder.filter.remove', 'Remove filter {{n}}', { n })}
                  onClick={() => update({ ...builder, matchers: builder.matchers.filter((_, i) => i !== index) })}
                />
              </InlineFieldRow>
            );
          })}
          {unknownFilters.length > 0 && (
            <ul
              className={styles.issues}
              aria-label={t('query-editor.builder.unknown.label', 'Filter values not seen')}
            >
              {unknownFilters.map(({ label, value }) => (
                <li key={`${label}=${value}`}>
                  <Icon name="exclamation-triangle" />{' '}
                  {range
                    ? t(
                        'query-editor.builder.unknown.range',
                        'No series had {{label}}="{{value}}" between {{from}} and {{to}}.',
                        {
                          label,
                          value,
                          from: dateTimeFormat(range.from),
                          to: dateTimeFormat(range.to),
                          interpolation: { escapeValue: false },
                        }
                      )
                    : t(
                        'query-editor.builder.unknown.last-hour',
                        'No series had {{label}}="{{value}}" in the last hour.',
                        {
                          label,
                          value,
                          interpolation: { escapeValue: false },
                        }
                      )}
                </li>
              ))}
            </ul>
          )}
          <div>
            <Button
              size="sm"
              variant="secondary"
              icon="plus"
              onClick={() => update({ ...builder, matchers: [...builder.matchers, { label: '', op: '=', value: '' }] })}
            >
              {t('query-editor.builder.filter.add', 'Add filter')}
            </Button>
          </div>
        </>
      )}
      {!builder.source && (
        <InlineFieldRow>
          <ModifierFields
            id={modifierId}
            offset={builder.offset}
            at={builder.at}
            onChange={(modifiers) => {
              const { offset: _o, at: _a, ...rest } = builder;
              update({ ...rest, ...modifiers });
            }}
          />
        </InlineFieldRow>
      )}
      <Text variant="bodySmall" weight="medium">
        {t('query-editor.builder.operations.title', 'Operations (applied in order)')}
      </Text>
      {builder.operations.map((op, index) => (
        <div key={index} className={styles.operation}>
          <OperationEditor
            datasource={datasource}
            range={range}
            idPrefix={idPrefix}
            index={index}
            op={op}
            metric={builder.metric}
            loadLabels={loadLabels}
            onChange={(next) => setOperation(index, next)}
          />
          <IconButton
            name="arrow-up"
            disabled={index === 0}
            tooltip={t('query-editor.builder.op.move-up', 'Move operation {{n}} up', { n: index + 1 })}
            onClick={() => moveOperation(index, -1)}
          />
          <IconButton
            name="arrow-down"
            disabled={index === builder.operations.length - 1}
            tooltip={t('query-editor.builder.op.move-down', 'Move operation {{n}} down', { n: index + 1 })}
            onClick={() => moveOperation(index, 1)}
          />
          <IconButton
            name="times"
            tooltip={t('query-editor.builder.op.remove', 'Remove operation {{n}}', { n: index + 1 })}
            onClick={() => update({ ...builder, operations: builder.operations.filter((_, i) => i !== index) })}
          />
        </div>
      ))}
      <InlineField label={t('query-editor.builder.op.add', 'Add operation')} labelWidth={14}>
        <Combobox<OperationKind>
          id={`${idPrefix}-add-operation`}
          width={40}
          options={operationKinds}
          value={null}
          placeholder={t('query-editor.builder.op.add-placeholder', 'Choose an operation')}
          onChange={(option) => {
            const op = newOperation(option.value);
            // A range function needs the raw metric, so it goes first.
            const operations = op.kind === 'range' ? [op, ...builder.operations] : [...builder.operations, op];
            update({ ...builder, operations });
          }}
        />
      </InlineField>
    </Stack>
  );
}

type BinaryOperation = Extract<Operation, { kind: 'binaryScalar' | 'binaryQuery' }>;

interface BinaryFieldProps<T extends BinaryOperation> {
  op: T;
  fieldId: string;
  onChange: (op: T) => void;
}

/**
 * The operator of a binary operation: arithmetic and comparisons, and with another query also and/or/unless.
 * `bool` only stays with comparisons, group_left/right not with a set operator.
 */
function OperatorField<T extends BinaryOperation>({ op, n, fieldId, onChange }: BinaryFieldProps<T> & { n: number }) {
  const operators: readonly QueryOperator[] =
    op.kind === 'binaryQuery' ? [...BINARY_OPERATORS, ...SET_OPERATORS] : BINARY_OPERATORS;
  return (
    <InlineField label={t('query-editor.builder.op.operator', 'Operator {{n}}', { n })} htmlFor={fieldId}>
      <Combobox<QueryOperator>
        id={fieldId}
        width={10}
        options={operators.map((o) => ({ value: o, label: o }))}
        value={op.op}
        onChange={(option) => {
          const next = { ...op, op: option.value, bool: isComparison(option.value) ? op.bool : undefined } as T;
          if (next.kind === 'binaryQuery' && isSetOperator(option.value) && next.matching?.group) {
            const { group: _, ...matching } = next.matching;
            next.matching = matching;
          }
          onChange(next);
        }}
      />
    </InlineField>
  );
}

/** `bool` for a comparison: 0 or 1 for every series instead of filtering. */
function BoolField<T extends BinaryOperation>({ op, fieldId, onChange }: BinaryFieldProps<T>) {
  if (!isComparison(op.op)) {
    return null;
  }
  return (
    <InlineField
      label={t('query-editor.builder.op.bool', 'bool')}
      tooltip={t('query-editor.builder.op.bool-tooltip', 'Return 0 or 1 for every series instead of filtering.')}
    >
      <InlineSwitch
        id={fieldId}
        value={Boolean(op.bool)}
        onChange={(e) => onChange({ ...op, bool: e.currentTarget.checked })}
      />
    </InlineField>
  );
}

interface OperationEditorProps {
  datasource: PulseDataSource;
  range?: TimeRange;
  idPrefix: string;
  index: number;
  op: Operation;
  /** The query's metric, and its label names in the range (for by/without). */
  metric: string;
  loadLabels: (input: string) => Promise<Array<ComboboxOption<string>>>;
  onChange: (op: Operation) => void;
}

function OperationEditor({
  datasource,
  range,
  idPrefix,
  index,
  op,
  metric,
  loadLabels,
  onChange,
}: OperationEditorProps) {
  const styles = useStyles2(getStyles);
  const n = index + 1;
  const id = (part: string) => `${idPrefix}-op-${n}-${part}`;
  // A number keeps its PromQL spelling (`010` is 8, not 10); anything else is kept for builderIssues to name.
  const numberOrVariable = (text: string): number | string => builderNumber(text) ?? text.trim();

  switch (op.kind) {
    case 'range':
      return (
        <InlineFieldRow>
          <InlineField label={t('query-editor.builder.op.function', 'Function {{n}}', { n })} htmlFor={id('fn')}>
            <Combobox<string>
              id={id('fn')}
              width={24}
              options={RANGE_FUNCTIONS.map((fn) => ({ value: fn, label: fn }))}
              value={op.fn}
              onChange={(option) => {
                const fn = option.value as typeof op.fn;
                const { params: _, ...rest } = op;
                const params = defaultParameters(fn);
                onChange({ ...rest, fn, ...(params.length > 0 && { params }) });
              }}
            />
          </InlineField>
          <InlineField label={t('query-editor.builder.op.range-label', 'Range')} htmlFor={id('range')}>
            <BlurInput id={id('range')} width={20} value={op.range} onCommit={(range) => onChange({ ...op, range })} />
          </InlineField>
          <FunctionParameters
            fn={op.fn}
            params={op.params ?? []}
            id={id}
            loadLabels={loadLabels}
            onChange={(params) => {
              const { params: _, ...rest } = op;
              onChange({ ...rest, ...(params.length > 0 && { params }) });
            }}
          />
          <InlineField
            label={t('query-editor.construct.subquery.label', 'Subquery')}
            tooltip={t(
              'query-editor.construct.subquery.tooltip',
              'Apply the function to the result of the operations before it, evaluated over the range at each step (e.g. the highest rate over an hour). Off: the function applies to the metric itself and must come first.'
            )}
          >
            <InlineSwitch
              id={id('subquery')}
              value={Boolean(op.subquery)}
              onChange={(e) => {
                const { subquery: _, ...rest } = op;
                onChange(e.currentTarget.checked ? { ...rest, subquery: { step: '' } } : rest);
              }}
            />
          </InlineField>
          {op.subquery && (
            <>
              <InlineField
                label={t('query-editor.construct.subquery.step', 'Step')}
                tooltip={t(
                  'query-editor.construct.subquery.step-tooltip',
                  'The resolution of the subquery, e.g. 1m. Empty: the global evaluation interval.'
                )}
                htmlFor={id('step')}
              >
                <BlurInput
                  id={id('step')}
                  width={10}
                  value={op.subquery.step}
                  onCommit={(step) => onChange({ ...op, subquery: { ...op.subquery!, step: step.trim() } })}
                />
              </InlineField>
              <ModifierFields
                id={id}
                offset={op.subquery.offset}
                at={op.subquery.at}
                onChange={(modifiers) => onChange({ ...op, subquery: { step: op.subquery!.step, ...modifiers } })}
              />
            </>
          )}
        </InlineFieldRow>
      );
    case 'function':
      return (
        <InlineFieldRow>
          <InlineField label={t('query-editor.builder.op.function', 'Function {{n}}', { n })} htmlFor={id('fn')}>
            <Combobox<string>
              id={id('fn')}
              width={24}
              options={VECTOR_FUNCTIONS.map((fn) => ({ value: fn, label: fn }))}
              value={op.fn}
              onChange={(option) => {
                const fn = option.value as typeof op.fn;
                const params = defaultParameters(fn);
                onChange({ kind: 'function', fn, ...(params.length > 0 && { params }) });
              }}
            />
          </InlineField>
          <FunctionParameters
            fn={op.fn}
            params={op.params ?? []}
            id={id}
            loadLabels={loadLabels}
            onChange={(params) => onChange({ kind: 'function', fn: op.fn, ...(params.length > 0 && { params }) })}
          />
        </InlineFieldRow>
      );
    case 'negate':
      return (
        <Text variant="bodySmall">
          {t('query-editor.construct.op.negate-label', 'Negate {{n}}: -(…), each value times -1', { n })}
        </Text>
      );
    case 'aggregation':
    case 'ranking':
    case 'countValues': {
      const grouping = op.grouping ?? { mode: 'by' as GroupingMode, labels: [] };
      const fnName = op.kind === 'countValues' ? 'count_values' : op.fn;
      return (
        <InlineFieldRow>
          <InlineField
            label={t('query-editor.builder.op.aggregation-label', 'Aggregation {{n}}', { n })}
            htmlFor={id('fn')}
          >
            <Combobox<string>
              id={id('fn')}
              width={16}
              options={[...AGGREGATIONS, ...RANKING_AGGREGATIONS, 'count_values'].map((fn) => ({
                value: fn,
                label: fn,
              }))}
              value={fnName}
              onChange={(option) => {
                const fn = option.value;
                if (fn === 'count_values') {
                  onChange({
                    kind: 'countValues',
                    label: op.kind === 'countValues' ? op.label : COUNT_VALUES_LABEL,
                    grouping,
                  });
                } else if ((RANKING_AGGREGATIONS as readonly string[]).includes(fn)) {
                  const k = op.kind === 'ranking' ? op.k : fn === 'quantile' ? 0.95 : fn === 'limit_ratio' ? 0.5 : 5;
                  onChange({ kind: 'ranking', fn: fn as 'topk', k, grouping });
                } else {
                  onChange({ kind: 'aggregation', fn: fn as 'sum', grouping });
                }
              }}
            />
          </InlineField>
          {op.kind === 'countValues' && (
            <InlineField
              label={t('query-editor.construct.op.count-values-label', 'Label for the value')}
              htmlFor={id('label')}
            >
              <BlurInput
                id={id('label')}
                width={16}
                value={op.label}
                onCommit={(label) => onChange({ ...op, label: label.trim() })}
              />
            </InlineField>
          )}
          {op.kind === 'ranking' && (
            <InlineField
              label={
                op.fn === 'quantile'
                  ? t('query-editor.construct.param.quantile', 'Quantile')
                  : op.fn === 'limit_ratio'
                    ? t('query-editor.construct.param.ratio', 'Ratio')
                    : t('query-editor.builder.op.k', 'K')
              }
              htmlFor={id('k')}
            >
              <BlurInput
                id={id('k')}
                width={8}
                value={String(op.k)}
                onCommit={(k) => onChange({ ...op, k: numberOrVariable(k) })}
              />
            </InlineField>
          )}
          <RadioButtonGroup<GroupingMode>
            size="sm"
            aria-label={t('query-editor.builder.op.grouping', 'Grouping {{n}}', { n })}
            options={[
              { value: 'by', label: t('query-editor.builder.op.by', 'by') },
              { value: 'without', label: t('query-editor.builder.op.without', 'without') },
            ]}
            value={grouping.mode}
            onChange={(mode) => onChange({ ...op, grouping: { ...grouping, mode } })}
          />
          <InlineField label={t('query-editor.builder.op.labels', 'Labels')} htmlFor={id('labels')}>
            <MultiCombobox<string>
              id={id('labels')}
              width="auto"
              minWidth={20}
              maxWidth={60}
              options={loadLabels}
              value={grouping.labels}
              createCustomValue
              onChange={(chosen) => onChange({ ...op, grouping: { ...grouping, labels: chosen.map((c) => c.value) } })}
            />
          </InlineField>
        </InlineFieldRow>
      );
    }
    case 'histogramQuantile':
      return (
        <InlineField
          label={t('query-editor.builder.op.quantile-label', 'Histogram quantile {{n}}', { n })}
          htmlFor={id('q')}
        >
          <BlurInput
            id={id('q')}
            width={10}
            value={String(op.quantile)}
            onCommit={(q) => onChange({ ...op, quantile: numberOrVariable(q) })}
          />
        </InlineField>
      );
    case 'binaryScalar':
      return (
        <InlineFieldRow>
          <OperatorField op={op} n={n} fieldId={id('op')} onChange={onChange} />
          <InlineField label={t('query-editor.builder.op.number', 'Number')} htmlFor={id('scalar')}>
            <BlurInput
              id={id('scalar')}
              width={12}
              value={String(op.scalar)}
              onCommit={(scalar) => onChange({ ...op, scalar: numberOrVariable(scalar) })}
            />
          </InlineField>
          <BoolField op={op} fieldId={id('bool')} onChange={onChange} />
        </InlineFieldRow>
      );
    case 'binaryQuery':
      return (
        <Stack direction="column" gap={1}>
          <InlineFieldRow>
            <OperatorField op={op} n={n} fieldId={id('op')} onChange={onChange} />
            <BoolField op={op} fieldId={id('bool')} onChange={onChange} />
          </InlineFieldRow>
          <VectorMatchingField
            op={op}
            id={id}
            loadLabels={labelNames(datasource, range, [metric, op.query.metric])}
            onChange={onChange}
          />
          <div
            role="group"
            className={styles.nested}
            aria-label={t('query-editor.builder.op.other-query', 'Query after {{op}} (operation {{n}})', {
              op: op.op,
              n,
              interpolation: { escapeValue: false },
            })}
          >
            <BuilderFields
              datasource={datasource}
              range={range}
              idPrefix={id('query')}
              builder={op.query}
              onChange={(query) => onChange({ ...op, query })}
            />
          </div>
        </Stack>
      );
  }
}

/**
 * A dropdown loader of the label names the metrics have in the range (all label names without a metric), once each:
 * one metric for by/without and filters, both queries' for matching them (`version` of nestjs_info for group_left).
 */
function labelNames(datasource: PulseDataSource, range: TimeRange | undefined, metrics: string[]) {
  return async (input: string): Promise<Array<ComboboxOption<string>>> => {
    const chosen = metrics.filter(Boolean);
    const answers = await Promise.all(
      (chosen.length > 0 ? chosen : ['']).map((m) =>
        datasource.getLabelNames(m ? selector(m) : undefined, resourceRange(range))
      )
    );
    const names = new Set(answers.flatMap((a) => a.values).filter((l) => l !== '__name__'));
    return filterOptions([...names].sort(), input);
  };
}

const getStyles = (theme: GrafanaTheme2) => ({
  operation: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0.5, 1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  hidden: css({
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  }),
  nested: css({
    paddingLeft: theme.spacing(1),
    borderLeft: `2px solid ${theme.colors.border.medium}`,
  }),
  issues: css({
    margin: 0,
    paddingLeft: theme.spacing(2),
    color: theme.colors.warning.text,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
