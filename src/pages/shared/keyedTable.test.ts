import {
  type DataFrame,
  FieldType,
  getFieldDisplayName,
  standardTransformers,
  standardTransformersRegistry,
  toDataFrame,
  transformDataFrame,
} from '@grafana/data';
import { SceneDataTransformer, SceneQueryRunner, VizPanelExploreButton } from '@grafana/scenes';
import { lastValueFrom } from 'rxjs';

import type { PulseQuery } from '../../datasource/types';
import { keyedTable, keyedTableTransformations, type KeyedTableOptions } from './keyedTable';
import { signalQuery } from './signalQuery';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ getList: () => [], getInstanceSettings: () => undefined }),
}));

// Grafana registers its transformers at start-up; the test runs the same ones from @grafana/data.
beforeAll(() => {
  // standardTransformers also exports aliases (one transformer under two names): register each id once.
  const byId = new Map(
    Object.values(standardTransformers).map((transformation) => [transformation.id, transformation])
  );
  standardTransformersRegistry.setInit(() =>
    [...byId.values()].map((transformation) => ({
      id: transformation.id,
      name: transformation.name,
      transformation,
      editor: () => null,
      imageDark: '',
      imageLight: '',
    }))
  );
});

/** A numeric-long table frame as the backend answers an instant table query. */
function table(refId: string, columns: Record<string, Array<string | number>>): DataFrame {
  const rows = Object.values(columns)[0].length;
  return toDataFrame({
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

const services: KeyedTableOptions = {
  title: 'Services',
  keys: [{ labelName: 'name', title: 'Service', links: [{ title: 'Open', url: '/services/${__value.raw}' }] }],
  columns: [
    { title: 'Versions', signalId: 'service.versions', field: 'version', reducer: 'uniqueValues' },
    { title: 'Rate', signalId: 'service.requests.total', params: { groupBy: ['service'] } },
    {
      title: 'Errors',
      signalId: 'service.errors.ratio',
      params: { groupBy: ['service'] },
      thresholds: { mode: 'absolute' as never, steps: [{ value: -Infinity, color: 'green' }] },
    },
  ],
  sortByDesc: 'Rate',
};

/** The joined table as header -> cells; headers as the table shows them (organize renames the display name). */
async function join(options: KeyedTableOptions, frames: DataFrame[]) {
  const [joined] = await lastValueFrom(transformDataFrame(keyedTableTransformations(options), frames));
  return Object.fromEntries(
    joined.fields.map((f) => [getFieldDisplayName(f, joined), f.values.map((v) => (Array.isArray(v) ? [...v] : v))])
  );
}

describe('keyedTable', () => {
  it('joins one frame per column into one row per key, listing every version of a service', async () => {
    const joined = await join(services, [
      table('A', {
        __name__: ['x', 'x', 'x'],
        name: ['shop.orders', 'shop.orders', 'shop.gateway'],
        version: ['2.0.1', '2.1.0', '1.4.2'],
        Value: [1, 1, 2],
      }),
      table('B', { name: ['shop.gateway', 'shop.orders'], Value: [7, 3.5] }),
      table('C', { name: ['shop.orders'], Value: [0.25] }),
    ]);
    expect(joined).toEqual({
      Service: ['shop.orders', 'shop.gateway'],
      Versions: [['2.0.1', '2.1.0'], ['1.4.2']],
      Rate: [3.5, 7],
      Errors: [0.25, undefined],
    });
  });

  it('joins on several keys (operations)', async () => {
    const operations: KeyedTableOptions = {
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

  it('asks one instant table query per column, each the signal rendered', () => {
    const panel = keyedTable(services);
    const data = panel.state.$data as SceneDataTransformer;
    const queries = (data.state.$data as SceneQueryRunner).state.queries as PulseQuery[];
    expect(queries.map((q) => [q.refId, q.expr, q.instant, q.range, q.format])).toEqual([
      ['A', signalQuery('service.versions').expr, true, false, 'table'],
      ['B', signalQuery('service.requests.total', { groupBy: ['service'] }).expr, true, false, 'table'],
      ['C', signalQuery('service.errors.ratio', { groupBy: ['service'] }).expr, true, false, 'table'],
    ]);
  });

  it('sets units, thresholds, links, sorting, an Explore action and the empty state per column', () => {
    const panel = keyedTable(services);
    const overrides = Object.fromEntries(
      panel.state.fieldConfig.overrides.map((o) => [
        o.matcher.options,
        Object.fromEntries(o.properties.map((p) => [p.id, p.value])),
      ])
    );
    expect(overrides).toEqual({
      Service: { links: [{ title: 'Open', url: '/services/${__value.raw}' }] },
      Versions: { 'custom.cellOptions': { type: 'color-text' }, color: { mode: 'fixed', fixedColor: 'text' } },
      Rate: { unit: 'reqps' },
      Errors: {
        unit: 'percentunit',
        thresholds: services.columns[2].thresholds,
        'custom.cellOptions': { type: 'color-text' },
      },
    });
    expect(panel.state.options).toMatchObject({ sortBy: [{ displayName: 'Rate', desc: true }] });
    expect(panel.state.headerActions).toEqual([expect.any(VizPanelExploreButton)]);
    expect(panel.state.fieldConfig.defaults.noValue).toMatch(/^No data from nestjs_success_requests/);
  });
});
