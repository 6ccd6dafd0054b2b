import {
  type DataFrame,
  FieldType,
  getFieldDisplayName,
  ThresholdsMode,
  toDataFrame,
  transformDataFrame,
} from '@grafana/data';
import { SceneDataTransformer, SceneQueryRunner, VizPanelExploreButton } from '@grafana/scenes';
import { lastValueFrom, of } from 'rxjs';

import type { PulseQuery } from '../../datasource/types';
import { joinedTable, joinedTableTransformations, type JoinedTableOptions } from './joinedTable';
import { signalQuery } from './signalQuery';
import { registerStandardTransformers } from './testing/transformers';
import { AddToDashboardButton } from './AddToDashboard';
import { CreateAlertButton } from './createAlert';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ getList: () => [], getInstanceSettings: () => undefined }),
}));

beforeAll(registerStandardTransformers);

/**
 * A table frame as the backend answers an instant table query: named by its refId, Time, the labels, then
 * `Value #<refId>` (given here as `Value`).
 */
function table(refId: string, columns: Record<string, Array<string | number>>): DataFrame {
  const rows = Object.values(columns)[0].length;
  return toDataFrame({
    name: refId,
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: Array(rows).fill(1000) },
      ...Object.entries(columns).map(([name, values]) => ({
        name: name === 'Value' ? `Value #${refId}` : name,
        type: typeof values[0] === 'number' ? FieldType.number : FieldType.string,
        values,
      })),
    ],
  });
}

/** An empty answer: no series, so no label columns. */
const empty = (refId: string) => table(refId, { Value: [] });

/** The joined table as header -> cells, headers as the table shows them; exactly one frame must come out. */
async function join(options: JoinedTableOptions, frames: DataFrame[]) {
  const out = await lastValueFrom(transformDataFrame(joinedTableTransformations(options), frames));
  expect(out).toHaveLength(1);
  const [joined] = out;
  return Object.fromEntries(
    joined.fields.map((f) => [getFieldDisplayName(f, joined), f.values.map((v) => (Array.isArray(v) ? [...v] : v))])
  );
}

const ERRORS = { mode: ThresholdsMode.Absolute, steps: [{ value: -Infinity, color: 'green' }] };

const services: JoinedTableOptions = {
  title: 'Services',
  keys: [{ labelName: 'name', title: 'Service', links: [{ title: 'Open', url: '/services/${__value.raw}' }] }],
  columns: [
    { signalId: 'service.versions', labels: [{ labelName: 'version', title: 'Versions', all: true }] },
    { title: 'Rate', signalId: 'service.requests.total', params: { groupBy: ['service'] } },
    { title: 'Errors', signalId: 'service.errors.ratio', params: { groupBy: ['service'] }, thresholds: ERRORS },
  ],
  sortByDesc: 'Rate',
};

const hosts: JoinedTableOptions = {
  title: 'Hosts',
  keys: [{ labelName: 'instance', title: 'Host' }],
  columns: [
    { signalId: 'host.info', labels: [{ labelName: 'nodename', title: 'Node name' }] },
    { signalId: 'host.cpu.busy', title: 'CPU busy', thresholds: ERRORS, gauge: true },
    { signalId: 'host.filesystem.used', params: { mounts: 'root' }, title: 'Root FS used' },
  ],
};

