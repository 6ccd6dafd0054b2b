import { type DataFrame, FieldType, getFieldDisplayName, toDataFrame, transformDataFrame } from '@grafana/data';
import {
  SceneDataTransformer,
  sceneGraph,
  SceneQueryRunner,
  SwitchVariable,
  type VariableValueOption,
  VizPanel,
  type EmbeddedScene,
} from '@grafana/scenes';
import { lastValueFrom } from 'rxjs';

import type { CatalogContainer, CatalogResponse } from '../../datasource/catalog';
import type { PulseQuery } from '../../datasource/types';
import { signalQuery } from '../shared';
import { runnableTransformations } from '../shared/rowFilter';
import { registerStandardTransformers } from '../shared/testing/transformers';
import { getContainersPage } from '.';
import { containerOptions, isMonitoringStack } from './containerOptions';
import { ContainerVariable } from './containerVariable';

// This machine's demo: cAdvisor on raw cgroups, no Docker, so no name and no image.
const RAW_CGROUPS: CatalogContainer[] = [
  { id: '/pulse-demo-gateway', instance: 'h:8080' },
  { id: '/pulse-demo-orders', instance: 'h:8080' },
];
// A Docker host running dockprom beside the user's containers.
const DOCKER_HOST: CatalogContainer[] = [
  { id: '/docker', instance: 'd:8080' },
  { id: '/docker/1', name: 'shop-orders-1', image: 'shop/orders:2.0.1', instance: 'd:8080' },
  { id: '/docker/2', name: 'prometheus', image: 'prom/prometheus:v2.53.0', instance: 'd:8080' },
  { id: '/docker/3', name: 'dockprom-cadvisor-1', image: 'gcr.io/cadvisor/cadvisor:v0.49.1', instance: 'd:8080' },
  { id: '/docker/4', name: 'nodeexporter', image: 'prom/node-exporter:v1.8.1', instance: 'd:8080' },
  { id: '/docker/5', name: 'grafana', image: 'grafana/grafana:11.1.0', instance: 'd:8080' },
  { id: '/docker/6', name: 'shop-db-1', image: 'postgres:16', instance: 'd:8080' },
  {
    id: '/docker/7',
    name: 'pg-exporter',
    image: 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0',
    instance: 'd:8080',
  },
];

let catalog: CatalogResponse = { services: [], hosts: [], containers: RAW_CGROUPS, databases: [] };
const dataSources = [{ uid: 'pulse-a', name: 'Pulse A', type: 'pulse-prometheus-datasource', jsonData: {} }];
const asked: string[] = [];

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    getList: () => dataSources,
    getInstanceSettings: (uid: string) => dataSources.find((ds) => ds.uid === uid),
    get: async (ref: { uid: string }) => {
      asked.push(ref.uid);
      return { type: 'pulse-prometheus-datasource', getCatalog: async () => catalog };
    },
  }),
}));

beforeAll(registerStandardTransformers);

function containersScene(): EmbeddedScene {
  const page = getContainersPage({ defaultDataSourceUid: 'pulse-a' });
  const url = '/a/pulse-monitoring-app/containers';
  return page.state.getScene!({ url, path: url, isExact: true, params: {} }) as EmbeddedScene;
}

const panels = (scene: EmbeddedScene) => sceneGraph.findAllObjects(scene, (o) => o instanceof VizPanel) as VizPanel[];
const byTitle = (scene: EmbeddedScene, title: string) => panels(scene).find((p) => p.state.title === title)!;

function queriesOf(panel: VizPanel): PulseQuery[] {
  const data = panel.state.$data;
  const runner = (data instanceof SceneDataTransformer ? data.state.$data : data) as SceneQueryRunner;
  return runner.state.queries as PulseQuery[];
}

const values = (options: VariableValueOption[]) => options.map((o) => o.value);

