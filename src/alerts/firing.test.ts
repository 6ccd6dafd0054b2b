import { alertListSearch, alertsByRow, type AlertInstance } from './firing';

const instance = (state: string, labels: Record<string, string>): AlertInstance => ({ state, labels });

describe('alertsByRow', () => {
  const instances = [
    instance('Alerting', {
      pulse_pack: 'service',
      pulse_rule: 'ServiceErrorRatioHigh',
      severity: 'critical',
      name: 'shop.orders',
    }),
    instance('Pending', {
      pulse_pack: 'service',
      pulse_rule: 'ServiceLatencyP95High',
      severity: 'warning',
      name: 'shop.orders',
    }),
    instance('Alerting', {
      pulse_pack: 'service',
      pulse_rule: 'ServiceEventLoopLagHigh',
      severity: 'warning',
      name: 'shop.orders',
      instance: 'a:1',
    }),
    instance('Alerting', {
      pulse_pack: 'service',
      pulse_rule: 'ServiceDown',
      severity: 'critical',
      name: 'shop.orders',
      instance: 'a:2',
    }),
    // The same rule on two instances of one service: once.
    instance('Pending', {
      pulse_pack: 'service',
      pulse_rule: 'ServiceRestarting',
      severity: 'warning',
      name: 'shop.users',
      instance: 'b:1',
    }),
    instance('Pending', {
      pulse_pack: 'service',
      pulse_rule: 'ServiceRestarting',
      severity: 'warning',
      name: 'shop.users',
      instance: 'b:2',
    }),
    // Normal, NoData and Error instances are not alerts on the row; another pack's and other rules are not ours.
    instance('Normal', { pulse_pack: 'service', pulse_rule: 'ServiceDown', name: 'shop.users' }),
    instance('NoData', { pulse_pack: 'service', pulse_rule: 'ServiceDown', name: 'shop.cart' }),
    instance('Alerting', { pulse_pack: 'host', pulse_rule: 'HostDown', name: 'shop.users' }),
    instance('Alerting', { alertname: 'Theirs', name: 'shop.users' }),
    // No key label: not a row's.
    instance('Alerting', { pulse_pack: 'service', pulse_rule: 'ServiceErrorRatioHigh' }),
  ];

  it('lists firing rules most severe first, then pending ones, once per row', () => {
    expect(Object.fromEntries(alertsByRow(instances, 'service', 'name'))).toEqual({
      'shop.orders': {
        firing: ['ServiceDown', 'ServiceErrorRatioHigh', 'ServiceEventLoopLagHigh'],
        pending: ['ServiceLatencyP95High'],
      },
      'shop.users': { firing: [], pending: ['ServiceRestarting'] },
    });
  });

  it('keys rows by another label for another pack', () => {
    const hosts = [instance('Alerting', { pulse_pack: 'host', pulse_rule: 'HostDown', instance: 'h:9100' })];
    expect([...alertsByRow(hosts, 'host', 'instance').keys()]).toEqual(['h:9100']);
  });

  it("a rule both firing and pending on a row's instances is firing", () => {
    const both = [
      instance('Alerting', { pulse_pack: 'service', pulse_rule: 'ServiceRestarting', name: 's', instance: '1' }),
      instance('Pending', { pulse_pack: 'service', pulse_rule: 'ServiceRestarting', name: 's', instance: '2' }),
    ];
    expect(alertsByRow(both, 'service', 'name').get('s')).toEqual({ firing: ['ServiceRestarting'], pending: [] });
  });
});

describe('alertListSearch', () => {
  it("is Grafana's alert list search for the pack's alerts on the row", () => {
    expect(alertListSearch('service', 'name', 'shop.orders')).toBe('label:pulse_pack=service label:name=shop.orders');
    expect(alertListSearch('container', 'name', 'my "db" 1')).toBe(
      'label:pulse_pack=container label:name="my \\"db\\" 1"'
    );
  });
});
