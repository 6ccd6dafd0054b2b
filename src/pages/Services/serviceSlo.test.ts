import {
  CustomVariable,
  DataSourceVariable,
  QueryVariable,
  sceneGraph,
  SceneDataTransformer,
  SceneQueryRunner,
  type SceneObject,
  VizPanel,
} from '@grafana/scenes';

import type { PulseQuery } from '../../datasource/types';
import { renderContext, serviceLatencyBoundVariableQuery } from '../../signals';
import { signalQuery } from '../shared';
import { serviceScene } from './serviceDetailPage';
import { SLO_URL_KEYS } from './serviceSlo';

const renamed = { profile: 'otel-http-legacy' };
const dataSources = [
  { uid: 'pulse-a', name: 'Pulse A', type: 'pulse-prometheus-datasource', jsonData: {} },
  { uid: 'pulse-b', name: 'Pulse B', type: 'pulse-prometheus-datasource', jsonData: { metrics: renamed } },
];

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    getList: () => dataSources,
    getInstanceSettings: (uid: string) => dataSources.find((ds) => ds.uid === uid),
    get: () => new Promise(() => undefined),
  }),
}));

const panels = (scene: SceneObject) => sceneGraph.findAllObjects(scene, (o) => o instanceof VizPanel) as VizPanel[];

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

const BASE = { service: 'shop.orders', instance: '$instance', window: '$slo_window' };
const AVAILABILITY = { ...BASE, slo: 'availability', objective: '$slo_availability' };
const LATENCY = { ...BASE, slo: 'latency', objective: '$slo_latency', threshold: '$slo_threshold' };

describe('Service page, error budget', () => {
  const scene = serviceScene({ defaultDataSourceUid: 'pulse-a' }, 'shop.orders');

  it('has the SLO window, both objectives and the latency threshold as one-value variables with defaults', () => {
    const [window, availability, latency] = ['slo_window', 'slo_availability', 'slo_latency'].map(
      (name) => sceneGraph.lookupVariable(name, scene) as CustomVariable
    );
    expect([window, availability, latency].map((v) => [v.constructor, v.state.value, v.state.isMulti])).toEqual([
      [CustomVariable, '30d', false],
      [CustomVariable, '99.5', false],
      [CustomVariable, '95', false],
    ]);
    expect(availability.state.query).toBe('99 % : 99, 99.5 % : 99.5, 99.9 % : 99.9, 99.95 % : 99.95');
    expect(window.state.query).toBe('7d, 14d, 28d, 30d');
    const threshold = sceneGraph.lookupVariable('slo_threshold', scene) as QueryVariable;
    expect(threshold.state).toMatchObject({
      query: serviceLatencyBoundVariableQuery(renderContext(), '$instance'),
      value: '0.5',
      isMulti: false,
      regex: '/^[0-9.]+(?:e[-+]?[0-9]+)?$/',
    });
    expect(SLO_URL_KEYS).toEqual(['var-slo_window', 'var-slo_availability', 'var-slo_latency', 'var-slo_threshold']);
  });

  it.each([
    ['Availability', AVAILABILITY],
    ['Latency', LATENCY],
  ])('%s: SLI, budget and burn rate now, the budget over time, from the SLO signals', (name, params) => {
    const instant = { instant: true, range: false };
    expect(queriesOf(byTitle(scene, `${name} SLI`))[0]).toMatchObject({
      ...instant,
      expr: signalQuery('service.slo.sli', params).expr,
    });
    expect(queriesOf(byTitle(scene, `${name} budget`))[0]).toMatchObject({
      ...instant,
      expr: signalQuery('service.slo.budget-remaining', params).expr,
    });
    expect(queriesOf(byTitle(scene, `${name} burn rate`)).map((q) => [q.legendFormat, q.instant, q.expr])).toEqual([
      ['1h', true, signalQuery('service.slo.burn-rate', { ...params, window: '1h' }).expr],
      ['6h', true, signalQuery('service.slo.burn-rate', { ...params, window: '6h' }).expr],
    ]);
    const overTime = byTitle(scene, `${name} budget over time`);
    expect(overTime.state.pluginId).toBe('timeseries');
    expect(queriesOf(overTime)[0]).toMatchObject({
      range: true,
      interval: '1m',
      expr: signalQuery('service.slo.budget-remaining', params).expr,
    });
    expect(byTitle(scene, `${name} SLI`).state.pluginId).toBe('stat');
    expect(byTitle(scene, `${name} budget`).state.fieldConfig.defaults.unit).toBe('percentunit');
  });

  it('names why the latency objective has no answer', () => {
    expect(byTitle(scene, 'Latency SLI').state.fieldConfig.defaults.noValue).toBe('No latency data');
    expect(byTitle(scene, 'Latency SLI').state.description).toContain('not a bucket bound');
    expect(byTitle(scene, 'Latency budget over time').state.fieldConfig.defaults.noValue).toMatch(
      /^No requests in the SLO window, or the latency threshold is not a bucket bound/
    );
  });

  it('reads the threshold bounds with the instrumentation of a newly chosen data source', () => {
    const page = serviceScene({ defaultDataSourceUid: 'pulse-a' }, 'shop.orders');
    page.activate();
    (sceneGraph.lookupVariable('ds', page) as DataSourceVariable).changeValueTo('pulse-b');
    expect((sceneGraph.lookupVariable('slo_threshold', page) as QueryVariable).state.query).toBe(
      'label_values({__name__=~"http_server_duration(_milliseconds)?_bucket", instance=~"$instance"}, le)'
    );
  });
});
