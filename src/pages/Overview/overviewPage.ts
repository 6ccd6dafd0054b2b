import { t } from '@grafana/i18n';
import { EmbeddedScene, SceneAppPage, SceneFlexItem, SceneFlexLayout, SceneReactObject } from '@grafana/scenes';

import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import type { PageSettings } from '../../components/App/App';
import { DataSourceOverview } from './DataSourceOverview';

function overviewScene() {
  return new EmbeddedScene({
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body: new SceneReactObject({ component: DataSourceOverview }) })],
    }),
  });
}

/** Built at render time (not module load) so its texts go through the initialised translations. */
export function getOverviewPage(_settings: PageSettings) {
  return new SceneAppPage({
    title: t('overview.title', 'Overview'),
    subTitle: t('overview.subtitle', 'The Prometheus behind Pulse and whether Grafana can reach it.'),
    url: prefixRoute(ROUTES.Overview),
    // The page renders its own <Routes> (tabs, drill-downs), so its route must match what lies below it.
    routePath: `${ROUTES.Overview}/*`,
    getScene: overviewScene,
  });
}
