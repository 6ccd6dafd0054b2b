import type { ThresholdsConfig } from '@grafana/data';
import { t } from '@grafana/i18n';
import { SceneAppPage, type SceneAppPageLike, SceneFlexLayout, type VizPanel } from '@grafana/scenes';
import { BigValueColorMode, BigValueGraphMode } from '@grafana/schema';

import type { PageSettings } from '../../components/App/App';
import type { NestMetricNames } from '../../datasource/types';
import type { SignalParams } from '../../signals';
import { initialMetricNames, type PanelQuery, panelRow, pulsePageScene, signalPanel } from '../shared';
import { withPanelOptions } from '../shared/panelTweaks';
import { withEmptyState } from '../shared/withEmptyState';
import { HOST_URL_KEYS, hostDetailUrl } from './hostLink';
import {
  CPU_THRESHOLDS,
  FILESYSTEM_THRESHOLDS,
  LOAD_THRESHOLDS,
  MEMORY_THRESHOLDS,
  SWAP_THRESHOLDS,
} from './thresholds';

// Legend templates: the label part stays out of t(), which would try to fill {{device}} itself.
const DEVICE = '{{device}}';

interface Quick {
  signalId: string;
  params?: SignalParams;
  title: string;
  thresholds?: ThresholdsConfig;
}

function quickStat(host: SignalParams, q: Quick, names?: NestMetricNames): VizPanel {
  const panel = signalPanel(
    q.signalId,
    { ...host, ...q.params },
    { title: q.title, viz: 'stat', metricNames: names, thresholds: q.thresholds }
  );
  return withPanelOptions(panel, {
    colorMode: q.thresholds ? BigValueColorMode.Background : BigValueColorMode.None,
    graphMode: BigValueGraphMode.None,
  });
}

/** Node Exporter Full's quick row: the host at a glance, with 1860's thresholds. */
function quickRow(host: SignalParams, names?: NestMetricNames): VizPanel[] {
  const stats: Quick[] = [
    { signalId: 'host.cpu.busy', title: t('pages.host.quick.cpu', 'CPU busy'), thresholds: CPU_THRESHOLDS },
    {
      signalId: 'host.load.per-core',
      title: t('pages.host.quick.load', 'Sys load (1m, per core)'),
      thresholds: LOAD_THRESHOLDS,
    },
    { signalId: 'host.memory.used', title: t('pages.host.quick.ram', 'RAM used'), thresholds: MEMORY_THRESHOLDS },
    { signalId: 'host.swap.used', title: t('pages.host.quick.swap', 'Swap used'), thresholds: SWAP_THRESHOLDS },
    {
      signalId: 'host.filesystem.used',
      params: { mounts: 'root' },
      title: t('pages.host.quick.root-fs', 'Root FS used'),
      thresholds: FILESYSTEM_THRESHOLDS,
    },
    { signalId: 'host.cpu.cores', title: t('pages.host.quick.cores', 'CPU cores') },
    { signalId: 'host.memory.total', title: t('pages.host.quick.ram-total', 'RAM total') },
    { signalId: 'host.uptime', title: t('pages.host.quick.uptime', 'Uptime') },
  ];
  const panels = stats.map((q) => quickStat(host, q, names));
  // Empty swap is the common case (no swap configured), not a missing exporter.
  withEmptyState(panels[3], noSwapText(), t('pages.host.empty.no-swap-short', 'No swap'));
  return panels;
}

function noSwapText(): string {
  return t(
    'pages.host.empty.no-swap',
    'This host has no swap space (SwapTotal is 0), so there is no share of it in use. If the other panels are empty too, node_exporter is not scraped.'
  );
}

function graph(
  host: SignalParams,
  signalId: string,
  params: SignalParams,
  title: string,
  legend: string,
  more: PanelQuery[],
  names?: NestMetricNames,
  extra: { min?: number; max?: number; thresholds?: ThresholdsConfig } = {}
): VizPanel {
  return signalPanel(
    signalId,
    { ...host, ...params },
    {
      title,
      metricNames: names,
      overrides: { legendFormat: legend },
      more: more.map((q) => ({ ...q, params: { ...host, ...q.params } })),
      ...extra,
    }
  );
}

const also = (signalId: string, params: SignalParams, legend: string): PanelQuery => ({
  signalId,
  params,
  overrides: { legendFormat: legend },
});

