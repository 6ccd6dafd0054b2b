import fs from 'fs';
import path from 'path';
import React from 'react';
import { act, render, screen, waitFor } from '@testing-library/react';
import { type EmbeddedScene, sceneGraph, SceneDataTransformer, SceneQueryRunner, VizPanel } from '@grafana/scenes';

import type { Exporter, Target, TargetsResponse } from '../../datasource/catalog';
import type { PulseQuery } from '../../datasource/types';
import { signalQuery } from '../shared';
import { getOverviewPage } from '.';
import { DataSourceHealth } from './DataSourceHealth';
import { NESTJS_SNIPPET } from './nestjsSnippet';
import { SetupChecklist } from './SetupChecklist';
import { serveUnder } from '../shared/testing/grafana';

const dataSources = [
  { uid: 'pulse-a', name: 'Pulse A', type: 'pulse-prometheus-datasource', jsonData: {} },
  {
    uid: 'pulse-b',
    name: 'Pulse B',
    type: 'pulse-prometheus-datasource',
    jsonData: { metrics: { info: 'api_info' } },
  },
];
const pulse = {
  type: 'pulse-prometheus-datasource',
  getExporters: jest.fn<Promise<{ exporters: Exporter[] }>, [boolean?]>(),
  getTargets: jest.fn<Promise<TargetsResponse>, [boolean?]>(),
};
const backendGet = jest.fn();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ get: backendGet }),
  getDataSourceSrv: () => ({
    getList: () => dataSources,
    getInstanceSettings: (uid: string) => dataSources.find((ds) => ds.uid === uid),
    get: async () => pulse,
  }),
}));

function scene(defaultDataSourceUid?: string): EmbeddedScene {
  return getOverviewPage({ defaultDataSourceUid }).state.getScene!({} as never) as EmbeddedScene;
}

function queries(p: VizPanel): PulseQuery[] {
  const data = p.state.$data;
  const runner = (data instanceof SceneDataTransformer ? data.state.$data : data) as SceneQueryRunner;
  return runner.state.queries as PulseQuery[];
}

const exporter = (key: Exporter['key'], title: string, over: Partial<Exporter> = {}): Exporter => ({
  key,
  title,
  present: true,
  count: 2,
  targets: 2,
  unit: 'thing',
  ...over,
});

// The demo stack without postgres_exporter: three exporters found, one missing.
const withoutPostgres: Exporter[] = [
  exporter('nestjs', 'NestJS services'),
  exporter('node', 'node_exporter', { count: 1, targets: 1 }),
  exporter('cadvisor', 'cAdvisor', { count: 2, targets: 1 }),
  exporter('postgres', 'postgres_exporter', { present: false, count: 0, targets: 0, hint: 'no pg_up: run it' }),
];

const wrapped: Target = {
  job: 'nestjs',
  instance: '127.0.0.1:46409',
  scrapePool: 'nestjs',
  scrapeUrl: 'http://127.0.0.1:46409/metrics',
  health: 'down',
  lastError: '"INVALID" is not a valid start token',
  lastScrape: new Date().toISOString(),
  lastScrapeDuration: 0.003,
  labels: {},
  diagnosis: { kind: 'json_body', hint: 'the metrics endpoint returns JSON' },
};

async function renderChecklist(exporters: Exporter[], targets: Target[] = []) {
  pulse.getExporters.mockResolvedValue({ exporters });
  pulse.getTargets.mockResolvedValue({ targets, up: 0, down: targets.length, unknown: 0 });
  const checklist = sceneGraph.findObject(scene(), (o) => o instanceof SetupChecklist) as SetupChecklist;
  // Rendering activates it, which reads too; both reads settle inside act.
  render(<checklist.Component model={checklist} />);
  await act(() => checklist.reload());
  return checklist;
}

beforeEach(() => {
  pulse.getExporters.mockReset();
  pulse.getTargets.mockReset();
  backendGet.mockReset();
});

