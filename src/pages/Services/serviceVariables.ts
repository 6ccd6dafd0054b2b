import { t } from '@grafana/i18n';
import { QueryVariable, sceneGraph, type SceneObject, SceneVariableValueChangedEvent } from '@grafana/scenes';
import { VariableRefresh } from '@grafana/schema';

import type { NestMetricNames } from '../../datasource/types';
import {
  renderContext,
  type RenderContext,
  serviceControllerVariableQuery,
  serviceHandlerVariableQuery,
  serviceInstanceVariableQuery,
  serviceLatencyBoundVariableQuery,
} from '../../signals';
import { DATA_SOURCE_VARIABLE, metricNamesOf, PULSE_DATA_SOURCE } from '../shared';
import { LatencyThresholdVariable } from './LatencyThresholdVariable';
import { INSTANCE_VARIABLE } from './ServicePlacement';
import { defaultBoundIn, SLO_VARIABLES } from './serviceSlo';

/** The panels' filters: the page's service and the variables' values (the data source regex-escapes them). */
export const SERVICE_FILTERS = { instance: '$instance', controller: '$controller', handler: '$handler' };

/** Variable queries of the page, by variable name, rendered with a data source's metric names. */
function variableQueries(service: string): Record<string, (ctx: RenderContext) => string> {
  return {
    // All instances of the service, not every target: "All" expands to exactly these, which keeps the
    // controller and handler lists to this service (the request metrics carry no service name).
    [INSTANCE_VARIABLE]: (ctx) => serviceInstanceVariableQuery(ctx, service),
    controller: (ctx) => serviceControllerVariableQuery(ctx, '$instance'),
    handler: (ctx) => serviceHandlerVariableQuery(ctx, '$instance', '$controller'),
    [SLO_VARIABLES.threshold]: (ctx) => serviceLatencyBoundVariableQuery(ctx, '$instance'),
  };
}

function queryVariable(name: string, label: string, query: string, allValue?: string): QueryVariable {
  return new QueryVariable({
    name,
    label,
    datasource: PULSE_DATA_SOURCE,
    query,
    isMulti: true,
    includeAll: true,
    defaultToAll: true,
    ...(allValue && { allValue }),
    refresh: VariableRefresh.onTimeRangeChanged,
    sort: 1,
  });
}

/** `instance`, `controller` and `handler` of one service, each with "All". */
export function serviceVariables(service: string, metricNames?: NestMetricNames): QueryVariable[] {
  const ctx = renderContext(metricNames);
  const queries = variableQueries(service);
  return [
    queryVariable(INSTANCE_VARIABLE, t('pages.service.variables.instance', 'Instance'), queries.instance(ctx)),
    // Panels already keep to the service's targets, so "All" can match anything instead of listing every value.
    queryVariable('controller', t('pages.service.variables.controller', 'Controller'), queries.controller(ctx), '.*'),
    queryVariable('handler', t('pages.service.variables.handler', 'Handler'), queries.handler(ctx), '.*'),
  ];
}

/**
 * Renders the variable queries again with the metric names of the chosen data source (as the panels' queries
 * are, see renderWithDataSourceMetricNames): each data source may name the NestJS metrics its own way.
 */
export function renderVariablesWithDataSourceMetricNames(service: string) {
  return (scene: SceneObject) => {
    const rerender = () =>
      rerenderServiceVariables(
        scene,
        service,
        metricNamesOf(sceneGraph.interpolate(scene, `\${${DATA_SOURCE_VARIABLE}}`))
      );
    const sub = scene.subscribeToEvent(SceneVariableValueChangedEvent, (event) => {
      if (event.payload.state.name === DATA_SOURCE_VARIABLE) {
        rerender();
      }
    });
    return () => sub.unsubscribe();
  };
}

/** Renders the service page's variable queries again with these metric names (and refreshes their values). */
export function rerenderServiceVariables(scene: SceneObject, service: string, names: NestMetricNames | undefined) {
  const ctx = renderContext(names);
  for (const [name, build] of Object.entries(variableQueries(service))) {
    const variable = sceneGraph.lookupVariable(name, scene);
    const query = build(ctx);
    if (variable instanceof QueryVariable && variable.state.query !== query) {
      variable.setState({ query, ...thresholdDefault(name, variable, ctx) });
      variable.refreshOptions();
    }
  }
}

/**
 * The latency threshold follows the profile's unit when nobody chose one: a value left empty or another unit's
 * default becomes this profile's default, which the refreshed options then hold (the variable falls back on the
 * bound nearest it).
 */
function thresholdDefault(name: string, variable: QueryVariable, ctx: RenderContext) {
  if (name !== SLO_VARIABLES.threshold) {
    return {};
  }
  const current = String(variable.state.value ?? '');
  const defaults = [defaultBoundIn(1), defaultBoundIn(0.001)];
  if (current !== '' && !defaults.includes(current)) {
    return {};
  }
  const value = defaultBoundIn(ctx.profile.latencyUnit);
  if (variable instanceof LatencyThresholdVariable) {
    variable.prefer(value);
  }
  return { value, text: value };
}
