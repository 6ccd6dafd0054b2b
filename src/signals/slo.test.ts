import { ALERT_TEMPLATES, alertAnnotations, english, getSignal, PROFILE_IDS, renderAlert, renderContext } from '.';
import { parsePromQL } from '../promql/parse';
import { errorBudget, serviceLatencyBoundVariableQuery } from './slo';
import type { ProfileId } from './profiles';
import type { SignalParams } from './types';

const render = (id: string, params: SignalParams, profile: ProfileId = 'seed') =>
  getSignal(id)!.render(params, renderContext({ profile }));

describe('SLO signals', () => {
  // profile, signal, params, exact PromQL: the SLI of one service (both objectives), the page's budget with its
  // variables, a burn rate per service (as the alerts group it).
  it.each<[ProfileId, string, SignalParams, string]>([
    [
      'seed',
      'service.slo.sli',
      { service: 'shop.orders', slo: 'availability' },
      '1 - ((sum(rate(nestjs_fail_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_success_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0) / ((sum(rate(nestjs_success_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_fail_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0) + (sum(rate(nestjs_fail_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_success_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0)))',
    ],
    [
      'seed',
      'service.slo.sli',
      { service: 'shop.orders', slo: 'latency' },
      '((sum(rate(nestjs_success_requests_bucket{le="0.5"}[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_fail_requests_bucket{le="0.5"}[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0) + (sum(rate(nestjs_fail_requests_bucket{le="0.5"}[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_success_requests_bucket{le="0.5"}[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0)) / ((sum(rate(nestjs_success_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_fail_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0) + (sum(rate(nestjs_fail_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_success_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0))',
    ],
    [
      'seed',
      'service.slo.budget-remaining',
      {
        service: 'shop.orders',
        instance: '$instance',
        slo: 'availability',
        objective: '$slo_availability',
        window: '$slo_window',
      },
      '1 - ((sum(rate(nestjs_fail_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) or sum(rate(nestjs_success_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) * 0) / ((sum(rate(nestjs_success_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) or sum(rate(nestjs_fail_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) * 0) + (sum(rate(nestjs_fail_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) or sum(rate(nestjs_success_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) * 0))) / (1 - $slo_availability / 100)',
    ],
    [
      'seed',
      'service.slo.burn-rate',
      { groupBy: ['service'], slo: 'latency', window: '5m' },
      '(1 - (((sum by (name) (rate(nestjs_success_requests_bucket{le="0.5"}[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) or sum by (name) (rate(nestjs_fail_requests_bucket{le="0.5"}[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) * 0) + (sum by (name) (rate(nestjs_fail_requests_bucket{le="0.5"}[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) or sum by (name) (rate(nestjs_success_requests_bucket{le="0.5"}[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) * 0)) / ((sum by (name) (rate(nestjs_success_requests_count[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) or sum by (name) (rate(nestjs_fail_requests_count[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) * 0) + (sum by (name) (rate(nestjs_fail_requests_count[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) or sum by (name) (rate(nestjs_success_requests_count[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) * 0)))) / 0.05',
    ],
    [
      'nestjs-requests',
      'service.slo.sli',
      { service: 'shop.orders', slo: 'availability' },
      '1 - ((sum(rate(nestjs_requests_failed_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0) / sum(rate(nestjs_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))))',
    ],
    [
      'nestjs-requests',
      'service.slo.sli',
      { service: 'shop.orders', slo: 'latency' },
      'sum(rate(nestjs_requests_bucket{le="0.5"}[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) / sum(rate(nestjs_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d])))',
    ],
    [
      'nestjs-requests',
      'service.slo.budget-remaining',
      {
        service: 'shop.orders',
        instance: '$instance',
        slo: 'availability',
        objective: '$slo_availability',
        window: '$slo_window',
      },
      '1 - ((sum(rate(nestjs_requests_failed_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) or sum(rate(nestjs_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) * 0) / sum(rate(nestjs_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window])))) / (1 - $slo_availability / 100)',
    ],
    [
      'nestjs-requests',
      'service.slo.burn-rate',
      { groupBy: ['service'], slo: 'latency', window: '5m' },
      '(1 - (sum by (name) (rate(nestjs_requests_bucket{le="0.5"}[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) / sum by (name) (rate(nestjs_requests_count[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))))) / 0.05',
    ],
    [
      'prom-client-http',
      'service.slo.sli',
      { service: 'shop.orders', slo: 'availability' },
      '1 - ((sum(rate(http_request_duration_seconds_count{job="shop.orders", status_code=~"5.."}[30d])) or sum(rate(http_request_duration_seconds_count{job="shop.orders"}[30d])) * 0) / sum(rate(http_request_duration_seconds_count{job="shop.orders"}[30d])))',
    ],
    [
      'prom-client-http',
      'service.slo.sli',
      { service: 'shop.orders', slo: 'latency' },
      'sum(rate(http_request_duration_seconds_bucket{job="shop.orders", le="0.5"}[30d])) / sum(rate(http_request_duration_seconds_count{job="shop.orders"}[30d]))',
    ],
    [
      'prom-client-http',
      'service.slo.budget-remaining',
      {
        service: 'shop.orders',
        instance: '$instance',
        slo: 'availability',
        objective: '$slo_availability',
        window: '$slo_window',
      },
      '1 - ((sum(rate(http_request_duration_seconds_count{job="shop.orders", instance=~"$instance", status_code=~"5.."}[$slo_window])) or sum(rate(http_request_duration_seconds_count{job="shop.orders", instance=~"$instance"}[$slo_window])) * 0) / sum(rate(http_request_duration_seconds_count{job="shop.orders", instance=~"$instance"}[$slo_window]))) / (1 - $slo_availability / 100)',
    ],
    [
      'prom-client-http',
      'service.slo.burn-rate',
      { groupBy: ['service'], slo: 'latency', window: '5m' },
      '(1 - (sum by (name) (label_replace(rate(http_request_duration_seconds_bucket{le="0.5"}[5m]), "name", "$1", "job", "(.*)")) / sum by (name) (label_replace(rate(http_request_duration_seconds_count[5m]), "name", "$1", "job", "(.*)")))) / 0.05',
    ],
    [
      'otel-http',
      'service.slo.sli',
      { service: 'shop.orders', slo: 'availability' },
      '1 - ((sum(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[30d]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[30d])), "name", "$1", "service_name", "(.*)")) or sum(rate({__name__=~"http_server_request_duration(_seconds)?_count"}[30d]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[30d])), "name", "$1", "service_name", "(.*)")) * 0) / sum(rate({__name__=~"http_server_request_duration(_seconds)?_count"}[30d]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[30d])), "name", "$1", "service_name", "(.*)")))',
    ],
    [
      'otel-http',
      'service.slo.sli',
      { service: 'shop.orders', slo: 'latency' },
      'sum(rate({__name__=~"http_server_request_duration(_seconds)?_bucket", le="0.5"}[30d]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[30d])), "name", "$1", "service_name", "(.*)")) / sum(rate({__name__=~"http_server_request_duration(_seconds)?_count"}[30d]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[30d])), "name", "$1", "service_name", "(.*)"))',
    ],
    [
      'otel-http',
      'service.slo.budget-remaining',
      {
        service: 'shop.orders',
        instance: '$instance',
        slo: 'availability',
        objective: '$slo_availability',
        window: '$slo_window',
      },
      '1 - ((sum(rate({__name__=~"http_server_request_duration(_seconds)?_count", instance=~"$instance", http_response_status_code=~"5.."}[$slo_window]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[$slo_window])), "name", "$1", "service_name", "(.*)")) or sum(rate({__name__=~"http_server_request_duration(_seconds)?_count", instance=~"$instance"}[$slo_window]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[$slo_window])), "name", "$1", "service_name", "(.*)")) * 0) / sum(rate({__name__=~"http_server_request_duration(_seconds)?_count", instance=~"$instance"}[$slo_window]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[$slo_window])), "name", "$1", "service_name", "(.*)"))) / (1 - $slo_availability / 100)',
    ],
    [
      'otel-http',
      'service.slo.burn-rate',
      { groupBy: ['service'], slo: 'latency', window: '5m' },
      '(1 - (sum by (name) (rate({__name__=~"http_server_request_duration(_seconds)?_bucket", le="0.5"}[5m]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (last_over_time(target_info[5m])), "name", "$1", "service_name", "(.*)")) / sum by (name) (rate({__name__=~"http_server_request_duration(_seconds)?_count"}[5m]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (last_over_time(target_info[5m])), "name", "$1", "service_name", "(.*)")))) / 0.05',
    ],
    [
      'otel-http-legacy',
      'service.slo.sli',
      { service: 'shop.orders', slo: 'availability' },
      '1 - ((sum(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[30d]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[30d])), "name", "$1", "service_name", "(.*)")) or sum(rate({__name__=~"http_server_duration(_milliseconds)?_count"}[30d]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[30d])), "name", "$1", "service_name", "(.*)")) * 0) / sum(rate({__name__=~"http_server_duration(_milliseconds)?_count"}[30d]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[30d])), "name", "$1", "service_name", "(.*)")))',
    ],
    [
      'otel-http-legacy',
      'service.slo.sli',
      { service: 'shop.orders', slo: 'latency' },
      'sum(rate({__name__=~"http_server_duration(_milliseconds)?_bucket", le=~"500(\\\\.0)?"}[30d]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[30d])), "name", "$1", "service_name", "(.*)")) / sum(rate({__name__=~"http_server_duration(_milliseconds)?_count"}[30d]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[30d])), "name", "$1", "service_name", "(.*)"))',
    ],
    [
      'otel-http-legacy',
      'service.slo.budget-remaining',
      {
        service: 'shop.orders',
        instance: '$instance',
        slo: 'availability',
        objective: '$slo_availability',
        window: '$slo_window',
      },
      '1 - ((sum(rate({__name__=~"http_server_duration(_milliseconds)?_count", instance=~"$instance", http_status_code=~"5.."}[$slo_window]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[$slo_window])), "name", "$1", "service_name", "(.*)")) or sum(rate({__name__=~"http_server_duration(_milliseconds)?_count", instance=~"$instance"}[$slo_window]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[$slo_window])), "name", "$1", "service_name", "(.*)")) * 0) / sum(rate({__name__=~"http_server_duration(_milliseconds)?_count", instance=~"$instance"}[$slo_window]) and on (instance, job) label_replace(group by (instance, job, service_name) (last_over_time(target_info{service_name="shop.orders"}[$slo_window])), "name", "$1", "service_name", "(.*)"))) / (1 - $slo_availability / 100)',
    ],
    [
      'otel-http-legacy',
      'service.slo.burn-rate',
      { groupBy: ['service'], slo: 'latency', window: '5m' },
      '(1 - (sum by (name) (rate({__name__=~"http_server_duration(_milliseconds)?_bucket", le=~"500(\\\\.0)?"}[5m]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (last_over_time(target_info[5m])), "name", "$1", "service_name", "(.*)")) / sum by (name) (rate({__name__=~"http_server_duration(_milliseconds)?_count"}[5m]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (last_over_time(target_info[5m])), "name", "$1", "service_name", "(.*)")))) / 0.05',
    ],
  ])('%s %s %j', (profile, id, params, expr) => {
    expect(render(id, params, profile)).toBe(expr);
  });

  it('renders PromQL that parses, for every profile, objective and window', () => {
    for (const profile of PROFILE_IDS) {
      for (const id of ['service.slo.sli', 'service.slo.budget-remaining', 'service.slo.burn-rate']) {
        for (const slo of ['availability', 'latency']) {
          for (const window of ['5m', '30d', '$slo_window']) {
            const expr = render(id, { service: ['a', 'b'], slo, window, objective: '99.9' }, profile);
            const parsed = parsePromQL(expr.replace(/\$slo_window/g, '30d'));
            expect(parsed.ok || parsed.error.code !== 'syntax').toBe(true);
          }
        }
      }
    }
  });

  describe('across profiles (auto)', () => {
    const auto = renderContext();
    const params: SignalParams = { groupBy: ['service'], slo: 'availability', window: '1h' };
    const top = (expr: string) => {
      // The top-level operators of an expression (outside parentheses and strings).
      let depth = 0;
      let quoted = false;
      let out = '';
      for (const c of expr) {
        if (c === '"') {
          quoted = !quoted;
        } else if (!quoted && c === '(') {
          depth++;
        } else if (!quoted && c === ')') {
          depth--;
        } else if (!quoted && depth === 0) {
          out += c;
        }
      }
      return out.replace(/\s+/g, ' ').trim();
    };

    it("sums every profile's bad and all requests before the one division", () => {
      const expr = getSignal('service.slo.burn-rate')!.render(params, auto);
      expect(top(expr)).toBe('/ 0.005');
      const share = expr.slice(1, expr.lastIndexOf(') / 0.005'));
      expect(top(share)).toBe('sum by / sum by');
      for (const profile of PROFILE_IDS) {
        expect(share.split(`"profile", "${profile}"`)).toHaveLength(3);
      }
    });

    it("counts the shared failed counter only on the targets of the profile's own histogram", () => {
      const expr = getSignal('service.slo.sli')!.render(params, auto);
      expect(expr).toContain(
        '(rate(nestjs_requests_failed_count[1h]) and on (instance, job) last_over_time(nestjs_requests_count[1h]))'
      );
      expect(render('service.slo.sli', params, 'nestjs-requests')).not.toContain(
        'last_over_time(nestjs_requests_count'
      );
    });

    it('leaves out a profile that cannot count failed requests, rather than count none', () => {
      const noCounter = {
        ...auto,
        profiles: auto.profiles.map((p) => (p.id === 'nestjs-requests' ? { ...p, failedCounter: undefined } : p)),
      };
      const availability = getSignal('service.slo.burn-rate')!.render(params, noCounter);
      expect(availability).not.toContain('"nestjs-requests"');
      expect(parsePromQL(availability).ok).toBe(true);
      const latency = getSignal('service.slo.burn-rate')!.render({ ...params, slo: 'latency' }, noCounter);
      expect(latency).toContain('"profile", "nestjs-requests"');
    });
  });

  it('turns an objective into the allowed bad share', () => {
    expect(errorBudget('99.5')).toBe('0.005');
    expect(errorBudget('99.9')).toBe('0.001');
    expect(errorBudget('95')).toBe('0.05');
    expect(errorBudget('99.95')).toBe('0.0005');
    expect(errorBudget('$slo_availability')).toBe('(1 - $slo_availability / 100)');
    expect(() => errorBudget('100')).toThrow('between 0 and 100');
    expect(() => errorBudget('0')).toThrow('between 0 and 100');
  });

  it('defaults: 99.5 % availability, 95 % of requests within 500 ms, over 30 days', () => {
    const budget = (slo: string) => render('service.slo.budget-remaining', { slo });
    expect(budget('availability')).toMatch(/\[30d\].* \/ 0\.005$/);
    expect(budget('latency')).toMatch(/le="0\.5"\}\[30d\].* \/ 0\.05$/);
    expect(render('service.slo.burn-rate', {})).toMatch(/\[1h\]/);
  });

  it('takes a variable threshold as the bucket bound it names, in any unit', () => {
    expect(render('service.slo.sli', { slo: 'latency', threshold: '$slo_threshold' }, 'otel-http-legacy')).toContain(
      'le="$slo_threshold"'
    );
  });

  it.each([
    ['seed', 'label_values(nestjs_success_requests_bucket{instance=~"$instance"}, le)'],
    ['nestjs-requests', 'label_values(nestjs_requests_bucket{instance=~"$instance"}, le)'],
    ['prom-client-http', 'label_values(http_request_duration_seconds_bucket{instance=~"$instance"}, le)'],
    [
      'otel-http',
      'label_values({__name__=~"http_server_request_duration(_seconds)?_bucket", instance=~"$instance"}, le)',
    ],
    [
      'otel-http-legacy',
      'label_values({__name__=~"http_server_duration(_milliseconds)?_bucket", instance=~"$instance"}, le)',
    ],
  ])('%s: the latency threshold variable reads the bucket bounds', (profile, query) => {
    expect(serviceLatencyBoundVariableQuery(renderContext({ profile: profile as ProfileId }), '$instance')).toBe(query);
  });

  it('auto: the latency threshold variable reads the bucket bounds of every profile’s histogram on the instances', () => {
    expect(serviceLatencyBoundVariableQuery(renderContext({ profile: 'auto' }), '$instance')).toBe(
      'label_values({__name__=~"nestjs_success_requests_bucket|nestjs_requests_bucket|http_request_duration_seconds_bucket|http_server_request_duration(_seconds)?_bucket|http_server_duration(_milliseconds)?_bucket", instance=~"$instance"}, le)'
    );
    // A renamed histogram is the one read.
    expect(
      serviceLatencyBoundVariableQuery(
        renderContext({ profile: 'auto', successHistogram: 'shop_ok_requests' }),
        '$instance'
      )
    ).toContain('__name__=~"shop_ok_requests_bucket|');
  });

  it('explains each objective', () => {
    const describe = (params: SignalParams) => getSignal('service.slo.sli')!.describe(params).map(english)[0];
    expect(describe({ slo: 'availability' })).toBe(
      'Requests that did not fail divided by all requests over the last 30d, counting every target that reported as the service in that window.'
    );
    expect(describe({ slo: 'latency', threshold: '0.25' })).toContain('at most 250 ms');
  });
});