describe('Overview page', () => {
  it('lives at its route', () => {
    expect(getOverviewPage({}).state).toMatchObject({
      url: '/a/pulse-monitoring-app/overview',
      routePath: 'overview/*',
    });
  });

  it('shows the fleet from signals, each stat linking to its page with the data source and time range', () => {
    const panels = sceneGraph.findAllObjects(scene('pulse-b'), (o) => o instanceof VizPanel) as VizPanel[];
    const names = { info: 'api_info' };
    expect(
      panels.map((p) => [p.state.title, queries(p)[0].expr, p.state.fieldConfig.defaults.links?.[0]?.url])
    ).toEqual([
      [
        'Services',
        signalQuery('service.count', {}, { metricNames: names }).expr,
        '/a/pulse-monitoring-app/services?${ds:queryparam}&${__url_time_range}',
      ],
      [
        'Errors (all services)',
        signalQuery('service.errors.ratio', {}, { metricNames: names }).expr,
        '/a/pulse-monitoring-app/services?${ds:queryparam}&${__url_time_range}',
      ],
      [
        'Versions',
        signalQuery('service.versions', {}, { metricNames: names }).expr,
        '/a/pulse-monitoring-app/services?${ds:queryparam}&${__url_time_range}',
      ],
      [
        'Hosts up',
        signalQuery('host.up', { state: 'up' }).expr,
        '/a/pulse-monitoring-app/hosts?${ds:queryparam}&${__url_time_range}',
      ],
      [
        'Hosts down',
        signalQuery('host.up', { state: 'down' }).expr,
        '/a/pulse-monitoring-app/hosts?${ds:queryparam}&${__url_time_range}',
      ],
      [
        'Containers up',
        // The containers the Containers page shows by default: its (hidden) catalog variable.
        signalQuery('container.running', { container: '$container' }).expr,
        '/a/pulse-monitoring-app/containers?${ds:queryparam}&${__url_time_range}',
      ],
      [
        'PostgreSQL',
        signalQuery('postgres.up', {}).expr,
        '/a/pulse-monitoring-app/postgresql?${ds:queryparam}&${__url_time_range}',
      ],
    ]);
    expect(queries(panels[0])[0].expr).toContain('api_info');
  });

  it('gives every stat a named empty state and an error-ratio threshold', () => {
    const panels = sceneGraph.findAllObjects(scene(), (o) => o instanceof VizPanel) as VizPanel[];
    const noValue = Object.fromEntries(panels.map((p) => [p.state.title, p.state.fieldConfig.defaults.noValue]));
    expect(noValue).toMatchObject({
      Services: 'No NestJS metrics',
      'Hosts up': 'node_exporter missing',
      'Containers up': 'cAdvisor missing',
      PostgreSQL: 'postgres_exporter missing',
    });
    const errors = panels.find((p) => p.state.title === 'Errors (all services)')!;
    expect(errors.state.fieldConfig.defaults.unit).toBe('percentunit');
    expect(errors.state.fieldConfig.defaults.thresholds?.steps.map((s) => s.value)).toEqual([-Infinity, 0.01, 0.05]);
  });

  it('checks the data source chosen on the page', async () => {
    backendGet.mockResolvedValue({ status: 'OK', message: 'Prometheus 2.53.0 is reachable.' });
    const health = sceneGraph.findObject(scene('pulse-b'), (o) => o instanceof DataSourceHealth) as DataSourceHealth;
    render(<health.Component model={health} />);
    expect(await screen.findByText('Prometheus 2.53.0 is reachable.')).toBeInTheDocument();
    expect(backendGet).toHaveBeenCalledWith('/api/datasources/uid/pulse-b/health', undefined, undefined, {
      showErrorAlert: false,
    });
  });
});

