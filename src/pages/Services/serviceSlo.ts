/**
 * The Service page's error-budget section: for the availability and the latency objective, the SLI over the
 * objective window, the budget remaining, the burn rate now (1h, 6h) and the budget remaining over time.
 *
 * Objectives, window and latency threshold are page variables, kept in the URL (`var-slo_*`), not app settings:
 * trying another objective is a question anyone reading the page may ask (a Viewer too, who cannot write the
 * app's settings), the answer is a link that can be shared, and moving to another service keeps the choice. What a
 * team has agreed to be alerted on is the installed burn-rate rules' objective (src/signals/alerts/slo.ts).
 * The threshold's choices are the bucket bounds the service's latency histogram has, read from Prometheus: an SLI
 * from buckets needs an exact bound.
 */
import { type ThresholdsConfig, ThresholdsMode } from '@grafana/data';
import { t } from '@grafana/i18n';
import { CustomVariable, SceneFlexItem, SceneFlexLayout, type VizPanel } from '@grafana/scenes';
import { BigValueTextMode, VariableRefresh, VariableSort } from '@grafana/schema';

import type { NestMetricNames } from '../../datasource/types';
import {
  renderContext,
  serviceLatencyBoundVariableQuery,
  SLO_DEFAULTS,
  SLO_OBJECTIVES,
  SLO_WINDOWS,
  type SignalParams,
} from '../../signals';
import { PULSE_DATA_SOURCE, signalPanel } from '../shared';
import { withEmptyState } from '../shared/withEmptyState';
import { LatencyThresholdVariable } from './LatencyThresholdVariable';
import { INSTANCE_VARIABLE } from './ServicePlacement';

export const SLO_VARIABLES = {
  window: 'slo_window',
  availability: 'slo_availability',
  latency: 'slo_latency',
  threshold: 'slo_threshold',
} as const;

/** Kept in the URL when moving to another service (see getServiceDetailPage). */
export const SLO_URL_KEYS = Object.values(SLO_VARIABLES).map((name) => `var-${name}`);

const ref = (name: string) => `$${name}`;

/** The SLI in the text colour: whether it is good depends on the objective (the budget panel's colour says it). */
export const SLI_THRESHOLDS: ThresholdsConfig = {
  mode: ThresholdsMode.Absolute,
  steps: [{ value: -Infinity, color: 'text' }],
};

/** Budget remaining: red when spent, orange in its last quarter. */
export const BUDGET_THRESHOLDS: ThresholdsConfig = {
  mode: ThresholdsMode.Absolute,
  steps: [
    { value: -Infinity, color: 'red' },
    { value: 0, color: 'orange' },
    { value: 0.25, color: 'green' },
  ],
};

/** Burn rate: the slow and the fast alert's factors (src/signals/alerts/slo.ts). */
export const BURN_RATE_THRESHOLDS: ThresholdsConfig = {
  mode: ThresholdsMode.Absolute,
  steps: [
    { value: -Infinity, color: 'green' },
    { value: 1, color: 'yellow' },
    { value: 6, color: 'orange' },
    { value: 14.4, color: 'red' },
  ],
};

/** `99.5 % : 99.5, …`: Grafana's custom variable syntax, `text : value`. */
const percentOptions = (values: readonly string[]) => values.map((v) => `${v} % : ${v}`).join(', ');

/**
 * The latency threshold's query: the bucket bounds of the service's histogram on the chosen instances (rendered
 * with the data source's profile; re-rendered with another data source's by serviceVariables).
 */
export function sloThresholdQuery(metricNames?: NestMetricNames): string {
  return serviceLatencyBoundVariableQuery(renderContext(metricNames), ref(INSTANCE_VARIABLE));
}

/** The latency threshold's default, in the histogram's unit (0.5 s is `500` for a histogram in milliseconds). */
function defaultBound(metricNames?: NestMetricNames): string {
  return defaultBoundIn(renderContext(metricNames).profile.latencyUnit);
}

