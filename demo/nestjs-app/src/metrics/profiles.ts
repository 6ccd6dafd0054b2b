/**
 * Instrumentation profiles: how the same controllers are measured (METRICS_PROFILE). Each is a shape
 * teams really use; Pulse's signal catalog renders its questions from the profile of a service.
 *
 * - `seed`: the seed's interceptor (src/metrics/prometheus.interceptor.ts): `nestjs_success_requests` and
 *   `nestjs_fail_requests` histograms {handler, controller, method}, `nestjs_requests_failed_count`
 *   {handler, controller, error, method}, `nestjs_info{domain, name, version}`; prom-client default metrics.
 * - `nestjs-requests`: the single-histogram interceptor of nestjs-prometheus-requests, which the seed cites
 *   (src/metrics/requests.interceptor.ts): `nestjs_requests` {handler, controller} for every request,
 *   `nestjs_requests_failed_count` {handler, controller, error}, `nestjs_info`; prom-client default metrics.
 * - `prom-client-http`: a prom-client Express middleware (src/metrics/http-middleware.ts):
 *   `http_request_duration_seconds` {method, route, status_code}, `app_info{version}`; default metrics.
 * - `otel-http`: OpenTelemetry's HTTP and Express instrumentations with the stable HTTP semantic conventions
 *   (OTEL_SEMCONV_STABILITY_OPT_IN=http), served by its Prometheus exporter (src/metrics/otel.ts).
 * - `otel-http-legacy`: the same packages with the old HTTP semantic conventions (no opt-in).
 */
export const METRICS_PROFILES = [
  'seed',
  'nestjs-requests',
  'prom-client-http',
  'otel-http',
  'otel-http-legacy',
] as const;

export type MetricsProfile = (typeof METRICS_PROFILES)[number];

export function isMetricsProfile(value: string): value is MetricsProfile {
  return (METRICS_PROFILES as readonly string[]).includes(value);
}

/** The OpenTelemetry profiles hook `http` and `express` when they are loaded: see src/instrument.ts. */
export function isOpenTelemetryProfile(profile: MetricsProfile): boolean {
  return profile === 'otel-http' || profile === 'otel-http-legacy';
}
