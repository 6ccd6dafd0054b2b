import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { fakeBackend, pulseDataSource } from './QueryEditor/__fixtures__/resources';
import { VariableQueryEditor } from './VariableQueryEditor';

function setup(query: unknown) {
  const calls = fakeBackend();
  const onChange = jest.fn();
  render(<VariableQueryEditor datasource={pulseDataSource()} query={query} onChange={onChange} />);
  return { calls, onChange, user: userEvent.setup({ delay: null }) };
}

async function choose(user: ReturnType<typeof userEvent.setup>, field: string, option: string | RegExp) {
  await user.click(screen.getByRole('combobox', { name: field }));
  const listbox = await screen.findByRole('listbox');
  await user.click(await within(listbox).findByRole('option', { name: option }));
}

describe('VariableQueryEditor', () => {
  // Combobox renders its options in a virtual list sized from the scroll container; jsdom lays nothing out.
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 300 });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 300 });
  });
  afterAll(() => {
    Reflect.deleteProperty(HTMLElement.prototype, 'clientHeight');
    Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth');
  });

  it('opens a stored label_values query with its label and selector', () => {
    setup('label_values(nestjs_info{name=~"$service"}, instance)');
    expect(screen.getByRole('combobox', { name: 'Query type' })).toHaveValue('Label values');
    expect(screen.getByRole('combobox', { name: 'Label' })).toHaveValue('instance');
    expect(screen.getByRole('textbox', { name: 'Series selector' })).toHaveValue('nestjs_info{name=~"$service"}');
    expect(screen.getByText('Stored as label_values(nestjs_info{name=~"$service"}, instance)')).toBeInTheDocument();
  });

  it('reads { query } objects', () => {
    setup({ query: 'metrics(nestjs_.*)', refId: 'A' });
    expect(screen.getByRole('combobox', { name: 'Query type' })).toHaveValue('Metrics');
    expect(screen.getByRole('textbox', { name: 'Metric regex' })).toHaveValue('nestjs_.*');
  });

  it('builds label_values from a label chosen among the label names', async () => {
    const { calls, onChange, user } = setup('');
    await choose(user, 'Label', 'job');
    expect(onChange).toHaveBeenLastCalledWith('label_values(job)', 'label_values(job)');
    expect(calls.map((c) => c.name)).toEqual(['labels']);

    await user.type(screen.getByRole('textbox', { name: 'Series selector' }), 'up{{job="node"}{Enter}');
    expect(onChange).toHaveBeenLastCalledWith('label_values(up{job="node"}, job)', 'label_values(up{job="node"}, job)');
  });

  it('switches to a query result and stores the expression', async () => {
    const { onChange, user } = setup('label_names()');
    await choose(user, 'Query type', /^Query result/);
    expect(screen.getByText('Fill in the fields above to complete the query.')).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: 'PromQL' }), 'topk(3, up){Enter}');
    expect(onChange).toHaveBeenLastCalledWith('query_result(topk(3, up))', 'query_result(topk(3, up))');
  });

  it('says which forms it understands when the stored query is none of them', async () => {
    setup('series(up)');
    await waitFor(() =>
      expect(
        screen.getByText(
          'Stored query: series(up). Pulse understands label_names(), label_values(<label>), ' +
            'label_values(<selector>, <label>), metrics(<regex>), query_result(<expr>).'
        )
      ).toBeInTheDocument()
    );
  });
});
