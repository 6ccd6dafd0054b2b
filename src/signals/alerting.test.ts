import { ALERTING_SIGNALS, english, renderContext, type ProfileId } from '.';
import { parsePromQL } from '../promql/parse';

const seed = renderContext({ profile: 'seed' });

describe('alerting signals: exact PromQL', () => {
  it.each([
    [
      'service.targets.down',
      {},
      'group by (instance, job, name) (last_over_time(nestjs_info[1d])) and on (instance, job) up unless on (instance, job) nestjs_info',
    ],
    [
      'runtime.eventloop.lag.by-service',
      {},
      'nodejs_eventloop_lag_p99_seconds * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)',
    ],
    ['host.down', {}, '(1 - up) and on (instance, job) last_over_time(node_uname_info[1d])'],
    [
      'host.filesystem.predicted-free',
      {},
      'predict_linear(node_filesystem_avail_bytes{fstype!="", fstype!~"tmpfs|ramfs|squashfs|nsfs", mountpoint!=""}[6h], 86400) and node_filesystem_readonly{fstype!="", fstype!~"tmpfs|ramfs|squashfs|nsfs", mountpoint!=""} == 0',
    ],
    [
      'container.last-seen.age',
      {},
      'time() - max by (instance, name) (max_over_time(container_last_seen{image!="", name!=""}[1h]))',
    ],
    ['postgres.exporter.down', {}, '(1 - up) and on (instance, job) last_over_time(pg_up[1d])'],
  ])('%s', (id, params, expected) => {
    expect(ALERTING_SIGNALS.find((s) => s.id === id)!.render(params, seed)).toBe(expected);
  });

  it.each([
    [
      'service.targets.down nestjs-requests',
      'nestjs-requests',
      'group by (instance, job, name) (last_over_time(nestjs_info[1d])) and on (instance, job) up unless on (instance, job) nestjs_info',
    ],
    [
      'runtime.eventloop.lag.by-service nestjs-requests',
      'nestjs-requests',
      'nodejs_eventloop_lag_p99_seconds * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)',
    ],
    [
      'service.targets.down prom-client-http',
      'prom-client-http',
      'label_replace(group by (instance, job) (last_over_time(http_request_duration_seconds_count[1d])), "name", "$1", "job", "(.*)") and on (instance, job) up unless on (instance, job) group by (instance, job) (http_request_duration_seconds_count)',
    ],
    [
      'runtime.eventloop.lag.by-service prom-client-http',
      'prom-client-http',
      'nodejs_eventloop_lag_p99_seconds * on (instance, job) group_left (name) label_replace(group by (instance, job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)")',
    ],
    [
      'service.targets.down otel-http',
      'otel-http',
      'label_replace(group by (instance, job, service_name) (last_over_time(target_info[1d])), "name", "$1", "service_name", "(.*)") and on (instance, job) up unless on (instance, job) target_info',
    ],
    [
      'runtime.eventloop.lag.by-service otel-http',
      'otel-http',
      'nodejs_eventloop_lag_p99_seconds * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")',
    ],
  ])('%s', (name, profile, expected) => {
    const id = name.split(' ')[0];
    const ctx = renderContext({ profile: profile as ProfileId });
    expect(ALERTING_SIGNALS.find((s) => s.id === id)!.render({}, ctx)).toBe(expected);
  });

  it('filters by the chosen entities with escaped values', () => {
    const get = (id: string) => ALERTING_SIGNALS.find((s) => s.id === id)!;
    expect(get('service.targets.down').render({ service: 'api"x', instance: '10.0.0.1:3000' }, seed)).toBe(
      'group by (instance, job, name) (last_over_time(nestjs_info{name="api\\"x"}[1d])) and on (instance, job) up{instance="10.0.0.1:3000"} unless on (instance, job) nestjs_info{name="api\\"x"}'
    );
    expect(get('host.down').render({ host: ['a:9100', 'b:9100'] }, seed)).toBe(
      '(1 - up{instance=~"(a:9100|b:9100)"}) and on (instance, job) last_over_time(node_uname_info{instance=~"(a:9100|b:9100)"}[1d])'
    );
    expect(get('host.filesystem.predicted-free').render({ horizon: '4h' }, seed)).toContain('[6h], 14400)');
    expect(get('runtime.eventloop.lag.by-service').render({ mode: 'max', service: 'api' }, seed)).toBe(
      'nodejs_eventloop_lag_max_seconds * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info{name="api"})'
    );
  });

  it('parses as PromQL and describes itself', () => {
    for (const signal of ALERTING_SIGNALS) {
      const result = parsePromQL(signal.render({}, seed));
      expect(result.ok || result.error.code !== 'syntax').toBe(true);
      expect(signal.describe({}).map(english).join(' ')).not.toBe('');
    }
  });
});
