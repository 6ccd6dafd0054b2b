import {
  CustomVariable,
  DataSourceVariable,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  sceneGraph,
  SceneDataTransformer,
  VizPanel,
  VizPanelExploreButton,
} from '@grafana/scenes';
import { BigValueTextMode } from '@grafana/schema';

import type { PulseQuery } from '../../datasource/types';
import { getSignal, renderContext, withDefaults } from '../../signals';
import { exploreQuery, pulsePageScene, signalPanel, signalQuery } from '.';
import { AddToDashboardButton } from './AddToDashboard';
import { CreateAlertButton } from './createAlert';

const dataSources = [
  { uid: 'pulse-a', name: 'Pulse A', type: 'pulse-prometheus-datasource', jsonData: {} },
  {
    uid: 'pulse-b',
    name: 'Pulse B',
    type: 'pulse-prometheus-datasource',
    jsonData: { metrics: { successHistogram: 'api_ok', failHistogram: 'api_fail', info: 'api_info' } },
  },
];

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    getList: () => dataSources,
    getInstanceSettings: (uid: string) => dataSources.find((ds) => ds.uid === uid),
  }),
}));

const rendered = (id: string, params: Record<string, string | string[]>, names?: Record<string, string>) => {
  const signal = getSignal(id)!;
  return signal.render(withDefaults(signal.parameters, params), renderContext(names));
};

function runnerOf(panel: VizPanel): SceneQueryRunner {
  const data = panel.state.$data;
  return (data instanceof SceneDataTransformer ? data.state.$data : data) as SceneQueryRunner;
}

describe('signalQuery', () => {
  it('is the signal rendered with its defaults, format, legend and range, and keeps the Guided state', () => {
    const query = signalQuery(
      'service.latency.quantile',
      { service: 'shop.orders', quantile: '0.99' },
      { metricNames: { profile: 'seed' } }
    );
    expect(query).toEqual({
      refId: 'A',
      datasource: { type: 'pulse-prometheus-datasource', uid: '${ds}' },
      expr: 'histogram_quantile(0.99, sum by (le) (rate(nestjs_success_requests_bucket[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}))',
      format: 'time_series',
      legendFormat: 'p99',
      range: true,
      instant: false,
      editorMode: 'guided',
      guided: {
        signalId: 'service.latency.quantile',
        params: { service: 'shop.orders', quantile: '0.99', outcome: 'success', groupBy: [] },
      },
    });
  });

  it('renders instant table signals as instant queries, with the data source metric names', () => {
    const names = { failedCounter: 'api_failed_total' };
    const query = signalQuery('service.errors.count', { groupBy: ['error'] }, { metricNames: names, refId: 'E' });
    expect(query).toMatchObject({ refId: 'E', format: 'table', instant: true, range: false });
    expect(query.expr).toBe(rendered('service.errors.count', { groupBy: ['error'] }, names));
    expect(query.expr).toContain('api_failed_total');
  });

  it('refuses unknown signals', () => {
    expect(() => signalQuery('service.nope', {})).toThrow('unknown signal service.nope');
  });
});

