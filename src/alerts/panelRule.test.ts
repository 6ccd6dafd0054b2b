import type { Panel } from '@grafana/schema';

import { panelRuleForm, ruleFormUrl, RULE_FORM_PATH } from './panelRule';

const DS = { type: 'pulse-prometheus-datasource', uid: 'pulse-a' };

function panel(overrides: Partial<Panel> = {}): Panel {
  return {
    type: 'timeseries',
    title: 'Request rate · shop.orders',
    datasource: DS,
    targets: [
      {
        refId: 'A',
        datasource: DS,
        expr: 'sum by (instance) (rate(http_requests_total{job="nestjs"}[$__rate_interval]))',
        legendFormat: '{{instance}}',
        format: 'time_series',
      },
    ],
    ...overrides,
  } as Panel;
}

describe('a page panel as a new alert rule', () => {
  it('is the panel’s query, instant as alerting runs it, then reduce (last) and threshold (> 0) as the condition', () => {
    const form = panelRuleForm(panel())!;
    expect(form).toEqual({
      type: 'grafana-alerting',
      name: 'Request rate · shop.orders',
      condition: 'C',
      queries: [
        {
          refId: 'A',
          queryType: '',
          relativeTimeRange: { from: 600, to: 0 },
          datasourceUid: 'pulse-a',
          model: {
            refId: 'A',
            datasource: DS,
            expr: 'sum by (instance) (rate(http_requests_total{job="nestjs"}[$__rate_interval]))',
            legendFormat: '{{instance}}',
            format: 'time_series',
            instant: true,
            range: false,
            exemplar: false,
            intervalMs: 1000,
            maxDataPoints: 43200,
          },
        },
        {
          refId: 'B',
          queryType: 'expression',
          datasourceUid: '__expr__',
          model: {
            refId: 'B',
            datasource: { type: '__expr__', uid: '__expr__' },
            type: 'reduce',
            expression: 'A',
            reducer: 'last',
          },
        },
        {
          refId: 'C',
          queryType: 'expression',
          datasourceUid: '__expr__',
          model: {
            refId: 'C',
            datasource: { type: '__expr__', uid: '__expr__' },
            type: 'threshold',
            expression: 'B',
            conditions: [{ evaluator: { type: 'gt', params: [0] } }],
          },
        },
      ],
    });
  });

  it('keeps every shown query, reduces the first, and names its expressions after the queries’ refIds', () => {
    const [a] = panel().targets!;
    const form = panelRuleForm(
      panel({
        targets: [
          { ...a, refId: 'A' },
          { ...a, refId: 'B', expr: 'up' },
          { ...a, refId: 'C', expr: 'vector(1)', hide: true },
          { ...a, refId: 'D', expr: 'vector(2)' },
        ] as Panel['targets'],
      })
    )!;
    expect(form.queries.map((q) => q.refId)).toEqual(['A', 'B', 'D', 'C', 'E']);
    expect(form.queries[3].model).toMatchObject({ type: 'reduce', expression: 'A' });
    expect(form.queries[4].model).toMatchObject({ type: 'threshold', expression: 'C' });
    expect(form.condition).toBe('E');
  });

  it('takes the panel’s data source where a query names none', () => {
    const [a] = panel().targets!;
    const form = panelRuleForm(panel({ targets: [{ ...a, datasource: undefined }] as Panel['targets'] }))!;
    expect(form.queries[0].datasourceUid).toBe('pulse-a');
    expect(form.queries[0].model.datasource).toEqual(DS);
  });

  it.each([
    ['a heatmap', panel({ type: 'heatmap' })],
    ['a table', panel({ type: 'table' })],
    ['a panel without queries', panel({ targets: [] })],
    ['a panel whose queries are all hidden', panel({ targets: [{ ...panel().targets![0], hide: true }] })],
    ['a query in table format', panel({ targets: [{ ...panel().targets![0], format: 'table' }] as Panel['targets'] })],
    [
      'a query in heatmap format',
      panel({ targets: [{ ...panel().targets![0], format: 'heatmap' }] as Panel['targets'] }),
    ],
    ['a query without PromQL', panel({ targets: [{ ...panel().targets![0], expr: '' }] as Panel['targets'] })],
    [
      'a data source still written as a variable',
      panel({ datasource: undefined, targets: [{ ...panel().targets![0], datasource: { uid: '${ds}' } }] }),
    ],
  ])('is not offered for %s', (_what, p) => {
    expect(panelRuleForm(p)).toBeUndefined();
  });

  it('is the rule form’s address, the values in `defaults` and the page to return to', () => {
    const form = panelRuleForm(panel())!;
    const url = ruleFormUrl(form, '/a/pulse-monitoring-app/services/shop.orders?var-instance=a%26b');
    const [path, query] = url.split('?');
    expect(path).toBe(RULE_FORM_PATH);
    const params = new URLSearchParams(query);
    expect(JSON.parse(params.get('defaults')!)).toEqual(form);
    expect(params.get('returnTo')).toBe('/a/pulse-monitoring-app/services/shop.orders?var-instance=a%26b');
  });
});
