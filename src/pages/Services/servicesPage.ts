import { t } from '@grafana/i18n';
import {
  SceneAppPage,
  type SceneAppPageLike,
  SceneFlexItem,
  SceneFlexLayout,
  type SceneRouteMatch,
} from '@grafana/scenes';

import type { PageSettings } from '../../components/App/App';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { initialMetricNames, pulsePageScene } from '../shared';
import { inventoryFilterVariable } from '../shared/rowFilter';
import { fleetStats, inventoryTable } from './inventory';
import { getServiceDetailPage } from './serviceDetailPage';
import { SERVICE_URL_KEYS } from './serviceLinks';

function servicesScene(settings: PageSettings) {
  const names = initialMetricNames(settings.defaultDataSourceUid);
  return pulsePageScene({
    defaultDataSourceUid: settings.defaultDataSourceUid,
    variables: [inventoryFilterVariable()],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({
          height: 140,
          body: new SceneFlexLayout({
            direction: 'row',
            children: fleetStats(names).map((body) => new SceneFlexItem({ body })),
          }),
        }),
        // Room for a dozen rows: at fleet size the table scrolls, filters and sorts rather than the page.
        new SceneFlexItem({ minHeight: 520, body: inventoryTable(names) }),
      ],
    }),
  });
}

/** Built at render time (not module load) so its texts go through the initialised translations. */
export function getServicesPage(settings: PageSettings): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.services.title', 'Services'),
    subTitle: t('pages.services.subtitle', 'Every NestJS service: versions, instances, traffic, errors and latency.'),
    url: prefixRoute(ROUTES.Services),
    routePath: `${ROUTES.Services}/*`,
    preserveUrlKeys: SERVICE_URL_KEYS,
    getScene: () => servicesScene(settings),
    drilldowns: [
      {
        routePath: ':service',
        // The router hands the path segment over decoded.
        getPage: (match: SceneRouteMatch<{ service: string }>, parent: SceneAppPageLike) =>
          getServiceDetailPage(settings, match.params.service, parent),
      },
    ],
  });
}
