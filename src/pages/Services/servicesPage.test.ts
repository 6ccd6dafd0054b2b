import {
  dataLayers,
  type EmbeddedScene,
  QueryVariable,
  SceneDataLayerControls,
  SceneDataTransformer,
  sceneGraph,
  SceneQueryRunner,
  VizPanel,
  VizPanelExploreButton,
  type SceneAppPageLike,
  type SceneRouteMatch,
  type SceneObject,
  DataSourceVariable,
} from '@grafana/scenes';

import {
  type DataTransformerConfig,
  FieldType,
  standardTransformers,
  standardTransformersRegistry,
  toDataFrame,
  transformDataFrame,
} from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import type { PulseQuery } from '../../datasource/types';
import {
  renderContext,
  serviceControllerVariableQuery,
  serviceHandlerVariableQuery,
  serviceInstanceVariableQuery,
} from '../../signals';
import { signalQuery } from '../shared';
import { getServicesPage } from '.';
import { serviceScene } from './serviceDetailPage';
import { ServicePlacement } from './ServicePlacement';
import { AddToDashboardButton } from '../shared/AddToDashboard';
import { CreateAlertButton } from '../shared/createAlert';

const renamed = {
  successHistogram: 'api_ok',
  failHistogram: 'api_fail',
  failedCounter: 'api_failed',
  info: 'api_info',
};
const dataSources = [
  { uid: 'pulse-a', name: 'Pulse A', type: 'pulse-prometheus-datasource', jsonData: {} },
  { uid: 'pulse-b', name: 'Pulse B', type: 'pulse-prometheus-datasource', jsonData: { metrics: renamed } },
];

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    getList: () => dataSources,
    getInstanceSettings: (uid: string) => dataSources.find((ds) => ds.uid === uid),
    // Queries and variables are not run here: the data source never answers.
    get: () => new Promise(() => undefined),
  }),
}));

function panels(scene: SceneObject): VizPanel[] {
  return sceneGraph.findAllObjects(scene, (o) => o instanceof VizPanel) as VizPanel[];
}

function queriesOf(panel: VizPanel): PulseQuery[] {
  const data = panel.state.$data;
  const runner = (data instanceof SceneDataTransformer ? data.state.$data : data) as SceneQueryRunner;
  return runner.state.queries as PulseQuery[];
}

const byTitle = (scene: SceneObject, title: string) => {
  const panel = panels(scene).find((p) => p.state.title === title);
  if (!panel) {
    throw new Error(`no panel ${title}`);
  }
  return panel;
};

const SERVICE = { service: 'shop.orders', instance: '$instance', controller: '$controller', handler: '$handler' };

// Grafana registers its transformers at start-up; standardTransformers also exports aliases, so once per id.
beforeAll(() => {
  const byId = new Map(
    Object.values(standardTransformers).map((transformation) => [transformation.id, transformation])
  );
  standardTransformersRegistry.setInit(() =>
    [...byId.values()].map((transformation) => ({
      id: transformation.id,
      name: transformation.name,
      transformation,
      editor: () => null,
      imageDark: '',
      imageLight: '',
    }))
  );
});

