import {
  SceneDataTransformer,
  sceneGraph,
  type SceneObject,
  SceneVariableValueChangedEvent,
  VizPanel,
} from '@grafana/scenes';
import { getDataSourceSrv } from '@grafana/runtime';

import { type PulseDataSource, resourceRange } from '../../datasource/datasource';
import type { NestMetricNames, PulseQuery } from '../../datasource/types';
import { AUTO_PROFILE, getSignal, isProfileId, profileChoice, renderContext, withDefaults } from '../../signals';
import { DATA_SOURCE_VARIABLE, metricNamesOf } from '../shared';
import { emptyStateText } from '../shared/emptyState';
import { rerenderSignalQueries } from '../shared/pageScene';
import { profileDescription } from './servicePanels';
import { rerenderServiceVariables } from './serviceVariables';

/**
 * The metric names a service's page renders with: the data source's, and with auto the profile the catalog found
 * the service with (undefined when the catalog does not list it: the page keeps every profile).
 */
export async function serviceMetricNames(uid: string, service: string, scene: SceneObject) {
  const names = metricNamesOf(uid);
  if (profileChoice(names?.profile) !== AUTO_PROFILE) {
    return names;
  }
  const dataSource = (await getDataSourceSrv().get(uid)) as unknown as PulseDataSource;
  const catalog = await dataSource.getCatalog(resourceRange(sceneGraph.getTimeRange(scene).state.value));
  const profile = catalog.services.find((s) => s.name === service)?.profile;
  return isProfileId(profile) ? { ...names, profile } : undefined;
}

/**
 * Each panel's no-data text for these names (a question the service's profile cannot answer says why), and the
 * descriptions that depend on the instrumentation.
 */
function renameEmptyStates(scene: SceneObject, names: NestMetricNames) {
  const ctx = renderContext(names);
  for (const panel of sceneGraph.findAllObjects(scene, (o) => o instanceof VizPanel) as VizPanel[]) {
    // A table's data is a transformer over the query runner.
    const data = sceneGraph.getData(panel);
    const runner = data instanceof SceneDataTransformer && data.state.$data ? data.state.$data : data;
    const queries = (runner.state as { queries?: PulseQuery[] }).queries;
    const guided = queries?.[0]?.guided;
    const signal = guided && getSignal(guided.signalId);
    if (!signal || panel.state.pluginId === 'stat') {
      continue;
    }
    const noValue = emptyStateText(signal, ctx, withDefaults(signal.parameters, guided.params));
    const { fieldConfig } = panel.state;
    if (fieldConfig.defaults.noValue !== noValue) {
      panel.setState({ fieldConfig: { ...fieldConfig, defaults: { ...fieldConfig.defaults, noValue } } });
    }
    const description = profileDescription(guided.signalId, guided.params ?? {}, ctx);
    if (description !== undefined && panel.state.description !== description) {
      panel.setState({ description });
    }
  }
}

/**
 * With a data source set to auto, a service's page renders its panels, variables, event layers and empty states
 * with the service's own profile once the catalog names it (again when another data source is chosen): the
 * variables' label_values and the questions a profile cannot answer need one profile.
 */
export function renderWithServiceProfile(service: string) {
  return (scene: SceneObject) => {
    let current = 0;
    const narrow = () => {
      const uid = sceneGraph.interpolate(scene, `\${${DATA_SOURCE_VARIABLE}}`);
      const request = ++current;
      serviceMetricNames(uid, service, scene)
        .then((names) => {
          // A later choice of data source wins over an answer still on its way.
          if (request !== current || !names || profileChoice(names.profile) === AUTO_PROFILE) {
            return;
          }
          rerenderSignalQueries(scene, names);
          rerenderServiceVariables(scene, service, names);
          renameEmptyStates(scene, names);
        })
        .catch(() => {
          // Without the catalog the page keeps every profile's queries, which still answer for the service.
        });
    };
    narrow();
    const sub = scene.subscribeToEvent(SceneVariableValueChangedEvent, (event) => {
      if (event.payload.state.name === DATA_SOURCE_VARIABLE) {
        narrow();
      }
    });
    return () => sub.unsubscribe();
  };
}
