import React from 'react';
import { sceneGraph, type SceneComponentProps, SceneObjectBase, VariableDependencyConfig } from '@grafana/scenes';

import { DATA_SOURCE_VARIABLE, PULSE_DATA_SOURCE } from '../shared';
import { AlertPacks } from './AlertPacks';

/** The rule packs for the data source chosen on the page; built again when another one is chosen. */
export class AlertPacksObject extends SceneObjectBase {
  static Component = AlertPacksRenderer;

  protected _variableDependency = new VariableDependencyConfig(this, { variableNames: [DATA_SOURCE_VARIABLE] });
}

function AlertPacksRenderer({ model }: SceneComponentProps<AlertPacksObject>) {
  model.useState();
  const uid = sceneGraph.interpolate(model, PULSE_DATA_SOURCE.uid);
  return <AlertPacks dataSourceUid={uid} />;
}
