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
import { SLO_SIGNALS } from './slo';
import { TARGET_SIGNALS } from './target';
import { profileChoice, resolveProfiles } from './profiles';
import type { RenderContext, Signal, SignalFamily } from './types';

export * from './types';
export * from './profiles';
export { overProfiles, profileContexts, severalProfiles } from './acrossProfiles';
export { declaredMessages, english } from './messages';
export { withDefaults } from './define';
export { parameterOptions, type ParameterOption } from './options';
export { hostInstanceVariableQuery } from './host';
export { REQUIRED_METRICS, postgresDatabaseVariableQuery, postgresInstanceVariableQuery } from './postgres';
export { targetJobVariableQuery } from './target';
export { SLO_DEFAULTS, SLO_OBJECTIVES, SLO_WINDOWS, serviceLatencyBoundVariableQuery } from './slo';
export { serviceControllerVariableQuery, serviceHandlerVariableQuery, serviceInstanceVariableQuery } from './service';

export const SIGNALS: readonly Signal[] = [
  ...SERVICE_SIGNALS,
  ...SLO_SIGNALS,
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

/**
 * What signals render with: the data source's instrumentation profile, or with auto (the default) every profile,
 * and metric names, a default for every name left empty.
 */
export function renderContext(names?: NestMetricNames): RenderContext {
  const pick = (key: keyof typeof DEFAULT_METRIC_NAMES) => names?.[key]?.trim() || DEFAULT_METRIC_NAMES[key];
  const profiles = resolveProfiles(profileChoice(names?.profile), names);
  return {
    successHistogram: pick('successHistogram'),
    failHistogram: pick('failHistogram'),
    failedCounter: pick('failedCounter'),
    info: pick('info'),
    profile: profiles[0],
    profiles,
  };
}
export { ALERTING_SIGNALS } from './alerting';
export * from './alerts';