describe('container choices', () => {
  it('are the raw cgroups by id where cAdvisor names nothing', () => {
    expect(values(containerOptions(RAW_CGROUPS, true))).toEqual(['/pulse-demo-gateway', '/pulse-demo-orders']);
  });

  it('are the named containers on a Docker host, without the parent cgroup and, when asked, the monitoring stack', () => {
    expect(values(containerOptions(DOCKER_HOST, true))).toEqual(['shop-db-1', 'shop-orders-1']);
    expect(values(containerOptions(DOCKER_HOST, false))).toEqual([
      'dockprom-cadvisor-1',
      'grafana',
      'nodeexporter',
      'pg-exporter',
      'prometheus',
      'shop-db-1',
      'shop-orders-1',
    ]);
  });

  it('recognise the monitoring stack by whole words of name or image, not by substrings', () => {
    expect(isMonitoringStack({ id: '/x', name: 'my-grafana-clone-test', instance: '' })).toBe(true);
    expect(isMonitoringStack({ id: '/x', name: 'grafanalytics', instance: '' })).toBe(false);
    expect(
      isMonitoringStack({ id: '/x', name: 'web', image: 'nginx/nginx-prometheus-exporter:1.1', instance: '' })
    ).toBe(true);
    expect(isMonitoringStack({ id: '/pulse-demo-orders', instance: '' })).toBe(false);
  });
});

