/**
 * Resource answers as the backend sends them (shapes of src/datasource/catalog.ts), and a stand-in for the
 * two Grafana runtime services the editor talks to: backendSrv (resource calls) and templateSrv (variables).
 */
import { of, throwError } from 'rxjs';
import { DataSourceInstanceSettings, PluginType, dateTime, type TimeRange } from '@grafana/data';
import { type BackendSrv, type TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import type { CatalogResponse, MetricsResponse, ValuesResponse } from '../../../catalog';
import { PulseDataSource } from '../../../datasource';
import type { PulseDataSourceOptions } from '../../../types';

export const catalog: CatalogResponse = {
  services: [
    {
      name: 'shop.orders',
      domain: 'shop',
      versions: ['2.0.1'],
      instances: [{ instance: 'localhost:3001', job: 'nestjs', version: '2.0.1' }],
      controllers: [
        {
          name: 'HealthController',
          handlers: [{ name: 'check', methods: ['GET', 'HEAD'] }],
        },
        {
          name: 'OrdersController',
          handlers: [
            { name: 'create', methods: ['POST'] },
            { name: 'list', methods: ['GET'] },
          ],
        },
      ],
    },
    {
      name: 'shop.users',
      domain: 'shop',
      versions: ['1.5.0'],
      instances: [
        { instance: 'localhost:3002', job: 'nestjs', version: '1.5.0' },
        { instance: 'localhost:3003', job: 'nestjs', version: '1.5.0' },
      ],
      controllers: [{ name: 'UsersController', handlers: [{ name: 'find', methods: ['GET'] }] }],
    },
  ],
  hosts: [{ instance: 'localhost:9100', job: 'node', nodename: 'web-1' }],
  containers: [{ id: '/pulse/orders', instance: 'localhost:8080' }],
  databases: [{ name: 'shop', instance: 'localhost:9187', server: '127.0.0.1:5432' }],
};

export const metrics: MetricsResponse = {
  metrics: [
    { name: 'nestjs_fail_requests_bucket', type: 'histogram', help: 'Latency of failed requests' },
    { name: 'nestjs_info', type: 'gauge', help: 'Service info' },
    { name: 'nestjs_success_requests_bucket', type: 'histogram', help: 'Latency of successful requests' },
    { name: 'nestjs_success_requests_count', type: 'histogram', help: 'Latency of successful requests' },
    { name: 'node_cpu_seconds_total', type: 'counter', help: 'Seconds the CPUs spent in each mode.' },
    { name: 'up', type: 'gauge' },
  ],
  truncated: false,
};

const labelNames: ValuesResponse = {
  values: ['__name__', 'controller', 'handler', 'instance', 'job', 'method'],
  truncated: false,
};

/** nestjs_info's own labels, for matching a query with it (`group_left (version)`). */
const infoLabelNames: ValuesResponse = {
  values: ['__name__', 'domain', 'instance', 'job', 'name', 'version'],
  truncated: false,
};

const labelValues: Record<string, ValuesResponse> = {
  controller: { values: ['HealthController', 'OrdersController', 'UsersController'], truncated: false },
  job: { values: ['nestjs', 'node'], truncated: false },
};

export interface ResourceCall {
  name: string;
  params: Record<string, string | number>;
}

/** Answers resource calls from the recordings above; `fail` makes one resource answer an error. */
export function fakeBackend(options: { fail?: string } = {}) {
  const calls: ResourceCall[] = [];
  const backendSrv = {
    fetch: (request: { url: string; params?: Record<string, string | number> }) => {
      const name = request.url.replace(/^\/api\/datasources\/uid\/pulse\/resources\//, '');
      const params = request.params ?? {};
      calls.push({ name, params });
      if (name === options.fail) {
        return throwError(() => ({ status: 502, data: { message: 'Prometheus is not reachable' } }));
      }
      const data = (() => {
        switch (name) {
          case 'catalog':
            return catalog;
          case 'metrics':
            return metrics;
          case 'labels':
            return params['match[]'] === 'nestjs_info' ? infoLabelNames : labelNames;
          case 'label-values':
            return labelValues[String(params.label)] ?? { values: [], truncated: false };
          default:
            return undefined;
        }
      })();
      if (data === undefined) {
        return throwError(() => ({ status: 404, data: { message: `unknown resource ${name}` } }));
      }
      return of({ data, status: 200, ok: true, url: request.url, config: request });
    },
  };
  setBackendSrv(backendSrv as unknown as BackendSrv);
  return calls;
}

/** Dashboard variables: `$service` (multi-value) and `$job`. */
export function fakeTemplateSrv() {
  setTemplateSrv({
    getVariables: () => [
      { name: 'service', type: 'query', multi: true },
      { name: 'job', type: 'custom', multi: false },
    ],
    replace: (target?: string) => target ?? '',
    containsTemplate: () => false,
    updateTimeRange: () => undefined,
  } as unknown as TemplateSrv);
}

export function pulseDataSource(): PulseDataSource {
  return new PulseDataSource({
    id: 1,
    uid: 'pulse',
    type: 'pulse-prometheus-datasource',
    name: 'Pulse',
    access: 'proxy',
    readOnly: false,
    // Set to the seed interceptor: the editor's tests read its PromQL (auto's is in src/signals/acrossProfiles.test.ts).
    jsonData: { metrics: { profile: 'seed' } },
    meta: { id: 'pulse-prometheus-datasource', type: PluginType.datasource },
  } as unknown as DataSourceInstanceSettings<PulseDataSourceOptions>);
}

export const range: TimeRange = {
  from: dateTime('2026-01-01T10:00:00Z'),
  to: dateTime('2026-01-01T11:00:00Z'),
  raw: { from: '2026-01-01T10:00:00Z', to: '2026-01-01T11:00:00Z' },
};
