import type { CatalogResponse } from '../../datasource/catalog';
import { hostOf, placements } from './placement';

const catalog: CatalogResponse = {
  services: [
    {
      name: 'shop.orders',
      domain: 'shop',
      versions: ['2.0.1'],
      instances: [
        { instance: '10.0.0.5:3000', job: 'nestjs', version: '2.0.1' },
        { instance: 'orders:3000', job: 'nestjs', version: '2.0.1' },
        { instance: '10.0.0.9:3000', job: 'nestjs', version: '2.0.1' },
      ],
      controllers: [],
    },
    { name: 'shop.gateway', domain: 'shop', versions: ['1.4.2'], instances: [], controllers: [] },
  ],
  hosts: [
    { instance: '10.0.0.5:9100', job: 'node', nodename: 'web-1' },
    { instance: '10.0.0.50:9100', job: 'node' },
  ],
  containers: [
    { id: '/docker/abc', name: 'orders', instance: 'cadvisor:8080' },
    { id: '/pulse-demo-orders', instance: '10.0.0.5:8080' },
    { id: '/pulse-demo-gateway', instance: '10.0.0.5:8080' },
  ],
  databases: [],
};

describe('hostOf', () => {
  it.each([
    ['10.0.0.5:3000', '10.0.0.5'],
    ['orders:3000', 'orders'],
    ['[::1]:3000', '::1'],
    ['[fe80::1]', 'fe80::1'],
    ['web-1', 'web-1'],
    ['web-1:metrics', 'web-1:metrics'],
  ])('%s → %s', (address, host) => {
    expect(hostOf(address)).toBe(host);
  });
});

describe('placements', () => {
  it('matches each instance with the node_exporter and cAdvisor of the same host address', () => {
    expect(placements(catalog, 'shop.orders', ['10.0.0.5:3000'])).toEqual([
      {
        instance: '10.0.0.5:3000',
        hosts: [{ instance: '10.0.0.5:9100', job: 'node', nodename: 'web-1' }],
        containers: [],
        cadvisors: ['10.0.0.5:8080'],
      },
    ]);
  });

  it('takes a container whose name is the instance host name (Docker network) as the container', () => {
    expect(placements(catalog, 'shop.orders', ['orders:3000'])).toEqual([
      {
        instance: 'orders:3000',
        hosts: [],
        containers: [{ id: '/docker/abc', name: 'orders', instance: 'cadvisor:8080' }],
        cadvisors: [],
      },
    ]);
  });

  it('offers nothing for a host no exporter reports (no prefix matches: 10.0.0.5 is not 10.0.0.50)', () => {
    expect(placements(catalog, 'shop.orders', ['10.0.0.9:3000'])).toEqual([
      { instance: '10.0.0.9:3000', hosts: [], containers: [], cadvisors: [] },
    ]);
  });

  it('lists every instance of the service for All, and only instances of that service', () => {
    expect(placements(catalog, 'shop.orders', []).map((p) => p.instance)).toEqual([
      '10.0.0.5:3000',
      'orders:3000',
      '10.0.0.9:3000',
    ]);
    expect(placements(catalog, 'shop.orders', ['10.0.0.5:3000', '10.0.0.7:3000']).map((p) => p.instance)).toEqual([
      '10.0.0.5:3000',
    ]);
    expect(placements(catalog, 'shop.gateway', [])).toEqual([]);
    expect(placements(catalog, 'shop.unknown', [])).toEqual([]);
  });
});