describe('Services page', () => {
  const page = getServicesPage({ defaultDataSourceUid: 'pulse-a' });
  const scene = page.state.getScene!({
    params: {},
    url: '/services',
    isExact: true,
    path: 'services/*',
  }) as EmbeddedScene;

  it('is the services route with a drill-down per service', () => {
    expect(page.state).toMatchObject({
      title: 'Services',
      url: '/a/pulse-monitoring-app/services',
      routePath: 'services/*',
    });
    expect(page.state.drilldowns?.map((d) => d.routePath)).toEqual([':service']);
  });

  it('asks one query per inventory column, whatever the number of services', () => {
    const table = byTitle(scene, 'Inventory');
    expect(table.state.pluginId).toBe('table');
    expect(queriesOf(table).map((q) => q.expr)).toEqual([
      signalQuery('service.versions').expr,
      signalQuery('service.instances').expr,
      signalQuery('service.requests.total', { groupBy: ['service'] }).expr,
      signalQuery('service.errors.ratio', { groupBy: ['service'] }).expr,
      signalQuery('service.latency.quantile', { groupBy: ['service'], outcome: 'all', quantile: '0.95' }).expr,
      signalQuery('runtime.restarts', { groupBy: ['service'] }).expr,
    ]);
    expect(queriesOf(table).every((q) => q.instant && !q.range && q.format === 'table')).toBe(true);
  });

  it('links each service to its page, keeping the data source and the time range', () => {
    const table = byTitle(scene, 'Inventory');
    const service = table.state.fieldConfig.overrides.find((o) => o.matcher.options === 'Service');
    expect(service?.properties).toEqual([
      {
        id: 'links',
        value: [
          {
            title: 'Open the service page',
            url: '/a/pulse-monitoring-app/services/${__value.raw:percentencode}?${__url_time_range}&${ds:queryparam}',
          },
        ],
      },
    ]);
    const units = Object.fromEntries(
      table.state.fieldConfig.overrides.map((o) => [
        o.matcher.options,
        o.properties.find((p) => p.id === 'unit')?.value,
      ])
    );
    expect(units).toMatchObject({ 'Request rate': 'reqps', 'Error %': 'percentunit', p95: 's', Restarts: 'short' });
  });

  it('shows the fleet as stats with units and empty states, instances summed over services', async () => {
    const stats = panels(scene).filter((p) => p.state.pluginId === 'stat');
    expect(
      stats.map((p) => [p.state.title, p.state.fieldConfig.defaults.unit, p.state.fieldConfig.defaults.noValue])
    ).toEqual([
      ['Services', 'short', 'No NestJS metrics'],
      ['Instances', 'short', 'No NestJS metrics'],
      ['Error %', 'percentunit', 'No NestJS metrics'],
      ['p95 latency', 's', 'No NestJS metrics'],
    ]);
    // Each stat is one number: no "Value #A" or PromQL above it.
    for (const stat of stats) {
      expect(stat.state.options).toMatchObject({ textMode: 'value' });
    }
    const [summed] = await lastValueFrom(
      transformDataFrame(
        (stats[1].state.$data as SceneDataTransformer).state.transformations as DataTransformerConfig[],
        [
          toDataFrame({
            refId: 'A',
            fields: [
              { name: 'Time', type: FieldType.time, values: [1, 1] },
              { name: 'name', type: FieldType.string, values: ['shop.orders', 'shop.gateway'] },
              { name: 'Value #A', type: FieldType.number, values: [2, 1] },
            ],
          }),
        ]
      )
    );
    expect(summed.fields.map((f) => [f.name, f.values])).toEqual([['Value #A', [3]]]);
    expect(queriesOf(stats[1])[0]).toMatchObject({
      expr: signalQuery('service.instances').expr,
      instant: true,
      format: 'table',
    });
  });

  it('opens a service page titled with the service, decoded from the route', () => {
    const drilldown = page.state.drilldowns![0];
    const match = { params: { service: 'shop.orders' }, url: '/services/shop.orders', isExact: true, path: ':service' };
    const detail = drilldown.getPage(match as SceneRouteMatch<{ service: string }>, page as SceneAppPageLike);
    expect(detail.state).toMatchObject({ title: 'shop.orders', url: '/a/pulse-monitoring-app/services/shop.orders' });
  });
});

