import React, { useState } from 'react';
import { CoreApp } from '@grafana/data';
import { configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { DEFAULT_QUERY, PulseQuery } from '../../types';
import { QueryEditor } from './QueryEditor';
import { fakeBackend, fakeTemplateSrv, pulseDataSource, range } from './__fixtures__/resources';

const ORDERS_P95_BY_CONTROLLER =
  'histogram_quantile(0.95, sum by (le, controller) (rate(nestjs_success_requests_bucket[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}))';

function setup(initial: Partial<PulseQuery> = {}, app: CoreApp = CoreApp.PanelEditor) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const datasource = pulseDataSource();

  // Grafana feeds the changed query back in as a prop; the wrapper does the same.
  function Host() {
    const [query, setQuery] = useState<PulseQuery>({ refId: 'A', expr: '', ...initial });
    return (
      <QueryEditor
        datasource={datasource}
        query={query}
        range={range}
        app={app}
        onChange={(q) => {
          onChange(q);
          setQuery(q);
        }}
        onRunQuery={onRunQuery}
      />
    );
  }

  render(<Host />);
  return { onChange, onRunQuery, user: userEvent.setup({ delay: null }) };
}

const lastQuery = (onChange: jest.Mock): PulseQuery => onChange.mock.calls[onChange.mock.calls.length - 1][0];

async function choose(user: ReturnType<typeof userEvent.setup>, field: string, option: string | RegExp) {
  // A Combobox's label names its input and its menu; the input is the combobox.
  const input = screen.getAllByLabelText(field).find((element) => element.getAttribute('role') === 'combobox');
  await user.click(input!);
  const listbox = await screen.findByRole('listbox');
  await user.click(await within(listbox).findByRole('option', { name: option }));
}

/** Service -> Latency percentile, shop.orders, p95, by controller. */
async function pickOrdersP95ByController(user: ReturnType<typeof userEvent.setup>) {
  await choose(user, 'Family', 'Services');
  await choose(user, 'Signal', /^Latency percentile/);
  await choose(user, 'Service', /^shop\.orders/);
  await user.keyboard('{Escape}');
  await choose(user, 'Percentile', 'p95');
  await choose(user, 'Group by', 'Controller');
  await user.keyboard('{Escape}');
}

// Whole editors with many Comboboxes, driven click by click in jsdom on two cores, take seconds per test.
jest.setTimeout(90000);
// Re-renders of the whole editor can take over a second in jsdom on two cores.
configure({ asyncUtilTimeout: 10000 });

