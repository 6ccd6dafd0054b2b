import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import {
  type EmbeddedScene,
  QueryVariable,
  sceneGraph,
  SceneQueryRunner,
  VizPanel,
  VizPanelExploreButton,
} from '@grafana/scenes';

import type { Target, TargetsResponse } from '../../datasource/catalog';
import type { PulseQuery } from '../../datasource/types';
import { targetJobVariableQuery } from '../../signals';
import { signalQuery } from '../shared';
import { getTargetsPage } from '.';
import { TargetsTable } from './TargetsTable';
import { AddToDashboardButton } from '../shared/AddToDashboard';
import { CreateAlertButton } from '../shared/createAlert';

const dataSources = [{ uid: 'pulse-a', name: 'Pulse A', type: 'pulse-prometheus-datasource', jsonData: {} }];
const getTargets = jest.fn<Promise<TargetsResponse>, [boolean?]>();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    getList: () => dataSources,
    getInstanceSettings: (uid: string) => dataSources.find((ds) => ds.uid === uid),
    get: async () => ({ type: 'pulse-prometheus-datasource', getTargets }),
  }),
}));

function scene(): EmbeddedScene {
  return getTargetsPage({}).state.getScene!({} as never) as EmbeddedScene;
}

const target = (over: Partial<Target>): Target => ({
  job: 'node',
  instance: '127.0.0.1:9100',
  scrapePool: 'node',
  scrapeUrl: 'http://127.0.0.1:9100/metrics',
  health: 'up',
  lastScrape: new Date().toISOString(),
  lastScrapeDuration: 0.0123,
  labels: {},
  ...over,
});

// What the backend answers on the demo stack: the wrapped NestJS instance fails, the others are up.
const wrapped = target({
  job: 'nestjs',
  instance: '127.0.0.1:46409',
  scrapePool: 'nestjs',
  scrapeUrl: 'http://127.0.0.1:46409/metrics',
  health: 'down',
  lastError: '"INVALID" is not a valid start token',
  diagnosis: { kind: 'json_body', hint: 'the metrics endpoint returns JSON, not the Prometheus text format: …' },
});
const stack: TargetsResponse = { targets: [wrapped, target({})], up: 1, down: 1, unknown: 0 };

async function renderTable() {
  const table = sceneGraph.findObject(scene(), (o) => o instanceof TargetsTable) as TargetsTable;
  // Rendering activates it, which reads too; both reads settle inside act.
  render(<table.Component model={table} />);
  await act(() => table.reload());
  return table;
}

beforeEach(() => getTargets.mockReset());

describe('Targets page', () => {
  it('lives at its route', () => {
    expect(getTargetsPage({}).state).toMatchObject({
      title: 'Targets',
      url: '/a/pulse-monitoring-app/targets',
      routePath: 'targets/*',
    });
  });

  it('has a job variable from the target signal file', () => {
    const job = sceneGraph.lookupVariable('job', scene()) as QueryVariable;
    expect(job).toBeInstanceOf(QueryVariable);
    expect(job.state).toMatchObject({
      query: targetJobVariableQuery(),
      datasource: { type: 'pulse-prometheus-datasource', uid: '${ds}' },
      includeAll: true,
      isMulti: true,
    });
  });

  it('draws up, scrape duration and samples from the target signals, filtered by job', () => {
    const panels = sceneGraph.findAllObjects(scene(), (o) => o instanceof VizPanel) as VizPanel[];
    expect(
      panels.map((p) => [
        p.state.title,
        ((p.state.$data as SceneQueryRunner).state.queries[0] as PulseQuery).expr,
        p.state.fieldConfig.defaults.unit,
      ])
    ).toEqual([
      ['Up', signalQuery('target.up', { job: '$job' }).expr, 'short'],
      ['Scrape duration', signalQuery('target.scrape.duration', { job: '$job' }).expr, 's'],
      ['Samples per scrape', signalQuery('target.scrape.samples', { job: '$job' }).expr, 'short'],
    ]);
    for (const p of panels) {
      expect(p.state.headerActions).toEqual([
        expect.any(VizPanelExploreButton),
        expect.any(CreateAlertButton),
        expect.any(AddToDashboardButton),
      ]);
      expect(p.state.fieldConfig.defaults.noValue).toMatch(/^Prometheus reports no scrape targets/);
    }
  });
});

describe('TargetsTable', () => {
  it('reads the targets fresh, not from the editor cache', async () => {
    getTargets.mockResolvedValue(stack);
    await renderTable();
    expect(getTargets).toHaveBeenCalledWith(true);
  });

  it('shows every target with health, last scrape, duration, and the interceptor hint for the wrapped one', async () => {
    getTargets.mockResolvedValue(stack);
    await renderTable();
    expect(screen.getByText('1 up, 1 down, 0 unknown')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const failing = within(rows[0]);
    expect(failing.getByText('Down')).toBeInTheDocument();
    expect(failing.getByText('127.0.0.1:46409')).toBeInTheDocument();
    expect(
      failing.getByText(/global response interceptor .* Exclude the metrics path from that interceptor\./)
    ).toBeInTheDocument();
    expect(failing.getByText('Prometheus says: "INVALID" is not a valid start token')).toBeInTheDocument();
    const healthy = within(rows[1]);
    expect(healthy.getByText('Up')).toBeInTheDocument();
    expect(healthy.getByText('12.3 ms')).toBeInTheDocument();
    expect(healthy.getByText('a few seconds ago')).toBeInTheDocument();
  });

  it('keeps the backend hint for a diagnosis this version does not know', async () => {
    const odd = target({ health: 'down', diagnosis: { kind: 'something_new', hint: 'the backend says why' } });
    getTargets.mockResolvedValue({ targets: [odd], up: 0, down: 1, unknown: 0 });
    await renderTable();
    expect(screen.getByText('the backend says why')).toBeInTheDocument();
  });

  it('says when Prometheus has no targets, and when they cannot be read', async () => {
    getTargets.mockResolvedValue({ targets: [], up: 0, down: 0, unknown: 0 });
    const table = await renderTable();
    expect(screen.getByText('Prometheus has no scrape targets')).toBeInTheDocument();

    getTargets.mockRejectedValue({ data: { message: 'Prometheus could not list its targets: boom' } });
    await act(() => table.reload());
    expect(table.state.loaded).toEqual({ phase: 'failed', message: 'Prometheus could not list its targets: boom' });
  });
});
