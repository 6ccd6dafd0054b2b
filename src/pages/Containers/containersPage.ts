import { ThresholdsMode, type DataTransformerConfig, type ThresholdsConfig } from '@grafana/data';
import { t } from '@grafana/i18n';
import { SceneAppPage, SceneFlexItem, SceneFlexLayout, type SceneObject, type VizPanel } from '@grafana/scenes';
import { BigValueColorMode, BigValueGraphMode, BigValueTextMode, GraphThresholdsStyleMode } from '@grafana/schema';

import type { PageSettings } from '../../components/App/App';
import { ROUTES } from '../../constants';
import type { NestMetricNames } from '../../datasource/types';
import type { SignalParams } from '../../signals';
import { prefixRoute } from '../../utils/utils.routing';
import { initialMetricNames, type PanelQuery, pulsePageScene, signalPanel } from '../shared';
import { joinedTable } from '../shared/joinedTable';
import { inventoryFilterVariable } from '../shared/rowFilter';
import { withPanelOptions } from '../shared/panelTweaks';
import { withEmptyState } from '../shared/withEmptyState';
import { CONTAINER_VARIABLE, ContainerVariable, hideStackVariable } from './containerVariable';

/*
 * Which containers the page shows. The container signals alone keep `image!=""` when no container is chosen:
 * right on a Docker host, empty where containers are raw cgroups (no image), as on our demo stack. So every
 * panel here passes the page's `$container` variable instead: its choices come from the data source's catalog
 * (named containers, and raw cgroups outside systemd's slices, each by name or else by cgroup id), and the
 * signals match a variable on `name` and on `id`. All = exactly the listed containers: on a Docker host the
 * Docker containers, here `/pulse-demo-gateway` and `/pulse-demo-orders`, never the root cgroup `/`. The
 * "Hide monitoring stack" switch (on by default) drops Prometheus, Grafana, cAdvisor and exporters by name or
 * image; the catalog has no container labels, so dockprom's org_label_schema_group label cannot be used.
 */
const CONTAINERS: SignalParams = { container: `$${CONTAINER_VARIABLE}` };

// Legends: `name|id`, then the name alone when there is one, else the id (cAdvisor leaves raw cgroups unnamed).
// Grafana legends cannot choose between labels, so two renames after the query do it; a cgroup id has no
// spaces, so what follows it (" sent") stays.
const CONTAINER_LEGEND = '{{name}}|{{id}}';
const CONTAINER_NAMES: DataTransformerConfig[] = [
  { id: 'renameByRegex', options: { regex: '\\|(.*)', renamePattern: '$1' } },
  { id: 'renameByRegex', options: { regex: '([^|]+)\\|[^ ]*(.*)', renamePattern: '$1$2' } },
];

function thresholds(warn: number, critical?: number): ThresholdsConfig {
  const steps = [
    { value: -Infinity, color: 'green' },
    { value: warn, color: 'orange' },
  ];
  return { mode: ThresholdsMode.Absolute, steps: critical ? [...steps, { value: critical, color: 'red' }] : steps };
}

function withThresholdLines(panel: VizPanel): VizPanel {
  const { fieldConfig } = panel.state;
  const custom = { ...fieldConfig.defaults.custom, thresholdsStyle: { mode: GraphThresholdsStyleMode.Dashed } };
  panel.setState({ fieldConfig: { ...fieldConfig, defaults: { ...fieldConfig.defaults, custom } } });
  return panel;
}

function noContainerText(): string {
  return t(
    'pages.containers.empty.no-container',
    'No container to show. Either cAdvisor is not scraped (run it next to your containers, port 8080, and add it to scrape_configs in prometheus.yml), it reports no container in this time range, or every container belongs to the monitoring stack that the switch above hides.'
  );
}

function rawCgroupText(): string {
  return t(
    'pages.containers.empty.raw-cgroups',
    'No per-container figures. cAdvisor reports network and filesystem usage per container only for containers run by Docker, containerd or Podman; for plain cgroups (containers without an image) it reports them for the whole machine only.'
  );
}

interface GraphOptions {
  title: string;
  description?: string;
  params?: SignalParams;
  more?: PanelQuery[];
  legendSuffix?: string;
  min?: number;
  max?: number;
  thresholds?: ThresholdsConfig;
  empty?: string;
}

function containerGraph(signalId: string, options: GraphOptions, names?: NestMetricNames): VizPanel {
  const legend = options.legendSuffix ? `${CONTAINER_LEGEND} ${options.legendSuffix}` : CONTAINER_LEGEND;
  const panel = signalPanel(
    signalId,
    { ...CONTAINERS, ...options.params },
    {
      title: options.title,
      description: options.description,
      metricNames: names,
      overrides: { legendFormat: legend },
      more: options.more?.map((q) => ({ ...q, params: { ...CONTAINERS, ...q.params } })),
      transformations: CONTAINER_NAMES,
      min: options.min,
      max: options.max,
      thresholds: options.thresholds,
    }
  );
  withEmptyState(panel, options.empty ?? noContainerText());
  return options.thresholds ? withThresholdLines(panel) : panel;
}

const second = (signalId: string, params: SignalParams, suffix: string): PanelQuery => ({
  signalId,
  params,
  overrides: { legendFormat: `${CONTAINER_LEGEND} ${suffix}` },
});

function runningStat(names?: NestMetricNames): VizPanel {
  const panel = signalPanel('container.running', CONTAINERS, {
    title: t('pages.containers.panels.running', 'Running containers'),
    viz: 'stat',
    textMode: BigValueTextMode.Value,
    metricNames: names,
  });
  withPanelOptions(panel, { graphMode: BigValueGraphMode.Area, colorMode: BigValueColorMode.None });
  return withEmptyState(panel, noContainerText(), t('pages.containers.empty.no-container-short', 'No containers'));
}

