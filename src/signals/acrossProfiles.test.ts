import { findSyntaxError } from '../datasource/components/QueryEditor/promqlText';
import { AUTO_PROFILE, PROFILE_IDS, profileChoice, resolveProfiles } from './profiles';
import { renderContext, SIGNALS, withDefaults, type SignalParams } from './index';

const byId = (id: string) => SIGNALS.find((s) => s.id === id)!;
const auto = renderContext({});
const render = (id: string, params: SignalParams) => byId(id).render(withDefaults(byId(id).parameters, params), auto);

describe('auto: every profile at once', () => {
  it('is the default, and an explicit profile is the only one', () => {
    expect(profileChoice(undefined)).toBe(AUTO_PROFILE);
    expect(profileChoice('no-such-profile')).toBe(AUTO_PROFILE);
    expect(auto.profiles.map((p) => p.id)).toEqual([...PROFILE_IDS]);
    expect(renderContext({ profile: 'otel-http' }).profiles.map((p) => p.id)).toEqual(['otel-http']);
  });

  it("applies the settings' names to the NestJS interceptors only (as discovery.ProfilesOf)", () => {
    const profiles = resolveProfiles(AUTO_PROFILE, {
      info: 'svc_info',
      failedCounter: 'fails',
      histogram: 'x_seconds',
    });
    expect(
      profiles.map((p) => [p.id, p.service.kind === 'info' ? p.service.metric : p.service.versionInfo?.metric])
    ).toEqual([
      ['seed', 'svc_info'],
      ['nestjs-requests', 'svc_info'],
      ['prom-client-http', 'app_info'],
      ['otel-http', 'target_info'],
      ['otel-http-legacy', 'target_info'],
    ]);
    expect(profiles.map((p) => p.failedCounter?.metric)).toEqual(['fails', 'fails', undefined, undefined, undefined]);
    expect(profiles[1].requests).toEqual({ kind: 'one-histogram', histogram: 'nestjs_requests' });
  });

  // Shared info gauges are read once (untagged `or`, identical parts written once).
  it('versions: the union of every profile identity', () => {
    expect(render('service.versions', {})).toBe(
      'count by (name, version) ((nestjs_info) or (label_replace(group by (instance, job, version) (app_info) or on (instance, job) group by (instance, job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)")) or (label_replace(label_replace(target_info, "name", "$1", "service_name", "(.*)"), "version", "$1", "service_version", "(.*)")))'
    );
  });

  // The failed counter both NestJS interceptors share keeps to each one's targets; a status code is the error.
  it('failed requests by controller and error class of one service', () => {
    expect(render('service.errors.count', { service: ['shop.orders'], groupBy: ['controller', 'error'] })).toBe(
      'sum by (controller, error) (((increase(nestjs_requests_failed_count[$__range]) and on (instance, job) {__name__=~"(nestjs_success_requests_count|nestjs_fail_requests_count)"}) and on (instance, job) nestjs_info{name="shop.orders"}) or ((increase(nestjs_requests_failed_count[$__range]) and on (instance, job) nestjs_requests_count) and on (instance, job) nestjs_info{name="shop.orders"}) or (label_replace(increase(http_request_duration_seconds_count{status_code=~"5.."}[$__range]), "error", "$1", "status_code", "(.*)") and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"})) or (label_replace(increase({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__range]), "error", "$1", "http_response_status_code", "(.*)") and on (instance, job) target_info{service_name="shop.orders"}) or (label_replace(increase({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__range]), "error", "$1", "http_status_code", "(.*)") and on (instance, job) target_info{service_name="shop.orders"}))'
    );
  });

  // Each profile's percentile in seconds (the older OpenTelemetry SDKs' milliseconds converted), the highest per service.
  it('p95 by service: each profile computes its own, tagged, the maximum per service', () => {
    expect(render('service.latency.quantile', { groupBy: ['service'], outcome: 'all', quantile: '0.95' })).toBe(
      'max by (name) (label_replace(histogram_quantile(0.95, sum by (le, name) ((label_replace(rate(nestjs_success_requests_bucket[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_bucket[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info))), "profile", "seed", "", "") or label_replace(histogram_quantile(0.95, sum by (le, name) (rate(nestjs_requests_bucket[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info))), "profile", "nestjs-requests", "", "") or label_replace(histogram_quantile(0.95, sum by (le, name) (rate(http_request_duration_seconds_bucket[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)"))), "profile", "prom-client-http", "", "") or label_replace(histogram_quantile(0.95, sum by (le, name) (rate({__name__=~"http_server_request_duration(_seconds)?_bucket"}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))), "profile", "otel-http", "", "") or label_replace(histogram_quantile(0.95, sum by (le, name) (rate({__name__=~"http_server_duration(_milliseconds)?_bucket"}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))) / 1000, "profile", "otel-http-legacy", "", ""))'
    );
  });

  it('error ratio of the fleet: every profile’s failures over every profile’s requests', () => {
    const expr = render('service.errors.ratio', {});
    const total = byId('service.requests.total');
    const all = total.render(withDefaults(total.parameters, {}), auto);
    expect(expr.endsWith(`) / ${all}`)).toBe(true);
    for (const id of PROFILE_IDS) {
      // Once among the failures, once in each of the two request totals.
      expect(expr.split(`"profile", "${id}", "", ""`).length - 1).toBe(3);
    }
  });

  it('every service, runtime and alerting signal renders valid PromQL for every choice', () => {
    for (const signal of SIGNALS.filter((s) => s.family === 'service' || s.family === 'runtime')) {
      const groupBy = signal.parameters.find((p) => p.name === 'groupBy')?.choices ?? [{ value: undefined }];
      const outcomes = signal.parameters.find((p) => p.name === 'outcome')?.choices ?? [{ value: undefined }];
      for (const g of groupBy) {
        for (const o of outcomes) {
          const params: SignalParams = { service: ['shop.orders'], handler: ['/orders/:id'], method: ['GET'] };
          if (g.value) {
            params.groupBy = [g.value];
          }
          if (o.value) {
            params.outcome = o.value;
          }
          const expr = signal.render(withDefaults(signal.parameters, params), auto);
          expect({ id: signal.id, params, problem: findSyntaxError(expr) }).toEqual({
            id: signal.id,
            params,
            problem: undefined,
          });
        }
      }
    }
  });
});