describe('Service page', () => {
  const scene = serviceScene({ defaultDataSourceUid: 'pulse-a' }, 'shop.orders');

  it('has instance, controller and handler variables of the service, multi-value with All', () => {
    const ctx = renderContext({ profile: 'seed' });
    const variables = ['instance', 'controller', 'handler'].map(
      (name) => sceneGraph.lookupVariable(name, scene) as QueryVariable
    );
    expect(variables.map((v) => [v.constructor, v.state.query, v.state.isMulti, v.state.includeAll])).toEqual([
      [QueryVariable, serviceInstanceVariableQuery(ctx, 'shop.orders'), true, true],
      [QueryVariable, serviceControllerVariableQuery(ctx, '$instance'), true, true],
      [QueryVariable, serviceHandlerVariableQuery(ctx, '$instance', '$controller'), true, true],
    ]);
    expect(variables.map((v) => v.state.datasource)).toEqual(
      Array(3).fill({ type: 'pulse-prometheus-datasource', uid: '${ds}' })
    );
  });

  it('draws RED, heatmaps and errors from the signals, filtered by the service and the variables', () => {
    expect(queriesOf(byTitle(scene, 'Request rate by outcome'))[0].expr).toBe(
      signalQuery('service.requests.rate', SERVICE).expr
    );
    expect(queriesOf(byTitle(scene, 'Error ratio'))[0]).toMatchObject({
      expr: signalQuery('service.errors.ratio', SERVICE).expr,
      legendFormat: 'shop.orders',
    });
    expect(queriesOf(byTitle(scene, 'Latency p50 / p95 / p99')).map((q) => [q.legendFormat, q.expr])).toEqual(
      ['0.5', '0.95', '0.99'].map((quantile, i) => [
        ['p50', 'p95', 'p99'][i],
        signalQuery('service.latency.quantile', { ...SERVICE, quantile }).expr,
      ])
    );
    for (const [title, outcome] of [
      ['Latency of successful requests', 'success'],
      ['Latency of failed requests', 'fail'],
    ]) {
      const heatmap = byTitle(scene, title);
      expect(heatmap.state.pluginId).toBe('heatmap');
      expect(heatmap.state.options).toMatchObject({ calculate: false, yAxis: { unit: 's' } });
      expect(queriesOf(heatmap)[0]).toMatchObject({
        format: 'heatmap',
        expr: signalQuery('service.latency.heatmap', { ...SERVICE, outcome }).expr,
      });
    }
    expect(queriesOf(byTitle(scene, 'Failed requests by controller and error class'))[0].expr).toBe(
      signalQuery('service.errors.count', { ...SERVICE, groupBy: ['controller', 'error'] }).expr
    );
    expect(queriesOf(byTitle(scene, 'Most failing operations'))[0].expr).toBe(
      signalQuery('service.operations.failing', { service: 'shop.orders', instance: '$instance' }).expr
    );
    // The count column reads "Failures", in the signal's unit, instead of the backend's "Value #A".
    for (const title of ['Failed requests by controller and error class', 'Most failing operations']) {
      const table = byTitle(scene, title);
      expect(table.state.fieldConfig.overrides).toContainEqual({
        matcher: { id: 'byName', options: 'Value #A' },
        properties: [{ id: 'displayName', value: 'Failures' }],
      });
      expect(table.state.fieldConfig.defaults.unit).toBe('short');
    }
  });

  it('shows the failure count first in the failures tables, where a third of the page leaves room for it', async () => {
    const cases: Array<[string, string[]]> = [
      ['Failed requests by controller and error class', ['controller', 'error']],
      ['Most failing operations', ['controller', 'handler', 'method']],
    ];
    for (const [title, labels] of cases) {
      const data = byTitle(scene, title).state.$data as SceneDataTransformer;
      const frame = toDataFrame({
        refId: 'A',
        fields: [
          { name: 'Time', type: FieldType.time, values: [1] },
          ...labels.map((name) => ({ name, type: FieldType.string, values: [name] })),
          { name: 'Value #A', type: FieldType.number, values: [47] },
        ],
      });
      const [out] = await lastValueFrom(
        transformDataFrame(data.state.transformations as DataTransformerConfig[], [frame])
      );
      expect(out.fields.map((f) => f.name)).toEqual(['Value #A', ...labels]);
    }
  });

  it('joins rate, error ratio and p95 per operation, the slowest on top', () => {
    const operations = byTitle(scene, 'Operations');
    const params = { ...SERVICE, groupBy: ['controller', 'handler', 'method'] };
    expect(queriesOf(operations).map((q) => q.expr)).toEqual([
      signalQuery('service.requests.total', params).expr,
      signalQuery('service.errors.ratio', params).expr,
      signalQuery('service.latency.quantile', { ...params, outcome: 'all', quantile: '0.95' }).expr,
    ]);
    expect(operations.state.options).toMatchObject({ sortBy: [{ displayName: 'p95', desc: true }] });
  });

  it('shows the Node.js runtime of the chosen instances', () => {
    const runtime = { service: 'shop.orders', instance: '$instance' };
    expect(queriesOf(byTitle(scene, 'Memory')).map((q) => [q.legendFormat, q.expr])).toEqual([
      ['{{instance}} RSS', signalQuery('runtime.memory', { ...runtime, mode: 'rss' }).expr],
      ['{{instance}} heap used', signalQuery('runtime.memory', { ...runtime, mode: 'heapUsed' }).expr],
      ['{{instance}} heap allocated', signalQuery('runtime.memory', { ...runtime, mode: 'heapTotal' }).expr],
      ['{{instance}} external', signalQuery('runtime.memory', { ...runtime, mode: 'external' }).expr],
    ]);
    for (const [title, signalId] of [
      ['CPU', 'runtime.cpu'],
      ['Garbage collection', 'runtime.gc'],
      ['Restarts', 'runtime.restarts'],
    ]) {
      expect(queriesOf(byTitle(scene, title))[0].expr).toBe(signalQuery(signalId, runtime).expr);
    }
    expect(byTitle(scene, 'Event-loop lag').state.fieldConfig.defaults.unit).toBe('s');
  });

  it('gives every panel an Explore action and an empty state naming what is missing', () => {
    const all = panels(scene);
    // 15, and the error-budget section's 8 (serviceSlo.test.ts).
    expect(all.length).toBe(23);
    for (const panel of all) {
      expect(panel.state.headerActions).toEqual([
        expect.any(VizPanelExploreButton),
        expect.any(CreateAlertButton),
        expect.any(AddToDashboardButton),
      ]);
      expect(panel.state.fieldConfig.defaults.noValue).toMatch(
        /^No (data from nestjs_|Node\.js runtime metrics|NestJS metrics|latency data|requests in the SLO window|failed requests in the time range)/
      );
    }
  });

  it('says a panel of failures only is empty when nothing failed, not that metrics are missing', () => {
    const noValue = (title: string) => byTitle(scene, title).state.fieldConfig.defaults.noValue;
    for (const title of ['Latency of failed requests', 'Errors per controller', 'Most failing operations']) {
      expect(noValue(title)).toMatch(/^No failed requests in the time range/);
    }
    expect(noValue('Latency of successful requests')).toMatch(/^No data from nestjs_/);
  });

  it("draws the error ratio from 0 to 5 % unless it goes higher, not uPlot's 0 to 10,000 % for a flat zero", () => {
    const defaults = byTitle(scene, 'Error ratio').state.fieldConfig.defaults;
    expect(defaults.min).toBe(0);
    expect(defaults.custom).toMatchObject({ axisSoftMax: 0.05 });
  });

  it('marks deploys and restarts of the chosen instances on the graphs, with toggles', () => {
    const layers = sceneGraph.findAllObjects(
      scene,
      (o) => o instanceof dataLayers.AnnotationsDataLayer
    ) as dataLayers.AnnotationsDataLayer[];
    expect(
      layers.map((l) => [l.state.name, l.state.query.iconColor, (l.state.query.target as PulseQuery).expr])
    ).toEqual([
      ['Deploys', 'blue', signalQuery('service.deploys', { service: 'shop.orders', instance: '$instance' }).expr],
      [
        'Restarts',
        'orange',
        signalQuery('runtime.restarts.events', { service: 'shop.orders', instance: '$instance' }).expr,
      ],
    ]);
    expect(scene.state.controls?.some((c) => c instanceof SceneDataLayerControls)).toBe(true);
  });

  it('links the chosen instances to their host and containers', () => {
    const placement = sceneGraph.findObject(scene, (o) => o instanceof ServicePlacement) as ServicePlacement;
    expect(placement.state.service).toBe('shop.orders');
  });

  it('renders variables and event layers with the metric names of a newly chosen data source', () => {
    const page = serviceScene({ defaultDataSourceUid: 'pulse-a' }, 'shop.orders');
    page.activate();
    (sceneGraph.lookupVariable('ds', page) as DataSourceVariable).changeValueTo('pulse-b');
    const ctx = renderContext(renamed);
    expect((sceneGraph.lookupVariable('instance', page) as QueryVariable).state.query).toBe(
      serviceInstanceVariableQuery(ctx, 'shop.orders')
    );
    expect((sceneGraph.lookupVariable('controller', page) as QueryVariable).state.query).toBe(
      serviceControllerVariableQuery(ctx, '$instance')
    );
    const [deploys] = sceneGraph.findAllObjects(
      page,
      (o) => o instanceof dataLayers.AnnotationsDataLayer
    ) as dataLayers.AnnotationsDataLayer[];
    expect((deploys.state.query.target as PulseQuery).expr).toBe(
      signalQuery('service.deploys', { service: 'shop.orders', instance: '$instance' }, { metricNames: renamed }).expr
    );
  });
});