/** The default threshold in a histogram unit (seconds per unit). */
export function defaultBoundIn(unit: number): string {
  return unit === 1 ? SLO_DEFAULTS.threshold : String(Number(SLO_DEFAULTS.threshold) / unit);
}

/** Window, both objectives and the latency threshold, each one value. */
export function sloVariables(metricNames?: NestMetricNames) {
  return [
    new CustomVariable({
      isMulti: false,
      // Only the listed values: an objective of 100 % or a typo would divide by zero or break the query.
      allowCustomValue: false,
      name: SLO_VARIABLES.window,
      label: t('pages.service.slo.variables.window', 'SLO window'),
      query: SLO_WINDOWS.join(', '),
      value: SLO_DEFAULTS.window,
      text: SLO_DEFAULTS.window,
    }),
    new CustomVariable({
      isMulti: false,
      allowCustomValue: false,
      name: SLO_VARIABLES.availability,
      label: t('pages.service.slo.variables.availability', 'Availability objective'),
      query: percentOptions(SLO_OBJECTIVES.filter((o) => Number(o) >= 99)),
      value: SLO_DEFAULTS.availability,
      text: `${SLO_DEFAULTS.availability} %`,
    }),
    new CustomVariable({
      isMulti: false,
      allowCustomValue: false,
      name: SLO_VARIABLES.latency,
      label: t('pages.service.slo.variables.latency', 'Latency objective'),
      query: percentOptions(SLO_OBJECTIVES.filter((o) => Number(o) <= 99.5)),
      value: SLO_DEFAULTS.latency,
      text: `${SLO_DEFAULTS.latency} %`,
    }),
    new LatencyThresholdVariable({
      isMulti: false,
      allowCustomValue: false,
      name: SLO_VARIABLES.threshold,
      label: t('pages.service.slo.variables.threshold', 'Latency threshold (bucket bound)'),
      datasource: PULSE_DATA_SOURCE,
      query: sloThresholdQuery(metricNames),
      // Every finite bound; +Inf would count every request as fast.
      // Non-capturing: a regex's first group would become the value.
      regex: '/^[0-9.]+(?:e[-+]?[0-9]+)?$/',
      sort: VariableSort.numericalAsc,
      value: defaultBound(metricNames),
      text: defaultBound(metricNames),
      refresh: VariableRefresh.onTimeRangeChanged,
    }),
  ];
}

/** A row: three stats and a wider graph. */
function sloRow(panels: VizPanel[]): SceneFlexItem {
  return new SceneFlexItem({
    minHeight: 200,
    body: new SceneFlexLayout({
      direction: 'row',
      children: panels.map(
        (body, i) => new SceneFlexItem({ minWidth: i < 3 ? 180 : 360, ...(i === 3 && { width: '40%' }), body })
      ),
    }),
  });
}

const INSTANT = { instant: true, range: false };