describe('Containers page', () => {
  beforeEach(() => {
    catalog = { ...catalog, containers: RAW_CGROUPS };
    asked.length = 0;
  });

  it('offers the catalog’s containers, from the chosen data source, and the monitoring stack on demand', async () => {
    catalog = { ...catalog, containers: DOCKER_HOST };
    const scene = containersScene();
    const hide = sceneGraph.lookupVariable('hideStack', scene) as SwitchVariable;
    expect(hide).toBeInstanceOf(SwitchVariable);
    expect(hide.state.value).toBe('true');
    const container = sceneGraph.lookupVariable('container', scene) as ContainerVariable;
    expect(container).toBeInstanceOf(ContainerVariable);
    expect(container.state).toMatchObject({ isMulti: true, includeAll: true, defaultToAll: true });
    expect(container.state.allValue).toBeUndefined();
    expect(values(await lastValueFrom(container.getValueOptions()))).toEqual(['shop-db-1', 'shop-orders-1']);
    expect(asked).toEqual(['pulse-a']);
    hide.setValue('false');
    expect(await lastValueFrom(container.getValueOptions())).toHaveLength(7);
    expect(container.variableDependency?.getNames()).toEqual(new Set(['ds', 'hideStack']));
  });

  it('asks every signal for the chosen containers', () => {
    const scene = containersScene();
    const expected: Array<[string, Array<[string, Record<string, string>]>]> = [
      ['Running containers', [['container.running', {}]]],
      ['CPU', [['container.cpu', {}]]],
      ['CPU throttling', [['container.cpu.throttling', {}]]],
      ['Memory working set', [['container.memory', {}]]],
      ['Memory against limit', [['container.memory.vs-limit', {}]]],
      [
        'Network',
        [
          ['container.network', { mode: 'receive' }],
          ['container.network', { mode: 'transmit' }],
        ],
      ],
      ['Filesystem usage', [['container.filesystem.usage', {}]]],
      [
        'Disk I/O',
        [
          ['container.filesystem.io', { mode: 'reads' }],
          ['container.filesystem.io', { mode: 'writes' }],
        ],
      ],
      [
        'Containers',
        [
          ['container.uptime', {}],
          ['container.restarts', {}],
        ],
      ],
      ['Gone containers', [['container.gone', {}]]],
    ];
    expect(panels(scene).map((p) => p.state.title)).toEqual(expected.map(([title]) => title));
    for (const [title, signals] of expected) {
      expect(queriesOf(byTitle(scene, title)).map((q) => q.expr)).toEqual(
        signals.map(([id, params]) => signalQuery(id, { container: '$container', ...params }).expr)
      );
    }
    expect(queriesOf(byTitle(scene, 'CPU'))[0].expr).toContain('id=~"$container"');
  });

  it('names each series by container name, or by cgroup id when cAdvisor gives none', async () => {
    const scene = containersScene();
    const network = byTitle(scene, 'Network');
    expect(queriesOf(network).map((q) => q.legendFormat)).toEqual(['{{name}}|{{id}} received', '{{name}}|{{id}} sent']);
    const series = (displayNameFromDS: string): DataFrame =>
      toDataFrame({
        fields: [
          { name: 'Time', type: FieldType.time, values: [1] },
          { name: 'Value', type: FieldType.number, values: [1], config: { displayNameFromDS } },
        ],
      });
    const { transformations } = (network.state.$data as SceneDataTransformer).state;
    const frames = await lastValueFrom(
      transformDataFrame(runnableTransformations(transformations as never), [
        series('|/pulse-demo-orders sent'),
        series('orders|/docker/1 sent'),
      ])
    );
    expect(frames.map((f) => getFieldDisplayName(f.fields[1], f))).toEqual(['/pulse-demo-orders sent', 'orders sent']);
  });

  it('explains empty panels: raw cgroups lack network and filesystem figures, nothing gone is good news', () => {
    const scene = containersScene();
    for (const title of ['Network', 'Filesystem usage', 'Disk I/O']) {
      expect(byTitle(scene, title).state.fieldConfig.defaults.noValue).toMatch(
        /^No per-container figures\. cAdvisor reports network and filesystem usage per container only for containers run by Docker/
      );
    }
    expect(byTitle(scene, 'Gone containers').state.fieldConfig.defaults.noValue).toMatch(
      /^No container disappeared in this time range/
    );
    expect(byTitle(scene, 'CPU throttling').state.fieldConfig.defaults.noValue).toMatch(
      /^No container with a CPU limit/
    );
    expect(byTitle(scene, 'CPU').state.fieldConfig.defaults.noValue).toMatch(/^No container to show\. Either cAdvisor/);
    const running = byTitle(scene, 'Running containers');
    expect(running.state.fieldConfig.defaults.noValue).toBe('No containers');
    expect(running.state.description).toMatch(/^No container to show/);
  });

  it('counts running containers as one number and titles every table column', async () => {
    const scene = containersScene();
    expect(byTitle(scene, 'Running containers').state.options).toMatchObject({ textMode: 'value' });
    expect(byTitle(scene, 'Gone containers').state.fieldConfig.overrides).toContainEqual({
      matcher: { id: 'byName', options: 'Value #A' },
      properties: [{ id: 'displayName', value: 'Gone for' }],
    });
    // The containers table joins uptime and restarts as the backend answers them: frames named by refId.
    const table = byTitle(scene, 'Containers');
    const answer = (refId: string, ids: string[], values: number[]) =>
      toDataFrame({
        name: refId,
        refId,
        fields: [
          { name: 'Time', type: FieldType.time, values: values.map(() => 1000) },
          { name: 'id', type: FieldType.string, values: ids },
          { name: 'instance', type: FieldType.string, values: ids.map(() => 'h:8080') },
          { name: `Value #${refId}`, type: FieldType.number, values },
        ],
      });
    const { transformations } = (table.state.$data as SceneDataTransformer).state;
    const [joined] = await lastValueFrom(
      transformDataFrame(runnableTransformations(transformations as never), [
        answer('A', ['/pulse-demo-orders', '/pulse-demo-gateway'], [120, 3600]),
        answer('B', ['/pulse-demo-gateway', '/pulse-demo-orders'], [1, 0]),
      ])
    );
    expect(joined.fields.map((f) => [getFieldDisplayName(f, joined), f.values])).toEqual([
      ['cgroup id', ['/pulse-demo-gateway', '/pulse-demo-orders']],
      ['Uptime', [3600, 120]],
      ['Restarts', [1, 0]],
    ]);
  });

  it('marks the throttling and memory-limit thresholds', () => {
    const scene = containersScene();
    const steps = (title: string) =>
      byTitle(scene, title).state.fieldConfig.defaults.thresholds!.steps.map((s) => s.value);
    expect(steps('CPU throttling')).toEqual([-Infinity, 0.25]);
    expect(steps('Memory against limit')).toEqual([-Infinity, 0.8, 0.9]);
    expect(byTitle(scene, 'Memory against limit').state.fieldConfig.defaults.custom).toMatchObject({
      thresholdsStyle: { mode: 'dashed' },
    });
  });
});
