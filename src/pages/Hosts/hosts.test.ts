import {
  type DataTransformerConfig,
  FieldType,
  getFieldDisplayName,
  ThresholdsMode,
  toDataFrame,
  transformDataFrame,
} from '@grafana/data';
import {
  QueryVariable,
  SceneAppPage,
  SceneDataTransformer,
  sceneGraph,
  SceneQueryRunner,
  VizPanel,
  VizPanelExploreButton,
  type EmbeddedScene,
  type SceneRouteMatch,
} from '@grafana/scenes';
import { BigValueTextMode } from '@grafana/schema';
import { lastValueFrom } from 'rxjs';

import type { PulseQuery } from '../../datasource/types';
import { hostInstanceVariableQuery } from '../../signals';
import { signalQuery } from '../shared';
import { runnableTransformations } from '../shared/rowFilter';
import { registerStandardTransformers } from '../shared/testing/transformers';
import { getHostsPage } from '.';
import { AddToDashboardButton } from '../shared/AddToDashboard';
import { CreateAlertButton } from '../shared/createAlert';

const dataSources = [{ uid: 'pulse-a', name: 'Pulse A', type: 'pulse-prometheus-datasource', jsonData: {} }];

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    getList: () => dataSources,
    getInstanceSettings: (uid: string) => dataSources.find((ds) => ds.uid === uid),
  }),
}));

const match = <T extends Record<string, string>>(url: string, params: T): SceneRouteMatch<T> => ({
  url,
  path: url,
  isExact: true,
  params,
});

function panels(scene: EmbeddedScene): VizPanel[] {
  return sceneGraph.findAllObjects(scene, (o) => o instanceof VizPanel) as VizPanel[];
}

const byTitle = (scene: EmbeddedScene, title: string) => {
  const panel = panels(scene).find((p) => p.state.title === title);
  if (!panel) {
    throw new Error(`no panel ${title}`);
  }
  return panel;
};

function queriesOf(panel: VizPanel): PulseQuery[] {
  const data = panel.state.$data;
  const runner = (data instanceof SceneDataTransformer ? data.state.$data : data) as SceneQueryRunner;
  return runner.state.queries as PulseQuery[];
}

beforeAll(registerStandardTransformers);

const thresholdValues = (config: { steps: Array<{ value: number }> }) => config.steps.map((s) => s.value);

function hostsScene() {
  const page = getHostsPage({ defaultDataSourceUid: 'pulse-a' });
  return { page, scene: page.state.getScene!(match('/a/pulse-monitoring-app/hosts', {})) as EmbeddedScene };
}

