import { of } from 'rxjs';
import {
  DataQueryRequest,
  DataSourceInstanceSettings,
  FieldType,
  PluginType,
  createDataFrame,
  dateTime,
  type TimeRange,
} from '@grafana/data';
import { type BackendSrv, setBackendSrv } from '@grafana/runtime';

import { PulseDataSource } from './datasource';
import { fakeTemplateSrv } from './__fixtures__/templateSrv';
import { PulseDataSourceOptions, PulseQuery } from './types';

interface ResourceCall {
  name: string;
  params: Record<string, string | number>;
}

// Resource answers in the backend's shapes (pkg/plugin/resources.go), keyed by resource name.
function fakeResources(answers: Record<string, unknown>): ResourceCall[] {
  const calls: ResourceCall[] = [];
  setBackendSrv({
    fetch: (request: { url: string; params?: Record<string, string | number> }) => {
      const name = request.url.replace(/^\/api\/datasources\/uid\/pulse\/resources\//, '');
      calls.push({ name, params: request.params ?? {} });
      return of({ data: answers[name], status: 200, ok: true });
    },
  } as unknown as BackendSrv);
  return calls;
}

function dataSource() {
  return new PulseDataSource({
    id: 1,
    uid: 'pulse',
    type: 'pulse-prometheus-datasource',
    name: 'Pulse',
    access: 'proxy',
    readOnly: false,
    jsonData: {},
    meta: { id: 'pulse-prometheus-datasource', type: PluginType.datasource },
  } as unknown as DataSourceInstanceSettings<PulseDataSourceOptions>);
}

const range: TimeRange = {
  from: dateTime('2026-01-01T10:00:00Z'),
  to: dateTime('2026-01-01T11:00:00Z'),
  raw: { from: 'now-1h', to: 'now' },
};
const START = Date.parse('2026-01-01T10:00:00Z') / 1000;
const END = Date.parse('2026-01-01T11:00:00Z') / 1000;

const values = (list: string[]) => ({ values: list, truncated: false });

describe('metricFindQuery', () => {
  beforeEach(() => {
    fakeTemplateSrv({
      service: { value: ['shop.orders', 'shop.gateway'], multi: true },
      label: { value: 'instance' },
      one: { value: 'shop.orders' },
    });
  });

  it('answers label_values(<selector>, <label>) from label-values with match[], the range and variables', async () => {
    const calls = fakeResources({ 'label-values': values(['127.0.0.1:3001', '127.0.0.1:3002']) });
    const result = await dataSource().metricFindQuery('label_values(nestjs_info{name=~"$service"}, instance)', {
      range,
    });
    expect(result).toEqual([
      { text: '127.0.0.1:3001', value: '127.0.0.1:3001' },
      { text: '127.0.0.1:3002', value: '127.0.0.1:3002' },
    ]);
    expect(calls).toEqual([
      {
        name: 'label-values',
        params: {
          label: 'instance',
          'match[]': 'nestjs_info{name=~"(shop\\\\.orders|shop\\\\.gateway)"}',
          start: START,
          end: END,
        },
      },
    ]);
  });

  it('answers label_values(<label>) without a selector, and takes the label from a variable', async () => {
    const calls = fakeResources({ 'label-values': values(['nestjs', 'node']) });
    const ds = dataSource();
    expect(await ds.metricFindQuery('label_values(job)', { range })).toEqual([
      { text: 'nestjs', value: 'nestjs' },
      { text: 'node', value: 'node' },
    ]);
    await ds.metricFindQuery('label_values(up, $label)', { range });
    expect(calls).toEqual([
      { name: 'label-values', params: { label: 'job', start: START, end: END } },
      { name: 'label-values', params: { label: 'instance', 'match[]': 'up', start: START, end: END } },
    ]);
  });

  it('escapes a single value in the selector for where it stands', async () => {
    const calls = fakeResources({ 'label-values': values([]) });
    await dataSource().metricFindQuery('label_values(nestjs_info{name=~"$one", domain="$one"}, instance)');
    expect(calls[0].params['match[]']).toBe('nestjs_info{name=~"shop\\\\.orders", domain="shop.orders"}');
  });

  it('answers label_names() from labels', async () => {
    const calls = fakeResources({ labels: values(['__name__', 'instance', 'job']) });
    const result = await dataSource().metricFindQuery('label_names()', { range });
    expect(result.map((v) => v.text)).toEqual(['__name__', 'instance', 'job']);
    expect(calls).toEqual([{ name: 'labels', params: { start: START, end: END } }]);
  });

  it('answers metrics(<regex>) from metrics, matching the name on the server', async () => {
    const calls = fakeResources({
      metrics: { metrics: [{ name: 'nestjs_info', type: 'gauge' }, { name: 'nestjs_success_requests_count' }] },
    });
    const result = await dataSource().metricFindQuery('metrics(nestjs_.*)', { range });
    expect(result).toEqual([
      { text: 'nestjs_info', value: 'nestjs_info' },
      { text: 'nestjs_success_requests_count', value: 'nestjs_success_requests_count' },
    ]);
    expect(calls).toEqual([
      { name: 'metrics', params: { 'match[]': '{__name__=~"nestjs_.*"}', start: START, end: END } },
    ]);
  });

  it('accepts { query } objects as Grafana stores them', async () => {
    const calls = fakeResources({ 'label-values': values(['a']) });
    await dataSource().metricFindQuery({ query: 'label_values(job)', refId: 'PrometheusVariableQueryEditor' }, {});
    expect(calls).toEqual([{ name: 'label-values', params: { label: 'job' } }]);
  });

  it('answers query_result(<expr>) with one line per sample of an instant query through the backend', async () => {
    fakeResources({});
    const ds = dataSource();
    const frame = (labels: Record<string, string>, value: number) =>
      createDataFrame({
        fields: [
          { name: 'Time', type: FieldType.time, values: [1767265200000] },
          { name: 'Value', type: FieldType.number, values: [value], labels },
        ],
      });
    const query = jest
      .spyOn(ds, 'query')
      .mockReturnValue(of({ data: [frame({ __name__: 'up', job: 'node', instance: 'a"b' }, 1), frame({}, 0.5)] }));
    const result = await ds.metricFindQuery('query_result(topk(3, up{job=~"$service"}))', { range });
    expect(result.map((v) => v.text)).toEqual([
      'up{instance="a\\"b", job="node"} 1 1767265200000',
      '0.5 1767265200000',
    ]);
    const request = query.mock.calls[0][0] as DataQueryRequest<PulseQuery>;
    // The expression goes to query() as written: query() interpolates it once, like any panel query.
    expect(request.targets).toEqual([
      expect.objectContaining({ expr: 'topk(3, up{job=~"$service"})', instant: true, range: false }),
    ]);
    expect(request.range).toBe(range);
  });

  it('reports a failing query_result', async () => {
    fakeResources({});
    const ds = dataSource();
    jest.spyOn(ds, 'query').mockReturnValue(of({ data: [], errors: [{ message: 'parse error at char 3' }] }));
    await expect(ds.metricFindQuery('query_result(up{)')).rejects.toThrow('parse error at char 3');
  });

  it('names the supported forms for anything else', async () => {
    fakeResources({});
    await expect(dataSource().metricFindQuery('series(up)')).rejects.toThrow(
      'Unsupported variable query "series(up)". Pulse understands label_names(), label_values(<label>), ' +
        'label_values(<selector>, <label>), metrics(<regex>), query_result(<expr>).'
    );
  });
});
