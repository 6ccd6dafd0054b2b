import type { TimeRange } from '@grafana/data';
import { sceneGraph, SceneDataTransformer, SceneQueryRunner, type SceneObject, type VizPanel } from '@grafana/scenes';
import type { DataQuery, Panel } from '@grafana/schema';

import type { GuidedParamValue, PulseQuery } from '../../datasource/types';
import { exploreQuery } from './explore';

/**
 * A page panel as a dashboard panel (the JSON Grafana's dashboards hold): the same visualisation, options, field
 * config, transformations and Pulse queries — their `expr` and their Guided state — with the page's variables
 * (data source, service, instance, …) replaced by their values, because the dashboard it lands in has none of
 * them. Backend macros (`$__rate_interval`, …) stay as written.
 */
export function dashboardPanel(panel: VizPanel): Panel {
  const data = panel.state.$data;
  const runner = data instanceof SceneDataTransformer ? data.state.$data : data;
  const transformations = data instanceof SceneDataTransformer ? data.state.transformations : [];
  const queries = runner instanceof SceneQueryRunner ? runner.state.queries : [];
  const datasource = runner instanceof SceneQueryRunner ? runner.state.datasource : undefined;
  const targets = queries.map((query) => dashboardQuery(query, panel));
  const maxDataPoints = runner instanceof SceneQueryRunner ? runner.state.maxDataPoints : undefined;
  return {
    type: panel.state.pluginId,
    title: sceneGraph.interpolate(panel, panel.state.title),
    ...(panel.state.description && { description: sceneGraph.interpolate(panel, panel.state.description) }),
    ...(panel.state.pluginVersion && { pluginVersion: panel.state.pluginVersion }),
    ...(datasource && {
      datasource: { ...datasource, ...(datasource.uid && { uid: sceneGraph.interpolate(panel, datasource.uid) }) },
    }),
    targets,
    options: asJSON(panel.state.options ?? {}),
    fieldConfig: asJSON(panel.state.fieldConfig) as Panel['fieldConfig'],
    ...(transformations.length > 0 && { transformations: asJSON(transformations) as Panel['transformations'] }),
    ...(maxDataPoints && { maxDataPoints }),
  } as unknown as Panel;
}

// What a dashboard's JSON holds: a deep copy as Grafana saves it (a threshold's base step, -Infinity, becomes null,
// which Grafana reads back as the base).
function asJSON<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** A panel's query for a dashboard: exploreQuery's `expr` and data source, and the Guided parameters filled in. */
export function dashboardQuery(query: DataQuery, scene: SceneObject): DataQuery {
  const pulse = exploreQuery(query, scene) as PulseQuery;
  if (!pulse.guided) {
    return pulse;
  }
  const params = Object.fromEntries(
    Object.entries(pulse.guided.params).map(([name, value]) => [name, guidedValue(value, scene)])
  );
  return { ...pulse, guided: { ...pulse.guided, params } } as DataQuery;
}

// A parameter that is one variable takes its value or values (a multi-value variable becomes a list, as the
// Guided editor holds several choices); text around a variable is interpolated as text.
function guidedValue(value: GuidedParamValue, scene: SceneObject): GuidedParamValue {
  if (typeof value === 'number') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.flatMap((v) => {
      const filled = guidedValue(v, scene);
      return Array.isArray(filled) ? filled : [String(filled)];
    });
  }
  if (!value.includes('$') && !value.includes('[[')) {
    return value;
  }
  let values: string[] | undefined;
  const text = sceneGraph.interpolate(scene, value, undefined, (v: unknown) => {
    values = (Array.isArray(v) ? v : [v]).map(String);
    return values.join(',');
  });
  return values && values.length > 1 && text === values.join(',') ? values : text;
}

/** A new dashboard holding one panel, over the page's time range (what Grafana's dashboard API takes). */
export function dashboardWithPanel(title: string, panel: Panel, range: TimeRange): Record<string, unknown> {
  return {
    title,
    editable: true,
    schemaVersion: 41,
    // Relative ranges as written (now-1h); absolute ones as instants.
    time: {
      from: typeof range.raw.from === 'string' ? range.raw.from : range.from.toISOString(),
      to: typeof range.raw.to === 'string' ? range.raw.to : range.to.toISOString(),
    },
    panels: [{ ...panel, id: 1, gridPos: { h: 9, w: 24, x: 0, y: 0 } }],
    templating: { list: [] },
    annotations: { list: [] },
  };
}
