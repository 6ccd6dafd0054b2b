/**
 * The signal catalog: the single source of the PromQL behind the guided editor, the pages and the alert
 * templates. Pure: no React, no I/O.
 */
import { DEFAULT_METRIC_NAMES, type NestMetricNames } from '../datasource/types';
import { CONTAINER_SIGNALS } from './container';
import { HOST_SIGNALS } from './host';
import { POSTGRES_SIGNALS } from './postgres';
import { RUNTIME_SIGNALS } from './runtime';
import { SERVICE_SIGNALS } from './service';
import { TARGET_SIGNALS } from './target';
import type { RenderContext, Signal, SignalFamily } from './types';

export * from './types';
export { declaredMessages, english } from './messages';
export { withDefaults } from './define';
export { parameterOptions, type ParameterOption } from './options';
export { hostInstanceVariableQuery } from './host';
export { REQUIRED_METRICS, postgresDatabaseVariableQuery, postgresInstanceVariableQuery } from './postgres';
export { targetJobVariableQuery } from './target';
export { serviceControllerVariableQuery, serviceHandlerVariableQuery, serviceInstanceVariableQuery } from './service';

export const SIGNALS: readonly Signal[] = [
  ...SERVICE_SIGNALS,
  ...RUNTIME_SIGNALS,
  ...HOST_SIGNALS,
  ...CONTAINER_SIGNALS,
  ...POSTGRES_SIGNALS,
  ...TARGET_SIGNALS,
];

const BY_ID = new Map(SIGNALS.map((s) => [s.id, s]));

export function getSignal(id: string): Signal | undefined {
  return BY_ID.get(id);
}

export function signalsOf(family: SignalFamily): Signal[] {
  return SIGNALS.filter((s) => s.family === family);
}

/** Metric names for rendering: the data source's settings, a default for every name left empty. */
export function renderContext(names?: NestMetricNames): RenderContext {
  const pick = (key: keyof NestMetricNames) => names?.[key]?.trim() || DEFAULT_METRIC_NAMES[key];
  return {
    successHistogram: pick('successHistogram'),
    failHistogram: pick('failHistogram'),
    failedCounter: pick('failedCounter'),
    info: pick('info'),
  };
}