describe('QueryEditor', () => {
  // Combobox renders its options in a virtual list sized from the scroll container; jsdom lays nothing out.
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 300 });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 300 });
  });
  afterAll(() => {
    // Back to jsdom's own (prototype) getters.
    Reflect.deleteProperty(HTMLElement.prototype, 'clientHeight');
    Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth');
  });

  let calls: ReturnType<typeof fakeBackend>;
  beforeEach(() => {
    calls = fakeBackend();
    fakeTemplateSrv();
  });

  describe('Guided', () => {
    it('builds p95 latency of shop.orders per controller from dropdowns', async () => {
      const { onChange, onRunQuery, user } = setup({ ...DEFAULT_QUERY });
      expect(screen.getByRole('radio', { name: 'Guided' })).toBeChecked();

      await pickOrdersP95ByController(user);

      expect(screen.getByLabelText('PromQL')).toHaveTextContent(ORDERS_P95_BY_CONTROLLER, {
        normalizeWhitespace: false,
      });
      expect(lastQuery(onChange)).toEqual(
        expect.objectContaining({
          expr: ORDERS_P95_BY_CONTROLLER,
          editorMode: 'guided',
          guided: {
            signalId: 'service.latency.quantile',
            params: { service: ['shop.orders'], outcome: 'success', quantile: '0.95', groupBy: ['controller'] },
          },
          format: 'time_series',
          legendFormat: '{{controller}}',
          range: true,
          instant: false,
        })
      );
      expect(onRunQuery).toHaveBeenCalled();
      expect(screen.getByText('Values in seconds')).toBeInTheDocument();
      expect(screen.getByLabelText('Explanation')).toHaveTextContent(
        'The p95 latency of successful requests: that share of them finished faster. Estimated from histogram buckets over the rate window. Only the service shop.orders. One series per controller.'
      );
      // shop.orders: 1 instance x 4 operations (check GET/HEAD, create POST, list GET).
      expect(screen.getByText('about 4 series')).toBeInTheDocument();
    });

    it('renders the PromQL of a saved guided query that has none (provisioned JSON) when it opens', async () => {
      const { onChange } = setup({
        guided: {
          signalId: 'service.latency.quantile',
          params: { service: ['shop.orders'], outcome: 'success', quantile: '0.95', groupBy: ['controller'] },
        },
      });
      await waitFor(() => expect(lastQuery(onChange).expr).toBe(ORDERS_P95_BY_CONTROLLER));
      expect(lastQuery(onChange)).toEqual(
        expect.objectContaining({ editorMode: 'guided', legendFormat: '{{controller}}' })
      );
      expect(screen.getByLabelText('PromQL')).toHaveTextContent(ORDERS_P95_BY_CONTROLLER, {
        normalizeWhitespace: false,
      });
    });

    it('asks the catalog for the panel time range in unix seconds, once', async () => {
      const { user } = setup({ ...DEFAULT_QUERY });
      await pickOrdersP95ByController(user);
      const catalogCalls = calls.filter((c) => c.name === 'catalog');
      expect(catalogCalls).toEqual([{ name: 'catalog', params: { start: 1767261600, end: 1767265200 } }]);
    });

    it('offers dashboard variables in the dropdowns, multi-value ones too', async () => {
      const { onChange, user } = setup({ ...DEFAULT_QUERY });
      await choose(user, 'Signal', /^Latency percentile/);
      await user.click(screen.getByRole('combobox', { name: 'Service' }));
      const option = await screen.findByRole('option', { name: /^\$service/ });
      expect(option).toHaveTextContent('Dashboard variable, several values');
      await user.click(option);
      expect(lastQuery(onChange).expr).toContain('nestjs_info{name=~"$service"}');
    });

    it('flags values the catalog did not see in the time range before the query runs', async () => {
      setup({
        expr: '',
        editorMode: 'guided',
        guided: { signalId: 'service.latency.quantile', params: { service: ['shop.payments'] } },
      });
      expect(
        await screen.findByText('shop.payments was not seen between 2026-01-01 10:00:00 and 2026-01-01 11:00:00.')
      ).toBeInTheDocument();
      expect(screen.queryByText(/shop\.orders was not seen/)).not.toBeInTheDocument();
    });

    it('does not flag known values or variables', async () => {
      setup({
        expr: '',
        editorMode: 'guided',
        guided: { signalId: 'service.latency.quantile', params: { service: ['shop.orders', '$service'] } },
      });
      // A variable may stand for every service: shop.orders 1 x 4 operations, shop.users 2 x 1.
      expect(await screen.findByText('about 6 series')).toBeInTheDocument();
      expect(screen.queryByRole('list', { name: 'Values not seen' })).not.toBeInTheDocument();
    });

    it('says when the catalog cannot be loaded and still renders the query', async () => {
      calls = fakeBackend({ fail: 'catalog' });
      setup({
        expr: '',
        editorMode: 'guided',
        guided: { signalId: 'service.latency.quantile', params: { service: ['shop.orders'] } },
      });
      expect(await screen.findByText('The catalog could not be loaded')).toBeInTheDocument();
      expect(screen.getByText(/Prometheus is not reachable/)).toBeInTheDocument();
    });
  });

  describe('switching modes', () => {
    it('Guided -> Code keeps the expression, and back to Guided is free while it is unchanged', async () => {
      const { onChange, user } = setup({ ...DEFAULT_QUERY });
      await pickOrdersP95ByController(user);

      await user.click(screen.getByRole('radio', { name: 'Code' }));
      expect(screen.getByRole('textbox', { name: 'PromQL query' })).toHaveValue(ORDERS_P95_BY_CONTROLLER);
      expect(lastQuery(onChange)).toEqual(
        expect.objectContaining({ editorMode: 'code', expr: ORDERS_P95_BY_CONTROLLER })
      );

      await user.click(screen.getByRole('radio', { name: 'Guided' }));
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
      expect(lastQuery(onChange)).toEqual(
        expect.objectContaining({ editorMode: 'guided', expr: ORDERS_P95_BY_CONTROLLER })
      );
    });

    it('asks before Guided replaces PromQL edited in Code, and keeps it when told to', async () => {
      const { onChange, user } = setup({ ...DEFAULT_QUERY });
      await pickOrdersP95ByController(user);
      await user.click(screen.getByRole('radio', { name: 'Code' }));
      const editor = screen.getByRole('textbox', { name: 'PromQL query' });
      await user.type(editor, ' > 1');
      await user.click(screen.getByRole('radio', { name: 'Guided' }));

      const dialog = await screen.findByRole('dialog');
      expect(dialog).toHaveTextContent('Switching back replaces it with the last guided query.');
      await user.click(within(dialog).getByRole('button', { name: 'Keep PromQL' }));
      expect(lastQuery(onChange)).toEqual(
        expect.objectContaining({ editorMode: 'code', expr: `${ORDERS_P95_BY_CONTROLLER} > 1` })
      );

      await user.click(screen.getByRole('radio', { name: 'Guided' }));
      await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Replace PromQL' }));
      expect(lastQuery(onChange)).toEqual(
        expect.objectContaining({ editorMode: 'guided', expr: ORDERS_P95_BY_CONTROLLER })
      );
    });

    it('Guided -> Builder keeps the service join as a Builder operation (and on instance, job)', async () => {
      const { onChange, user } = setup({ ...DEFAULT_QUERY });
      await pickOrdersP95ByController(user);
      await user.click(screen.getByRole('radio', { name: 'Builder' }));

      await waitFor(() =>
        expect(lastQuery(onChange)).toEqual(
          expect.objectContaining({ editorMode: 'builder', expr: ORDERS_P95_BY_CONTROLLER })
        )
      );
      expect(lastQuery(onChange).builder?.operations[1]).toEqual({
        kind: 'binaryQuery',
        op: 'and',
        matching: { mode: 'on', labels: ['instance', 'job'] },
        query: { metric: 'nestjs_info', matchers: [{ label: 'name', op: '=', value: 'shop.orders' }], operations: [] },
      });
      expect(screen.getByRole('radio', { name: 'on' })).toBeChecked();
      expect(screen.getByRole('group', { name: 'Query after and (operation 2)' })).toBeInTheDocument();
    });

    it('Guided -> Builder names what the Builder cannot represent and offers Code', async () => {
      const expr = 'sum by (outcome) (info(rate(nestjs_success_requests_count[$__rate_interval])))';
      const { onChange, user } = setup({
        editorMode: 'guided',
        expr,
        guided: { signalId: 'service.requests.rate', params: {} },
      });
      await user.click(screen.getByRole('radio', { name: 'Builder' }));

      expect(
        await screen.findByText(/^The Builder cannot represent the function info, at line 1, column \d+\.$/)
      ).toBeInTheDocument();
      expect(screen.getByRole('radio', { name: 'Guided' })).toBeChecked();

      await user.click(screen.getByRole('button', { name: 'Edit it in Code' }));
      expect(lastQuery(onChange)).toEqual(expect.objectContaining({ editorMode: 'code' }));
      expect(lastQuery(onChange).expr).toMatch(/info/);
    });

    it('Code -> Builder with an unrepresentable query shows the reason and keeps the text', async () => {
      const expr = 'info(up)';
      const { onChange, user } = setup({ expr, editorMode: 'code' });
      await user.click(screen.getByRole('radio', { name: 'Builder' }));

      expect(
        screen.getByText('The Builder cannot represent the function info, at line 1, column 1.')
      ).toBeInTheDocument();
      expect(screen.getByRole('radio', { name: 'Code' })).toBeChecked();
      expect(screen.getByRole('textbox', { name: 'PromQL query' })).toHaveValue(expr);
      expect(onChange).not.toHaveBeenCalled();
    });

    it('Code -> Builder -> Code keeps a query the Builder can express', async () => {
      const expr = 'sum by (job) (rate(up{job=~"node|nestjs"}[5m])) > 0';
      const { onChange, user } = setup({ expr, editorMode: 'code' });
      await user.click(screen.getByRole('radio', { name: 'Builder' }));
      expect(lastQuery(onChange)).toEqual(
        expect.objectContaining({
          editorMode: 'builder',
          expr,
          builder: {
            metric: 'up',
            matchers: [{ label: 'job', op: '=~', value: 'node|nestjs' }],
            operations: [
              { kind: 'range', fn: 'rate', range: '5m' },
              { kind: 'aggregation', fn: 'sum', grouping: { mode: 'by', labels: ['job'] } },
              { kind: 'binaryScalar', op: '>', scalar: 0 },
            ],
          },
        })
      );
      expect(screen.getByLabelText('PromQL')).toHaveTextContent(expr);
      await user.click(screen.getByRole('radio', { name: 'Code' }));
      expect(screen.getByRole('textbox', { name: 'PromQL query' })).toHaveValue(expr);
    });

    it('Code -> Builder -> Code returns the text byte for byte: line breaks, indentation, parentheses', async () => {
      const expr = '(\n  sum by (job) (\n    rate(up{job=~"node|api"}[5m])\n  )\n)\n  > 0';
      const { onChange, user } = setup({ expr, editorMode: 'code' });
      await user.click(screen.getByRole('radio', { name: 'Builder' }));
      expect(lastQuery(onChange)).toEqual(
        expect.objectContaining({
          editorMode: 'builder',
          expr,
          builder: expect.objectContaining({ metric: 'up' }),
        })
      );
      await user.click(screen.getByRole('radio', { name: 'Code' }));
      expect(lastQuery(onChange).expr).toBe(expr);
      expect(screen.getByRole('textbox', { name: 'PromQL query' })).toHaveValue(expr);
    });

    it('re-renders the text only on an edit in the Builder, and gives it back when the edit is undone', async () => {
      const expr = 'sum by (job) (\n  rate(up[5m])\n)\n> 0';
      const { onChange, user } = setup({ expr, editorMode: 'code' });
      await user.click(screen.getByRole('radio', { name: 'Builder' }));
      const bool = screen.getByRole('switch', { name: 'bool' });

      await user.click(bool);
      expect(lastQuery(onChange).expr).toBe('sum by (job) (rate(up[5m])) > bool 0');
      await user.click(bool);
      expect(lastQuery(onChange).expr).toBe(expr);

      await user.click(screen.getByRole('radio', { name: 'Code' }));
      expect(screen.getByRole('textbox', { name: 'PromQL query' })).toHaveValue(expr);
    });

    it('opens a range of plain seconds in the Builder without an error, and keeps it', async () => {
      const expr = 'sum(rate(x[300]))';
      const { onChange, user } = setup({ expr, editorMode: 'code' });
      await user.click(screen.getByRole('radio', { name: 'Builder' }));
      expect(lastQuery(onChange)).toEqual(expect.objectContaining({ editorMode: 'builder', expr }));
      expect(screen.getByRole('textbox', { name: 'Range' })).toHaveValue('300');
    });

    it.each([
      [
        '# requests per second\nsum(rate(x[5m]))',
        'The Builder does not hold comments: the comment at line 1, column 1 would be lost. Remove it in Code to use the Builder.',
      ],
      [
        'node_${dev}_bytes_total',
        'The Builder cannot represent the variable ${dev} inside the name node_${dev}_bytes_total (a variable can stand for a whole label value, number or range), at line 1, column 6.',
      ],
      [
        'x and bool y',
        'Prometheus would refuse this query: bool with and (bool only applies to comparisons), at line 1, column 7.',
      ],
      [
        'sum(x) offset 5m',
        'Prometheus would refuse this query: offset 5m after sum(x) (offset and @ apply to a metric, a range or a subquery), at line 1, column 8.',
      ],
    ])('Code -> Builder refuses %j with its reason and keeps the text', async (expr, text) => {
      const { onChange, user } = setup({ expr, editorMode: 'code' });
      await user.click(screen.getByRole('radio', { name: 'Builder' }));
      expect(screen.getByText(text)).toBeInTheDocument();
      expect(screen.getByRole('radio', { name: 'Code' })).toBeChecked();
      expect(screen.getByRole('textbox', { name: 'PromQL query' })).toHaveValue(expr);
      expect(onChange).not.toHaveBeenCalled();
    });
  });

  describe('Builder', () => {
    it('picks a metric, adds a filter, adds rate and sum by, and shows the PromQL', async () => {
      const { onChange, user } = setup({ expr: '', editorMode: 'builder' });

      await user.click(screen.getByRole('combobox', { name: 'Metric' }));
      await user.keyboard('success_requests_c');
      const metric = await screen.findByRole('option', { name: /^nestjs_success_requests_count/ });
      expect(metric).toHaveTextContent('histogram · Latency of successful requests');
      await user.click(metric);

      await user.click(screen.getByRole('button', { name: 'Add filter' }));
      await choose(user, 'Filter 1 label', 'controller');
      await choose(user, 'Filter 1 value', 'OrdersController');
      expect(calls).toContainEqual({
        name: 'label-values',
        params: { label: 'controller', 'match[]': 'nestjs_success_requests_count', start: 1767261600, end: 1767265200 },
      });

      await choose(user, 'Add operation', 'Range function (rate, increase, …)');
      await choose(user, 'Add operation', 'Aggregation (sum, avg, …)');
      await user.click(screen.getByRole('combobox', { name: 'Labels' }));
      await user.keyboard('controller');
      await user.click(await screen.findByRole('option', { name: /^controller/ }));
      await user.keyboard('{Escape}');

      const expected =
        'sum by (controller) (rate(nestjs_success_requests_count{controller="OrdersController"}[$__rate_interval]))';
      expect(screen.getByLabelText('PromQL')).toHaveTextContent(expected);
      expect(lastQuery(onChange)).toEqual(expect.objectContaining({ editorMode: 'builder', expr: expected }));
    });

    it('reorders and removes operations, and says what a query still needs', async () => {
      const { onChange, user } = setup({
        expr: 'sum(rate(up[5m]))',
        editorMode: 'builder',
        builder: {
          metric: 'up',
          matchers: [],
          operations: [
            { kind: 'range', fn: 'rate', range: '5m' },
            { kind: 'aggregation', fn: 'sum' },
          ],
        },
      });
      await user.click(screen.getByRole('button', { name: 'Move operation 1 down' }));
      expect(screen.getByText('rate needs the raw metric: move it to the first operation.')).toBeInTheDocument();
      expect(lastQuery(onChange).expr).toBe('');

      await user.click(screen.getByRole('button', { name: 'Remove operation 2' }));
      expect(lastQuery(onChange).expr).toBe('sum(up)');
    });
  });

  describe('Code', () => {
    it('commits the PromQL and runs the query when the editor loses focus', async () => {
      const { onChange, onRunQuery, user } = setup({ editorMode: 'code' });
      const editor = screen.getByRole('textbox', { name: 'PromQL query' });

      await user.type(editor, 'up{{job="api"}');
      expect(onChange).not.toHaveBeenCalled();

      await user.tab();
      expect(onChange).toHaveBeenCalledTimes(1);
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ refId: 'A', expr: 'up{job="api"}', editorMode: 'code' })
      );
      expect(onRunQuery).toHaveBeenCalledTimes(1);
    });

    it('opens a query without an editor mode in Code', () => {
      setup({ expr: 'up' });
      expect(screen.getByRole('radio', { name: 'Code' })).toBeChecked();
    });

    it('does not run again on blur when nothing changed', async () => {
      const { onChange, onRunQuery, user } = setup({ expr: 'up', editorMode: 'code' });
      await user.click(screen.getByRole('textbox', { name: 'PromQL query' }));
      await user.tab();
      expect(onChange).not.toHaveBeenCalled();
      expect(onRunQuery).not.toHaveBeenCalled();
    });

    it('runs on Shift+Enter without inserting a line break', async () => {
      const { onChange, onRunQuery, user } = setup({ editorMode: 'code' });
      const editor = screen.getByRole('textbox', { name: 'PromQL query' });

      await user.type(editor, 'sum(up)');
      await user.keyboard('{Shift>}{Enter}{/Shift}');

      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ expr: 'sum(up)' }));
      expect(onRunQuery).toHaveBeenCalledTimes(1);
      expect(editor).toHaveValue('sum(up)');
    });

    it('marks a syntax error with its position', async () => {
      const { user } = setup({ editorMode: 'code' });
      const editor = screen.getByRole('textbox', { name: 'PromQL query' });
      await user.type(editor, 'sum(rate(up[[5m])');
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Syntax error at line 1, column 17: the query ends too early.'
      );
      expect(editor).toHaveAttribute('aria-invalid', 'true');
      await user.type(editor, ')');
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    });

    it('completes metric names, functions and label values from the data source', async () => {
      const { user } = setup({ editorMode: 'code' });
      const editor = screen.getByRole('textbox', { name: 'PromQL query' });

      await user.type(editor, 'nestjs_succ');
      const suggestions = await screen.findByRole('listbox', { name: 'Suggestions' });
      expect(
        within(suggestions)
          .getAllByRole('option')
          .map((o) => o.textContent)
      ).toEqual([
        'nestjs_success_requests_bucketmetric · histogram',
        'nestjs_success_requests_countmetric · histogram',
      ]);
      await user.keyboard('{ArrowDown}{Enter}');
      expect(editor).toHaveValue('nestjs_success_requests_count');

      await user.type(editor, '{{controller="Ord');
      await user.click(await screen.findByRole('option', { name: /^OrdersController/ }));
      expect(editor).toHaveValue('nestjs_success_requests_count{controller="OrdersController');

      await user.clear(editor);
      await user.type(editor, 'histogram_q');
      await user.keyboard('{Tab}');
      expect(editor).toHaveValue('histogram_quantile(');
    });
  });

  describe('options row', () => {
    it('changes the format', async () => {
      const { onChange, onRunQuery, user } = setup({ expr: 'up' });

      await user.click(screen.getByRole('combobox', { name: 'Format' }));
      await user.click(await screen.findByRole('option', { name: 'Heatmap' }));

      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ format: 'heatmap' }));
      expect(onRunQuery).toHaveBeenCalled();
    });

    it('switches the query type between range, instant and both', async () => {
      const { onChange, user } = setup({ expr: 'up' });
      const type = screen.getByRole('radiogroup', { name: 'Type' });

      expect(within(type).getByRole('radio', { name: 'Range' })).toBeChecked();

      await user.click(within(type).getByRole('radio', { name: 'Instant' }));
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ range: false, instant: true }));

      await user.click(within(type).getByRole('radio', { name: 'Both' }));
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ range: true, instant: true }));
    });

    it('sets legend format and min step on blur, and toggles exemplars', async () => {
      const { onChange, user } = setup({ expr: 'up' });

      await user.type(screen.getByRole('textbox', { name: 'Legend' }), '{{{{controller}}');
      await user.tab();
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ legendFormat: '{{controller}}' }));

      await user.type(screen.getByRole('textbox', { name: 'Min step' }), '30s');
      await user.tab();
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ interval: '30s' }));

      await user.click(screen.getByRole('switch', { name: 'Exemplars' }));
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ exemplar: true }));
    });

    it('is there in every mode', async () => {
      const { user } = setup({ ...DEFAULT_QUERY });
      for (const mode of ['Guided', 'Builder', 'Code']) {
        await user.click(screen.getByRole('radio', { name: mode }));
        expect(screen.getByRole('textbox', { name: 'Legend' })).toBeInTheDocument();
        expect(screen.getByRole('radiogroup', { name: 'Type' })).toBeInTheDocument();
      }
    });

    it('hides exemplars and formats in alert rules, and a guided query there stays a time series', async () => {
      const { onChange, user } = setup({ ...DEFAULT_QUERY }, CoreApp.UnifiedAlerting);
      expect(screen.queryByRole('switch', { name: 'Exemplars' })).not.toBeInTheDocument();
      expect(screen.queryByRole('combobox', { name: 'Format' })).not.toBeInTheDocument();
      expect(screen.getByRole('textbox', { name: 'Min step' })).toBeInTheDocument();

      await choose(user, 'Signal', /^Error count/);
      await waitFor(() => expect(lastQuery(onChange).format).toBe('time_series'));
      expect(lastQuery(onChange)).toEqual(expect.objectContaining({ instant: true, range: false }));
    });
  });
});