function containersTable(names?: NestMetricNames): VizPanel {
  const panel = joinedTable({
    title: t('pages.containers.panels.table', 'Containers'),
    description: t(
      'pages.containers.panels.table-description',
      'Each container with its cgroup id, how long it has been running and how often it restarted in the time range.'
    ),
    metricNames: names,
    filterable: true,
    alerts: { pack: 'container', keyLabel: 'name' },
    keys: [{ labelName: 'id', title: t('pages.containers.columns.id', 'cgroup id') }],
    columns: [
      {
        signalId: 'container.uptime',
        params: CONTAINERS,
        title: t('pages.containers.columns.uptime', 'Uptime'),
        labels: [{ labelName: 'name', title: t('pages.containers.columns.name', 'Name') }],
      },
      {
        signalId: 'container.restarts',
        params: CONTAINERS,
        title: t('pages.containers.columns.restarts', 'Restarts'),
      },
    ],
  });
  return withEmptyState(panel, noContainerText());
}

function goneTable(names?: NestMetricNames): VizPanel {
  const panel = signalPanel('container.gone', CONTAINERS, {
    title: t('pages.containers.panels.gone', 'Gone containers'),
    description: t(
      'pages.containers.panels.gone-description',
      'Containers seen in the time range that cAdvisor has not reported for over a minute: stopped, crashed or removed.'
    ),
    metricNames: names,
    valueTitle: t('pages.containers.columns.gone-for', 'Gone for'),
  });
  return withEmptyState(
    panel,
    t(
      'pages.containers.empty.gone',
      'No container disappeared in this time range: every container seen is still reported by cAdvisor.'
    )
  );
}

function panels(names?: NestMetricNames): SceneObject[][] {
  const received = t('pages.containers.legend.received', 'received');
  const sent = t('pages.containers.legend.sent', 'sent');
  const reads = t('pages.containers.legend.read', 'read');
  const writes = t('pages.containers.legend.written', 'written');
  return [
    [
      runningStat(names),
      containerGraph(
        'container.cpu',
        {
          title: t('pages.containers.panels.cpu', 'CPU'),
          description: t('pages.containers.panels.cpu-description', '100% is one full core.'),
          min: 0,
        },
        names
      ),
      containerGraph(
        'container.cpu.throttling',
        {
          title: t('pages.containers.panels.throttling', 'CPU throttling'),
          description: t(
            'pages.containers.panels.throttling-description',
            'Share of CPU periods in which the container hit its CPU limit; above 25% it is slowed noticeably.'
          ),
          min: 0,
          max: 1,
          thresholds: thresholds(0.25),
          empty: t(
            'pages.containers.empty.no-cpu-limit',
            'No container with a CPU limit (CPU quota): only those can be throttled. If other panels are empty too, see their message.'
          ),
        },
        names
      ),
    ],
    [
      containerGraph(
        'container.memory',
        { title: t('pages.containers.panels.memory', 'Memory working set'), min: 0 },
        names
      ),
      containerGraph(
        'container.memory.vs-limit',
        {
          title: t('pages.containers.panels.memory-limit', 'Memory against limit'),
          description: t(
            'pages.containers.panels.memory-limit-description',
            'Working set as a share of the memory limit; at 100% the kernel kills the container.'
          ),
          min: 0,
          max: 1,
          thresholds: thresholds(0.8, 0.9),
          empty: t(
            'pages.containers.empty.no-memory-limit',
            'No container with a memory limit. If other panels are empty too, see their message.'
          ),
        },
        names
      ),
    ],
    [
      containerGraph(
        'container.network',
        {
          title: t('pages.containers.panels.network', 'Network'),
          params: { mode: 'receive' },
          legendSuffix: received,
          more: [second('container.network', { mode: 'transmit' }, sent)],
          empty: rawCgroupText(),
        },
        names
      ),
      containerGraph(
        'container.filesystem.usage',
        { title: t('pages.containers.panels.filesystem', 'Filesystem usage'), min: 0, empty: rawCgroupText() },
        names
      ),
      containerGraph(
        'container.filesystem.io',
        {
          title: t('pages.containers.panels.disk-io', 'Disk I/O'),
          params: { mode: 'reads' },
          legendSuffix: reads,
          more: [second('container.filesystem.io', { mode: 'writes' }, writes)],
          empty: rawCgroupText(),
        },
        names
      ),
    ],
    [containersTable(names), goneTable(names)],
  ];
}

function containersScene(settings: PageSettings) {
  const names = initialMetricNames(settings.defaultDataSourceUid);
  return pulsePageScene({
    defaultDataSourceUid: settings.defaultDataSourceUid,
    variables: [hideStackVariable(), new ContainerVariable(), inventoryFilterVariable()],
    body: new SceneFlexLayout({
      direction: 'column',
      children: panels(names).map(
        (row) =>
          new SceneFlexItem({
            height: 280,
            body: new SceneFlexLayout({
              direction: 'row',
              children: row.map((body) => new SceneFlexItem({ minWidth: 240, body })),
            }),
          })
      ),
    }),
  });
}

/** Built at render time (not module load) so its texts go through the initialised translations. */
export function getContainersPage(settings: PageSettings): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.containers.title', 'Containers'),
    subTitle: t('pages.containers.subtitle', 'CPU, memory, network and lifetime of the containers cAdvisor reports.'),
    url: prefixRoute(ROUTES.Containers),
    routePath: `${ROUTES.Containers}/*`,
    getScene: () => containersScene(settings),
  });
}
