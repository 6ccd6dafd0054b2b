import type { GuidedParamValue, NestMetricNames, PulseQuery } from '../../datasource/types';
import { getSignal, renderContext, withDefaults, type Signal, type SignalParams } from '../../signals';
import { PULSE_DATA_SOURCE } from './dataSource';

export interface SignalQueryOverrides extends Partial<PulseQuery> {
  /** Metric names of the data source (its jsonData.metrics); empty ones take the defaults. */
  metricNames?: NestMetricNames;
}

/** The signal or an error naming the id: a page must not silently drop a panel. */
export function requireSignal(signalId: string): Signal {
  const signal = getSignal(signalId);
  if (!signal) {
    throw new Error(`unknown signal ${signalId}`);
  }
  return signal;
}

function guidedParams(params: SignalParams): Record<string, GuidedParamValue> {
  const kept: Record<string, GuidedParamValue> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) {
      kept[name] = value;
    }
  }
  return kept;
}

/**
 * A query of the signal as the Guided editor would write it: the rendered PromQL beside the signal and its
 * parameters, so Explore (and a panel copied into a dashboard) opens it in Guided mode.
 */
export function signalQuery(
  signalId: string,
  params: SignalParams = {},
  overrides: SignalQueryOverrides = {}
): PulseQuery {
  const signal = requireSignal(signalId);
  const { metricNames, ...queryOverrides } = overrides;
  const filled = withDefaults(signal.parameters, params);
  return {
    refId: 'A',
    datasource: PULSE_DATA_SOURCE,
    expr: signal.render(filled, renderContext(metricNames)),
    format: signal.format,
    legendFormat: signal.legend(filled),
    range: !signal.instant,
    instant: signal.instant,
    editorMode: 'guided',
    guided: { signalId: signal.id, params: guidedParams(filled) },
    ...queryOverrides,
  };
}

/** The query's PromQL rendered again from its signal with other metric names; unchanged without a signal. */
export function rerenderSignalQuery(query: PulseQuery, metricNames?: NestMetricNames): PulseQuery {
  const signal = query.guided && getSignal(query.guided.signalId);
  if (!signal || !query.guided) {
    return query;
  }
  const expr = signal.render(withDefaults(signal.parameters, query.guided.params), renderContext(metricNames));
  return expr === query.expr ? query : { ...query, expr };
}