describe('SLO burn-rate alert templates', () => {
  const slo = ALERT_TEMPLATES.filter((t) => t.signal === 'service.slo.burn-rate');
  const seed = renderContext({ profile: 'seed' });

  it("are the workbook's multi-window pairs for both objectives", () => {
    expect(
      slo.map((t) => [
        t.rule,
        t.params.slo,
        t.params.window,
        t.guard?.params.window,
        t.condition.threshold,
        t.guard?.threshold,
        t.for,
        t.severity,
      ])
    ).toEqual([
      ['ServiceAvailabilityBudgetBurnFast', 'availability', '1h', '5m', 14.4, 14.4, '2m', 'critical'],
      ['ServiceAvailabilityBudgetBurnSlow', 'availability', '6h', '30m', 6, 6, '15m', 'warning'],
      ['ServiceLatencyBudgetBurnFast', 'latency', '1h', '5m', 14.4, 14.4, '2m', 'critical'],
      ['ServiceLatencyBudgetBurnSlow', 'latency', '6h', '30m', 6, 6, '15m', 'warning'],
    ]);
  });

  it('render the long window guarded by the short one, per service', () => {
    const rule = renderAlert(slo[0], seed);
    const long = render('service.slo.burn-rate', {
      groupBy: ['service'],
      slo: 'availability',
      window: '1h',
      objective: '99.5',
    });
    const short = render('service.slo.burn-rate', {
      groupBy: ['service'],
      slo: 'availability',
      window: '5m',
      objective: '99.5',
    });
    expect(rule.query).toBe(`(${long}) and on (name) (${short}) > 14.4`);
    expect(rule.expr).toBe(`(${rule.query}) > 14.4`);
    expect(rule.labels).toEqual({
      severity: 'critical',
      pulse_pack: 'service',
      pulse_rule: 'ServiceAvailabilityBudgetBurnFast',
    });
    expect(long).toContain('/ 0.005');
    expect(
      render('service.slo.burn-rate', { groupBy: ['service'], slo: 'latency', window: '1h', objective: '95' })
    ).toContain('/ 0.05');
  });

  it('parse for every profile', () => {
    for (const profile of PROFILE_IDS) {
      for (const template of slo) {
        const rule = renderAlert(template, renderContext({ profile }));
        expect(rule.unavailable).toBeUndefined();
        const parsed = parsePromQL(rule.expr);
        expect(parsed.ok || parsed.error.code !== 'syntax').toBe(true);
      }
    }
  });

  it('say what burns, how fast and where to look', () => {
    const annotations = alertAnnotations(renderAlert(slo[2], seed), {
      valueRef: '$value',
      appBase: '/a/pulse-monitoring-app',
    });
    expect(annotations.summary).toBe('{{ $labels.name }}: latency error budget burning at {{ humanize $value }}×');
    expect(annotations.description).toContain('slower than 500 ms');
    expect(annotations.description).toContain('14.4 times faster');
    expect(annotations.pulse_page).toBe('/a/pulse-monitoring-app/services/{{ urlquery $labels.name }}');
  });
});
