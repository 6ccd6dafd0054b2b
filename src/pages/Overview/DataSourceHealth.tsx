import React from 'react';
import { sceneGraph, type SceneComponentProps, SceneObjectBase, VariableDependencyConfig } from '@grafana/scenes';

import { DATA_SOURCE_VARIABLE, PULSE_DATA_SOURCE } from '../shared';
import { DataSourceOverview } from './DataSourceOverview';

/** The connection check of the data source chosen on the page; checks again when another one is chosen. */
export class DataSourceHealth extends SceneObjectBase {
  static Component = DataSourceHealthRenderer;

  // Re-renders (and so re-checks) when the data source variable changes.
  protected _variableDependency = new VariableDependencyConfig(this, { variableNames: [DATA_SOURCE_VARIABLE] });
}

function DataSourceHealthRenderer({ model }: SceneComponentProps<DataSourceHealth>) {
  model.useState();
  const uid = sceneGraph.interpolate(model, PULSE_DATA_SOURCE.uid);
  return <DataSourceOverview dataSourceUid={uid} />;
}
