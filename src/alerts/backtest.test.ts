import { FieldType, toDataFrame } from '@grafana/data';

import { backtest, backtestStepSeconds, currentValues, seriesFromFrames, type SeriesPoints } from './backtest';

const MIN = 60_000;
const points = (values: Array<number | null>, labels = { name: 'a' }): SeriesPoints => ({
  labels,
  times: values.map((_, i) => i * 5 * MIN),
  values,
});
const opts = { op: '>' as const, threshold: 1, stepSeconds: 300, forSeconds: 600 };

describe('backtest', () => {
  it('counts a firing once a run of breaching points has lasted `for`', () => {
    // 3 points over the threshold = 10 minutes: fires (for 10m), for one step.
    expect(backtest([points([0, 2, 2, 2, 0])], opts)).toEqual({
      series: 1,
      breachPoints: 3,
      firings: 1,
      seriesFired: 1,
      firingSeconds: 300,
    });
  });

  it('does not fire on a run shorter than `for`, nor across a missing point', () => {
    expect(backtest([points([2, 2, 0, 2, 2])], opts).firings).toBe(0);
    expect(backtest([points([2, 2, null, 2, 2])], opts).firings).toBe(0);
    // A gap in time (the guard filtered the series out) ends the run too.
    const gap: SeriesPoints = { labels: {}, times: [0, 5 * MIN, 20 * MIN, 25 * MIN], values: [2, 2, 2, 2] };
    expect(backtest([gap], opts).firings).toBe(0);
  });

  it('counts each run and each series, `for` 0 firing on a single point', () => {
    const r = backtest([points([2, 0, 2]), points([0, 0, 0], { name: 'b' }), points([null], { name: 'c' })], {
      ...opts,
      forSeconds: 0,
    });
    expect(r).toEqual({ series: 2, breachPoints: 2, firings: 2, seriesFired: 1, firingSeconds: 600 });
    expect(backtest([points([0.5, 0.5])], { ...opts, op: '<', forSeconds: 300 }).firings).toBe(1);
  });

  it('picks a step under the point budget, at least the evaluation interval', () => {
    expect(backtestStepSeconds(7 * 86400, 60)).toBe(300);
    expect(backtestStepSeconds(3600, 60)).toBe(60);
  });
});

describe('frames', () => {
  it('reads each number field beside the time field as a series; current values say which fire', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1000, 2000] },
        { name: 'Value', type: FieldType.number, values: [0.01, 0.2], labels: { name: 'shop.orders' } },
      ],
    });
    const series = seriesFromFrames([frame]);
    expect(series).toEqual([{ labels: { name: 'shop.orders' }, times: [1000, 2000], values: [0.01, 0.2] }]);
    expect(currentValues(series, '>', 0.05)).toEqual([{ labels: { name: 'shop.orders' }, value: 0.2, fires: true }]);
  });
});
