import { sceneGraph, SceneQueryRunner, type SceneObject, VizPanel } from '@grafana/scenes';

import type { PulseQuery } from '../../datasource/types';
import { serviceScene } from './serviceDetailPage';

const catalog = {
  services: [{ name: 'shop.users', profile: 'nestjs-requests' }],
  hosts: [],
  containers: [],
  databases: [],
};

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    getList: () => [{ uid: 'pulse-auto', name: 'Pulse', type: 'pulse-prometheus-datasource', jsonData: {} }],
    getInstanceSettings: () => ({
      uid: 'pulse-auto',
      name: 'Pulse',
      type: 'pulse-prometheus-datasource',
      jsonData: {},
    }),
    // The data source answers the catalog only; queries and variables are not run here.
    get: async () => ({
      getCatalog: async () => catalog,
      query: () => new Promise(() => undefined),
      metricFindQuery: () => new Promise(() => undefined),
    }),
  }),
}));

const exprs = (scene: SceneObject) =>
  (sceneGraph.findAllObjects(scene, (o) => o instanceof SceneQueryRunner) as SceneQueryRunner[]).flatMap((r) =>
    r.state.queries.map((q) => (q as PulseQuery).expr)
  );

describe('a service page with auto', () => {
  it('renders with the profile the catalog found the service with, empty states included', async () => {
    const scene = serviceScene({ defaultDataSourceUid: 'pulse-auto' }, 'shop.users');
    // Before the catalog answers: every profile (the OpenTelemetry one among them).
    expect(exprs(scene).some((e) => e.includes('target_info'))).toBe(true);
    scene.activate();
    await new Promise((r) => setTimeout(r, 50));
    const after = exprs(scene);
    expect(after.some((e) => e.includes('target_info') || e.includes('http_request_duration_seconds'))).toBe(false);
    expect(after.some((e) => e.includes('rate(nestjs_requests_count{'))).toBe(true);
    const failHeatmap = (sceneGraph.findAllObjects(scene, (o) => o instanceof VizPanel) as VizPanel[]).find(
      (p) => p.state.title === 'Latency of failed requests'
    );
    expect(failHeatmap?.state.fieldConfig.defaults.noValue).toMatch(/cannot be told apart/);
  });
});
