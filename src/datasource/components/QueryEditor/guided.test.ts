import { CoreApp } from '@grafana/data';

import { getSignal } from '../../../signals';
import { applyGuided, estimateSeries, guidedStillMatches, unknownValues } from './guided';
import { catalog } from './__fixtures__/resources';

const quantile = getSignal('service.latency.quantile')!;
const hostCpu = getSignal('host.cpu.busy')!;

describe('guided', () => {
  it('applies the signal format, type and legend when chosen, and follows the legend while it is ours', () => {
    const first = applyGuided({ refId: 'A', expr: '' }, { signalId: 'service.errors.count', params: {} }, undefined);
    expect(first).toEqual(
      expect.objectContaining({ format: 'table', instant: true, range: false, legendFormat: '{{controller}}' })
    );
    const grouped = applyGuided(
      first,
      { signalId: 'service.errors.count', params: { groupBy: ['handler'] } },
      undefined
    );
    expect(grouped.legendFormat).toBe('{{handler}}');
    const own = applyGuided(
      { ...grouped, legendFormat: 'mine' },
      { signalId: 'service.errors.count', params: { groupBy: ['method'] } },
      undefined
    );
    expect(own.legendFormat).toBe('mine');
  });

  it('keeps alert rule queries time series', () => {
    const q = applyGuided(
      { refId: 'A', expr: '' },
      { signalId: 'service.latency.heatmap', params: {} },
      undefined,
      CoreApp.UnifiedAlerting
    );
    expect(q.format).toBe('time_series');
  });

  it('renders with the data source metric names and knows when the PromQL was edited', () => {
    const q = applyGuided(
      { refId: 'A', expr: '' },
      { signalId: 'service.latency.quantile', params: { service: ['shop.orders'] } },
      { successHistogram: 'http_ok' }
    );
    expect(q.expr).toContain('rate(http_ok_bucket[$__rate_interval])');
    expect(guidedStillMatches(q, { successHistogram: 'http_ok' })).toBe(true);
    expect(guidedStillMatches({ ...q, expr: `${q.expr} > 1` }, { successHistogram: 'http_ok' })).toBe(false);
    expect(guidedStillMatches(q, undefined)).toBe(false);
  });

  it('flags values missing from the catalog, narrowed by the other choices, but not variables', () => {
    const unknown = unknownValues(
      quantile,
      { service: ['shop.orders', '$job'], controller: ['UsersController', 'OrdersController', '$controller'] },
      catalog
    );
    // A variable among the services may stand for any service, so every service's controllers count.
    expect(unknown).toEqual([]);
    const narrowed = unknownValues(quantile, { service: ['shop.orders'], controller: ['UsersController'] }, catalog);
    expect(narrowed.map((u) => [u.parameter.name, u.value])).toEqual([['controller', 'UsersController']]);
    expect(unknownValues(hostCpu, { host: ['db:9100'] }, catalog).map((u) => u.value)).toEqual(['db:9100']);
    expect(unknownValues(hostCpu, { host: ['db:9100'] }, { ...catalog, errors: { hosts: 'timeout' } })).toEqual([]);
  });

  it('estimates series as instances x matching operations, or matching entities', () => {
    expect(estimateSeries(quantile, {}, catalog)).toBe(1 * 4 + 2 * 1);
    expect(estimateSeries(quantile, { service: ['shop.orders'], controller: ['OrdersController'] }, catalog)).toBe(2);
    expect(estimateSeries(quantile, { service: ['shop.orders'], method: ['GET'] }, catalog)).toBe(2);
    expect(estimateSeries(hostCpu, {}, catalog)).toBe(1);
    expect(estimateSeries(hostCpu, { host: ['nowhere'] }, catalog)).toBe(0);
  });
});
