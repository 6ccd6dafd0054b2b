import { t } from '@grafana/i18n';
import { SceneAppPage, SceneFlexItem, SceneFlexLayout } from '@grafana/scenes';

import type { PageSettings } from '../../components/App/App';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { pulsePageScene } from '../shared';
import { AlertPacksObject } from './AlertPacksObject';

function alertsScene(settings: PageSettings) {
  return pulsePageScene({
    defaultDataSourceUid: settings.defaultDataSourceUid,
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body: new AlertPacksObject({}) })],
    }),
  });
}

/** Built at render time (not module load) so its texts go through the initialised translations. */
export function getAlertsPage(settings: PageSettings): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.alerts.title', 'Alerts'),
    subTitle: t(
      'pages.alerts.subtitle',
      'Recommended alert rules for what this Prometheus scrapes: preview, backtest, adjust and install them as Grafana-managed rules.'
    ),
    url: prefixRoute(ROUTES.Alerts),
    routePath: `${ROUTES.Alerts}/*`,
    getScene: () => alertsScene(settings),
  });
}
