import React, { useState } from 'react';
import { configure, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { type BuilderQuery, builderProblems } from '../../../promql/builder';
import type { PulseQuery } from '../../types';
import { BuilderMode, builderIssues } from './BuilderMode';
import { fakeBackend, pulseDataSource, range } from './__fixtures__/resources';

// Editors driven click by click in jsdom, on two shared cores, take seconds per step.
jest.setTimeout(90000);
configure({ asyncUtilTimeout: 10000 });

const METRIC = 'nestjs_success_requests_count';
const FROM_TO = { start: 1767261600, end: 1767265200 };

function setup(builder: BuilderQuery) {
  const calls = fakeBackend();
  const onChange = jest.fn();
  const datasource = pulseDataSource();
  // Grafana feeds the changed query back in as a prop; the wrapper does the same.
  function Host() {
    const [query, setQuery] = useState<PulseQuery>({ refId: 'A', expr: '', editorMode: 'builder', builder });
    return (
      <BuilderMode
        datasource={datasource}
        query={query}
        range={range}
        onChange={(q) => {
          onChange(q);
          setQuery(q);
        }}
        onRunQuery={jest.fn()}
      />
    );
  }
  render(<Host />);
  return { calls, onChange, user: userEvent.setup({ delay: null }) };
}

async function choose(user: ReturnType<typeof userEvent.setup>, combobox: HTMLElement, option: string | RegExp) {
  await user.click(combobox);
  await user.click(await within(await screen.findByRole('listbox')).findByRole('option', { name: option }));
  await user.keyboard('{Escape}');
}

describe('BuilderMode', () => {
  // Combobox renders its options in a virtual list sized from the scroll container; jsdom lays nothing out.
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 300 });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 300 });
  });
  afterAll(() => {
    Reflect.deleteProperty(HTMLElement.prototype, 'clientHeight');
    Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth');
  });

  it("offers the metric's label names for by/without, and a typed label still goes in", async () => {
    const { calls, onChange, user } = setup({
      metric: METRIC,
      matchers: [],
      operations: [{ kind: 'aggregation', fn: 'sum', grouping: { mode: 'by', labels: [] } }],
    });
    await user.click(screen.getByRole('combobox', { name: 'Labels' }));
    const listbox = await screen.findByRole('listbox');
    const offered = (await within(listbox).findAllByRole('option')).map((o) => o.textContent);
    expect(offered).toEqual(['controller', 'handler', 'instance', 'job', 'method']);
    expect(calls).toContainEqual({ name: 'labels', params: { 'match[]': METRIC, ...FROM_TO } });

    await user.click(within(listbox).getByRole('option', { name: 'controller' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ expr: `sum by (controller) (${METRIC})` }));
    await user.keyboard('service_name');
    await user.click(await within(await screen.findByRole('listbox')).findByRole('option', { name: /service_name/ }));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ expr: `sum by (controller, service_name) (${METRIC})` })
    );
  });

  it('flags an exact filter value no series had in the range, and only that one', async () => {
    const { calls } = setup({
      metric: METRIC,
      matchers: [
        { label: 'controller', op: '=', value: 'OrdersControler' },
        { label: 'job', op: '!=', value: 'nestjs' },
        { label: 'controller', op: '=~', value: 'Orders.*' },
        { label: 'job', op: '=', value: '$job' },
      ],
      operations: [],
    });
    const list = await screen.findByRole('list', { name: 'Filter values not seen' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent?.trim())
    ).toEqual([expect.stringMatching(/^No series had controller="OrdersControler" between .+ and .+\.$/)]);
    expect(calls).toEqual(
      expect.arrayContaining([
        { name: 'label-values', params: { label: 'controller', 'match[]': METRIC, ...FROM_TO } },
        { name: 'label-values', params: { label: 'job', 'match[]': METRIC, ...FROM_TO } },
      ])
    );
  });

  it('combines with a second query: errors divided by requests, per controller', async () => {
    const { onChange, user } = setup({
      metric: 'nestjs_fail_requests_count',
      matchers: [],
      operations: [
        { kind: 'range', fn: 'rate', range: '$__rate_interval' },
        { kind: 'aggregation', fn: 'sum', grouping: { mode: 'by', labels: ['controller'] } },
      ],
    });
    await choose(user, screen.getByRole('combobox', { name: 'Add operation' }), /^Binary operation with a query/);
    const other = screen.getByRole('group', { name: 'Query after / (operation 3)' });
    expect(screen.getByRole('list', { name: 'What the query still needs' })).toHaveTextContent(
      'The query after /: Choose a metric or add a label filter.'
    );

    await choose(user, within(other).getByRole('combobox', { name: 'Metric' }), /^nestjs_success_requests_count/);
    await choose(user, within(other).getByRole('combobox', { name: 'Add operation' }), /^Range function/);
    await choose(user, within(other).getByRole('combobox', { name: 'Add operation' }), /^Aggregation/);
    await choose(user, within(other).getByRole('combobox', { name: 'Labels' }), 'controller');

    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        expr:
          'sum by (controller) (rate(nestjs_fail_requests_count[$__rate_interval])) / ' +
          'sum by (controller) (rate(nestjs_success_requests_count[$__rate_interval]))',
      })
    );
    expect(screen.queryByRole('list', { name: 'What the query still needs' })).not.toBeInTheDocument();
  });
  it('matches the two queries on chosen labels, many-to-one, and drops group_left for a set operator', async () => {
    const { calls, onChange, user } = setup({
      metric: METRIC,
      matchers: [],
      operations: [
        { kind: 'range', fn: 'rate', range: '$__rate_interval' },
        { kind: 'binaryQuery', op: '*', query: { metric: 'nestjs_info', matchers: [], operations: [] } },
      ],
    });
    await user.click(screen.getByRole('radio', { name: 'on' }));
    await choose(user, screen.getByRole('combobox', { name: 'Labels' }), 'instance');
    await user.click(screen.getByRole('radio', { name: 'group_left' }));
    // Labels to copy come from either side: version is nestjs_info's.
    await user.click(screen.getByRole('combobox', { name: 'Copy labels' }));
    const offered = (await within(await screen.findByRole('listbox')).findAllByRole('option')).map(
      (o) => o.textContent
    );
    expect(offered).toEqual(expect.arrayContaining(['controller', 'instance', 'name', 'version']));
    expect(calls).toContainEqual({ name: 'labels', params: { 'match[]': 'nestjs_info', ...FROM_TO } });
    await user.click(within(await screen.findByRole('listbox')).getByRole('option', { name: 'version' }));
    await user.keyboard('{Escape}');
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        expr: `rate(${METRIC}[$__rate_interval]) * on (instance) group_left (version) nestjs_info`,
      })
    );

    // The operators' list is virtual: type to reach the set operators after the arithmetic ones.
    await user.click(screen.getByRole('combobox', { name: 'Operator 2' }));
    await user.keyboard('and');
    await user.click(await within(await screen.findByRole('listbox')).findByRole('option', { name: 'and' }));
    await user.keyboard('{Escape}');
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ expr: `rate(${METRIC}[$__rate_interval]) and on (instance) nestjs_info` })
    );
    expect(screen.queryByRole('radio', { name: 'group_left' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'on all labels' }));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ expr: `rate(${METRIC}[$__rate_interval]) and nestjs_info` })
    );
  });

  it('keeps a number as typed (010 is 8 in PromQL) and names text that is no number or duration, without an error', async () => {
    const { onChange, user } = setup({
      metric: 'x',
      matchers: [],
      operations: [
        { kind: 'range', fn: 'rate', range: '5m' },
        { kind: 'binaryScalar', op: '>', scalar: 1 },
      ],
    });
    const number = screen.getByRole('textbox', { name: 'Number' });
    await user.clear(number);
    await user.type(number, '010{Enter}');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ expr: 'rate(x[5m]) > 010' }));

    await user.clear(number);
    await user.type(number, 'ten{Enter}');
    expect(screen.getByRole('list', { name: 'What the query still needs' })).toHaveTextContent(
      'ten is not a number: write a number or a variable.'
    );
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ expr: '' }));

    const range = screen.getByRole('textbox', { name: 'Range' });
    await user.clear(range);
    await user.type(range, '5 minutes{Enter}');
    expect(screen.getByRole('list', { name: 'What the query still needs' })).toHaveTextContent(
      'The range 5 minutes is not a duration: write 5m, 1h30m, a number of seconds or a variable.'
    );
  });
});

describe('builderIssues', () => {
  it.each<[string, BuilderQuery]>([
    ['no metric', { metric: '', matchers: [], operations: [] }],
    ['a filter matching everything', { metric: '', matchers: [{ label: 'a', op: '=~', value: '.*' }], operations: [] }],
    [
      'a range that is no duration',
      { metric: 'x', matchers: [], operations: [{ kind: 'range', fn: 'rate', range: '5 m' }] },
    ],
    ['a k that is no number', { metric: 'x', matchers: [], operations: [{ kind: 'ranking', fn: 'topk', k: 'k' }] }],
    [
      'a quantile beyond PromQL',
      { metric: 'x', matchers: [], operations: [{ kind: 'histogramQuantile', quantile: '1e400' }] },
    ],
    [
      'a scalar that is no number',
      { metric: 'x', matchers: [], operations: [{ kind: 'binaryScalar', op: '+', scalar: '' }] },
    ],
  ])('names every problem builderProblems finds: %s', (_name, builder) => {
    expect(builderIssues(builder)).toHaveLength(builderProblems(builder).length);
    expect(builderProblems(builder).length).toBeGreaterThan(0);
  });
});
