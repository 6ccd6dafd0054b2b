import { sceneGraph, SceneQueryRunner, type SceneObject, VizPanel } from '@grafana/scenes';

import type { PulseQuery } from '../../datasource/types';
import { serviceScene } from './serviceDetailPage';

const catalog = {
  services: [
    { name: 'shop.users', profile: 'nestjs-requests' },
    { name: 'shop.payments', profile: 'prom-client-http' },
    { name: 'shop.search', profile: 'otel-http-legacy' },
  ],
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

  it("describes what failed and the error class as the service's instrumentation records them", async () => {
    const description = (scene: SceneObject, title: string) =>
      (sceneGraph.findAllObjects(scene, (o) => o instanceof VizPanel) as VizPanel[]).find(
        (p) => p.state.title === title
      )?.state.description;
    const byStatus = serviceScene({ defaultDataSourceUid: 'pulse-auto' }, 'shop.payments');
    // Before the catalog answers, one text covers both kinds.
    expect(description(byStatus, 'Failed requests by controller and error class')).toMatch(
      /exception the handler threw or, where the instrumentation records no exception, the status code/
    );
    byStatus.activate();
    await new Promise((r) => setTimeout(r, 50));
    expect(description(byStatus, 'Failed requests by controller and error class')).toBe(
      'Failed requests in the time range. This instrumentation records the status code of the response, not the exception thrown: the error class is the status code (the status_code label).'
    );
    expect(description(byStatus, 'Request rate by outcome')).toBe(
      'Requests per second: fail when the status code of the response matches 5.. (a server error), success otherwise.'
    );
    const counter = serviceScene({ defaultDataSourceUid: 'pulse-auto' }, 'shop.users');
    counter.activate();
    await new Promise((r) => setTimeout(r, 50));
    expect(description(counter, 'Failed requests by controller and error class')).toMatch(
      /the exception the handler threw \(the error label\)/
    );
  });

  it("sets the latency threshold to 0.5 s in the unit of the service's histogram", async () => {
    const threshold = async (service: string) => {
      const scene = serviceScene({ defaultDataSourceUid: 'pulse-auto' }, service);
      scene.activate();
      await new Promise((r) => setTimeout(r, 50));
      return sceneGraph.lookupVariable('slo_threshold', scene)?.getValue();
    };
    expect(await threshold('shop.search')).toBe('500');
    expect(await threshold('shop.payments')).toBe('0.5');
  });
});
