import { DataSourceInstanceSettings, PluginType, ScopedVars } from '@grafana/data';

import { PulseDataSource, interpolateVariable } from './datasource';
import { PulseDataSourceOptions, PulseQuery } from './types';

interface FakeVariable {
  value: string | string[];
  multi?: boolean;
  includeAll?: boolean;
}

// A small stand-in for Grafana's template service: replaces $name and ${name} from dashboard variables and
// scoped vars and hands each value to the format function with its variable, as the real one does.
const variables: Record<string, FakeVariable> = {};

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({
    replace: (
      target: string,
      scopedVars?: ScopedVars,
      format?: (value: string | string[], variable?: FakeVariable) => string
    ) =>
      target.replace(/\$(\w+)|\$\{(\w+)\}/g, (match, plain?: string, braced?: string) => {
        const name = (plain ?? braced)!;
        const scoped = scopedVars?.[name];
        const variable = variables[name];
        const value = scoped ? scoped.value : variable?.value;
        if (value === undefined) {
          return match;
        }
        return format ? format(value, variable) : String(value);
      }),
  }),
}));

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
    it('inserts a single-value variable as it is', () => {
      variables.service = { value: 'orders.api' };
      const result = ds.applyTemplateVariables(query({ expr: 'up{job="$service"}' }), {});
      expect(result.expr).toBe('up{job="orders.api"}');
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

describe('interpolateVariable', () => {
  it('passes values of scoped variables without a model through', () => {
    expect(interpolateVariable('a.b')).toBe('a.b');
  });
});
