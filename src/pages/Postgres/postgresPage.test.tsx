import React from 'react';
import { act, render, screen } from '@testing-library/react';
import { MappingType } from '@grafana/data';
import {
  type EmbeddedScene,
  QueryVariable,
  sceneGraph,
  SceneDataTransformer,
  SceneQueryRunner,
  VizPanel,
  VizPanelExploreButton,
} from '@grafana/scenes';

import type { Exporter, MetricInfo } from '../../datasource/catalog';
import type { PulseQuery } from '../../datasource/types';
import { postgresDatabaseVariableQuery, postgresInstanceVariableQuery } from '../../signals';
import { signalQuery } from '../shared';
import { RequiredMetricPanel, requiredMetricView } from '../shared/requiredMetric';
import { getPostgresPage } from '.';
import { PostgresStatus } from './PostgresStatus';
import { AddToDashboardButton } from '../shared/AddToDashboard';
import { CreateAlertButton } from '../shared/createAlert';

const dataSources = [{ uid: 'pulse-a', name: 'Pulse A', type: 'pulse-prometheus-datasource', jsonData: {} }];
const pulse = {
  type: 'pulse-prometheus-datasource',
  getMetrics: jest.fn<Promise<{ metrics: MetricInfo[]; truncated: boolean }>, unknown[]>(),
  getExporters: jest.fn<Promise<{ exporters: Exporter[] }>, unknown[]>(),
};
const get = jest.fn(async (_ref: unknown) => pulse);

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    getList: () => dataSources,
    getInstanceSettings: (uid: string) => dataSources.find((ds) => ds.uid === uid),
    get: (ref: unknown) => get(ref),
  }),
}));

function scene(): EmbeddedScene {
  return getPostgresPage({}).state.getScene!({} as never) as EmbeddedScene;
}

function panels(root: EmbeddedScene): VizPanel[] {
  return sceneGraph.findAllObjects(root, (o) => o instanceof VizPanel) as VizPanel[];
}

function panel(root: EmbeddedScene, title: string): VizPanel {
  const found = panels(root).find((p) => p.state.title === title);
  if (!found) {
    throw new Error(`no panel ${title}`);
  }
  return found;
}

function queries(p: VizPanel): PulseQuery[] {
  const data = p.state.$data;
  const runner = (data instanceof SceneDataTransformer ? data.state.$data : data) as SceneQueryRunner;
  return runner.state.queries as PulseQuery[];
}

const SERVER = { instance: '$instance' };
const DATABASE = { instance: '$instance', database: '$database' };
const exprOf = (id: string, params: Record<string, string>) => signalQuery(id, params).expr;

const postgres = (over: Partial<Exporter>): Exporter => ({
  key: 'postgres',
  title: 'postgres_exporter',
  present: true,
  count: 1,
  targets: 1,
  unit: 'database server',
  ...over,
});

