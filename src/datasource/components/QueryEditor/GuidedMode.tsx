import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { CoreApp, GrafanaTheme2, TimeRange, dateTimeFormat } from '@grafana/data';
import { t } from '@grafana/i18n';
import { getTemplateSrv } from '@grafana/runtime';
import {
  Alert,
  Combobox,
  ComboboxOption,
  Icon,
  InlineField,
  InlineFieldRow,
  MultiCombobox,
  Stack,
  Text,
  Tooltip,
  useStyles2,
} from '@grafana/ui';

import {
  SIGNALS,
  SIGNAL_FAMILIES,
  getSignal,
  parameterOptions,
  withDefaults,
  type ParameterOption,
  type Signal,
  type SignalFamily,
  type SignalParameter,
  type SignalParams,
} from '../../../signals';
import type { CatalogResponse, TargetsResponse } from '../../catalog';
import { type PulseDataSource, resourceRange } from '../../datasource';
import { translateMessage } from '../../i18n';
import type { GuidedQuery, PulseQuery } from '../../types';
import { applyGuided, cleanParams, estimateSeries, needsTargets, renderGuided, unknownValues } from './guided';
import { useResource } from './useResource';

interface Props {
  datasource: PulseDataSource;
  query: PulseQuery;
  range?: TimeRange;
  app?: CoreApp | string;
  onChange: (query: PulseQuery) => void;
  onRunQuery: () => void;
}

type FamilyChoice = SignalFamily | 'all';

export function familyTitle(family: SignalFamily): string {
  switch (family) {
    case 'service':
      return t('query-editor.guided.family.service', 'Services');
    case 'runtime':
      return t('query-editor.guided.family.runtime', 'Node.js runtime');
    case 'host':
      return t('query-editor.guided.family.host', 'Hosts');
    case 'container':
      return t('query-editor.guided.family.container', 'Containers');
    case 'postgres':
      return t('query-editor.guided.family.postgres', 'PostgreSQL');
    case 'target':
      return t('query-editor.guided.family.target', 'Scrape targets');
  }
}

/** The Grafana unit a signal's values are in, in words. */
function unitText(unit: string): string {
  switch (unit) {
    case 's':
      return t('query-editor.guided.unit.seconds', 'seconds');
    case 'reqps':
      return t('query-editor.guided.unit.reqps', 'requests per second');
    case 'percentunit':
      return t('query-editor.guided.unit.percentunit', 'a ratio from 0 to 1 (shown as percent)');
    case 'bytes':
      return t('query-editor.guided.unit.bytes', 'bytes');
    case 'Bps':
      return t('query-editor.guided.unit.bps', 'bytes per second');
    case 'ops':
      return t('query-editor.guided.unit.ops', 'operations per second');
    case 'iops':
      return t('query-editor.guided.unit.iops', 'I/O operations per second');
    case 'pps':
      return t('query-editor.guided.unit.pps', 'packets per second');
    case 'short':
      return t('query-editor.guided.unit.short', 'a plain number');
    default:
      return unit;
  }
}

/** Template variables as dropdown choices: `$name`. */
function variableOptions(): Array<ComboboxOption<string>> {
  return getTemplateSrv()
    .getVariables()
    .map((v) => ({
      value: `$${v.name}`,
      label: `$${v.name}`,
      description:
        'multi' in v && v.multi
          ? t('query-editor.guided.variable.multi', 'Dashboard variable, several values')
          : t('query-editor.guided.variable.single', 'Dashboard variable'),
    }));
}

const optionLabel = (option: ParameterOption) =>
  typeof option.label === 'string' ? option.label : translateMessage(option.label);

// Fixed choices that a dashboard variable may stand for (numbers); the other fixed choices change the query's
// shape and must be known when it is rendered.
const VARIABLE_FRIENDLY_CHOICES = new Set(['quantile', 'threshold', 'topN']);

