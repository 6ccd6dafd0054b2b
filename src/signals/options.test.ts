import type { CatalogResponse, TargetsResponse } from '../datasource/catalog';
import { english, getSignal, parameterOptions } from '.';
import type { SignalParams } from './types';

const catalog: CatalogResponse = {
  services: [
    {
      name: 'shop.orders',
      domain: 'shop',
      versions: ['2.0.1'],
      instances: [{ instance: 'h:3001', job: 'nestjs', version: '2.0.1' }],
      controllers: [
        {
          name: 'OrdersController',
          handlers: [
            { name: 'create', methods: ['POST'] },
            { name: 'list', methods: ['GET'] },
          ],
        },
        { name: 'HealthController', handlers: [{ name: 'check', methods: ['GET', 'HEAD'] }] },
      ],
    },
    {
      name: 'shop.users',
      domain: 'shop',
      versions: ['1.4.0', '1.5.0'],
      instances: [
        { instance: 'h:3002', job: 'nestjs', version: '1.4.0' },
        { instance: 'h:3003', job: 'nestjs', version: '1.5.0' },
      ],
      controllers: [
        { name: 'UsersController', handlers: [{ name: 'create', methods: ['POST', 'PUT'] }] },
        { name: 'HealthController', handlers: [{ name: 'check', methods: ['GET'] }] },
      ],
    },
  ],
  hosts: [
    { instance: 'h:9100', job: 'node', nodename: 'web-1' },
    { instance: 'db:9100', job: 'node' },
  ],
  containers: [
    { id: '/docker/abc', name: 'orders', image: 'shop/orders:2', instance: 'h:8080' },
    { id: '/docker/def', instance: 'h:8080' },
    { id: '/docker/123', name: 'users', image: 'shop/users:1', instance: 'other:8080' },
  ],
  databases: [
    { name: 'shop', instance: 'h:9187', server: '127.0.0.1:5432' },
    { name: 'audit', instance: 'h:9187', server: '127.0.0.1:5432' },
    { name: 'reports', instance: 'r:9187' },
  ],
  errors: { hosts: 'partial' },
};

const targets: TargetsResponse = {
  targets: [
    {
      job: 'nestjs',
      instance: 'h:3001',
      scrapePool: 'nestjs',
      scrapeUrl: 'http://h:3001/metrics',
      health: 'down',
      lastError: 'unexpected JSON',
      lastScrape: '2026-01-01T00:00:00Z',
      lastScrapeDuration: 0.01,
      labels: { job: 'nestjs', instance: 'h:3001' },
      diagnosis: { kind: 'json-envelope', hint: 'exclude the metrics path from your response interceptor' },
    },
    {
      job: 'node',
      instance: 'h:9100',
      scrapePool: 'node',
      scrapeUrl: 'http://h:9100/metrics',
      health: 'up',
      lastScrape: '2026-01-01T00:00:00Z',
      lastScrapeDuration: 0.02,
      scrapeInterval: '15s',
      labels: {},
    },
  ],
  up: 1,
  down: 1,
  unknown: 0,
};

function values(signalId: string, parameterName: string, params: SignalParams = {}, withTargets = false): string[] {
  const signal = getSignal(signalId)!;
  const parameter = signal.parameters.find((p) => p.name === parameterName)!;
  return parameterOptions(signal, parameter, catalog, params, withTargets ? targets : undefined).map((o) => o.value);
}

