import { DataSourceInstanceSettings, PluginType, ScopedVars } from '@grafana/data';

import { PulseDataSource } from './datasource';
import { FakeVariable, fakeTemplateSrv } from './__fixtures__/templateSrv';
import { PulseDataSourceOptions, PulseQuery } from './types';

const variables: Record<string, FakeVariable> = {};

const instanceSettings = {
  id: 1,
  uid: 'pulse',
  type: 'pulse-prometheus-datasource',
  name: 'Pulse',
  access: 'proxy',
  readOnly: false,
  jsonData: {},
  meta: { id: 'pulse-prometheus-datasource', type: PluginType.datasource },
} as unknown as DataSourceInstanceSettings<PulseDataSourceOptions>;

const query = (fields: Partial<PulseQuery>): PulseQuery => ({ refId: 'A', expr: '', ...fields });

describe('PulseDataSource', () => {
  const ds = new PulseDataSource(instanceSettings);

  beforeEach(() => {
    for (const name of Object.keys(variables)) {
      delete variables[name];
    }
    fakeTemplateSrv(variables);
  });

  describe('filterQuery', () => {
    it('runs queries that have an expression', () => {
      expect(ds.filterQuery(query({ expr: 'up' }))).toBe(true);
    });

    it('skips empty and whitespace-only expressions', () => {
      expect(ds.filterQuery(query({ expr: '' }))).toBe(false);
      expect(ds.filterQuery(query({ expr: '  \n ' }))).toBe(false);
    });

    it('skips hidden queries', () => {
      expect(ds.filterQuery(query({ expr: 'up', hide: true }))).toBe(false);
    });

    it('runs a saved guided or builder query that has only its editor state', () => {
      expect(ds.filterQuery(query({ guided: { signalId: 'target.up', params: { job: 'nestjs' } } }))).toBe(true);
      expect(
        ds.filterQuery(query({ editorMode: 'builder', builder: { metric: 'up', matchers: [], operations: [] } }))
      ).toBe(true);
    });

    it('skips editor state that renders nothing, and guided state left behind in Code', () => {
      expect(ds.filterQuery(query({ guided: { signalId: 'no.such.signal', params: {} } }))).toBe(false);
      expect(
        ds.filterQuery(query({ editorMode: 'builder', builder: { metric: '', matchers: [], operations: [] } }))
      ).toBe(false);
      expect(
        ds.filterQuery(query({ editorMode: 'code', guided: { signalId: 'target.up', params: { job: 'nestjs' } } }))
      ).toBe(false);
    });
  });

  it('defaults new queries to a range time series in guided mode', () => {
    expect(ds.getDefaultQuery('explore' as never)).toEqual({
      expr: '',
      range: true,
      instant: false,
      format: 'time_series',
      exemplar: false,
      editorMode: 'guided',
    });
  });

  describe('applyTemplateVariables', () => {
    const expr = (text: string, scopedVars: ScopedVars = {}) =>
      ds.applyTemplateVariables(query({ expr: text }), scopedVars).expr;

    it('regex-escapes a single value in a regex matcher, as it does several', () => {
      variables.service = { value: 'shop.orders' };
      variables.op = { value: 'a+b', includeAll: true };
      expect(expr('nestjs_info{name=~"$service", op!~"${op}"}')).toBe(
        'nestjs_info{name=~"shop\\\\.orders", op!~"a\\\\+b"}'
      );
    });

    it('string-escapes a value in an exact matcher, without regex escapes', () => {
      variables.service = { value: 'shop.orders' };
      variables.path = { value: 'C:\\ "x"\n' };
      expect(expr('up{name="$service", path!="$path"}')).toBe('up{name="shop.orders", path!="C:\\\\ \\"x\\"\\n"}');
    });

    it('keeps the injection string inside the string literal, single or multi', () => {
      const injection = '"} or vector(1) or up{x="';
      variables.single = { value: injection };
      variables.multi = { value: [injection, 'b'], multi: true };
      expect(expr('up{a="$single", b=~"$single", c=~"$multi"}')).toBe(
        'up{a="\\"} or vector(1) or up{x=\\"", ' +
          'b=~"\\"\\\\} or vector\\\\(1\\\\) or up\\\\{x=\\"", ' +
          'c=~"(\\"\\\\} or vector\\\\(1\\\\) or up\\\\{x=\\"|b)"}'
      );
    });

    it('inserts a custom "All" value as the regex it is', () => {
      variables.instance = { value: ['$__all'], multi: true, includeAll: true, all: true, allValue: '.+' };
      variables.job = { value: '$__all', includeAll: true, all: true, allValue: '.*' };
      expect(expr('up{instance=~"$instance", job=~"$job"}')).toBe('up{instance=~".+", job=~".*"}');
    });

    it('renders "All" without a custom value as every option, escaped', () => {
      variables.service = { value: '$__all', includeAll: true, all: true, options: ['shop.orders', 'shop.gateway'] };
      expect(expr('up{name=~"$service"}')).toBe('up{name=~"(shop\\\\.orders|shop\\\\.gateway)"}');
    });

    it('escapes scoped variables (repeated panels) by where they stand too', () => {
      const scoped: ScopedVars = { host: { text: 'web.1', value: 'web.1' } };
      expect(expr('up{instance=~"$host", nodename="$host"}', scoped)).toBe(
        'up{instance=~"web\\\\.1", nodename="web.1"}'
      );
    });

    it('inserts a single value outside strings as PromQL', () => {
      variables.metric = { value: 'nestjs_info' };
      variables.group = { value: ['job', 'instance'], multi: true };
      expect(expr('sum by ($group) ($metric)')).toBe('sum by (job,instance) (nestjs_info)');
    });

    it('renders a multi-value variable as an escaped regex alternation', () => {
      variables.controller = { value: ['UsersController', 'Orders.Controller', 'a+b'], multi: true };
      const result = ds.applyTemplateVariables(
        query({ expr: 'sum(rate(nestjs_success_requests_count{controller=~"$controller"}[5m]))' }),
        {}
      );
      expect(result.expr).toBe(
        'sum(rate(nestjs_success_requests_count{controller=~"(UsersController|Orders\\\\.Controller|a\\\\+b)"}[5m]))'
      );
    });

    it('escapes a multi-value variable with one value without parentheses', () => {
      variables.method = { value: ['GET'], multi: true };
      expect(ds.applyTemplateVariables(query({ expr: '{method=~"$method"}' }), {}).expr).toBe('{method=~"GET"}');
    });

    it('regex-escapes an include-all variable', () => {
      variables.handler = { value: ['find(all)', 'get[id]'], includeAll: true };
      expect(ds.applyTemplateVariables(query({ expr: '{handler=~"${handler}"}' }), {}).expr).toBe(
        '{handler=~"(find\\\\(all\\\\)|get\\\\[id\\\\])"}'
      );
    });

    it('runs the PromQL rendered from a saved guided query without expr, variables interpolated', () => {
      variables.job = { value: 'shop.orders' };
      const guided = query({ editorMode: 'guided', guided: { signalId: 'target.up', params: { job: '$job' } } });
      expect(ds.applyTemplateVariables(guided, {}).expr).toBe('up{job=~"shop\\\\.orders"}');
      const builder = query({
        editorMode: 'builder',
        builder: { metric: 'up', matchers: [{ label: 'job', op: '=', value: 'node' }], operations: [] },
      });
      expect(ds.applyTemplateVariables(builder, {}).expr).toBe('up{job="node"}');
    });

    it('leaves the backend macros for the backend', () => {
      const scopedVars: ScopedVars = {
        __interval: { text: '15s', value: '15s' },
        __interval_ms: { text: '15000', value: '15000' },
        __range: { text: '1h', value: '1h' },
      };
      const expr = 'rate(x[$__rate_interval]) / $__interval_ms + $__range_s + ${__interval} + $__range';
      expect(ds.applyTemplateVariables(query({ expr }), scopedVars).expr).toBe(
        'rate(x[$__rate_interval]) / $__interval_ms + $__range_s + $__interval + $__range'
      );
    });

    it('interpolates legend format and min step too', () => {
      variables.step = { value: '30s' };
      variables.label = { value: 'controller' };
      const result = ds.applyTemplateVariables(
        query({ expr: 'up', legendFormat: '{{$label}}', interval: '$step' }),
        {}
      );
      expect(result.legendFormat).toBe('{{controller}}');
      expect(result.interval).toBe('30s');
    });
  });
});