describe('joinedTable', () => {
  it('joins one frame per column into one row per key, in key order, listing every version of a service', async () => {
    const joined = await join(services, [
      table('A', {
        __name__: ['x', 'x', 'x'],
        name: ['shop.orders', 'shop.orders', 'shop.gateway'],
        version: ['2.0.1', '2.1.0', '1.4.2'],
        Value: [1, 1, 2],
      }),
      table('B', { job: ['nestjs', 'nestjs'], name: ['shop.orders', 'shop.gateway'], Value: [3.5, 7] }),
      table('C', { name: ['shop.orders'], Value: [0.25] }),
    ]);
    expect(joined).toEqual({
      Service: ['shop.gateway', 'shop.orders'],
      Versions: [['1.4.2'], ['2.0.1', '2.1.0']],
      Rate: [7, 3.5],
      Errors: [undefined, 0.25],
    });
  });

  it('joins on several keys (operations)', async () => {
    const operations: JoinedTableOptions = {
      title: 'Operations',
      keys: ['controller', 'handler', 'method'].map((label) => ({ labelName: label, title: label.toUpperCase() })),
      columns: [
        { title: 'Rate', signalId: 'service.requests.total', params: { groupBy: ['controller', 'handler', 'method'] } },
        {
          title: 'p95',
          signalId: 'service.latency.quantile',
          params: { groupBy: ['controller', 'handler', 'method'] },
        },
      ],
    };
    const joined = await join(operations, [
      table('A', {
        controller: ['Orders', 'Orders'],
        handler: ['list', 'create'],
        method: ['GET', 'POST'],
        Value: [2, 1],
      }),
      table('B', {
        controller: ['Orders', 'Orders'],
        handler: ['create', 'list'],
        method: ['POST', 'GET'],
        Value: [0.5, 0.1],
      }),
    ]);
    expect(joined).toEqual({
      CONTROLLER: ['Orders', 'Orders'],
      HANDLER: ['list', 'create'],
      METHOD: ['GET', 'POST'],
      Rate: [2, 1],
      p95: [0.1, 0.5],
    });
  });

  it('takes labels from a query whose value is hidden, keeps a host missing from a column, skips an empty answer', async () => {
    const joined = await join(hosts, [
      table('A', { instance: ['b:9100', 'a:9100'], job: ['node', 'node'], nodename: ['beta', 'alpha'], Value: [1, 1] }),
      table('B', { instance: ['a:9100', 'b:9100'], job: ['node', 'node'], Value: [0.25, 0.5] }),
      table('C', {
        device: ['/dev/vda'],
        fstype: ['ext4'],
        instance: ['a:9100'],
        job: ['node'],
        mountpoint: ['/'],
        Value: [0.75],
      }),
    ]);
    expect(joined).toEqual({
      Host: ['a:9100', 'b:9100'],
      'Node name': ['alpha', 'beta'],
      'CPU busy': [0.25, 0.5],
      'Root FS used': [0.75, undefined],
    });
    expect(
      await join(hosts, [
        table('A', { instance: ['a:9100'], nodename: ['alpha'], Value: [1] }),
        empty('B'),
        table('C', { instance: ['a:9100'], Value: [0.75] }),
      ])
    ).toEqual({ Host: ['a:9100'], 'Node name': ['alpha'], 'Root FS used': [0.75] });
  });

  it('shows a label that several queries carry once, from the query that names it', async () => {
    const containers: JoinedTableOptions = {
      title: 'Containers',
      keys: [{ labelName: 'id', title: 'cgroup id' }],
      columns: [
        { signalId: 'container.uptime', title: 'Uptime', labels: [{ labelName: 'name', title: 'Name' }] },
        { signalId: 'container.restarts', title: 'Restarts' },
      ],
    };
    expect(
      await join(containers, [
        table('A', { id: ['/pulse-demo-orders', '/docker/a'], name: ['', 'orders'], Value: [120, 60] }),
        table('B', { id: ['/docker/a', '/pulse-demo-orders'], name: ['orders', ''], Value: [2, 0] }),
      ])
    ).toEqual({
      'cgroup id': ['/docker/a', '/pulse-demo-orders'],
      Name: ['orders', ''],
      Uptime: [60, 120],
      Restarts: [2, 0],
    });
  });

  it('asks one instant table query per column, each the signal rendered', () => {
    const panel = joinedTable(services);
    const data = panel.state.$data as SceneDataTransformer;
    const queries = (data.state.$data as SceneQueryRunner).state.queries as PulseQuery[];
    expect(queries.map((q) => [q.refId, q.expr, q.instant, q.range, q.format])).toEqual([
      ['A', signalQuery('service.versions').expr, true, false, 'table'],
      ['B', signalQuery('service.requests.total', { groupBy: ['service'] }).expr, true, false, 'table'],
      ['C', signalQuery('service.errors.ratio', { groupBy: ['service'] }).expr, true, false, 'table'],
    ]);
  });

  it('sets units, thresholds, gauges, links, sorting, an Explore action and the empty state per column', () => {
    const overridesOf = (options: JoinedTableOptions) =>
      Object.fromEntries(
        joinedTable(options).state.fieldConfig.overrides.map((o) => [
          o.matcher.options,
          Object.fromEntries(o.properties.map((p) => [p.id, p.value])),
        ])
      );
    expect(overridesOf(services)).toEqual({
      Service: { links: [{ title: 'Open', url: '/services/${__value.raw}' }] },
      Versions: {
        noValue: '–',
        'custom.cellOptions': { type: 'color-text' },
        color: { mode: 'fixed', fixedColor: 'text' },
      },
      Rate: { unit: 'reqps', noValue: '–', decimals: 2 },
      Errors: {
        unit: 'percentunit',
        noValue: '–',
        decimals: 2,
        thresholds: ERRORS,
        'custom.cellOptions': { type: 'color-text' },
      },
    });
    expect(overridesOf(hosts)).toEqual({
      'Node name': { noValue: '–' },
      'CPU busy': {
        unit: 'percentunit',
        noValue: '–',
        decimals: 2,
        thresholds: ERRORS,
        'custom.cellOptions': { type: 'gauge', mode: 'basic' },
        min: 0,
        max: 1,
      },
      'Root FS used': { unit: 'percentunit', noValue: '–', decimals: 2 },
    });
    const panel = joinedTable(services);
    expect(panel.state.options).toMatchObject({ sortBy: [{ displayName: 'Rate', desc: true }] });
    expect(panel.state.headerActions).toEqual([
      expect.any(VizPanelExploreButton),
      expect.any(CreateAlertButton),
      expect.any(AddToDashboardButton),
    ]);
    expect(panel.state.fieldConfig.defaults.noValue).toMatch(/^No data from nestjs_success_requests/);
  });

  it('follows the page’s text filter only when filterable, on the keys and the shown labels', async () => {
    const transformationsOf = (options: JoinedTableOptions) =>
      (joinedTable(options).state.$data as SceneDataTransformer).state.transformations;
    expect(transformationsOf(services)).toHaveLength(joinedTableTransformations(services).length);
    const filtered = transformationsOf({ ...services, filterable: true });
    const filter = filtered[filtered.length - 1];
    if (typeof filter === 'function' || !('operator' in filter)) {
      throw new Error('the last transformation is not the row filter');
    }
    const frame = toDataFrame({
      fields: [
        { name: 'name', type: FieldType.string, values: ['shop.gateway', 'shop.orders'] },
        { name: 'version (uniqueValues)', type: FieldType.other, values: [['1.4.2'], ['2.0.1']] },
      ],
    });
    const interpolate = (text: string) => text.replace('${filter}', '2.0');
    const [out] = await lastValueFrom(filter.operator({ interpolate })(of([frame])));
    expect(out.fields[0].values).toEqual(['shop.orders']);
  });
});
