import React, { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { PulseDataSource } from '../../datasource';
import { PulseQuery } from '../../types';
import { QueryEditor } from './QueryEditor';

function setup(initial: Partial<PulseQuery> = {}) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();

  // Grafana feeds the changed query back in as a prop; the wrapper does the same.
  function Host() {
    const [query, setQuery] = useState<PulseQuery>({ refId: 'A', expr: '', ...initial });
    return (
      <QueryEditor
        datasource={{} as PulseDataSource}
        query={query}
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

  it('commits the PromQL and runs the query when the editor loses focus', async () => {
    const { onChange, onRunQuery, user } = setup();
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

  it('does not run again on blur when nothing changed', async () => {
    const { onChange, onRunQuery, user } = setup({ expr: 'up' });
    await user.click(screen.getByRole('textbox', { name: 'PromQL query' }));
    await user.tab();
    expect(onChange).not.toHaveBeenCalled();
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('runs on Shift+Enter without inserting a line break', async () => {
    const { onChange, onRunQuery, user } = setup();
    const editor = screen.getByRole('textbox', { name: 'PromQL query' });

    await user.type(editor, 'sum(up)');
    await user.keyboard('{Shift>}{Enter}{/Shift}');

    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ expr: 'sum(up)' }));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(editor).toHaveValue('sum(up)');
  });

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
});
