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
/** The narrowest a stat gets before its row wraps: room for its title beside its header actions. */
const STAT_MIN_WIDTH = 240;
/** The services row is as high as the versions table needs for a few services; it scrolls beyond. */
const VERSIONS_HEIGHT = 220;

/** A link to another page of the app that keeps the chosen data source and time range. */
export function pageLink(route: ROUTES, title: string): DataLink {
  return { title, url: `${prefixRoute(route)}?\${${DATA_SOURCE_VARIABLE}:queryparam}&\${__url_time_range}` };
}

function steps(...list: Array<[number, string]>): ThresholdsConfig {
  return { mode: ThresholdsMode.Absolute, steps: list.map(([value, color]) => ({ value, color })) };
}

/**
 * The services at a glance: how many, their error ratio, and the versions they run. The versions table gets the
 * room of two stats: it lists a row per service and version.
 */
function serviceFigures(names?: NestMetricNames): { stats: VizPanel[]; versions: VizPanel } {
  const services = [pageLink(ROUTES.Services, t('pages.overview.links.services', 'Services'))];
  return {
    stats: [
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
    ],
    versions: signalPanel(
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
                // The backend names an instant table's value column by its query: `Value #A`.
                'Value #A': t('pages.overview.stats.versions-instances', 'Instances'),
              },
            },
          },
        ],
      }
    ),
  };
}

/** The layers below the services: hosts, containers and PostgreSQL, each opening its page. */
function infrastructureStats(): VizPanel[] {
  const hosts = [pageLink(ROUTES.Hosts, t('pages.overview.links.hosts', 'Hosts'))];
  return [
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
        title: t('pages.overview.stats.containers', 'Containers up'),
        viz: 'stat',
        links: [pageLink(ROUTES.Containers, t('pages.overview.links.containers', 'Containers'))],
      }
    ),
    postgresUpStat({}, { links: [pageLink(ROUTES.Postgres, t('pages.overview.links.postgres', 'PostgreSQL'))] }),
  ];
}

/**
 * The services row: two stats and the versions table, wrapping below 1,280 px. A stat's title shares its header
 * with the links and Explore actions, so a stat needs STAT_MIN_WIDTH to show "Errors (all services)" whole.
 */
function servicesRow(names?: NestMetricNames): SceneFlexItem {
  const { stats, versions } = serviceFigures(names);
  return new SceneFlexItem({
    body: new SceneFlexLayout({
      direction: 'row',
      wrap: 'wrap',
      children: [
        ...stats.map((body) => new SceneFlexItem({ minWidth: STAT_MIN_WIDTH, height: VERSIONS_HEIGHT, body })),
        new SceneFlexItem({ minWidth: 2 * STAT_MIN_WIDTH, height: VERSIONS_HEIGHT, body: versions }),
      ],
    }),
  });
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
        servicesRow(names),
        panelRow(infrastructureStats(), { minWidth: STAT_MIN_WIDTH, height: STAT_HEIGHT }),
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
