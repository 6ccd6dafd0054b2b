/**
 * The Guided mode's logic, without React: a signal and its parameters -> the query fields (expr, format, legend,
 * type), the values the catalog has not seen, and a rough series count from the catalog.
 */
import { CoreApp } from '@grafana/data';

import { isVariableReference } from '../../../promql/render';
import {
  getSignal,
  parameterOptions,
  renderContext,
  type ParameterSource,
  type Signal,
  type SignalParameter,
  type SignalParams,
} from '../../../signals';
import type { CatalogResponse, TargetsResponse } from '../../catalog';
import type { GuidedParamValue, GuidedQuery, NestMetricNames, PulseQuery } from '../../types';

export type GuidedRender = { ok: true; signal: Signal; expr: string } | { ok: false; error: string };

/** Renders the guided state; an unknown signal or a parameter the signal cannot use is an error, not a throw. */
export function renderGuided(guided: GuidedQuery, names?: NestMetricNames): GuidedRender {
  const signal = getSignal(guided.signalId);
  if (!signal) {
    return { ok: false, error: `unknown signal ${guided.signalId}` };
  }
  try {
    return { ok: true, signal, expr: signal.render(guided.params, renderContext(names)) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** True when the query's PromQL is still what its guided state renders: going back to Guided loses nothing. */
export function guidedStillMatches(query: PulseQuery, names?: NestMetricNames): boolean {
  if (!query.guided) {
    return false;
  }
  const rendered = renderGuided(query.guided, names);
  return rendered.ok && rendered.expr === (query.expr ?? '').trim();
}

/** Parameters without empty values, ready to store in the query JSON. */
export function cleanParams(params: SignalParams): Record<string, GuidedParamValue> {
  const clean: Record<string, GuidedParamValue> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      clean[name] = value;
    }
  }
  return clean;
}

/**
 * The query after a guided change. When the signal changes, its format, type and legend are applied (alert
 * rules always get time series); when only parameters change, the legend follows them unless the user wrote
 * their own.
 */
export function applyGuided(
  query: PulseQuery,
  guided: GuidedQuery,
  names: NestMetricNames | undefined,
  app?: CoreApp | string
): PulseQuery {
  const rendered = renderGuided(guided, names);
  const next: PulseQuery = { ...query, editorMode: 'guided', guided, expr: rendered.ok ? rendered.expr : '' };
  if (!rendered.ok) {
    return next;
  }
  const { signal } = rendered;
  const previous = query.guided && getSignal(query.guided.signalId);
  const previousLegend = previous && query.guided ? previous.legend(query.guided.params) : undefined;
  const legendIsOurs = !query.legendFormat || query.legendFormat === previousLegend;
  if (legendIsOurs) {
    next.legendFormat = signal.legend(guided.params);
  }
  if (previous !== signal) {
    next.format = app === CoreApp.UnifiedAlerting ? 'time_series' : signal.format;
    next.range = !signal.instant;
    next.instant = signal.instant;
  }
  return next;
}

/** Which part of the catalog a parameter's values come from, to tell "not seen" from "could not be listed". */
function catalogSection(source: ParameterSource): 'services' | 'hosts' | 'containers' | 'databases' | 'targets' {
  if (source.startsWith('services')) {
    return 'services';
  }
  if (source.startsWith('targets')) {
    return 'targets';
  }
  return source.split('[')[0] as 'hosts' | 'containers' | 'databases';
}

export interface UnknownValue {
  parameter: SignalParameter;
  value: string;
}

/**
 * Chosen values the catalog of the range does not list (template variables are only known when the query
 * runs, so they are not checked). A section the backend could not list is not checked either.
 */
export function unknownValues(
  signal: Signal,
  params: SignalParams,
  catalog: CatalogResponse,
  targets?: TargetsResponse
): UnknownValue[] {
  const unknown: UnknownValue[] = [];
  for (const parameter of signal.parameters) {
    if (!parameter.source) {
      continue;
    }
    const section = catalogSection(parameter.source);
    if (section === 'targets' ? !targets : catalog.errors?.[section]) {
      continue;
    }
    const value = params[parameter.name];
    const values = (Array.isArray(value) ? value : value === undefined ? [] : [String(value)]).filter(
      (v) => v !== '' && !isVariableReference(v)
    );
    if (values.length === 0) {
      continue;
    }
    const known = new Set(parameterOptions(signal, parameter, catalog, params, targets).map((o) => o.value));
    for (const v of values) {
      if (!known.has(v)) {
        unknown.push({ parameter, value: v });
      }
    }
  }
  return unknown;
}

/** Chosen literal values of a parameter, or undefined when it does not narrow (nothing chosen, or a variable). */
function narrowing(params: SignalParams, name: string): Set<string> | undefined {
  const value = params[name];
  const values = (Array.isArray(value) ? value : value === undefined ? [] : [String(value)]).filter((v) => v !== '');
  return values.length === 0 || values.some(isVariableReference) ? undefined : new Set(values);
}

const matches = (filter: Set<string> | undefined, value: string) => filter === undefined || filter.has(value);

/**
 * A rough count of the series the current selection reads, from the catalog alone: for services, instances x
 * operations (controller, handler, method) matching the filters; otherwise the matching hosts, containers,
 * databases or targets. Undefined when the catalog cannot tell (e.g. a signal without catalog parameters).
 */
export function estimateSeries(
  signal: Signal,
  params: SignalParams,
  catalog: CatalogResponse,
  targets?: TargetsResponse
): number | undefined {
  const sources = new Set(signal.parameters.map((p) => p.source).filter(Boolean));
  const has = (name: string) => signal.parameters.some((p) => p.name === name);
  const filter = (name: string) => (has(name) ? narrowing(params, name) : undefined);
  if (sources.has('services[].name')) {
    let total = 0;
    for (const service of catalog.services.filter((s) => matches(filter('service'), s.name))) {
      const instances = service.instances.filter((i) => matches(filter('instance'), i.instance)).length;
      if (!sources.has('services[name].controllers[].name')) {
        total += instances;
        continue;
      }
      let operations = 0;
      for (const controller of service.controllers.filter((c) => matches(filter('controller'), c.name))) {
        for (const handler of controller.handlers.filter((h) => matches(filter('handler'), h.name))) {
          operations += handler.methods.filter((m) => matches(filter('method'), m)).length;
        }
      }
      total += instances * operations;
    }
    return total;
  }
  if (sources.has('hosts[].instance')) {
    return catalog.hosts.filter((h) => matches(filter('host'), h.instance)).length;
  }
  if (sources.has('containers[].instance')) {
    const container = filter('container');
    return catalog.containers.filter(
      (c) => matches(filter('host'), c.instance) && (container === undefined || container.has(c.name || c.id))
    ).length;
  }
  if (sources.has('databases[].instance')) {
    return catalog.databases.filter(
      (d) => matches(filter('instance'), d.instance) && matches(filter('database'), d.name)
    ).length;
  }
  if (sources.has('targets[].job') && targets) {
    return targets.targets.filter((t) => matches(filter('job'), t.job) && matches(filter('instance'), t.instance))
      .length;
  }
  return undefined;
}

/** True when the signal's parameter choices need the targets resource rather than the catalog. */
export function needsTargets(signal: Signal): boolean {
  return signal.parameters.some((p) => p.source?.startsWith('targets'));
}