/** Family -> signal -> parameters, filled from the catalog of the panel's time range. */
export function GuidedMode({ datasource, query, range, app, onChange, onRunQuery }: Props) {
  const styles = useStyles2(getStyles);
  const guided = query.guided;
  const signal = guided ? getSignal(guided.signalId) : undefined;
  const params: SignalParams = useMemo(() => guided?.params ?? {}, [guided]);
  const [family, setFamily] = useState<FamilyChoice>(signal?.family ?? 'all');

  const timeRange = resourceRange(range);
  const rangeKey = timeRange ? `${timeRange.start}-${timeRange.end}` : 'default';
  const catalog = useResource<CatalogResponse>(signal ? `catalog:${rangeKey}` : undefined, () =>
    datasource.getCatalog(timeRange)
  );
  const targets = useResource<TargetsResponse>(signal && needsTargets(signal) ? 'targets' : undefined, () =>
    datasource.getTargets()
  );
  const variables = useMemo(() => variableOptions(), []);

  const update = (next: GuidedQuery) => {
    const changed = applyGuided(query, next, datasource.metricNames, app);
    onChange(changed);
    if (changed.expr) {
      onRunQuery();
    }
  };

  const chooseSignal = (chosen: Signal) => {
    // Keep the values of parameters both signals have (the service, the host, …).
    const kept: SignalParams = {};
    for (const p of chosen.parameters) {
      if (params[p.name] !== undefined && !p.choices) {
        kept[p.name] = params[p.name];
      }
    }
    setFamily(chosen.family);
    // Defaults are stored: a saved query keeps meaning the same if a default changes later.
    update({ signalId: chosen.id, params: cleanParams(withDefaults(chosen.parameters, kept)) });
  };

  const setParam = (name: string, value: SignalParams[string]) => {
    if (!signal) {
      return;
    }
    update({ signalId: signal.id, params: cleanParams({ ...params, [name]: value }) });
  };

  const familyOptions: Array<ComboboxOption<FamilyChoice>> = [
    { value: 'all', label: t('query-editor.guided.family.all', 'All') },
    ...SIGNAL_FAMILIES.map((f) => ({ value: f, label: familyTitle(f) })),
  ];
  const signalOptions: Array<ComboboxOption<string>> = SIGNALS.filter(
    (s) => family === 'all' || s.family === family
  ).map((s) => ({
    value: s.id,
    label: translateMessage(s.title),
    description: translateMessage(s.description),
    group: familyTitle(s.family),
  }));

  const rendered = guided ? renderGuided(guided, datasource.metricNames) : undefined;
  const unknown = signal && catalog.value ? unknownValues(signal, params, catalog.value, targets.value) : [];
  const series = signal && catalog.value ? estimateSeries(signal, params, catalog.value, targets.value) : undefined;

  return (
    <Stack direction="column" gap={1}>
      <InlineFieldRow>
        <InlineField label={t('query-editor.guided.family.label', 'Family')} labelWidth={14}>
          <Combobox<FamilyChoice>
            id={`pulse-guided-${query.refId}-family`}
            width={24}
            options={familyOptions}
            value={family}
            onChange={(option) => setFamily(option.value)}
          />
        </InlineField>
        <InlineField label={t('query-editor.guided.signal.label', 'Signal')}>
          <Combobox<string>
            id={`pulse-guided-${query.refId}-signal`}
            width={44}
            placeholder={t('query-editor.guided.signal.placeholder', 'Choose what to show')}
            options={signalOptions}
            value={signal && (family === 'all' || signal.family === family) ? signal.id : null}
            onChange={(option) => {
              const chosen = getSignal(option.value);
              if (chosen) {
                chooseSignal(chosen);
              }
            }}
          />
        </InlineField>
      </InlineFieldRow>

      {signal && (
        <>
          <Text color="secondary" variant="bodySmall">
            {translateMessage(signal.description)}
          </Text>
          {catalog.error && (
            <Alert
              severity="warning"
              title={t('query-editor.guided.catalog.error-title', 'The catalog could not be loaded')}
            >
              {t(
                'query-editor.guided.catalog.error',
                'The dropdowns only offer dashboard variables; you can still type values. Reason: {{reason}}',
                { reason: catalog.error }
              )}
            </Alert>
          )}
          <InlineFieldRow>
            {signal.parameters.map((parameter) => (
              <ParameterField
                key={parameter.name}
                refId={query.refId}
                signal={signal}
                parameter={parameter}
                params={params}
                catalog={catalog.value}
                targets={targets.value}
                loading={catalog.loading || targets.loading}
                variables={variables}
                unknown={unknown.some((u) => u.parameter === parameter)}
                onChange={(value) => setParam(parameter.name, value)}
              />
            ))}
          </InlineFieldRow>
          {unknown.length > 0 && (
            <ul className={styles.warnings} aria-label={t('query-editor.guided.unknown.label', 'Values not seen')}>
              {unknown.map(({ parameter, value }) => (
                <li key={`${parameter.name}:${value}`}>
                  <Icon name="exclamation-triangle" className={styles.warningIcon} />{' '}
                  {timeRange
                    ? t('query-editor.guided.unknown.range', '{{value}} was not seen between {{from}} and {{to}}.', {
                        value,
                        from: dateTimeFormat(range!.from),
                        to: dateTimeFormat(range!.to),
                      })
                    : t('query-editor.guided.unknown.last-hour', '{{value}} was not seen in the last hour.', {
                        value,
                      })}
                </li>
              ))}
            </ul>
          )}
          <div className={styles.explanation} aria-label={t('query-editor.guided.explanation', 'Explanation')}>
            {signal.describe(params).map(translateMessage).join(' ')}
          </div>
          <Stack direction="row" gap={2} wrap="wrap">
            <Text color="secondary" variant="bodySmall">
              {t('query-editor.guided.unit.label', 'Values in {{unit}}', { unit: unitText(signal.unit) })}
            </Text>
            {series !== undefined && (
              <Tooltip
                content={t(
                  'query-editor.guided.series.tooltip',
                  'Estimated from the catalog of the time range: the instances, operations, hosts, containers, databases or targets your filters match. Dashboard variables are counted as all values.'
                )}
              >
                <span className={styles.series}>
                  {t('query-editor.guided.series.count', 'about {{count}} series', { count: series })}
                </span>
              </Tooltip>
            )}
          </Stack>
          {rendered && !rendered.ok && (
            <Alert severity="error" title={t('query-editor.guided.render-error', 'This signal cannot be rendered')}>
              {rendered.error}
            </Alert>
          )}
        </>
      )}
    </Stack>
  );
}

