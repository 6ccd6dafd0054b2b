import React from 'react';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import {
  CustomVariable,
  EmbeddedScene,
  SceneFlexItem,
  SceneFlexLayout,
  SceneTimeRange,
  SceneVariableSet,
} from '@grafana/scenes';

import type { CatalogResponse } from '../../datasource/catalog';
import { ServicePlacement } from './ServicePlacement';

const catalog: CatalogResponse = {
  services: [
    {
      name: 'shop.orders',
      domain: 'shop',
      versions: ['2.0.1'],
      instances: [
        { instance: '127.0.0.1:38085', job: 'nestjs', version: '2.0.1' },
        { instance: '10.0.0.9:3000', job: 'nestjs', version: '2.0.1' },
      ],
      controllers: [],
    },
  ],
  hosts: [{ instance: '127.0.0.1:33247', job: 'node', nodename: 'build-1' }],
  containers: [{ id: '/pulse-demo-orders', instance: '127.0.0.1:41057' }],
  databases: [],
};

const getCatalog = jest.fn(async () => catalog);

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ get: async () => ({ type: 'pulse-prometheus-datasource', getCatalog }) }),
}));

function scene(instance: string[] | string) {
  const placement = new ServicePlacement({ service: 'shop.orders' });
  const page = new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    $variables: new SceneVariableSet({
      variables: [
        new CustomVariable({ name: 'ds', query: 'pulse-a', value: 'pulse-a', text: 'pulse-a' }),
        new CustomVariable({
          name: 'instance',
          query: '127.0.0.1:38085,10.0.0.9:3000',
          isMulti: true,
          includeAll: true,
          value: instance,
          text: instance,
        }),
      ],
    }),
    body: new SceneFlexLayout({ children: [new SceneFlexItem({ body: placement })] }),
  });
  page.activate();
  return placement;
}

describe('ServicePlacement', () => {
  it('links the chosen instance to the node_exporter of its host, with data source and time range', async () => {
    const placement = scene(['127.0.0.1:38085']);
    render(
      // TextLink is a router link, as in Grafana.
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <placement.Component model={placement} />
      </MemoryRouter>
    );
    const host = await screen.findByRole('link', { name: /Host build-1/ });
    expect(host.getAttribute('href')).toBe(
      '/a/pulse-monitoring-app/hosts/127.0.0.1%3A33247?var-ds=pulse-a&from=now-1h&to=now'
    );
    const containers = screen.getByRole('link', { name: /Containers on this host \(cAdvisor 127\.0\.0\.1:41057\)/ });
    expect(containers.getAttribute('href')).toBe(
      '/a/pulse-monitoring-app/containers?var-ds=pulse-a&from=now-1h&to=now'
    );
    expect(screen.queryByText('10.0.0.9:3000')).toBeNull();
    expect(getCatalog).toHaveBeenCalled();
  });

  it('says so where no exporter runs on the host of an instance', async () => {
    const placement = scene('$__all');
    render(
      // TextLink is a router link, as in Grafana.
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <placement.Component model={placement} />
      </MemoryRouter>
    );
    expect(await screen.findByText('10.0.0.9:3000')).toBeTruthy();
    expect(screen.getByText('No node_exporter target on this host address')).toBeTruthy();
  });
});
