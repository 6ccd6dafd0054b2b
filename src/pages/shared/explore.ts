import type { ScopedVars } from '@grafana/data';
import { sceneGraph, type SceneObject, VizPanelExploreButton } from '@grafana/scenes';
import type { DataQuery } from '@grafana/schema';

import { interpolatePromQL } from '../../promql/interpolate';
import type { PulseQuery } from '../../datasource/types';

// Macros the Pulse backend expands; Explore must receive them as written, not the panel's browser-side values.
const BACKEND_MACROS = ['__interval', '__interval_ms', '__rate_interval', '__range', '__range_s', '__range_ms'];
const KEEP_MACROS: ScopedVars = Object.fromEntries(
  BACKEND_MACROS.map((name) => [name, { text: `$${name}`, value: `$${name}` }])
);

/**
 * The query as Explore needs it: the page's variables (data source, instance, …) replaced by their values,
 * rendered the way the data source renders them, because Explore has none of the page's variables.
 */
export function exploreQuery(query: DataQuery, scene: SceneObject): DataQuery {
  const pulse = query as PulseQuery;
  const uid = pulse.datasource?.uid;
  return {
    ...pulse,
    ...(uid && { datasource: { ...pulse.datasource, uid: sceneGraph.interpolate(scene, uid) } }),
    ...(pulse.expr !== undefined && {
      expr: interpolatePromQL(pulse.expr, (text, format) =>
        sceneGraph.interpolate(scene, text, KEEP_MACROS, (value) =>
          format(Array.isArray(value) ? value.map(String) : String(value))
        )
      ),
    }),
  } as DataQuery;
}

/** The panel's "Explore" action: opens the panel's queries, variables filled in, in Explore. */
export function exploreAction(): VizPanelExploreButton {
  const button: VizPanelExploreButton = new VizPanelExploreButton({
    transform: (query) => exploreQuery(query, button),
  });
  return button;
}
