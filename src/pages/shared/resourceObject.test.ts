import type { TimeRange } from '@grafana/data';
import { SceneFlexItem, SceneFlexLayout, sceneGraph, type DataSourceVariable } from '@grafana/scenes';

import type { Exporter } from '../../datasource/catalog';
import type { PulseDataSource } from '../../datasource/datasource';
import { exporterCondition } from './exporterStatus';
import { pulsePageScene } from './pageScene';
import { ResourceObject, type ResourceObjectState } from './resourceObject';

const dataSources = [
  { uid: 'pulse-a', name: 'Pulse A', type: 'pulse-prometheus-datasource', jsonData: {} },
  { uid: 'pulse-b', name: 'Pulse B', type: 'pulse-prometheus-datasource', jsonData: {} },
];

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    getList: () => dataSources,
    getInstanceSettings: (uid: string) => dataSources.find((ds) => ds.uid === uid),
    // Grafana falls back to its default data source for an unknown uid.
    get: async (ref: { uid: string }) =>
      ref.uid.startsWith('pulse-')
        ? { uid: ref.uid, type: 'pulse-prometheus-datasource' }
        : { uid: 'default', type: 'prometheus' },
  }),
}));

/** Answers with the data source it was read from and the range's start, after a delay the test chooses. */
class Probe extends ResourceObject<string, ResourceObjectState<string>> {
  delays: number[] = [];
  reads = 0;

  constructor() {
    super({ loaded: { phase: 'loading' } });
  }

  protected async read(dataSource: PulseDataSource, range: TimeRange): Promise<string> {
    this.reads++;
    const delay = this.delays.shift() ?? 0;
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (delay < 0) {
      throw new Error('boom');
    }
    return `${dataSource.uid} ${range.raw.from}`;
  }
}

function page() {
  const probe = new Probe();
  const item = new SceneFlexItem({ body: probe });
  const layout = new SceneFlexLayout({ children: [item] });
  const scene = pulsePageScene({ defaultDataSourceUid: 'pulse-a', body: layout });
  // As rendering does: variable changes reach only objects whose ancestors are active too.
  const activate = () => [scene, layout, item, probe].forEach((o) => o.activate());
  return { scene, probe, activate };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('ResourceObject', () => {
  it('reads from the chosen data source when activated', async () => {
    const { probe, activate } = page();
    activate();
    await settle();
    expect(probe.state.loaded).toEqual({ phase: 'done', value: 'pulse-a now-1h' });
  });

  it('reads again when another data source is chosen or the time range changes (the refresh picker too)', async () => {
    const { scene, probe, activate } = page();
    activate();
    await settle();
    expect(probe.reads).toBe(1);
    (sceneGraph.lookupVariable('ds', scene) as DataSourceVariable).changeValueTo('pulse-b');
    await settle();
    expect(probe.state.loaded).toEqual({ phase: 'done', value: 'pulse-b now-1h' });
    expect(probe.reads).toBe(2);
    sceneGraph.getTimeRange(scene).onTimeRangeChange({
      ...sceneGraph.getTimeRange(scene).state.value,
      raw: { from: 'now-6h', to: 'now' },
    });
    await settle();
    expect(probe.state.loaded).toEqual({ phase: 'done', value: 'pulse-b now-6h' });
    expect(probe.reads).toBe(3);
  });

  it('keeps only the latest answer when an older one arrives last', async () => {
    const { probe } = page();
    probe.delays = [20, 0];
    const slow = probe.reload();
    const range = sceneGraph.getTimeRange(probe);
    range.onTimeRangeChange({ ...range.state.value, raw: { from: 'now-2h', to: 'now' } });
    await Promise.all([slow, probe.reload()]);
    expect(probe.state.loaded).toEqual({ phase: 'done', value: 'pulse-a now-2h' });
    expect(probe.reads).toBe(2);
  });

  it('says a Pulse data source is needed when the variable holds none', async () => {
    const { scene, probe } = page();
    (sceneGraph.lookupVariable('ds', scene) as DataSourceVariable).setState({ value: '', text: '' });
    await probe.reload();
    expect(probe.state.loaded).toEqual({
      phase: 'failed',
      message: 'Choose a Pulse data source: this part of the page reads its resources.',
    });
    expect(probe.reads).toBe(0);
  });

  it('keeps the backend message of a failed read', async () => {
    const { probe } = page();
    probe.delays = [-1];
    await probe.reload();
    expect(probe.state.loaded).toEqual({ phase: 'failed', message: 'boom' });
  });
});

describe('exporterCondition', () => {
  const postgres: Exporter = {
    key: 'postgres',
    title: 'postgres_exporter',
    present: true,
    count: 1,
    targets: 1,
    unit: 'database server',
  };

  it.each([
    ['present', postgres],
    ['missing', { ...postgres, present: false, count: 0, targets: 0, hint: 'no pg_up: run postgres_exporter' }],
    ['degraded', { ...postgres, count: 0, hint: '1 of 1 postgres_exporter targets cannot reach their database' }],
    ['unknown', { ...postgres, present: false, error: 'query timed out' }],
  ])('%s', (condition, exporter) => {
    expect(exporterCondition(exporter as Exporter)).toBe(condition);
  });
});