export interface ParameterFieldProps {
  refId: string;
  signal: Signal;
  parameter: SignalParameter;
  params: SignalParams;
  catalog?: CatalogResponse;
  targets?: TargetsResponse;
  loading: boolean;
  variables: Array<ComboboxOption<string>>;
  unknown: boolean;
  onChange: (value: SignalParams[string]) => void;
}

/** One parameter's dropdown: catalog values for the time range, dashboard variables, or the signal's choices. */
export function ParameterField({
  refId,
  signal,
  parameter,
  params,
  catalog,
  targets,
  loading,
  variables,
  unknown,
  onChange,
}: ParameterFieldProps) {
  const fixed = Boolean(parameter.choices);
  const known: ParameterOption[] =
    fixed || catalog
      ? parameterOptions(
          signal,
          parameter,
          catalog ?? { services: [], hosts: [], containers: [], databases: [] },
          params,
          targets
        )
      : [];
  const offersVariables = !fixed || VARIABLE_FRIENDLY_CHOICES.has(parameter.type);
  const options: Array<ComboboxOption<string>> = [
    ...known.map((o) => ({ value: o.value, label: optionLabel(o), description: o.description })),
    ...(offersVariables ? variables : []),
  ];
  const value = params[parameter.name] ?? parameter.default;
  const id = `pulse-guided-${refId}-${parameter.name}`;
  const label = translateMessage(parameter.label);
  const placeholder = parameter.required ? undefined : t('query-editor.guided.param.any', 'Any');
  // An optional parameter without a default can go back to "any"; clearing one with a default would only
  // bring the default back, so those (and required ones) are chosen, not cleared.
  const clearing =
    !parameter.required && parameter.default === undefined
      ? { isClearable: true as const, onChange: (chosen: ComboboxOption<string> | null) => onChange(chosen?.value) }
      : { onChange: (chosen: ComboboxOption<string>) => onChange(chosen.value) };

  return (
    <InlineField label={label} htmlFor={id}>
      {parameter.multi ? (
        <MultiCombobox<string>
          id={id}
          width="auto"
          minWidth={16}
          maxWidth={60}
          options={options}
          value={value === undefined ? [] : Array.isArray(value) ? value : [String(value)]}
          placeholder={placeholder}
          loading={!fixed && loading}
          invalid={unknown}
          createCustomValue={!fixed}
          isClearable
          onChange={(chosen) => onChange(chosen.map((o) => o.value))}
        />
      ) : (
        <Combobox<string>
          id={id}
          width="auto"
          minWidth={12}
          maxWidth={40}
          options={options}
          value={value === undefined ? null : String(value)}
          placeholder={placeholder}
          loading={!fixed && loading}
          invalid={unknown}
          createCustomValue={!fixed || offersVariables}
          {...clearing}
        />
      )}
    </InlineField>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  explanation: css({
    color: theme.colors.text.primary,
    fontSize: theme.typography.bodySmall.fontSize,
    borderLeft: `3px solid ${theme.colors.primary.border}`,
    paddingLeft: theme.spacing(1),
  }),
  warnings: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    color: theme.colors.warning.text,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  warningIcon: css({ verticalAlign: 'text-bottom' }),
  series: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    textDecoration: `underline dotted ${theme.colors.text.secondary}`,
  }),
});