describe('SetupChecklist', () => {
  afterEach(() => serveUnder(''));

  it('keeps the sub-path Grafana is served under in its page links, which a user may open in a new tab', async () => {
    serveUnder('/grafana');
    await renderChecklist(withoutPostgres, [wrapped]);
    expect(screen.getByRole('link', { name: 'postgres_exporter' })).toHaveAttribute(
      'href',
      '/grafana/a/pulse-monitoring-app/postgresql'
    );
    expect(screen.getByRole('link', { name: 'All scrape targets' })).toHaveAttribute(
      'href',
      '/grafana/a/pulse-monitoring-app/targets'
    );
  });

  it('names postgres_exporter as missing and says how to add it', async () => {
    await renderChecklist(withoutPostgres);
    expect(pulse.getExporters).toHaveBeenCalledWith(true);
    const postgres = screen.getByTestId('checklist-postgres');
    expect(postgres).toHaveAttribute('data-condition', 'missing');
    expect(postgres).toHaveTextContent('postgres_exporter — Missing');
    expect(postgres).toHaveTextContent(/Run postgres_exporter \(port 9187\) with DATA_SOURCE_NAME/);
    expect(screen.getByRole('link', { name: 'postgres_exporter' })).toHaveAttribute(
      'href',
      '/a/pulse-monitoring-app/postgresql'
    );
  });

  it('counts what each present exporter reports', async () => {
    await renderChecklist(withoutPostgres);
    expect(screen.getByTestId('checklist-nestjs')).toHaveAttribute('data-condition', 'present');
    expect(screen.getByTestId('checklist-nestjs')).toHaveTextContent('services: 2, scrape targets: 2');
    expect(screen.getByTestId('checklist-node')).toHaveTextContent('hosts: 1, scrape targets: 1');
    expect(screen.getByTestId('checklist-cadvisor')).toHaveTextContent('containers: 2, scrape targets: 1');
  });

  it('flags an exporter whose database is down with the backend hint', async () => {
    const down = exporter('postgres', 'postgres_exporter', {
      count: 0,
      targets: 1,
      hint: '1 of 1 postgres_exporter targets cannot reach their database (pg_up = 0)',
    });
    await renderChecklist([down]);
    const item = screen.getByTestId('checklist-postgres');
    expect(item).toHaveAttribute('data-condition', 'degraded');
    expect(item).toHaveTextContent('0 of 1 targets healthy');
    expect(item).toHaveTextContent('cannot reach their database (pg_up = 0)');
  });

  it('lists a scrape wrapped in a JSON envelope with the interceptor hint from the targets diagnosis', async () => {
    const healthy: Target = { ...wrapped, instance: '127.0.0.1:38085', health: 'up', diagnosis: undefined };
    await renderChecklist(withoutPostgres, [wrapped, healthy]);
    const failing = screen.getAllByTestId('checklist-failing-target');
    expect(failing).toHaveLength(1);
    expect(failing[0]).toHaveTextContent('Scrape fails: nestjs 127.0.0.1:46409');
    expect(failing[0]).toHaveTextContent(/global response interceptor.*Exclude the metrics path/);
    expect(screen.getByRole('link', { name: 'All scrape targets' })).toHaveAttribute(
      'href',
      '/a/pulse-monitoring-app/targets'
    );
  });

  it('names the instrumentation it found', async () => {
    await renderChecklist([exporter('nestjs', 'NestJS services', { profiles: [{ profile: 'seed', targets: 2 }] })]);
    expect(screen.getByTestId('checklist-profiles')).toHaveTextContent(
      'Instrumentation found: NestJS interceptor, success and fail histograms (seed): 2 targets'
    );
  });

  it('says which instrumentation to choose when the services export another than the one set', async () => {
    const otelOnly = exporter('nestjs', 'NestJS services', {
      present: false,
      count: 0,
      targets: 0,
      profiles: [{ profile: 'otel-http', targets: 3 }],
    });
    await renderChecklist([otelOnly]);
    expect(screen.getByTestId('checklist-profiles')).toHaveTextContent(
      'Your services export another instrumentation: OpenTelemetry HTTP metrics (otel-http): 3 targets. Choose it'
    );
    expect(screen.queryByTestId('checklist-nestjs-snippet')).not.toBeInTheDocument();
  });

  it('offers the NestJS code to paste where no service is instrumented at all', async () => {
    await renderChecklist([exporter('nestjs', 'NestJS services', { present: false, count: 0, targets: 0 })]);
    const snippet = screen.getByTestId('checklist-nestjs-snippet');
    expect(snippet).toHaveTextContent('Show the NestJS code to add');
    expect(snippet.querySelector('pre')?.textContent).toBe(NESTJS_SNIPPET);
  });

  it('keeps the README’s snippet the same as the checklist’s', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain('```ts\n' + NESTJS_SNIPPET + '\n```');
  });

  it('still lists the exporters when the engine cannot list targets', async () => {
    pulse.getExporters.mockResolvedValue({ exporters: withoutPostgres });
    pulse.getTargets.mockRejectedValue({ data: { message: 'not supported' } });
    const checklist = sceneGraph.findObject(scene(), (o) => o instanceof SetupChecklist) as SetupChecklist;
    await checklist.reload();
    await waitFor(() => expect(checklist.state.loaded.phase).toBe('done'));
    expect(checklist.state.loaded).toMatchObject({ value: { failing: [] } });
  });
});
