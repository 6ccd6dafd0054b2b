import {
  type ConfigOverrideRule,
  type DataLink,
  type DataTransformerConfig,
  type ThresholdsConfig,
  ThresholdsMode,
} from '@grafana/data';
import { PanelBuilders, SceneDataTransformer, SceneQueryRunner, type VizPanel } from '@grafana/scenes';
import { BigValueGraphMode, type BigValueTextMode, LegendDisplayMode } from '@grafana/schema';

import type { NestMetricNames, PulseQuery } from '../../datasource/types';
import { renderContext, type Signal, type SignalParams } from '../../signals';
import { PULSE_DATA_SOURCE } from './dataSource';
import { emptyStateText, shortEmptyStateText } from './emptyState';
import { panelActions } from './panelActions';
import { FIGURE_POINTS, FIGURE_QUERY, figureDecimals } from './figures';
import { withSchemaVersion } from './panelVersion';
import { requireSignal, signalQuery } from './signalQuery';

export type SignalViz = 'timeseries' | 'table' | 'heatmap' | 'stat';

/** One more query of a panel, e.g. p99 beside p50 and p95. */
export interface PanelQuery {
  signalId: string;
  params?: SignalParams;
  overrides?: Partial<PulseQuery>;
}

export interface SignalPanelOptions {
  title: string;
  description?: string;
  /** Defaults to the signal's format: heatmap, table, else time series. */
  viz?: SignalViz;
  /** The data source's metric names; empty ones take the defaults. */
  metricNames?: NestMetricNames;
  /** Changes to the first query (legend, refId, …). */
  overrides?: Partial<PulseQuery>;
  /** More queries drawn in the same panel; refIds B, C, … unless given. */
  more?: PanelQuery[];
  thresholds?: ThresholdsConfig;
  min?: number;
  max?: number;
  /**
   * For time series: the top of the y axis unless the values go higher (an error ratio of zeros would otherwise
   * span 0 to 10,000 %, uPlot's range for a flat line).
   */
  softMax?: number;
  links?: DataLink[];
  fieldOverrides?: ConfigOverrideRule[];
  /** For tables: replaces the default, which hides the Time column of instant queries. */
  transformations?: DataTransformerConfig[];
  /** For tables: the header of the first query's value column, which the backend names `Value #<refId>`. */
  valueTitle?: string;
  /** For stats: `value` where the panel means one number, so no series name (or PromQL) stands above it. */
  textMode?: BigValueTextMode;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function vizFor(signal: Signal): SignalViz {
  if (signal.format === 'heatmap') {
    return 'heatmap';
  }
  return signal.format === 'table' ? 'table' : 'timeseries';
}

const NO_ALARM: ThresholdsConfig = { mode: ThresholdsMode.Absolute, steps: [{ value: -Infinity, color: 'green' }] };

/** A panel of instant queries only shows figures: one value per series at the end of the range. */
const isFigure = (queries: PulseQuery[]) => queries.every((q) => q.instant && !q.range);

const HIDE_TIME: DataTransformerConfig = { id: 'organize', options: { excludeByName: { Time: true } } };

/** The queries of a panel whose first query is the given signal, with the panel's metric names. */
export function panelQueries(signalId: string, params: SignalParams, options: SignalPanelOptions): PulseQuery[] {
  const { metricNames } = options;
  // A stat is a figure (figures.ts): one value at the end of the range, whatever the signal's own format.
  const figure = options.viz === 'stat' ? FIGURE_QUERY : {};
  const first = signalQuery(signalId, params, { refId: 'A', metricNames, ...figure, ...options.overrides });
  const more = (options.more ?? []).map((q, i) =>
    signalQuery(q.signalId, q.params ?? {}, { refId: REF_IDS[i + 1], metricNames, ...figure, ...q.overrides })
  );
  return [first, ...more];
}

/**
 * A panel of one signal (and optionally more signals beside it): the signal's unit and preferred visualisation,
 * an "Explore" action, and, where there is no data, a text naming the exporter or metric that is missing.
 */
export function signalPanel(signalId: string, params: SignalParams, options: SignalPanelOptions): VizPanel {
  const signal = requireSignal(signalId);
  const queries = panelQueries(signalId, params, options);
  const viz = options.viz ?? vizFor(signal);
  const runner = new SceneQueryRunner({
    datasource: PULSE_DATA_SOURCE,
    queries,
    // Heatmap cells need no more points than the panel is wide; this keeps steps sane. A figure's (a stat's, an
    // instant table's) rate window is every figure's (figures.ts), not one that follows its width.
    maxDataPoints: viz === 'heatmap' ? 200 : isFigure(queries) ? FIGURE_POINTS : undefined,
  });
  const transformations = options.transformations ?? (viz === 'table' ? [HIDE_TIME] : []);
  const data = transformations.length > 0 ? new SceneDataTransformer({ $data: runner, transformations }) : runner;
  const ctx = renderContext(options.metricNames);
  const noValue = emptyStateText(signal, ctx, params);
  // A heatmap's rows are the histogram's bucket bounds, in the instrumentation's unit (milliseconds for older
  // OpenTelemetry SDKs); every other latency is converted to seconds by its query.
  const unit = viz === 'heatmap' && signal.unit === 's' && ctx.profile.latencyUnit === 0.001 ? 'ms' : signal.unit;

  const builder = (() => {
    switch (viz) {
      case 'heatmap':
        // Cells are request counts per bucket and time slice; the signal's unit belongs to the y axis (bounds).
        return PanelBuilders.heatmap()
          .setOption('calculate', false)
          .setOption('yAxis', { unit, axisPlacement: 'left' as never })
          .setOption('rowsFrame', { layout: 'le' as never })
          .setOption('cellGap', 1)
          .setOption('color', {
            mode: 'scheme' as never,
            scheme: 'Oranges',
            fill: 'dark-orange',
            scale: 'exponential' as never,
            exponent: 0.5,
            steps: 64,
            reverse: false,
          })
          .setOption('filterValues', { le: 1e-9 })
          .setOption('tooltip', { mode: 'single' as never, yHistogram: true })
          .setUnit('short');
      case 'table':
        return PanelBuilders.table().setUnit(signal.unit);
      case 'stat':
        return PanelBuilders.stat()
          .setUnit(signal.unit)
          .setDecimals(figureDecimals(signal.unit))
          .setOption('graphMode', BigValueGraphMode.None)
          .setOption('reduceOptions', { calcs: ['lastNotNull'], values: false, fields: '' });
      case 'timeseries': {
        const timeseries = PanelBuilders.timeseries().setUnit(signal.unit).setCustomFieldConfig('fillOpacity', 10);
        if (options.softMax !== undefined) {
          timeseries.setCustomFieldConfig('axisSoftMax', options.softMax);
        }
        return timeseries.setOption('legend', {
          displayMode: LegendDisplayMode.List,
          placement: 'bottom',
          showLegend: true,
          calcs: [],
        });
      }
    }
  })();

  builder
    .setTitle(options.title)
    .setData(data)
    .setHeaderActions(panelActions())
    // A stat shows its no-data text as the value: a few words there, the full explanation in the description.
    .setNoValue(viz === 'stat' ? shortEmptyStateText(signal) : noValue)
    .setDescription(viz === 'stat' ? joinSentences(options.description, noValue) : (options.description ?? ''));
  if (options.thresholds) {
    builder.setThresholds(options.thresholds);
  } else if (viz === 'stat') {
    // Grafana's default thresholds turn a stat red from 80: a count of 152 instances is no alarm.
    builder.setThresholds(NO_ALARM);
  }
  if (options.min !== undefined) {
    builder.setMin(options.min);
  }
  if (options.max !== undefined) {
    builder.setMax(options.max);
  }
  if (options.links) {
    builder.setLinks(options.links);
  }
  const panel = withSchemaVersion(builder.build());
  if (options.textMode) {
    panel.setState({ options: { ...panel.state.options, textMode: options.textMode } });
  }
  const fieldOverrides = [
    ...(options.valueTitle
      ? [
          {
            matcher: { id: 'byName', options: `Value #${queries[0].refId}` },
            properties: [{ id: 'displayName', value: options.valueTitle }],
          },
        ]
      : []),
    ...(options.fieldOverrides ?? []),
  ];
  if (fieldOverrides.length > 0) {
    const { fieldConfig } = panel.state;
    panel.setState({ fieldConfig: { ...fieldConfig, overrides: [...fieldConfig.overrides, ...fieldOverrides] } });
  }
  return panel;
}

function joinSentences(first: string | undefined, second: string): string {
  return first ? `${first}\n\n${second}` : second;
}
