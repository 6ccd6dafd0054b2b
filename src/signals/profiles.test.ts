import backendProfiles from '../../pkg/discovery/testdata/profiles.json';
import { findSyntaxError } from '../datasource/components/QueryEditor/promqlText';
import { english } from './messages';
import { type InstrumentationProfile, PROFILE_IDS, PROFILES, type ProfileId, resolveProfile } from './profiles';
import { renderContext, SIGNALS, withDefaults, type SignalParams } from './index';

const serviceSignals = SIGNALS.filter((s) => s.family === 'service' || s.family === 'runtime');
const byId = (id: string) => {
  const signal = SIGNALS.find((s) => s.id === id);
  if (!signal) {
    throw new Error(`no signal ${id}`);
  }
  return signal;
};

describe('instrumentation profiles', () => {
  // Every service signal's exact PromQL per profile (the seed's are in signals.test.ts, unchanged by profiles).
  // Read against each profile's metric names and labels (profiles.ts); they run against real services in test/integration.
  const cases: Array<[ProfileId, string, SignalParams, string]> = [
    [
      'nestjs-requests',
      'service.requests.rate',
      { service: ['shop.orders'] },
      'sum by (outcome) (label_replace(sum(rate(nestjs_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) - (sum(rate(nestjs_requests_failed_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) or sum(rate(nestjs_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) * 0), "outcome", "success", "", "") or label_replace(sum(rate(nestjs_requests_failed_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}), "outcome", "fail", "", "") or label_replace(vector(0), "outcome", "fail", "", ""))',
    ],
    [
      'nestjs-requests',
      'service.requests.rate',
      { groupBy: ['service'] },
      'sum by (outcome, name) (label_replace(sum by (name) (rate(nestjs_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) - (sum by (name) (rate(nestjs_requests_failed_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) or sum by (name) (rate(nestjs_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) * 0), "outcome", "success", "", "") or label_replace(sum by (name) (rate(nestjs_requests_failed_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)), "outcome", "fail", "", ""))',
    ],
    [
      'nestjs-requests',
      'service.requests.total',
      { service: ['shop.orders'] },
      'sum(label_replace(sum(rate(nestjs_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) - (sum(rate(nestjs_requests_failed_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) or sum(rate(nestjs_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) * 0), "outcome", "success", "", "") or label_replace(sum(rate(nestjs_requests_failed_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}), "outcome", "fail", "", ""))',
    ],
    [
      'nestjs-requests',
      'service.requests.total',
      { groupBy: ['service'] },
      'sum by (name) (label_replace(sum by (name) (rate(nestjs_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) - (sum by (name) (rate(nestjs_requests_failed_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) or sum by (name) (rate(nestjs_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) * 0), "outcome", "success", "", "") or label_replace(sum by (name) (rate(nestjs_requests_failed_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)), "outcome", "fail", "", ""))',
    ],
    [
      'nestjs-requests',
      'service.errors.rate',
      { service: ['shop.orders'] },
      'sum by (controller) (rate(nestjs_requests_failed_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"})',
    ],
    [
      'nestjs-requests',
      'service.errors.rate',
      { groupBy: ['handler'] },
      'sum by (handler) (rate(nestjs_requests_failed_count[$__rate_interval]))',
    ],
    [
      'nestjs-requests',
      'service.errors.count',
      { service: ['shop.orders'] },
      'sum by (controller) (increase(nestjs_requests_failed_count[$__range]) and on (instance, job) nestjs_info{name="shop.orders"})',
    ],
    [
      'nestjs-requests',
      'service.errors.count',
      { groupBy: ['handler'] },
      'sum by (handler) (increase(nestjs_requests_failed_count[$__range]))',
    ],
    [
      'nestjs-requests',
      'service.errors.ratio',
      { service: ['shop.orders'] },
      '(sum(rate(nestjs_requests_failed_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) or sum(rate(nestjs_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) * 0) / sum(rate(nestjs_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"})',
    ],
    [
      'nestjs-requests',
      'service.errors.ratio',
      { groupBy: ['service'] },
      '(sum by (name) (rate(nestjs_requests_failed_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) or sum by (name) (rate(nestjs_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) * 0) / sum by (name) (rate(nestjs_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info))',
    ],
    [
      'nestjs-requests',
      'service.latency.quantile',
      { service: ['shop.orders'] },
      'histogram_quantile(0.95, sum by (le) ((rate(nestjs_requests_bucket[$__rate_interval]) unless on () vector(1)) and on (instance, job) nestjs_info{name="shop.orders"}))',
    ],
    [
      'nestjs-requests',
      'service.latency.quantile',
      { groupBy: ['service'] },
      'histogram_quantile(0.95, sum by (le, name) ((rate(nestjs_requests_bucket[$__rate_interval]) unless on () vector(1)) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)))',
    ],
    [
      'nestjs-requests',
      'service.latency.average',
      { service: ['shop.orders'] },
      'sum((rate(nestjs_requests_sum[$__rate_interval]) unless on () vector(1)) and on (instance, job) nestjs_info{name="shop.orders"}) / sum((rate(nestjs_requests_count[$__rate_interval]) unless on () vector(1)) and on (instance, job) nestjs_info{name="shop.orders"})',
    ],
    [
      'nestjs-requests',
      'service.latency.average',
      { groupBy: ['service'] },
      'sum by (name) ((rate(nestjs_requests_sum[$__rate_interval]) unless on () vector(1)) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) / sum by (name) ((rate(nestjs_requests_count[$__rate_interval]) unless on () vector(1)) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info))',
    ],
    [
      'nestjs-requests',
      'service.latency.heatmap',
      { service: ['shop.orders'] },
      'sum by (le) ((increase(nestjs_requests_bucket[$__interval]) unless on () vector(1)) and on (instance, job) nestjs_info{name="shop.orders"})',
    ],
    [
      'nestjs-requests',
      'service.latency.share-under',
      { service: ['shop.orders'] },
      'sum((rate(nestjs_requests_bucket{le="0.1"}[$__rate_interval]) unless on () vector(1)) and on (instance, job) nestjs_info{name="shop.orders"}) / sum((rate(nestjs_requests_count[$__rate_interval]) unless on () vector(1)) and on (instance, job) nestjs_info{name="shop.orders"})',
    ],
    [
      'nestjs-requests',
      'service.latency.share-under',
      { groupBy: ['handler'] },
      'sum by (handler) ((rate(nestjs_requests_bucket{le="0.1"}[$__rate_interval]) unless on () vector(1))) / sum by (handler) ((rate(nestjs_requests_count[$__rate_interval]) unless on () vector(1)))',
    ],
    [
      'nestjs-requests',
      'service.operations.slowest',
      { service: ['shop.orders'] },
      'topk(10, histogram_quantile(0.95, sum by (le, controller, handler) ((rate(nestjs_requests_bucket[$__range]) unless on () vector(1)) and on (instance, job) nestjs_info{name="shop.orders"})))',
    ],
    [
      'nestjs-requests',
      'service.operations.failing',
      { service: ['shop.orders'] },
      'topk(10, sum by (controller, handler) (increase(nestjs_requests_failed_count[$__range]) and on (instance, job) nestjs_info{name="shop.orders"}))',
    ],
    [
      'nestjs-requests',
      'service.versions',
      { service: ['shop.orders'] },
      'count by (name, version) (nestjs_info{name="shop.orders"})',
    ],
    [
      'nestjs-requests',
      'service.instances',
      { service: ['shop.orders'] },
      'count by (name) (group by (instance, job, name) (nestjs_info{name="shop.orders"}))',
    ],
    [
      'nestjs-requests',
      'service.count',
      { service: ['shop.orders'] },
      'count(group by (name) (nestjs_info{name="shop.orders"}))',
    ],
    [
      'nestjs-requests',
      'service.deploys',
      { service: ['shop.orders'] },
      'count by (name, version) (nestjs_info{name="shop.orders"}) unless count by (name, version) (last_over_time(nestjs_info{name="shop.orders"}[$__rate_interval] offset $__interval))',
    ],
    [
      'prom-client-http',
      'service.requests.rate',
      { service: ['shop.orders'] },
      'sum by (outcome) (label_replace(rate(http_request_duration_seconds_count{status_code!~"5.."}[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}), "outcome", "success", "", "") or label_replace(rate(http_request_duration_seconds_count{status_code=~"5.."}[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}), "outcome", "fail", "", "") or label_replace(vector(0), "outcome", "fail", "", ""))',
    ],
    [
      'prom-client-http',
      'service.requests.rate',
      { groupBy: ['service'] },
      'sum by (outcome, name) ((label_replace(rate(http_request_duration_seconds_count{status_code!~"5.."}[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(http_request_duration_seconds_count{status_code=~"5.."}[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) label_replace(group by (instance, job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)"))',
    ],
    [
      'prom-client-http',
      'service.requests.total',
      { service: ['shop.orders'] },
      'sum(label_replace(rate(http_request_duration_seconds_count{status_code!~"5.."}[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}), "outcome", "success", "", "") or label_replace(rate(http_request_duration_seconds_count{status_code=~"5.."}[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}), "outcome", "fail", "", ""))',
    ],
    [
      'prom-client-http',
      'service.requests.total',
      { groupBy: ['service'] },
      'sum by (name) ((label_replace(rate(http_request_duration_seconds_count{status_code!~"5.."}[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(http_request_duration_seconds_count{status_code=~"5.."}[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) label_replace(group by (instance, job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)"))',
    ],
    [
      'prom-client-http',
      'service.errors.rate',
      { service: ['shop.orders'] },
      'sum by (controller) (rate(http_request_duration_seconds_count{status_code=~"5.."}[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}))',
    ],
    [
      'prom-client-http',
      'service.errors.rate',
      { groupBy: ['handler'] },
      'sum by (handler) (label_replace(rate(http_request_duration_seconds_count{status_code=~"5.."}[$__rate_interval]), "handler", "$1", "route", "(.*)"))',
    ],
    [
      'prom-client-http',
      'service.errors.count',
      { service: ['shop.orders'] },
      'sum by (controller) (increase(http_request_duration_seconds_count{status_code=~"5.."}[$__range]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}))',
    ],
    [
      'prom-client-http',
      'service.errors.count',
      { groupBy: ['handler'] },
      'sum by (handler) (label_replace(increase(http_request_duration_seconds_count{status_code=~"5.."}[$__range]), "handler", "$1", "route", "(.*)"))',
    ],
    [
      'prom-client-http',
      'service.errors.ratio',
      { service: ['shop.orders'] },
      '(sum(rate(http_request_duration_seconds_count{status_code=~"5.."}[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"})) or sum(rate(http_request_duration_seconds_count[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"})) * 0) / sum(rate(http_request_duration_seconds_count[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}))',
    ],
    [
      'prom-client-http',
      'service.errors.ratio',
      { groupBy: ['service'] },
      '(sum by (name) (rate(http_request_duration_seconds_count{status_code=~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)")) or sum by (name) (rate(http_request_duration_seconds_count[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)")) * 0) / sum by (name) (rate(http_request_duration_seconds_count[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)"))',
    ],
    [
      'prom-client-http',
      'service.latency.quantile',
      { service: ['shop.orders'] },
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{status_code!~"5.."}[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"})))',
    ],
    [
      'prom-client-http',
      'service.latency.quantile',
      { groupBy: ['service'] },
      'histogram_quantile(0.95, sum by (le, name) (rate(http_request_duration_seconds_bucket{status_code!~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)")))',
    ],
    [
      'prom-client-http',
      'service.latency.average',
      { service: ['shop.orders'] },
      'sum(rate(http_request_duration_seconds_sum{status_code!~"5.."}[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"})) / sum(rate(http_request_duration_seconds_count{status_code!~"5.."}[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}))',
    ],
    [
      'prom-client-http',
      'service.latency.average',
      { groupBy: ['service'] },
      'sum by (name) (rate(http_request_duration_seconds_sum{status_code!~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)")) / sum by (name) (rate(http_request_duration_seconds_count{status_code!~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job) (http_request_duration_seconds_count), "name", "$1", "job", "(.*)"))',
    ],
    [
      'prom-client-http',
      'service.latency.heatmap',
      { service: ['shop.orders'] },
      'sum by (le) (increase(http_request_duration_seconds_bucket{status_code!~"5.."}[$__interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}))',
    ],
    [
      'prom-client-http',
      'service.latency.share-under',
      { service: ['shop.orders'] },
      'sum(rate(http_request_duration_seconds_bucket{le="0.1", status_code!~"5.."}[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"})) / sum(rate(http_request_duration_seconds_count{status_code!~"5.."}[$__rate_interval]) and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}))',
    ],
    [
      'prom-client-http',
      'service.latency.share-under',
      { groupBy: ['handler'] },
      'sum by (handler) (label_replace(rate(http_request_duration_seconds_bucket{le="0.1", status_code!~"5.."}[$__rate_interval]), "handler", "$1", "route", "(.*)")) / sum by (handler) (label_replace(rate(http_request_duration_seconds_count{status_code!~"5.."}[$__rate_interval]), "handler", "$1", "route", "(.*)"))',
    ],
    [
      'prom-client-http',
      'service.operations.slowest',
      { service: ['shop.orders'] },
      'topk(10, histogram_quantile(0.95, sum by (le, handler, method) (label_replace(rate(http_request_duration_seconds_bucket{status_code!~"5.."}[$__range]), "handler", "$1", "route", "(.*)") and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}))))',
    ],
    [
      'prom-client-http',
      'service.operations.failing',
      { service: ['shop.orders'] },
      'topk(10, sum by (handler, method) (label_replace(increase(http_request_duration_seconds_count{status_code=~"5.."}[$__range]), "handler", "$1", "route", "(.*)") and on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"})))',
    ],
    [
      'prom-client-http',
      'service.versions',
      { service: ['shop.orders'] },
      'count by (name, version) (label_replace(group by (instance, job, version) (app_info{job="shop.orders"}) or on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}), "name", "$1", "job", "(.*)"))',
    ],
    [
      'prom-client-http',
      'service.instances',
      { service: ['shop.orders'] },
      'count by (name) (group by (instance, job, name) (label_replace(group by (instance, job, version) (app_info{job="shop.orders"}) or on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}), "name", "$1", "job", "(.*)")))',
    ],
    [
      'prom-client-http',
      'service.count',
      { service: ['shop.orders'] },
      'count(group by (name) (label_replace(group by (instance, job, version) (app_info{job="shop.orders"}) or on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}), "name", "$1", "job", "(.*)")))',
    ],
    [
      'prom-client-http',
      'service.deploys',
      { service: ['shop.orders'] },
      'count by (name, version) (label_replace(group by (instance, job, version) (app_info{job="shop.orders"}) or on (instance, job) group by (instance, job) (http_request_duration_seconds_count{job="shop.orders"}), "name", "$1", "job", "(.*)")) unless count by (name, version) (label_replace(group by (instance, job, version) (last_over_time(app_info{job="shop.orders"}[$__rate_interval] offset $__interval)) or on (instance, job) group by (instance, job) (last_over_time(http_request_duration_seconds_count{job="shop.orders"}[$__rate_interval] offset $__interval)), "name", "$1", "job", "(.*)"))',
    ],
    [
      'otel-http',
      'service.requests.rate',
      { service: ['shop.orders'] },
      'sum by (outcome) (label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}, "outcome", "success", "", "") or label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}, "outcome", "fail", "", "") or label_replace(vector(0), "outcome", "fail", "", ""))',
    ],
    [
      'otel-http',
      'service.requests.rate',
      { groupBy: ['service'] },
      'sum by (outcome, name) ((label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code!~"5.."}[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))',
    ],
    [
      'otel-http',
      'service.requests.total',
      { service: ['shop.orders'] },
      'sum(label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}, "outcome", "success", "", "") or label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}, "outcome", "fail", "", ""))',
    ],
    [
      'otel-http',
      'service.requests.total',
      { groupBy: ['service'] },
      'sum by (name) ((label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code!~"5.."}[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))',
    ],
    [
      'otel-http',
      'service.errors.rate',
      { service: ['shop.orders'] },
      'sum by (controller) (rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"})',
    ],
    [
      'otel-http',
      'service.errors.rate',
      { groupBy: ['handler'] },
      'sum by (handler) (label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__rate_interval]), "handler", "$1", "http_route", "(.*)"))',
    ],
    [
      'otel-http',
      'service.errors.count',
      { service: ['shop.orders'] },
      'sum by (controller) (increase({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__range]) and on (instance, job) target_info{service_name="shop.orders"})',
    ],
    [
      'otel-http',
      'service.errors.count',
      { groupBy: ['handler'] },
      'sum by (handler) (label_replace(increase({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__range]), "handler", "$1", "http_route", "(.*)"))',
    ],
    [
      'otel-http',
      'service.errors.ratio',
      { service: ['shop.orders'] },
      '(sum(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}) or sum(rate({__name__=~"http_server_request_duration(_seconds)?_count"}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}) * 0) / sum(rate({__name__=~"http_server_request_duration(_seconds)?_count"}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"})',
    ],
    [
      'otel-http',
      'service.errors.ratio',
      { groupBy: ['service'] },
      '(sum by (name) (rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")) or sum by (name) (rate({__name__=~"http_server_request_duration(_seconds)?_count"}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")) * 0) / sum by (name) (rate({__name__=~"http_server_request_duration(_seconds)?_count"}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))',
    ],
    [
      'otel-http',
      'service.latency.quantile',
      { service: ['shop.orders'] },
      'histogram_quantile(0.95, sum by (le) (rate({__name__=~"http_server_request_duration(_seconds)?_bucket", http_response_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}))',
    ],
    [
      'otel-http',
      'service.latency.quantile',
      { groupBy: ['service'] },
      'histogram_quantile(0.95, sum by (le, name) (rate({__name__=~"http_server_request_duration(_seconds)?_bucket", http_response_status_code!~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")))',
    ],
    [
      'otel-http',
      'service.latency.average',
      { service: ['shop.orders'] },
      'sum(rate({__name__=~"http_server_request_duration(_seconds)?_sum", http_response_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}) / sum(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"})',
    ],
    [
      'otel-http',
      'service.latency.average',
      { groupBy: ['service'] },
      'sum by (name) (rate({__name__=~"http_server_request_duration(_seconds)?_sum", http_response_status_code!~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")) / sum by (name) (rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code!~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))',
    ],
    [
      'otel-http',
      'service.latency.heatmap',
      { service: ['shop.orders'] },
      'sum by (le) (increase({__name__=~"http_server_request_duration(_seconds)?_bucket", http_response_status_code!~"5.."}[$__interval]) and on (instance, job) target_info{service_name="shop.orders"})',
    ],
    [
      'otel-http',
      'service.latency.share-under',
      { service: ['shop.orders'] },
      'sum(rate({__name__=~"http_server_request_duration(_seconds)?_bucket", le="0.1", http_response_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}) / sum(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"})',
    ],
    [
      'otel-http',
      'service.latency.share-under',
      { groupBy: ['handler'] },
      'sum by (handler) (label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_bucket", le="0.1", http_response_status_code!~"5.."}[$__rate_interval]), "handler", "$1", "http_route", "(.*)")) / sum by (handler) (label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code!~"5.."}[$__rate_interval]), "handler", "$1", "http_route", "(.*)"))',
    ],
    [
      'otel-http',
      'service.operations.slowest',
      { service: ['shop.orders'] },
      'topk(10, histogram_quantile(0.95, sum by (le, handler, method) (label_replace(label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_bucket", http_response_status_code!~"5.."}[$__range]), "handler", "$1", "http_route", "(.*)"), "method", "$1", "http_request_method", "(.*)") and on (instance, job) target_info{service_name="shop.orders"})))',
    ],
    [
      'otel-http',
      'service.operations.failing',
      { service: ['shop.orders'] },
      'topk(10, sum by (handler, method) (label_replace(label_replace(increase({__name__=~"http_server_request_duration(_seconds)?_count", http_response_status_code=~"5.."}[$__range]), "handler", "$1", "http_route", "(.*)"), "method", "$1", "http_request_method", "(.*)") and on (instance, job) target_info{service_name="shop.orders"}))',
    ],
    [
      'otel-http',
      'service.versions',
      { service: ['shop.orders'] },
      'count by (name, version) (label_replace(label_replace(target_info{service_name="shop.orders"}, "name", "$1", "service_name", "(.*)"), "version", "$1", "service_version", "(.*)"))',
    ],
    [
      'otel-http',
      'service.instances',
      { service: ['shop.orders'] },
      'count by (name) (group by (instance, job, name) (label_replace(label_replace(target_info{service_name="shop.orders"}, "name", "$1", "service_name", "(.*)"), "version", "$1", "service_version", "(.*)")))',
    ],
    [
      'otel-http',
      'service.count',
      { service: ['shop.orders'] },
      'count(group by (name) (label_replace(label_replace(target_info{service_name="shop.orders"}, "name", "$1", "service_name", "(.*)"), "version", "$1", "service_version", "(.*)")))',
    ],
    [
      'otel-http',
      'service.deploys',
      { service: ['shop.orders'] },
      'count by (name, version) (label_replace(label_replace(target_info{service_name="shop.orders"}, "name", "$1", "service_name", "(.*)"), "version", "$1", "service_version", "(.*)")) unless count by (name, version) (label_replace(label_replace(last_over_time(target_info{service_name="shop.orders"}[$__rate_interval] offset $__interval), "name", "$1", "service_name", "(.*)"), "version", "$1", "service_version", "(.*)"))',
    ],
    [
      'otel-http-legacy',
      'service.requests.rate',
      { service: ['shop.orders'] },
      'sum by (outcome) (label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}, "outcome", "success", "", "") or label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}, "outcome", "fail", "", "") or label_replace(vector(0), "outcome", "fail", "", ""))',
    ],
    [
      'otel-http-legacy',
      'service.requests.rate',
      { groupBy: ['service'] },
      'sum by (outcome, name) ((label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code!~"5.."}[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))',
    ],
    [
      'otel-http-legacy',
      'service.requests.total',
      { service: ['shop.orders'] },
      'sum(label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}, "outcome", "success", "", "") or label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}, "outcome", "fail", "", ""))',
    ],
    [
      'otel-http-legacy',
      'service.requests.total',
      { groupBy: ['service'] },
      'sum by (name) ((label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code!~"5.."}[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))',
    ],
    [
      'otel-http-legacy',
      'service.errors.rate',
      { service: ['shop.orders'] },
      'sum by (controller) (rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"})',
    ],
    [
      'otel-http-legacy',
      'service.errors.rate',
      { groupBy: ['handler'] },
      'sum by (handler) (label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__rate_interval]), "handler", "$1", "http_route", "(.*)"))',
    ],
    [
      'otel-http-legacy',
      'service.errors.count',
      { service: ['shop.orders'] },
      'sum by (controller) (increase({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__range]) and on (instance, job) target_info{service_name="shop.orders"})',
    ],
    [
      'otel-http-legacy',
      'service.errors.count',
      { groupBy: ['handler'] },
      'sum by (handler) (label_replace(increase({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__range]), "handler", "$1", "http_route", "(.*)"))',
    ],
    [
      'otel-http-legacy',
      'service.errors.ratio',
      { service: ['shop.orders'] },
      '(sum(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}) or sum(rate({__name__=~"http_server_duration(_milliseconds)?_count"}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}) * 0) / sum(rate({__name__=~"http_server_duration(_milliseconds)?_count"}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"})',
    ],
    [
      'otel-http-legacy',
      'service.errors.ratio',
      { groupBy: ['service'] },
      '(sum by (name) (rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")) or sum by (name) (rate({__name__=~"http_server_duration(_milliseconds)?_count"}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")) * 0) / sum by (name) (rate({__name__=~"http_server_duration(_milliseconds)?_count"}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))',
    ],
    [
      'otel-http-legacy',
      'service.latency.quantile',
      { service: ['shop.orders'] },
      'histogram_quantile(0.95, sum by (le) (rate({__name__=~"http_server_duration(_milliseconds)?_bucket", http_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"})) / 1000',
    ],
    [
      'otel-http-legacy',
      'service.latency.quantile',
      { groupBy: ['service'] },
      'histogram_quantile(0.95, sum by (le, name) (rate({__name__=~"http_server_duration(_milliseconds)?_bucket", http_status_code!~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)"))) / 1000',
    ],
    [
      'otel-http-legacy',
      'service.latency.average',
      { service: ['shop.orders'] },
      'sum(rate({__name__=~"http_server_duration(_milliseconds)?_sum", http_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}) / sum(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}) / 1000',
    ],
    [
      'otel-http-legacy',
      'service.latency.average',
      { groupBy: ['service'] },
      'sum by (name) (rate({__name__=~"http_server_duration(_milliseconds)?_sum", http_status_code!~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")) / sum by (name) (rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code!~"5.."}[$__rate_interval]) * on (instance, job) group_left (name) label_replace(group by (instance, job, service_name) (target_info), "name", "$1", "service_name", "(.*)")) / 1000',
    ],
    [
      'otel-http-legacy',
      'service.latency.heatmap',
      { service: ['shop.orders'] },
      'sum by (le) (increase({__name__=~"http_server_duration(_milliseconds)?_bucket", http_status_code!~"5.."}[$__interval]) and on (instance, job) target_info{service_name="shop.orders"})',
    ],
    [
      'otel-http-legacy',
      'service.latency.share-under',
      { service: ['shop.orders'] },
      'sum(rate({__name__=~"http_server_duration(_milliseconds)?_bucket", le=~"100(\\\\.0)?", http_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"}) / sum(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code!~"5.."}[$__rate_interval]) and on (instance, job) target_info{service_name="shop.orders"})',
    ],
    [
      'otel-http-legacy',
      'service.latency.share-under',
      { groupBy: ['handler'] },
      'sum by (handler) (label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_bucket", le=~"100(\\\\.0)?", http_status_code!~"5.."}[$__rate_interval]), "handler", "$1", "http_route", "(.*)")) / sum by (handler) (label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code!~"5.."}[$__rate_interval]), "handler", "$1", "http_route", "(.*)"))',
    ],
    [
      'otel-http-legacy',
      'service.operations.slowest',
      { service: ['shop.orders'] },
      'topk(10, histogram_quantile(0.95, sum by (le, handler, method) (label_replace(label_replace(rate({__name__=~"http_server_duration(_milliseconds)?_bucket", http_status_code!~"5.."}[$__range]), "handler", "$1", "http_route", "(.*)"), "method", "$1", "http_method", "(.*)") and on (instance, job) target_info{service_name="shop.orders"})) / 1000)',
    ],
    [
      'otel-http-legacy',
      'service.operations.failing',
      { service: ['shop.orders'] },
      'topk(10, sum by (handler, method) (label_replace(label_replace(increase({__name__=~"http_server_duration(_milliseconds)?_count", http_status_code=~"5.."}[$__range]), "handler", "$1", "http_route", "(.*)"), "method", "$1", "http_method", "(.*)") and on (instance, job) target_info{service_name="shop.orders"}))',
    ],
    [
      'otel-http-legacy',
      'service.versions',
      { service: ['shop.orders'] },
      'count by (name, version) (label_replace(label_replace(target_info{service_name="shop.orders"}, "name", "$1", "service_name", "(.*)"), "version", "$1", "service_version", "(.*)"))',
    ],
    [
      'otel-http-legacy',
      'service.instances',
      { service: ['shop.orders'] },
      'count by (name) (group by (instance, job, name) (label_replace(label_replace(target_info{service_name="shop.orders"}, "name", "$1", "service_name", "(.*)"), "version", "$1", "service_version", "(.*)")))',
    ],
    [
      'otel-http-legacy',
      'service.count',
      { service: ['shop.orders'] },
      'count(group by (name) (label_replace(label_replace(target_info{service_name="shop.orders"}, "name", "$1", "service_name", "(.*)"), "version", "$1", "service_version", "(.*)")))',
    ],
    [
      'otel-http-legacy',
      'service.deploys',
      { service: ['shop.orders'] },
      'count by (name, version) (label_replace(label_replace(target_info{service_name="shop.orders"}, "name", "$1", "service_name", "(.*)"), "version", "$1", "service_version", "(.*)")) unless count by (name, version) (label_replace(label_replace(last_over_time(target_info{service_name="shop.orders"}[$__rate_interval] offset $__interval), "name", "$1", "service_name", "(.*)"), "version", "$1", "service_version", "(.*)"))',
    ],
  ];
  it.each(cases)('%s %s %j', (profile, id, params, expected) => {
    const signal = byId(id);
    expect(signal.render(withDefaults(signal.parameters, params), renderContext({ profile }))).toBe(expected);
  });

  // Whatever the profile and the choices, the PromQL parses.
  it.each(PROFILE_IDS)('%s: every service and runtime signal renders valid PromQL for every choice', (profile) => {
    const ctx = renderContext({ profile });
    for (const signal of serviceSignals) {
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
          const expr = signal.render(withDefaults(signal.parameters, params), ctx);
          expect({ id: signal.id, params, problem: findSyntaxError(expr) }).toEqual({
            id: signal.id,
            params,
            problem: undefined,
          });
        }
      }
    }
  });

  it('says where a profile cannot tell outcomes apart', () => {
    const ctx = renderContext({ profile: 'nestjs-requests' });
    const quantile = byId('service.latency.quantile');
    const reason = quantile.unavailable(withDefaults(quantile.parameters, { outcome: 'fail' }), ctx);
    expect(reason && english(reason)).toMatch(/cannot be told apart/);
    expect(quantile.unavailable(withDefaults(quantile.parameters, { outcome: 'all' }), ctx)).toBeUndefined();
    // With the seed's histograms per outcome, every outcome is known.
    expect(
      quantile.unavailable(withDefaults(quantile.parameters, { outcome: 'fail' }), renderContext({ profile: 'seed' }))
    ).toBeUndefined();
    // The query of an unknowable outcome selects nothing rather than all requests.
    expect(quantile.render(withDefaults(quantile.parameters, { outcome: 'fail' }), ctx)).toContain(
      'unless on () vector(1)'
    );
  });

  it("renames a profile's metrics from the settings and keeps the defaults for empty names", () => {
    // A renamed histogram is matched exactly, with or without its unit.
    expect(resolveProfile('otel-http', { histogram: 'my_http_duration_seconds', info: ' ' })).toEqual({
      ...PROFILES['otel-http'],
      requests: { ...PROFILES['otel-http'].requests, histogram: 'my_http_duration_seconds', unitSuffix: undefined },
    });
    expect(renderContext({ profile: 'no-such-profile' }).profile.id).toBe('seed');
  });

  it("copies a profile's labels under Pulse's role names, so legends and columns read the same", () => {
    const quantile = byId('service.latency.quantile');
    const expr = quantile.render(
      withDefaults(quantile.parameters, { groupBy: ['handler'] }),
      renderContext({ profile: 'otel-http' })
    );
    // OpenTelemetry's exporter leaves the unit out of the name, the Collector puts it in: both match.
    expect(expr).toContain('label_replace(rate({__name__=~"http_server_request_duration(_seconds)?_bucket"');
    expect(expr).toContain('"handler", "$1", "http_route", "(.*)"');
  });

  // The backend reads the same metrics and labels (pkg/discovery/profiles.go, checked against the same file).
  it('names the same metrics and labels as the backend', () => {
    const flat = (p: InstrumentationProfile) => {
      const r = p.requests;
      const id = p.service;
      return JSON.parse(
        JSON.stringify({
          id: p.id,
          requests: r.kind,
          success: r.kind === 'by-outcome' ? r.success : undefined,
          fail: r.kind === 'by-outcome' ? r.fail : undefined,
          histogram: r.kind === 'by-outcome' ? undefined : r.histogram,
          statusLabel: r.kind === 'by-status' ? r.statusLabel : undefined,
          failedStatus: r.kind === 'by-status' ? r.failedStatus : undefined,
          unitSuffix: r.kind === 'by-status' ? r.unitSuffix : undefined,
          failedCounter: p.failedCounter?.metric,
          errorLabel: p.failedCounter?.errorLabel,
          latencyUnit: p.latencyUnit,
          controller: p.labels.controller,
          handler: p.labels.handler,
          method: p.labels.method,
          identity: id.kind,
          info: id.kind === 'info' ? id.metric : id.versionInfo?.metric,
          nameLabel: id.kind === 'info' ? id.nameLabel : undefined,
          versionLabel: id.kind === 'info' ? id.versionLabel : (id.versionInfo?.versionLabel ?? ''),
        })
      );
    };
    expect(PROFILE_IDS.map((id) => flat(PROFILES[id]))).toEqual(backendProfiles);
  });
});
