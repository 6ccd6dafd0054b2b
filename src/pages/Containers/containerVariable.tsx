import React from 'react';
import { t } from '@grafana/i18n';
import {
  MultiOrSingleValueSelect,
  MultiValueVariable,
  type MultiValueVariableState,
  type SceneComponentProps,
  sceneGraph,
  SwitchVariable,
  VariableDependencyConfig,
  type VariableValueOption,
} from '@grafana/scenes';
import { from, map, type Observable } from 'rxjs';

import { resourceRange } from '../../datasource/datasource';
import { DATA_SOURCE_VARIABLE } from '../shared';
import { pulseDataSourceOf } from '../shared/resourceObject';
import { containerOptions } from './containerOptions';

export const CONTAINER_VARIABLE = 'container';
export const HIDE_STACK_VARIABLE = 'hideStack';

/** "Hide the monitoring stack": on by default, so the page opens on the containers the user runs. */
export function hideStackVariable(): SwitchVariable {
  return new SwitchVariable({
    name: HIDE_STACK_VARIABLE,
    label: t('pages.containers.variables.hide-stack', 'Hide monitoring stack'),
    description: t(
      'pages.containers.variables.hide-stack-description',
      'Leaves out Prometheus, Grafana, cAdvisor, exporters and similar containers, recognised by name or image.'
    ),
    value: 'true',
    enabledValue: 'true',
    disabledValue: 'false',
  });
}

/**
 * The containers to show, from the data source's catalog (the backend's list of what a user calls a container:
 * named ones, and raw cgroups outside systemd's slices). Its values mix names and cgroup ids; the container
 * signals match a variable on both. Multi-value with All, which stands for exactly the listed containers.
 */
export class ContainerVariable extends MultiValueVariable<MultiValueVariableState> {
  static Component = ({ model }: SceneComponentProps<MultiValueVariable>) => <MultiOrSingleValueSelect model={model} />;

  protected _variableDependency = new VariableDependencyConfig(this, {
    variableNames: [DATA_SOURCE_VARIABLE, HIDE_STACK_VARIABLE],
  });

  constructor(state: Partial<MultiValueVariableState> = {}) {
    super({
      type: 'custom',
      name: CONTAINER_VARIABLE,
      label: t('pages.containers.variables.container', 'Container'),
      value: [],
      text: [],
      options: [],
      isMulti: true,
      includeAll: true,
      defaultToAll: true,
      ...state,
    });
  }

  getValueOptions(): Observable<VariableValueOption[]> {
    const hide = sceneGraph.lookupVariable(HIDE_STACK_VARIABLE, this)?.getValue() !== 'false';
    const range = resourceRange(sceneGraph.getTimeRange(this).state.value);
    return from(pulseDataSourceOf(this).then((dataSource) => dataSource.getCatalog(range))).pipe(
      map((catalog) => containerOptions(catalog.containers, hide))
    );
  }
}
