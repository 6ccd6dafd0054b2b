import React from 'react';
import { locationUtil } from '@grafana/data';
import { t } from '@grafana/i18n';
import { locationService } from '@grafana/runtime';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneComponentProps,
  type SceneObjectState,
  VizPanel,
} from '@grafana/scenes';
import { LinkButton } from '@grafana/ui';

import { panelRuleForm, ruleFormUrl } from '../../alerts/panelRule';
import { PERMISSIONS, userCan } from '../../utils/permissions';
import { dashboardPanel } from './dashboardPanel';

/**
 * The panel's "Create alert" action: Grafana's new alert rule form, filled in with the panel's queries (the page's
 * variables replaced by their values, as a rule has none), a reduce and a threshold — what Grafana's own action on
 * a dashboard panel opens. Shown to users who may create rules (`alert.rules:create`; not a Viewer), on panels whose
 * series a threshold can alert on.
 */
export class CreateAlertButton extends SceneObjectBase<SceneObjectState> {
  static Component = CreateAlertRenderer;

  panel(): VizPanel {
    return sceneGraph.getAncestor(this, VizPanel);
  }
}

export function createAlertAction(): CreateAlertButton {
  return new CreateAlertButton({});
}

function CreateAlertRenderer({ model }: SceneComponentProps<CreateAlertButton>) {
  // The panel's data changes with its variables (a new instance, another data source): the form follows them.
  sceneGraph.getData(model).useState();
  if (!userCan(PERMISSIONS.createAlertRule)) {
    return null;
  }
  const form = panelRuleForm(dashboardPanel(model.panel()));
  if (!form) {
    return null;
  }
  const here = locationService.getLocation();
  const label = t('pages.shared.createAlert', 'Create alert');
  return (
    <LinkButton
      icon="bell"
      size="sm"
      variant="secondary"
      fill="text"
      tooltip={label}
      aria-label={label}
      href={locationUtil.assureBaseUrl(ruleFormUrl(form, here.pathname + here.search))}
    />
  );
}