describe('parameterOptions', () => {
  it.each<[string, string, string, SignalParams, string[]]>([
    ['services', 'service.latency.quantile', 'service', {}, ['shop.orders', 'shop.users']],
    [
      'instances of the chosen service',
      'service.latency.quantile',
      'instance',
      { service: 'shop.users' },
      ['h:3002', 'h:3003'],
    ],
    ['instances of all services', 'service.latency.quantile', 'instance', {}, ['h:3001', 'h:3002', 'h:3003']],
    [
      'controllers of one service',
      'service.latency.quantile',
      'controller',
      { service: ['shop.orders'] },
      ['HealthController', 'OrdersController'],
    ],
    [
      'controllers of all services, unique',
      'service.latency.quantile',
      'controller',
      {},
      ['HealthController', 'OrdersController', 'UsersController'],
    ],
    [
      'a variable does not narrow',
      'service.latency.quantile',
      'controller',
      { service: '$service' },
      ['HealthController', 'OrdersController', 'UsersController'],
    ],
    [
      'handlers of a controller',
      'service.errors.rate',
      'handler',
      { service: 'shop.orders', controller: 'OrdersController' },
      ['create', 'list'],
    ],
    ['methods of a handler across services', 'service.errors.rate', 'method', { handler: 'create' }, ['POST', 'PUT']],
    [
      'methods of a handler in one service',
      'service.errors.rate',
      'method',
      { service: 'shop.users', handler: 'check' },
      ['GET'],
    ],
    ['hosts', 'host.cpu.busy', 'host', {}, ['db:9100', 'h:9100']],
    ['cAdvisor hosts', 'container.cpu', 'host', {}, ['h:8080', 'other:8080']],
    [
      'containers of a cAdvisor, unnamed by id',
      'container.cpu',
      'container',
      { host: 'h:8080' },
      ['/docker/def', 'orders'],
    ],
    ['database exporters', 'postgres.rows', 'instance', {}, ['h:9187', 'r:9187']],
    ['databases of an exporter', 'postgres.rows', 'database', { instance: 'h:9187' }, ['audit', 'shop']],
    ['jobs from the targets resource', 'target.up', 'job', {}, ['nestjs', 'node']],
    ['targets of a job', 'target.up', 'instance', { job: 'node' }, ['h:9100']],
    ['fixed choices: quantiles', 'service.latency.quantile', 'quantile', {}, ['0.5', '0.9', '0.95', '0.99']],
    [
      'fixed choices: group-by labels',
      'service.errors.count',
      'groupBy',
      {},
      ['controller', 'handler', 'method', 'error', 'instance'],
    ],
  ])('%s', (_name, signalId, parameterName, params, expected) => {
    expect(values(signalId, parameterName, params, true)).toEqual(expected);
  });

  it('offers no target choices without the targets resource', () => {
    expect(values('target.up', 'job')).toEqual([]);
  });

  it('labels hosts by node name and describes services by version', () => {
    const host = getSignal('host.cpu.busy')!;
    expect(parameterOptions(host, host.parameters[0], catalog, {})).toEqual([
      { value: 'db:9100', label: 'db:9100', description: 'db:9100' },
      { value: 'h:9100', label: 'web-1', description: 'h:9100' },
    ]);
    const quantile = getSignal('service.latency.quantile')!;
    expect(parameterOptions(quantile, quantile.parameters[0], catalog, {})[1]).toEqual({
      value: 'shop.users',
      label: 'shop.users',
      description: '1.4.0, 1.5.0',
    });
  });

  it('labels fixed choices with translatable messages', () => {
    const quantile = getSignal('service.latency.quantile')!;
    const parameter = quantile.parameters.find((p) => p.name === 'quantile')!;
    const labels = parameterOptions(quantile, parameter, catalog, {}).map((o) =>
      typeof o.label === 'string' ? o.label : english(o.label)
    );
    expect(labels).toEqual(['p50 (median)', 'p90', 'p95', 'p99']);
    const share = getSignal('service.latency.share-under')!;
    const threshold = share.parameters.find((p) => p.name === 'threshold')!;
    const first = parameterOptions(share, threshold, catalog, {})[0];
    expect(typeof first.label === 'string' ? first.label : english(first.label)).toBe('0.1 ms');
  });

  it('refuses a parameter of another signal', () => {
    const host = getSignal('host.cpu.busy')!;
    const other = getSignal('postgres.rows')!.parameters[0];
    expect(() => parameterOptions(host, other, catalog, {})).toThrow('not a parameter of host.cpu.busy');
  });
});