// PanelChrome measures its title; jsdom has no ResizeObserver.
beforeAll(() => {
  global.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

beforeEach(() => {
  pulse.getMetrics.mockReset();
  pulse.getExporters.mockReset();
  get.mockClear();
});

describe('PostgreSQL page', () => {
  it('lives at its route with its drill-down-ready route path', () => {
    const page = getPostgresPage({});
    expect(page.state).toMatchObject({
      title: 'PostgreSQL',
      url: '/a/pulse-monitoring-app/postgresql',
      routePath: 'postgresql/*',
    });
  });

  it('has instance and database variables from the catalog signal file, on the Pulse data source', () => {
    const root = scene();
    const instance = sceneGraph.lookupVariable('instance', root) as QueryVariable;
    const database = sceneGraph.lookupVariable('database', root) as QueryVariable;
    expect(instance).toBeInstanceOf(QueryVariable);
    expect(instance.state).toMatchObject({
      query: postgresInstanceVariableQuery(),
      datasource: { type: 'pulse-prometheus-datasource', uid: '${ds}' },
      isMulti: true,
      includeAll: true,
    });
    expect(database.state).toMatchObject({ query: postgresDatabaseVariableQuery('$instance'), includeAll: true });
    // templates never reach the variable, so "All" never includes them
    expect(database.state.query).toContain('datname!~"template.*"');
  });

  it.each([
    ['Connections used', 'postgres.connections.used', SERVER, 'percentunit'],
    ['Exporter errors', 'postgres.exporter.errors', SERVER, 'short'],
    ['Exporter scrape time', 'postgres.exporter.duration', SERVER, 's'],
    ['Version', 'postgres.version', SERVER, 'short'],
    ['Connections by state', 'postgres.connections.by-state', DATABASE, 'short'],
    ['Longest transaction', 'postgres.transactions.longest', DATABASE, 's'],
    ['Locks by mode', 'postgres.locks', DATABASE, 'short'],
    ['Rollback ratio', 'postgres.transactions.rollback-ratio', DATABASE, 'percentunit'],
    ['Cache hit ratio', 'postgres.cache.hit-ratio', DATABASE, 'percentunit'],
    ['Deadlocks', 'postgres.deadlocks', DATABASE, 'short'],
    ['Database size', 'postgres.database.size', DATABASE, 'bytes'],
    ['Temporary files written', 'postgres.temp-bytes', DATABASE, 'Bps'],
  ])('%s draws %s with the page variables, its unit, Explore and an empty state', (title, id, params, unit) => {
    const p = panel(scene(), title);
    expect(queries(p)[0].expr).toBe(exprOf(id, params));
    expect(queries(p)[0].guided?.signalId).toBe(id);
    expect(p.state.fieldConfig.defaults.unit).toBe(unit);
    expect(p.state.headerActions).toEqual([
      expect.any(VizPanelExploreButton),
      expect.any(CreateAlertButton),
      expect.any(AddToDashboardButton),
    ]);
    expect(String(p.state.fieldConfig.defaults.noValue)).toMatch(/postgres_exporter/);
  });

  it('draws commits beside rollbacks and every row operation, each with its own legend', () => {
    const root = scene();
    const tps = queries(panel(root, 'Transactions per second'));
    expect(tps.map((q) => [q.expr, q.legendFormat])).toEqual([
      [exprOf('postgres.transactions.rate', { ...DATABASE, mode: 'commit' }), '{{datname}} commits'],
      [exprOf('postgres.transactions.rate', { ...DATABASE, mode: 'rollback' }), '{{datname}} rollbacks'],
    ]);
    const rows = queries(panel(root, 'Rows per second'));
    expect(rows.map((q) => q.guided?.params.mode)).toEqual(['fetched', 'returned', 'inserted', 'updated', 'deleted']);
    expect(rows[3].expr).toBe(exprOf('postgres.rows', { ...DATABASE, mode: 'updated' }));
  });

  it('tells up, database down and exporter missing apart', () => {
    const up = panel(scene(), 'PostgreSQL');
    expect(queries(up)[0].expr).toBe(exprOf('postgres.up', SERVER));
    expect(up.state.pluginId).toBe('stat');
    expect(up.state.fieldConfig.defaults.mappings).toEqual([
      {
        type: MappingType.ValueToText,
        options: {
          '0': { text: 'Database down', color: 'red', index: 0 },
          '1': { text: 'Up', color: 'green', index: 1 },
        },
      },
    ]);
    expect(up.state.fieldConfig.defaults.noValue).toBe('postgres_exporter missing');
  });

  it.each([
    ['Version', 'postgres.version', '{{short_version}}'],
    ['Exporter version', 'postgres.exporter.version', '{{version}}'],
  ])('shows the version label as the text of the %s stat', (title, id, legend) => {
    const version = panel(scene(), title);
    expect(queries(version)[0]).toMatchObject({ expr: exprOf(id, SERVER), legendFormat: legend });
    expect(version.state.options).toMatchObject({ textMode: 'name' });
  });

  it('gates uptime and replica lag on their metrics', () => {
    const gates = sceneGraph.findAllObjects(scene(), (o) => o instanceof RequiredMetricPanel) as RequiredMetricPanel[];
    expect(gates.map((g) => [g.state.metric, g.state.panel.state.title])).toEqual([
      ['pg_postmaster_start_time_seconds', 'Uptime'],
      ['pg_replication_lag_seconds', 'Replication lag (replica)'],
    ]);
    expect(queries(gates[0].state.panel)[0].expr).toBe(exprOf('postgres.uptime', SERVER));
    expect(queries(gates[1].state.panel)[0].expr).toBe(exprOf('postgres.replication.lag', SERVER));
  });
});

describe('RequiredMetricPanel', () => {
  function uptimeGate(): RequiredMetricPanel {
    const root = scene();
    const gate = sceneGraph.findObject(root, (o) => o instanceof RequiredMetricPanel) as RequiredMetricPanel;
    return gate;
  }

  it('explains what to add when the exporter lacks the metric (postgres_exporter 0.11)', async () => {
    pulse.getMetrics.mockResolvedValue({ metrics: [{ name: 'pg_up' }, { name: 'pg_static' }], truncated: false });
    const gate = uptimeGate();
    render(<gate.Component model={gate} />);
    await act(() => gate.reload());
    expect(get).toHaveBeenCalledWith({ type: 'pulse-prometheus-datasource', uid: 'pulse-a' });
    expect(gate.state.loaded).toEqual({ phase: 'done', value: false });
    expect(requiredMetricView(gate.state.loaded)).toBe('explanation');
    expect(
      screen.getByText('Prometheus has no pg_postmaster_start_time_seconds in this time range.')
    ).toBeInTheDocument();
    expect(screen.getByText(/--collector\.postmaster/)).toBeInTheDocument();
  });

  it('draws the panel when the metric exists', async () => {
    pulse.getMetrics.mockResolvedValue({
      metrics: [{ name: 'pg_postmaster_start_time_seconds' }],
      truncated: false,
    });
    const gate = uptimeGate();
    await gate.reload();
    expect(gate.state.loaded).toEqual({ phase: 'done', value: true });
    expect(requiredMetricView(gate.state.loaded)).toBe('panel');
  });

  it('draws the panel (with its own empty state) when the metric names cannot be read', async () => {
    pulse.getMetrics.mockRejectedValue({ data: { message: 'Prometheus is unreachable' } });
    const gate = uptimeGate();
    await gate.reload();
    expect(gate.state.loaded).toEqual({ phase: 'failed', message: 'Prometheus is unreachable' });
    // Drawing a real VizPanel needs Grafana's plugin loader, which jsdom lacks: the choice is checked instead.
    expect(requiredMetricView(gate.state.loaded)).toBe('panel');
  });
});

describe('PostgresStatus', () => {
  async function renderStatus(exporter: Exporter) {
    pulse.getExporters.mockResolvedValue({ exporters: [exporter] });
    const status = sceneGraph.findObject(scene(), (o) => o instanceof PostgresStatus) as PostgresStatus;
    const view = render(<status.Component model={status} />);
    await act(() => status.reload());
    expect(pulse.getExporters).toHaveBeenCalledWith(true);
    return view;
  }

  it('says plainly that postgres_exporter is missing when nothing reports pg_up', async () => {
    await renderStatus(postgres({ present: false, count: 0, targets: 0, hint: 'no pg_up' }));
    expect(screen.getByText('postgres_exporter is not scraped')).toBeInTheDocument();
  });

  it('says the database is down when the exporter answers with pg_up = 0', async () => {
    await renderStatus(postgres({ count: 0, targets: 1, hint: '1 of 1 postgres_exporter targets cannot reach…' }));
    expect(screen.getByText('PostgreSQL is down: 1 of 1 exporters cannot reach their database')).toBeInTheDocument();
  });

  it('says nothing when PostgreSQL is up', async () => {
    const { container } = await renderStatus(postgres({}));
    expect(container).toBeEmptyDOMElement();
  });
});
