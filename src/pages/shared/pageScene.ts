import {
  dataLayers,
  EmbeddedScene,
  type SceneObject,
  SceneControlsSpacer,
  SceneDataLayerControls,
  type SceneDataLayerProvider,
  SceneDataLayerSet,
  sceneGraph,
  SceneQueryRunner,
  SceneReactObject,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  SceneVariableValueChangedEvent,
  type SceneVariable,
  VariableValueSelectors,
} from '@grafana/scenes';

import type { NestMetricNames, PulseQuery } from '../../datasource/types';
import { resolvePulseDataSource } from '../../utils/pulseDataSources';
import { NoPulseDataSource } from './NoPulseDataSource';
import { DATA_SOURCE_VARIABLE, metricNamesOf, pulseDataSourceVariable } from './dataSource';
import { rerenderSignalQuery } from './signalQuery';

export interface PulsePageSceneOptions {
  /** The app settings' default data source. */
  defaultDataSourceUid?: string;
  /** Page variables after the data source variable (which they may use). */
  variables?: SceneVariable[];
  /** Event layers (e.g. deploys, restarts) drawn on every time-series panel of the page, each with a toggle. */
  annotations?: SceneDataLayerProvider[];
  body: SceneObject;
}

/** Metric names of the data source a page opens with, for the PromQL its panels start with. */
export function initialMetricNames(defaultDataSourceUid?: string): NestMetricNames | undefined {
  return metricNamesOf(resolvePulseDataSource(defaultDataSourceUid).dataSource?.uid);
}

/**
 * Keeps every signal query of the scene rendered with the metric names of the chosen data source: each data
 * source may name the NestJS metrics its own way (DESIGN §1), so choosing another one may change the PromQL.
 */
export function renderWithDataSourceMetricNames(scene: SceneObject) {
  const rerender = () =>
    rerenderSignalQueries(scene, metricNamesOf(sceneGraph.interpolate(scene, `\${${DATA_SOURCE_VARIABLE}}`)));
  rerender();
  const sub = scene.subscribeToEvent(SceneVariableValueChangedEvent, (event) => {
    if (event.payload.state.name === DATA_SOURCE_VARIABLE) {
      rerender();
    }
  });
  return () => sub.unsubscribe();
}

/** Renders every signal query of the scene (panels and event layers) again with these metric names. */
export function rerenderSignalQueries(scene: SceneObject, names: NestMetricNames | undefined) {
  const runners = sceneGraph.findAllObjects(scene, (o) => o instanceof SceneQueryRunner) as SceneQueryRunner[];
  for (const runner of runners) {
    const queries = runner.state.queries.map((q) => rerenderSignalQuery(q as PulseQuery, names));
    if (queries.some((q, i) => q !== runner.state.queries[i])) {
      runner.setState({ queries });
      // The variable change may already have run the old queries.
      if (runner.isActive) {
        runner.runQueries();
      }
    }
  }
  // Event layers (deploy and restart markers) hold signal queries too; a new query state makes them run again.
  const layers = sceneGraph.findAllObjects(scene, (o) => o instanceof dataLayers.AnnotationsDataLayer);
  for (const layer of layers as dataLayers.AnnotationsDataLayer[]) {
    const { query } = layer.state;
    const target = query.target && rerenderSignalQuery(query.target as PulseQuery, names);
    if (target && target !== query.target) {
      layer.setState({ query: { ...query, target } });
      if (layer.isActive) {
        layer.runLayer();
      }
    }
  }
}

/**
 * A page: its variables (the Pulse data source first) and the shared time range at the top, then the body.
 * The app syncs variables and time range with the URL, so every state of a page is a shareable link.
 */
export function pulsePageScene({
  defaultDataSourceUid,
  variables = [],
  annotations = [],
  body,
}: PulsePageSceneOptions): EmbeddedScene {
  if (!resolvePulseDataSource(defaultDataSourceUid).dataSource) {
    // Without any Pulse data source every panel would fail the same way: say once what to do instead.
    return new EmbeddedScene({ body: new SceneReactObject({ component: NoPulseDataSource }) });
  }
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    $variables: new SceneVariableSet({
      variables: [pulseDataSourceVariable(defaultDataSourceUid), ...variables],
    }),
    // Query runners below pick up the layers of their ancestors, so every panel gets the events.
    ...(annotations.length > 0 && { $data: new SceneDataLayerSet({ layers: annotations }) }),
    $behaviors: [renderWithDataSourceMetricNames],
    controls: [
      new VariableValueSelectors({}),
      ...(annotations.length > 0 ? [new SceneDataLayerControls()] : []),
      new SceneControlsSpacer(),
      new SceneTimePicker({}),
      new SceneRefreshPicker({}),
    ],
    body,
  });
}
