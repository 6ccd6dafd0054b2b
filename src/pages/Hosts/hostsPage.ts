import { ThresholdsMode } from '@grafana/data';
import { t } from '@grafana/i18n';
import {
  QueryVariable,
  SceneAppPage,
  type SceneAppPageLike,
  type SceneRouteMatch,
  SceneFlexItem,
  SceneFlexLayout,
  type VizPanel,
} from '@grafana/scenes';
import { BigValueColorMode, BigValueGraphMode, BigValueTextMode } from '@grafana/schema';

import type { PageSettings } from '../../components/App/App';
import { ROUTES } from '../../constants';
import type { NestMetricNames } from '../../datasource/types';
import { hostInstanceVariableQuery, type SignalParams } from '../../signals';
import { prefixRoute } from '../../utils/utils.routing';
import { initialMetricNames, PULSE_DATA_SOURCE, pulsePageScene, signalPanel } from '../shared';
import { joinedTable } from '../shared/joinedTable';
import { inventoryFilterVariable } from '../shared/rowFilter';
import { withPanelOptions } from '../shared/panelTweaks';
import { getHostDetailPage } from './hostDetailPage';
import { HOST_URL_KEYS, hostDetailLink } from './hostLink';
import { CPU_THRESHOLDS, FILESYSTEM_THRESHOLDS, LOAD_THRESHOLDS, MEMORY_THRESHOLDS } from './thresholds';

/** The page's host filter; every panel follows it. */
export const HOST_VARIABLE = 'host';
const HOSTS: SignalParams = { host: `$${HOST_VARIABLE}` };

function hostVariable(): QueryVariable {
  return new QueryVariable({
    name: HOST_VARIABLE,
    label: t('pages.hosts.variables.host', 'Host'),
    datasource: PULSE_DATA_SOURCE,
    query: hostInstanceVariableQuery(),
    isMulti: true,
    includeAll: true,
    defaultToAll: true,
    // node-mixin's custom all value: one short regex however many hosts there are.
    allValue: '.+',
  });
}

function hostsUpStat(state: 'up' | 'down', names?: NestMetricNames): VizPanel {
  const down = state === 'down';
  const panel = signalPanel(
    'host.up',
    { ...HOSTS, state },
    {
      title: down ? t('pages.hosts.panels.down', 'Hosts down') : t('pages.hosts.panels.up', 'Hosts up'),
      description: down
        ? t(
            'pages.hosts.panels.down-description',
            'node_exporter targets whose last scrape failed (counting those that answered within the last hour).'
          )
        : t('pages.hosts.panels.up-description', 'Hosts whose node_exporter answered its last scrape.'),
      viz: 'stat',
      textMode: BigValueTextMode.Value,
      metricNames: names,
      thresholds: {
        mode: ThresholdsMode.Absolute,
        steps: down
          ? [
              { value: -Infinity, color: 'green' },
              { value: 1, color: 'red' },
            ]
          : [{ value: -Infinity, color: 'green' }],
      },
    }
  );
  return withPanelOptions(panel, { graphMode: BigValueGraphMode.None, colorMode: BigValueColorMode.Value });
}

/**
 * The fleet (node-mixin's fleet dashboard): one row per host, one instant query per column joined on
 * `instance`, so the page makes the same eight queries for 2 hosts or 200.
 */
export function fleetTable(names?: NestMetricNames): VizPanel {
  return joinedTable({
    title: t('pages.hosts.panels.fleet', 'Hosts'),
    description: t(
      'pages.hosts.panels.fleet-description',
      'Every host node_exporter reports. Follow a host to its details. Load per core above 100% means work is waiting for a CPU.'
    ),
    metricNames: names,
    filterable: true,
    alerts: { pack: 'host', keyLabel: 'instance' },
    keys: [
      {
        labelName: 'instance',
        title: t('pages.hosts.columns.instance', 'Host'),
        links: [hostDetailLink(t('pages.hosts.columns.instance-link', 'Host details'))],
      },
    ],
    columns: [
      {
        signalId: 'host.info',
        params: HOSTS,
        labels: [{ labelName: 'nodename', title: t('pages.hosts.columns.nodename', 'Node name') }],
      },
      { signalId: 'host.uptime', params: HOSTS, title: t('pages.hosts.columns.uptime', 'Uptime') },
      {
        signalId: 'host.load.per-core',
        params: HOSTS,
        title: t('pages.hosts.columns.load', 'Load per core'),
        thresholds: LOAD_THRESHOLDS,
      },
      { signalId: 'host.cpu.cores', params: HOSTS, title: t('pages.hosts.columns.cores', 'Cores') },
      {
        signalId: 'host.cpu.busy',
        params: HOSTS,
        title: t('pages.hosts.columns.cpu', 'CPU busy'),
        thresholds: CPU_THRESHOLDS,
        gauge: true,
      },
      { signalId: 'host.memory.total', params: HOSTS, title: t('pages.hosts.columns.memory-total', 'Memory') },
      {
        signalId: 'host.memory.used',
        params: HOSTS,
        title: t('pages.hosts.columns.memory-used', 'Memory used'),
        thresholds: MEMORY_THRESHOLDS,
        gauge: true,
      },
      {
        signalId: 'host.filesystem.used',
        params: { ...HOSTS, mounts: 'root' },
        title: t('pages.hosts.columns.root-fs', 'Root FS used'),
        thresholds: FILESYSTEM_THRESHOLDS,
        gauge: true,
      },
    ],
  });
}

function hostsScene(settings: PageSettings) {
  const names = initialMetricNames(settings.defaultDataSourceUid);
  return pulsePageScene({
    defaultDataSourceUid: settings.defaultDataSourceUid,
    variables: [hostVariable(), inventoryFilterVariable()],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({
          height: 120,
          body: new SceneFlexLayout({
            direction: 'row',
            children: [
              new SceneFlexItem({ body: hostsUpStat('up', names) }),
              new SceneFlexItem({ body: hostsUpStat('down', names) }),
            ],
          }),
        }),
        new SceneFlexItem({ minHeight: 320, body: fleetTable(names) }),
      ],
    }),
  });
}

/** Built at render time (not module load) so its texts go through the initialised translations. */
export function getHostsPage(settings: PageSettings): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.hosts.title', 'Hosts'),
    subTitle: t('pages.hosts.subtitle', 'CPU, memory and disk of every host node_exporter reports.'),
    url: prefixRoute(ROUTES.Hosts),
    routePath: `${ROUTES.Hosts}/*`,
    preserveUrlKeys: HOST_URL_KEYS,
    getScene: () => hostsScene(settings),
    drilldowns: [
      {
        routePath: ':instance',
        getPage: (match: SceneRouteMatch<{ instance: string }>, parent: SceneAppPageLike) =>
          getHostDetailPage(settings, match.params.instance, parent),
      },
    ],
  });
}