describe('Hosts page', () => {
  it('lives at /hosts with a drill-down per instance', () => {
    const { page } = hostsScene();
    expect(page.state).toMatchObject({ title: 'Hosts', url: '/a/pulse-monitoring-app/hosts', routePath: 'hosts/*' });
    expect(page.state.drilldowns?.map((d) => d.routePath)).toEqual([':instance']);
    expect(page.state.preserveUrlKeys).toEqual(expect.arrayContaining(['from', 'to', 'var-ds']));
  });

  it('filters on a host variable listed by the data source, All being any host', () => {
    const { scene } = hostsScene();
    const host = sceneGraph.lookupVariable('host', scene) as QueryVariable;
    expect(host).toBeInstanceOf(QueryVariable);
    expect(host.state).toMatchObject({
      query: hostInstanceVariableQuery(),
      datasource: { type: 'pulse-prometheus-datasource', uid: '${ds}' },
      isMulti: true,
      includeAll: true,
      allValue: '.+',
    });
  });

  it('counts hosts up and down from host.up', () => {
    const { scene } = hostsScene();
    expect(queriesOf(byTitle(scene, 'Hosts up'))[0].expr).toBe(signalQuery('host.up', { host: '$host' }).expr);
    const down = byTitle(scene, 'Hosts down');
    expect(down.state.pluginId).toBe('stat');
    expect(queriesOf(down)[0].expr).toBe(signalQuery('host.up', { host: '$host', state: 'down' }).expr);
    expect(thresholdValues(down.state.fieldConfig.defaults.thresholds!)).toEqual([-Infinity, 1]);
    // One count each: the number alone, not the PromQL that Grafana would name the series by.
    for (const title of ['Hosts up', 'Hosts down']) {
      expect(byTitle(scene, title).state.options).toMatchObject({ textMode: BigValueTextMode.Value });
    }
  });

  it('builds the fleet table from one instant query per column, joined on instance', async () => {
    const { scene } = hostsScene();
    const table = byTitle(scene, 'Hosts');
    expect(table.state.pluginId).toBe('table');
    const queries = queriesOf(table);
    const columns: Array<[string, Record<string, string>]> = [
      ['host.info', {}],
      ['host.uptime', {}],
      ['host.load.per-core', {}],
      ['host.cpu.cores', {}],
      ['host.cpu.busy', {}],
      ['host.memory.total', {}],
      ['host.memory.used', {}],
      ['host.filesystem.used', { mounts: 'root' }],
    ];
    expect(queries.map((q) => [q.refId, q.guided?.signalId, q.format, q.instant, q.range])).toEqual(
      columns.map(([id], i) => ['ABCDEFGH'[i], id, 'table', true, false])
    );
    columns.forEach(([id, params], i) => {
      expect(queries[i].expr).toBe(signalQuery(id, { host: '$host', ...params }).expr);
    });
    // Each query answers as the backend does: a table frame named by its refId, its value `Value #<refId>`.
    const answer = (refId: string, labels: Record<string, string>, value: number) =>
      toDataFrame({
        name: refId,
        refId,
        fields: [
          { name: 'Time', type: FieldType.time, values: [1000] },
          ...Object.entries(labels).map(([name, v]) => ({ name, type: FieldType.string, values: [v] })),
          { name: `Value #${refId}`, type: FieldType.number, values: [value] },
        ],
      });
    const host = { instance: 'a:9100', job: 'node' };
    const frames = queries.map((q, i) =>
      answer(q.refId, i === 0 ? { ...host, nodename: 'alpha', sysname: 'Linux' } : host, i === 0 ? 1 : i / 10)
    );
    const transformations = runnableTransformations(
      (table.state.$data as SceneDataTransformer).state.transformations as DataTransformerConfig[]
    );
    const [joined] = await lastValueFrom(transformDataFrame(transformations, frames));
    expect(joined.fields.map((f) => [getFieldDisplayName(f, joined), f.values[0]])).toEqual([
      ['Host', 'a:9100'],
      ['Node name', 'alpha'],
      ['Uptime', 0.1],
      ['Load per core', 0.2],
      ['Cores', 0.3],
      ['CPU busy', 0.4],
      ['Memory', 0.5],
      ['Memory used', 0.6],
      ['Root FS used', 0.7],
    ]);
  });

  it('draws usage cells as gauges with the fleet thresholds and each column in its unit', () => {
    const { scene } = hostsScene();
    const overrides = byTitle(scene, 'Hosts').state.fieldConfig.overrides;
    const column = (title: string) =>
      Object.fromEntries(overrides.find((o) => o.matcher.options === title)!.properties.map((p) => [p.id, p.value]));
    expect(column('CPU busy')).toMatchObject({
      unit: 'percentunit',
      'custom.cellOptions': { type: 'gauge' },
      thresholds: { mode: ThresholdsMode.Absolute },
      max: 1,
    });
    expect(thresholdValues(column('CPU busy').thresholds)).toEqual([-Infinity, 0.85, 0.95]);
    expect(thresholdValues(column('Memory used').thresholds)).toEqual([-Infinity, 0.8, 0.9]);
    expect(thresholdValues(column('Root FS used').thresholds)).toEqual([-Infinity, 0.8, 0.9]);
    expect(column('Load per core')).toMatchObject({ 'custom.cellOptions': { type: 'color-text' } });
    expect(thresholdValues(column('Load per core').thresholds)).toEqual([-Infinity, 0.85, 0.95]);
    expect(column('Uptime').unit).toBe('s');
    expect(column('Memory').unit).toBe('bytes');
  });

  it('links each host to its page, instance encoded, keeping the data source and time range', () => {
    const { scene } = hostsScene();
    const table = byTitle(scene, 'Hosts');
    const links = table.state.fieldConfig.overrides.find((o) => o.matcher.options === 'Host')!.properties[0].value;
    const url = sceneGraph.interpolate(table, links[0].url, {
      __value: { value: { raw: '10.0.0.1:9100/x y' }, text: '' },
    });
    expect(url).toBe(
      '/a/pulse-monitoring-app/hosts/10.0.0.1%3A9100%2Fx%20y?from=now-1h&to=now&timezone=browser&var-ds=pulse-a'
    );
  });
});

