import { ThresholdsMode, type DataLink, type ThresholdsConfig } from '@grafana/data';
import { t } from '@grafana/i18n';
import { SceneAppPage, SceneFlexItem, SceneFlexLayout, type VizPanel } from '@grafana/scenes';
import { VariableHide } from '@grafana/schema';

import type { PageSettings } from '../../components/App/App';
import { ROUTES } from '../../constants';
import type { NestMetricNames } from '../../datasource/types';
import { prefixRoute } from '../../utils/utils.routing';
import { CONTAINER_VARIABLE, ContainerVariable } from '../Containers/containerVariable';
import { postgresUpStat } from '../Postgres/upStat';
import { DATA_SOURCE_VARIABLE, initialMetricNames, panelRow, pulsePageScene, signalPanel } from '../shared';
import { DataSourceHealth } from './DataSourceHealth';
import { SetupChecklist } from './SetupChecklist';

const STAT_HEIGHT = 140;

/** A link to another page of the app that keeps the chosen data source and time range. */
export function pageLink(route: ROUTES, title: string): DataLink {
  return { title, url: `${prefixRoute(route)}?\${${DATA_SOURCE_VARIABLE}:queryparam}&\${__url_time_range}` };
}

function steps(...list: Array<[number, string]>): ThresholdsConfig {
  return { mode: ThresholdsMode.Absolute, steps: list.map(([value, color]) => ({ value, color })) };
}

/** The fleet at a glance: one stat per question, each opening the page that answers it in detail. */
function fleetStats(names?: NestMetricNames): VizPanel[] {
  const services = [pageLink(ROUTES.Services, t('pages.overview.links.services', 'Services'))];
  const hosts = [pageLink(ROUTES.Hosts, t('pages.overview.links.hosts', 'Hosts'))];
  return [
    signalPanel(
      'service.count',
      {},
      {
        title: t('pages.overview.stats.services', 'Services'),
        viz: 'stat',
        metricNames: names,
        links: services,
      }
    ),
    signalPanel(
      'service.versions',
      {},
      {
        title: t('pages.overview.stats.versions', 'Versions'),
        metricNames: names,
        links: services,
        transformations: [
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true },
              renameByName: {
                name: t('pages.overview.stats.versions-service', 'Service'),
                version: t('pages.overview.stats.versions-version', 'Version'),
                Value: t('pages.overview.stats.versions-instances', 'Instances'),
              },
            },
          },
        ],
      }
    ),
    signalPanel(
      'service.errors.ratio',
      {},
      {
        title: t('pages.overview.stats.error-ratio', 'Errors (all services)'),
        description: t(
          'pages.overview.stats.error-ratio-description',
          'Failed requests as a share of all requests of every service, over the rate window.'
        ),
        viz: 'stat',
        metricNames: names,
        links: services,
        thresholds: steps([-Infinity, 'green'], [0.01, 'orange'], [0.05, 'red']),
      }
    ),
    signalPanel(
      'host.up',
      { state: 'up' },
      {
        title: t('pages.overview.stats.hosts-up', 'Hosts up'),
        viz: 'stat',
        links: hosts,
      }
    ),
    signalPanel(
      'host.up',
      { state: 'down' },
      {
        title: t('pages.overview.stats.hosts-down', 'Hosts down'),
        viz: 'stat',
        links: hosts,
        thresholds: steps([-Infinity, 'green'], [1, 'red']),
      }
    ),
    // The containers the Containers page shows by default (see its container variable): on a Docker host the
    // named containers, on a host of raw cgroups those cgroups; never the monitoring stack's own.
    signalPanel(
      'container.running',
      { container: `$${CONTAINER_VARIABLE}` },
      {
        title: t('pages.overview.stats.containers', 'Containers running'),
        viz: 'stat',
        links: [pageLink(ROUTES.Containers, t('pages.overview.links.containers', 'Containers'))],
      }
    ),
    postgresUpStat({}, { links: [pageLink(ROUTES.Postgres, t('pages.overview.links.postgres', 'PostgreSQL'))] }),
  ];
}

function overviewScene(settings: PageSettings) {
  const names = initialMetricNames(settings.defaultDataSourceUid);
  return pulsePageScene({
    defaultDataSourceUid: settings.defaultDataSourceUid,
    variables: [new ContainerVariable({ hide: VariableHide.hideVariable })],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({ body: new DataSourceHealth({}) }),
        panelRow(fleetStats(names), { minWidth: 160, height: STAT_HEIGHT }),
        new SceneFlexItem({ body: new SetupChecklist() }),
      ],
    }),
  });
}

/** Built at render time (not module load) so its texts go through the initialised translations. */
export function getOverviewPage(settings: PageSettings) {
  return new SceneAppPage({
    title: t('overview.title', 'Overview'),
    subTitle: t(
      'pages.overview.subtitle',
      'Your fleet at a glance, and what Pulse found behind the data source (and what it is missing).'
    ),
    url: prefixRoute(ROUTES.Overview),
    // The page renders its own <Routes> (tabs, drill-downs), so its route must match what lies below it.
    routePath: `${ROUTES.Overview}/*`,
    getScene: () => overviewScene(settings),
  });
}
