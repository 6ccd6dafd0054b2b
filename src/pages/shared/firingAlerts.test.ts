import { of, throwError } from 'rxjs';
import { FieldType, toDataFrame } from '@grafana/data';

import { alertInstances, forgetAlertInstances, withAlertsColumn } from './firingAlerts';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

const table = () =>
  toDataFrame({
    fields: [
      {
        name: 'name',
        type: FieldType.string,
        values: ['shop.orders', 'shop.users'],
        config: { displayName: 'Service' },
      },
      { name: 'Value #C (lastNotNull)', type: FieldType.number, values: [0.08, 0.01] },
    ],
  });
const column = { pack: 'service' as const, keyLabel: 'name', keyField: 'name', title: 'Alerts', emptyCell: '–' };
const firing = {
  state: 'Alerting',
  labels: { pulse_pack: 'service', pulse_rule: 'ServiceErrorRatioHigh', severity: 'critical', name: 'shop.orders' },
};

describe('withAlertsColumn', () => {
  it("adds each row's alerts and the search its link opens", () => {
    const [frame] = withAlertsColumn([table()], [firing], column);
    const alerts = frame.fields.find((f) => f.name === 'Alerts')!;
    expect(alerts.values).toEqual(['ServiceErrorRatioHigh', null]);
    expect(alerts.config.noValue).toBe('–');
    expect(alerts.config.links?.[0].url).toBe(
      '/alerting/list?search=${__data.fields["pulse_alert_search"]:percentencode}'
    );
    const search = frame.fields.find((f) => f.name === 'pulse_alert_search')!;
    expect(search.values).toEqual(['label:pulse_pack=service label:name=shop.orders', '']);
    expect(search.config.custom).toEqual({ hidden: true });
  });

  it('leaves the table as it is without an alert of the pack', () => {
    const frames = [table()];
    expect(withAlertsColumn(frames, [], column)).toBe(frames);
    const otherPack = { ...firing, labels: { ...firing.labels, pulse_pack: 'host' } };
    expect(withAlertsColumn(frames, [otherPack], column)).toBe(frames);
  });

  it('adds a row for an alerting key the table has no row for (a service that stopped reporting)', () => {
    const down = {
      state: 'Pending',
      labels: { pulse_pack: 'service', pulse_rule: 'ServiceDown', severity: 'critical', name: 'shop.cart' },
    };
    const [frame] = withAlertsColumn([table()], [firing, down], column);
    expect(frame.length).toBe(3);
    expect(frame.fields.map((f) => f.values)).toEqual([
      ['shop.orders', 'shop.users', 'shop.cart'],
      [0.08, 0.01, null],
      ['ServiceErrorRatioHigh', null, 'ServiceDown (pending)'],
      ['label:pulse_pack=service label:name=shop.orders', '', 'label:pulse_pack=service label:name=shop.cart'],
    ]);
  });
});

describe('alertInstances', () => {
  beforeEach(() => {
    forgetAlertInstances();
    fetch.mockReset();
  });

  it("reads Grafana's alert instances once for every table within a few seconds", async () => {
    fetch.mockReturnValue(of({ data: { status: 'success', data: { alerts: [firing] } } }));
    expect(await alertInstances(1000)).toEqual([firing]);
    expect(await alertInstances(5000)).toEqual([firing]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0][0]).toMatchObject({
      url: '/api/prometheus/grafana/api/v1/alerts',
      showErrorAlert: false,
    });
    await alertInstances(30_000);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('is no alert when Grafana refuses (no alert.rules:read), and asks again next time', async () => {
    fetch.mockReturnValue(throwError(() => ({ status: 403 })));
    expect(await alertInstances(1000)).toEqual([]);
    await alertInstances(2000);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
