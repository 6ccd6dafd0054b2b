import React from 'react';
import { t } from '@grafana/i18n';
import { locationService } from '@grafana/runtime';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneComponentProps,
  type SceneObjectState,
  VizPanel,
} from '@grafana/scenes';
import { Button } from '@grafana/ui';

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
  const url = ruleFormUrl(form, here.pathname + here.search);
  const label = t('pages.shared.createAlert', 'Create alert');
  // A button that navigates, as Grafana's own panel action does, not a link: Grafana 13's LinkButton decodes its
  // href once (textUtil.sanitizeUrl), which turns the query's `+` into a space and `%`/`&` into a broken URL.
  return (
    <Button
      icon="bell"
      size="sm"
      variant="secondary"
      fill="text"
      tooltip={label}
      aria-label={label}
      data-rule-form-url={url}
      onClick={() => locationService.push(url)}
    />
  );
}