/** 1860's basic panels: CPU, load, memory, swap, filesystems, disks, network. */
function basicPanels(host: SignalParams, names?: NestMetricNames): VizPanel[] {
  const reads = t('pages.host.legend.reads', 'reads');
  const writes = t('pages.host.legend.writes', 'writes');
  const received = t('pages.host.legend.received', 'received');
  const sent = t('pages.host.legend.sent', 'sent');
  const swap = graph(
    host,
    'host.swap.used',
    {},
    t('pages.host.panels.swap', 'Swap used'),
    t('pages.host.legend.swap', 'Swap'),
    [],
    names,
    {
      min: 0,
      max: 1,
    }
  );
  withEmptyState(swap, noSwapText());
  return [
    graph(host, 'host.cpu.by-mode', {}, t('pages.host.panels.cpu', 'CPU by mode'), '{{mode}}', [], names, {
      min: 0,
      max: 1,
    }),
    graph(
      host,
      'host.load.per-core',
      { window: 'load1' },
      t('pages.host.panels.load', 'Load per core'),
      t('pages.host.legend.load1', '1 minute'),
      [
        also('host.load.per-core', { window: 'load5' }, t('pages.host.legend.load5', '5 minutes')),
        also('host.load.per-core', { window: 'load15' }, t('pages.host.legend.load15', '15 minutes')),
      ],
      names,
      { min: 0 }
    ),
    graph(
      host,
      'host.memory.used-bytes',
      {},
      t('pages.host.panels.memory', 'Memory'),
      t('pages.host.legend.memory-used', 'Used'),
      [also('host.memory.total', {}, t('pages.host.legend.memory-total', 'Total'))],
      names,
      { min: 0 }
    ),
    swap,
    graph(
      host,
      'host.filesystem.used',
      {},
      t('pages.host.panels.filesystems', 'Filesystem used per mount point'),
      '{{mountpoint}}',
      [],
      names,
      { min: 0, max: 1, thresholds: FILESYSTEM_THRESHOLDS }
    ),
    graph(
      host,
      'host.disk.iops',
      { direction: 'reads' },
      t('pages.host.panels.disk-iops', 'Disk IOPS'),
      `${DEVICE} ${reads}`,
      [also('host.disk.iops', { direction: 'writes' }, `${DEVICE} ${writes}`)],
      names
    ),
    graph(
      host,
      'host.disk.throughput',
      { direction: 'read' },
      t('pages.host.panels.disk-throughput', 'Disk throughput'),
      `${DEVICE} ${reads}`,
      [also('host.disk.throughput', { direction: 'written' }, `${DEVICE} ${writes}`)],
      names
    ),
    graph(
      host,
      'host.disk.utilisation',
      {},
      t('pages.host.panels.disk-utilisation', 'Disk I/O utilisation'),
      DEVICE,
      [],
      names,
      { min: 0, max: 1 }
    ),
    graph(
      host,
      'host.network.traffic',
      { direction: 'receive' },
      t('pages.host.panels.network', 'Network traffic'),
      `${DEVICE} ${received}`,
      [also('host.network.traffic', { direction: 'transmit' }, `${DEVICE} ${sent}`)],
      names
    ),
    graph(
      host,
      'host.network.errors',
      { kind: 'receive_errs' },
      t('pages.host.panels.network-errors', 'Network errors and drops'),
      `${DEVICE} ${t('pages.host.legend.receive-errors', 'receive errors')}`,
      [
        also(
          'host.network.errors',
          { kind: 'transmit_errs' },
          `${DEVICE} ${t('pages.host.legend.send-errors', 'send errors')}`
        ),
        also(
          'host.network.errors',
          { kind: 'receive_drop' },
          `${DEVICE} ${t('pages.host.legend.receive-drops', 'receive drops')}`
        ),
        also(
          'host.network.errors',
          { kind: 'transmit_drop' },
          `${DEVICE} ${t('pages.host.legend.send-drops', 'send drops')}`
        ),
      ],
      names
    ),
  ];
}

function hostDetailScene(settings: PageSettings, instance: string) {
  const names = initialMetricNames(settings.defaultDataSourceUid);
  // The route names one host: its panels filter on it directly, with exact matching.
  const host: SignalParams = { host: instance };
  return pulsePageScene({
    defaultDataSourceUid: settings.defaultDataSourceUid,
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        panelRow(quickRow(host, names), { minWidth: 170, height: 110 }),
        panelRow(basicPanels(host, names), { minWidth: 420, height: 280 }),
      ],
    }),
  });
}

/** The drill-down `hosts/:instance`; the router hands over the instance already decoded. */
export function getHostDetailPage(settings: PageSettings, instance: string, parent: SceneAppPageLike): SceneAppPage {
  return new SceneAppPage({
    title: instance,
    subTitle: t('pages.host.subtitle', 'node_exporter figures of this host, after Node Exporter Full.'),
    url: hostDetailUrl(instance),
    routePath: ':instance',
    preserveUrlKeys: HOST_URL_KEYS,
    getParentPage: () => parent,
    getScene: () => hostDetailScene(settings, instance),
  });
}