describe('Host detail page', () => {
  function detail(instance = '127.0.0.1:9100') {
    const { page } = hostsScene();
    const drilldown = page.state.drilldowns![0];
    const url = `/a/pulse-monitoring-app/hosts/${encodeURIComponent(instance)}`;
    const hostPage = drilldown.getPage(match(url, { instance }), page) as SceneAppPage;
    return { page, hostPage, scene: hostPage.state.getScene!(match(url, { instance })) as EmbeddedScene };
  }

  it('is titled by the instance, under the Hosts page', () => {
    const { page, hostPage } = detail();
    expect(hostPage.state).toMatchObject({
      title: '127.0.0.1:9100',
      url: '/a/pulse-monitoring-app/hosts/127.0.0.1%3A9100',
    });
    expect(hostPage.state.getParentPage!()).toBe(page);
  });

  it('opens on Node Exporter Full’s quick row with its thresholds', () => {
    const { scene } = detail();
    const quick: Array<[string, string, number[] | undefined]> = [
      ['CPU busy', 'host.cpu.busy', [-Infinity, 0.85, 0.95]],
      ['Sys load (1m, per core)', 'host.load.per-core', [-Infinity, 0.85, 0.95]],
      ['RAM used', 'host.memory.used', [-Infinity, 0.8, 0.9]],
      ['Swap used', 'host.swap.used', [-Infinity, 0.1, 0.25]],
      ['Root FS used', 'host.filesystem.used', [-Infinity, 0.8, 0.9]],
      ['CPU cores', 'host.cpu.cores', undefined],
      ['RAM total', 'host.memory.total', undefined],
      ['Uptime', 'host.uptime', undefined],
    ];
    const stats = panels(scene).filter((p) => p.state.pluginId === 'stat');
    expect(stats.map((p) => p.state.title)).toEqual(quick.map(([title]) => title));
    quick.forEach(([, id, steps], i) => {
      const [query] = queriesOf(stats[i]);
      expect(query.guided?.signalId).toBe(id);
      expect(query.expr).toContain('instance="127.0.0.1:9100"');
      if (steps) {
        expect(thresholdValues(stats[i].state.fieldConfig.defaults.thresholds!)).toEqual(steps);
      }
    });
    expect(queriesOf(stats[4])[0].expr).toBe(
      signalQuery('host.filesystem.used', { host: '127.0.0.1:9100', mounts: 'root' }).expr
    );
  });

  it('says a host without swap has none instead of blaming node_exporter', () => {
    const { scene } = detail();
    const swapStat = panels(scene).find((p) => p.state.pluginId === 'stat' && p.state.title === 'Swap used')!;
    expect(swapStat.state.fieldConfig.defaults.noValue).toBe('No swap');
    expect(swapStat.state.description).toMatch(/^This host has no swap space/);
    const swapGraph = panels(scene).find((p) => p.state.pluginId === 'timeseries' && p.state.title === 'Swap used')!;
    expect(swapGraph.state.fieldConfig.defaults.noValue).toMatch(/^This host has no swap space/);
    const cpu = byTitle(scene, 'CPU busy');
    expect(cpu.state.fieldConfig.defaults.noValue).toBe('node_exporter missing');
  });

  it('draws the basic panels from the host signals, each with an Explore action', () => {
    const { scene } = detail();
    const graphs = panels(scene).filter((p) => p.state.pluginId === 'timeseries');
    expect(graphs.map((p) => [p.state.title, queriesOf(p).map((q) => q.guided?.signalId)])).toEqual([
      ['CPU by mode', ['host.cpu.by-mode']],
      ['Load per core', ['host.load.per-core', 'host.load.per-core', 'host.load.per-core']],
      ['Memory', ['host.memory.used-bytes', 'host.memory.total']],
      ['Swap used', ['host.swap.used']],
      ['Filesystem used per mount point', ['host.filesystem.used']],
      ['Disk IOPS', ['host.disk.iops', 'host.disk.iops']],
      ['Disk throughput', ['host.disk.throughput', 'host.disk.throughput']],
      ['Disk I/O utilisation', ['host.disk.utilisation']],
      ['Network traffic', ['host.network.traffic', 'host.network.traffic']],
      ['Network errors and drops', Array(4).fill('host.network.errors')],
    ]);
    for (const graph of graphs) {
      expect(graph.state.headerActions).toEqual([
        expect.any(VizPanelExploreButton),
        expect.any(CreateAlertButton),
        expect.any(AddToDashboardButton),
      ]);
      for (const query of queriesOf(graph)) {
        expect(query.guided?.params.host).toBe('127.0.0.1:9100');
      }
    }
    // Used and total memory share one unit: bytes.
    expect(byTitle(scene, 'Memory').state.fieldConfig.defaults.unit).toBe('bytes');
    const iops = queriesOf(byTitle(scene, 'Disk IOPS'));
    expect(iops.map((q) => [q.expr, q.legendFormat])).toEqual([
      [signalQuery('host.disk.iops', { host: '127.0.0.1:9100', direction: 'reads' }).expr, '{{device}} reads'],
      [signalQuery('host.disk.iops', { host: '127.0.0.1:9100', direction: 'writes' }).expr, '{{device}} writes'],
    ]);
    expect(byTitle(scene, 'Network traffic').state.fieldConfig.defaults.unit).toBe('Bps');
    expect(byTitle(scene, 'CPU by mode').state.fieldConfig.defaults).toMatchObject({ unit: 'percentunit', max: 1 });
  });
});