describe('signalPanel', () => {
  it('draws a time series signal with its unit, an Explore action and a named empty state', () => {
    const panel = signalPanel('service.errors.ratio', { service: 'shop.orders' }, { title: 'Error ratio' });
    expect(panel.state.pluginId).toBe('timeseries');
    expect(panel.state.title).toBe('Error ratio');
    expect(panel.state.fieldConfig.defaults.unit).toBe('percentunit');
    expect(panel.state.fieldConfig.defaults.noValue).toMatch(
      /^No data from nestjs_success_requests, nestjs_fail_requests or nestjs_requests_failed_count\. .*interceptor/
    );
    expect(panel.state.headerActions).toEqual([
      expect.any(VizPanelExploreButton),
      expect.any(CreateAlertButton),
      expect.any(AddToDashboardButton),
    ]);
    expect(runnerOf(panel).state.queries.map((q) => (q as PulseQuery).expr)).toEqual([
      rendered('service.errors.ratio', { service: 'shop.orders' }),
    ]);
  });

  it('draws several signals in one panel with refIds A, B, C', () => {
    const panel = signalPanel(
      'service.latency.quantile',
      { quantile: '0.5' },
      {
        title: 'Latency',
        more: [
          { signalId: 'service.latency.quantile', params: { quantile: '0.95' } },
          { signalId: 'service.latency.quantile', params: { quantile: '0.99' } },
        ],
      }
    );
    const queries = runnerOf(panel).state.queries as PulseQuery[];
    expect(queries.map((q) => [q.refId, q.legendFormat])).toEqual([
      ['A', 'p50'],
      ['B', 'p95'],
      ['C', 'p99'],
    ]);
    expect(queries[2].expr).toBe(rendered('service.latency.quantile', { quantile: '0.99' }));
  });

  it('draws heatmap signals as a pre-bucketed heatmap with the unit on the y axis', () => {
    const panel = signalPanel('service.latency.heatmap', { outcome: 'fail' }, { title: 'Failed latency' });
    expect(panel.state.pluginId).toBe('heatmap');
    expect(panel.state.options).toMatchObject({ calculate: false, yAxis: { unit: 's' }, rowsFrame: { layout: 'le' } });
    const [query] = runnerOf(panel).state.queries as PulseQuery[];
    expect(query).toMatchObject({ format: 'heatmap', legendFormat: '{{le}}' });
  });

  it('renders from the data source’s instrumentation profile and names what it cannot know', () => {
    const otel = signalPanel(
      'service.latency.heatmap',
      {},
      { title: 'Latency', metricNames: { profile: 'otel-http-legacy' } }
    );
    // Older OpenTelemetry SDKs bucket in milliseconds: the heatmap's rows are in that unit.
    expect(otel.state.options).toMatchObject({ yAxis: { unit: 'ms' } });
    expect((runnerOf(otel).state.queries as PulseQuery[])[0].expr).toContain(
      'http_server_duration(_milliseconds)?_bucket'
    );
    expect(otel.state.fieldConfig.defaults.noValue).toMatch(
      /^No data from http_server_duration_milliseconds, target_info/
    );

    const oneHistogram = signalPanel(
      'service.latency.quantile',
      { outcome: 'fail' },
      { title: 'Failed latency', metricNames: { profile: 'nestjs-requests' } }
    );
    expect(oneHistogram.state.fieldConfig.defaults.noValue).toMatch(/cannot be told apart/);
  });

  it('draws table signals as tables without the Time column of instant queries', () => {
    const panel = signalPanel('runtime.restarts', {}, { title: 'Restarts' });
    expect(panel.state.pluginId).toBe('table');
    const data = panel.state.$data as SceneDataTransformer;
    expect(data.state.transformations).toEqual([{ id: 'organize', options: { excludeByName: { Time: true } } }]);
    expect(panel.state.fieldConfig.defaults.noValue).toMatch(
      /^No Node\.js runtime metrics .* nestjs_info\. Pulse reads them from the prom-client/
    );
  });

  it('titles a table’s value column and shows a stat’s number alone when asked', () => {
    const table = signalPanel('runtime.restarts', {}, { title: 'Restarts', valueTitle: 'Restarts' });
    expect(table.state.fieldConfig.overrides).toEqual([
      { matcher: { id: 'byName', options: 'Value #A' }, properties: [{ id: 'displayName', value: 'Restarts' }] },
    ]);
    const stat = signalPanel(
      'container.running',
      {},
      { title: 'Running', viz: 'stat', textMode: BigValueTextMode.Value }
    );
    expect(stat.state.options).toMatchObject({ textMode: 'value', reduceOptions: { calcs: ['lastNotNull'] } });
    const plain = signalPanel('container.running', {}, { title: 'Running', viz: 'stat' });
    expect(plain.state.options).not.toHaveProperty('textMode', 'value');
  });

  it('gives stats a short empty state and the full explanation in the description', () => {
    const panel = signalPanel('container.running', {}, { title: 'Containers running', viz: 'stat' });
    expect(panel.state.pluginId).toBe('stat');
    expect(panel.state.fieldConfig.defaults.noValue).toBe('cAdvisor missing');
    expect(panel.state.description).toMatch(/^No cAdvisor metrics\. Run cAdvisor/);
  });
});

describe('pulsePageScene', () => {
  function page(defaultDataSourceUid?: string) {
    const panel = signalPanel(
      'service.requests.rate',
      { instance: '$instance' },
      { title: 'Requests', metricNames: { successHistogram: 'api_ok' } }
    );
    const instance = new CustomVariable({
      name: 'instance',
      query: 'a:3000,b:3000',
      isMulti: true,
      value: ['a:3000', 'b:3000'],
      text: ['a:3000', 'b:3000'],
    });
    const scene = pulsePageScene({
      defaultDataSourceUid,
      variables: [instance],
      body: new SceneFlexLayout({ children: [new SceneFlexItem({ body: panel })] }),
    });
    return { scene, panel };
  }

  it('has a data source variable limited to Pulse data sources, opening on the default', () => {
    const { scene } = page('pulse-b');
    const ds = sceneGraph.lookupVariable('ds', scene) as DataSourceVariable;
    expect(ds).toBeInstanceOf(DataSourceVariable);
    expect(ds.state).toMatchObject({ pluginId: 'pulse-prometheus-datasource', value: 'pulse-b', text: 'Pulse B' });
    expect(scene.state.controls?.map((c) => c.constructor.name)).toEqual([
      'VariableValueSelectors',
      'SceneControlsSpacer',
      'SceneTimePicker',
      'SceneRefreshPicker',
    ]);
    expect(sceneGraph.getTimeRange(scene).state.from).toBe('now-1h');
  });

  it('falls back to the first Pulse data source without a default', () => {
    const { scene } = page();
    expect((sceneGraph.lookupVariable('ds', scene) as DataSourceVariable).state.value).toBe('pulse-a');
  });

  it('renders signal queries with the metric names of the chosen data source when activated', () => {
    const { scene, panel } = page('pulse-b');
    scene.activate();
    const [query] = runnerOf(panel).state.queries as PulseQuery[];
    expect(query.expr).toBe(
      rendered(
        'service.requests.rate',
        { instance: '$instance' },
        { successHistogram: 'api_ok', failHistogram: 'api_fail', info: 'api_info' }
      )
    );
  });

  it('opens Explore with the data source and variables filled in, macros kept for the backend', () => {
    const { scene, panel } = page('pulse-a');
    scene.activate();
    const [query] = runnerOf(panel).state.queries as PulseQuery[];
    const explored = exploreQuery(query, panel) as PulseQuery;
    expect(explored.datasource).toEqual({ type: 'pulse-prometheus-datasource', uid: 'pulse-a' });
    expect(explored.expr).toContain('instance=~"(a:3000|b:3000)"');
    expect(explored.expr).toContain('[$__rate_interval]');
    expect(explored.expr).not.toContain('$instance');
  });
});