function objectiveRow(service: string, slo: 'availability' | 'latency', metricNames?: NestMetricNames): SceneFlexItem {
  const params: SignalParams = {
    service,
    instance: ref(INSTANCE_VARIABLE),
    slo,
    objective: ref(slo === 'availability' ? SLO_VARIABLES.availability : SLO_VARIABLES.latency),
    window: ref(SLO_VARIABLES.window),
    ...(slo === 'latency' && { threshold: ref(SLO_VARIABLES.threshold) }),
  };
  const latency = slo === 'latency';
  const titles = latency
    ? {
        sli: t('pages.service.slo.latency.sli', 'Latency SLI'),
        sliDescription: t(
          'pages.service.slo.latency.sli-description',
          'Share of requests that took at most the latency threshold (a bucket bound of the histogram) over the SLO window.'
        ),
        budget: t('pages.service.slo.latency.budget', 'Latency budget'),
        burn: t('pages.service.slo.latency.burn', 'Latency burn rate'),
        burndown: t('pages.service.slo.latency.burndown', 'Latency budget over time'),
      }
    : {
        sli: t('pages.service.slo.availability.sli', 'Availability SLI'),
        sliDescription: t(
          'pages.service.slo.availability.sli-description',
          'Share of requests that did not fail over the SLO window.'
        ),
        budget: t('pages.service.slo.availability.budget', 'Availability budget'),
        burn: t('pages.service.slo.availability.burn', 'Availability burn rate'),
        burndown: t('pages.service.slo.availability.burndown', 'Availability budget over time'),
      };
  const descriptions = [
    titles.sliDescription,
    t(
      'pages.service.slo.budget-description',
      'How much of the bad requests the objective allows over the SLO window is left: 100 % untouched, 0 % spent, below 0 overspent.'
    ),
    t(
      'pages.service.slo.burn-description',
      'How fast the budget burns over the last hour and the last 6 hours: 1 spends it exactly in the SLO window; the alerts fire at 14.4 (1 h and 5 min) and 6 (6 h and 30 min).'
    ),
  ];
  const panels = [
    signalPanel('service.slo.sli', params, {
      title: titles.sli,
      description: descriptions[0],
      viz: 'stat',
      metricNames,
      overrides: { ...INSTANT, legendFormat: service },
      // Good or bad only against the objective, which the budget beside it shows: no colour of its own.
      thresholds: SLI_THRESHOLDS,
      textMode: BigValueTextMode.Value,
    }),
    signalPanel('service.slo.budget-remaining', params, {
      title: titles.budget,
      description: descriptions[1],
      viz: 'stat',
      metricNames,
      overrides: { ...INSTANT, legendFormat: service },
      thresholds: BUDGET_THRESHOLDS,
      textMode: BigValueTextMode.Value,
    }),
    signalPanel(
      'service.slo.burn-rate',
      { ...params, window: '1h' },
      {
        title: titles.burn,
        description: descriptions[2],
        viz: 'stat',
        metricNames,
        overrides: { ...INSTANT, legendFormat: '1h' },
        more: [
          {
            signalId: 'service.slo.burn-rate',
            params: { ...params, window: '6h' },
            overrides: { ...INSTANT, legendFormat: '6h' },
          },
        ],
        thresholds: BURN_RATE_THRESHOLDS,
        textMode: BigValueTextMode.ValueAndName,
      }
    ),
    signalPanel('service.slo.budget-remaining', params, {
      title: titles.burndown,
      description: t(
        'pages.service.slo.burndown-description',
        'The budget remaining at each point of the time range, each point looking back one whole SLO window (a rolling window).'
      ),
      metricNames,
      // Each point reads a whole window of samples: a few dozen points are enough for the trend.
      overrides: { legendFormat: service, interval: '1m' },
      thresholds: BUDGET_THRESHOLDS,
    }),
  ];
  if (latency) {
    const empty = t(
      'pages.service.slo.latency.empty',
      'No requests in the SLO window, or the latency threshold is not a bucket bound of the latency histogram: choose one of the thresholds the list offers (they are read from the histogram).'
    );
    const short = t('pages.service.slo.latency.empty-short', 'No latency data');
    for (const [i, panel] of panels.entries()) {
      if (i < 3) {
        // A stat shows a few words as its value; the explanation goes below its own description.
        const { fieldConfig } = panel.state;
        panel.setState({
          fieldConfig: { ...fieldConfig, defaults: { ...fieldConfig.defaults, noValue: short } },
          description: `${descriptions[i]}\n\n${empty}`,
        });
      } else {
        withEmptyState(panel, empty);
      }
    }
  }
  return sloRow(panels);
}

/** The error-budget rows: availability, then latency. */
export function sloRows(service: string, metricNames?: NestMetricNames): SceneFlexItem[] {
  return [objectiveRow(service, 'availability', metricNames), objectiveRow(service, 'latency', metricNames)];
}
