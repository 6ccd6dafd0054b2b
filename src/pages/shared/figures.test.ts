import { SceneDataTransformer, SceneQueryRunner, type VizPanel } from '@grafana/scenes';

import type { PulseQuery } from '../../datasource/types';
import { fleetStats, inventoryTable } from '../Services/inventory';
import { FIGURE_POINTS, figureDecimals } from './figures';
import { signalPanel } from './signalPanel';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ getList: () => [], getInstanceSettings: () => undefined }),
}));

function runnerOf(panel: VizPanel): SceneQueryRunner {
  const data = panel.state.$data;
  const runner = data instanceof SceneDataTransformer ? data.state.$data : data;
  if (!(runner instanceof SceneQueryRunner)) {
    throw new Error(`${panel.state.title}: no query runner`);
  }
  return runner;
}

describe('figures: every number a page shows twice is taken the same way', () => {
  const panels = [...fleetStats(), inventoryTable()];

  it('asks every stat and table cell of the Services page as an instant query at the end of the range', () => {
    for (const panel of panels) {
      for (const q of runnerOf(panel).state.queries as PulseQuery[]) {
        expect({ title: panel.state.title, instant: q.instant, range: q.range }).toEqual({
          title: panel.state.title,
          instant: true,
          range: false,
        });
      }
    }
  });

  it('gives them all one rate window: the same max data points, not each panel’s width', () => {
    expect(new Set(panels.map((p) => runnerOf(p).state.maxDataPoints))).toEqual(new Set([FIGURE_POINTS]));
  });

  it('draws a stat as its one value, with no sparkline of another query beside it', () => {
    for (const panel of fleetStats()) {
      expect((panel.state.options as { graphMode?: string }).graphMode).toBe('none');
    }
  });

  it('keeps a time series a range query with its own width: a graph is a trend, not a figure', () => {
    const graph = signalPanel('service.errors.ratio', {}, { title: 'Error ratio' });
    const [q] = runnerOf(graph).state.queries as PulseQuery[];
    expect([q.range, q.instant, runnerOf(graph).state.maxDataPoints]).toEqual([true, false, undefined]);
  });

  it('shows each unit with the same decimals in every row: 10.00 req/s, never 10.0 in the next', () => {
    const overrides = inventoryTable().state.fieldConfig.overrides;
    const decimalsOf = (title: string) =>
      overrides.find((o) => o.matcher.options === title)?.properties.find((p) => p.id === 'decimals')?.value;
    expect(decimalsOf('Request rate')).toBe(2);
    expect(decimalsOf('Error %')).toBe(2);
    expect(decimalsOf('p95')).toBe(1);
    // Counts keep Grafana's choice: whole for instances, but a load average is not.
    expect(decimalsOf('Instances')).toBeUndefined();
    const [, , errors] = fleetStats();
    expect(errors.state.fieldConfig.defaults.decimals).toBe(2);
    expect([figureDecimals('reqps'), figureDecimals('short'), figureDecimals(undefined)]).toEqual([
      2,
      undefined,
      undefined,
    ]);
  });
});

describe('a stat without thresholds of its own', () => {
  it('is not coloured red from 80, Grafana’s default: 152 instances is a count, not an alarm', () => {
    const [, instances] = fleetStats();
    expect(instances.state.fieldConfig.defaults.thresholds?.steps).toEqual([{ value: -Infinity, color: 'green' }]);
  });
});
