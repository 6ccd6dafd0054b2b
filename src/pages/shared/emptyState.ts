import { t } from '@grafana/i18n';

import { profileMetricNames, type RenderContext, type Signal, type SignalParams, withDefaults } from '../../signals';

/**
 * What a panel says instead of "No data": which exporter or metric its signal reads and how to add it. Grafana
 * shows a panel's `noValue` text when its queries return nothing (stat: as the value; other panels: as the
 * message where "No data" would be).
 */
export function emptyStateText(signal: Signal, ctx: RenderContext, params: SignalParams = {}): string {
  // A question the services' instrumentation cannot answer says so, rather than that metrics are missing.
  const unavailable = signal.unavailable(withDefaults(signal.parameters, params), ctx);
  if (unavailable) {
    switch (unavailable.key) {
      case 'signals.service.unavailable.outcome':
        return t(
          'pages.empty.outcome-unavailable',
          'This instrumentation measures every request in one histogram, so the latency of successful and failed requests cannot be told apart. The panels of all requests show it.'
        );
      case 'signals.service.slo.unavailable.failures':
        return t(
          'pages.empty.failures-unavailable',
          'This instrumentation counts no failed requests (no failed counter, no status label), so availability cannot be measured: set a failed-requests counter in the data source settings.'
        );
      default:
        return unavailable.en;
    }
  }
  if (signal.failuresOnly(params)) {
    return t(
      'pages.empty.no-failures',
      'No failed requests in the time range. Where the panels of all requests are empty too, the service reports no metrics: they say what is missing.'
    );
  }
  switch (signal.family) {
    case 'service':
      if (ctx.profile.id !== 'seed') {
        return t(
          'pages.empty.service-profile',
          'No data from {{metrics}}, the metrics of the instrumentation this data source is set to. If your services are instrumented another way, choose it in the Pulse data source settings (its Save & test says which metrics it found); if a target is down, the Targets page says why.',
          { metrics: Object.values(profileMetricNames(ctx.profile)).join(', ') }
        );
      }
      return t(
        'pages.empty.service',
        'No data from {{success}}, {{fail}} or {{failed}}. These come from the NestJS request interceptor (@willsoto/nestjs-prometheus): add it to the service and let Prometheus scrape its metrics path. If the target is down, the Targets page says why.',
        { success: ctx.successHistogram, fail: ctx.failHistogram, failed: ctx.failedCounter }
      );
    case 'runtime':
      // The runtime signals join the service's targets by its identity: the profile's info metric, or its job.
      return ctx.profile.service.kind === 'info'
        ? t(
            'pages.empty.runtime',
            'No Node.js runtime metrics (process_*, nodejs_*) from a target that exports {{info}}. Pulse reads them from the prom-client default metrics: with @willsoto/nestjs-prometheus turn them on in PrometheusModule.register (defaultMetrics: {enabled: true}); otherwise call collectDefaultMetrics() of prom-client where Prometheus scrapes the service (the OpenTelemetry exporter does not export them).',
            { info: ctx.profile.service.metric }
          )
        : t(
            'pages.empty.runtime-job',
            'No Node.js runtime metrics (process_*, nodejs_*) from the targets of the service (its job). Pulse reads them from the prom-client default metrics: call collectDefaultMetrics() of prom-client in the service, on the registry Prometheus scrapes.'
          );
    case 'host':
      return t(
        'pages.empty.host',
        'No node_exporter metrics. Install node_exporter on the host (Debian: prometheus-node-exporter, port 9100) and add it to scrape_configs in prometheus.yml.'
      );
    case 'container':
      return t(
        'pages.empty.container',
        'No cAdvisor metrics. Run cAdvisor next to your containers (port 8080) and add it to scrape_configs in prometheus.yml.'
      );
    case 'postgres':
      return t(
        'pages.empty.postgres',
        'No postgres_exporter metrics. Run postgres_exporter (port 9187) with DATA_SOURCE_NAME set to your database and add it to scrape_configs in prometheus.yml.'
      );
    case 'target':
      return t(
        'pages.empty.target',
        'Prometheus reports no scrape targets here. Check scrape_configs in prometheus.yml.'
      );
  }
}

/** A stat has room for a few words; its description carries the full explanation. */
export function shortEmptyStateText(signal: Signal): string {
  switch (signal.family) {
    case 'service':
      return t('pages.empty-short.service', 'No NestJS metrics');
    case 'runtime':
      return t('pages.empty-short.runtime', 'No Node.js metrics');
    case 'host':
      return t('pages.empty-short.host', 'node_exporter missing');
    case 'container':
      return t('pages.empty-short.container', 'cAdvisor missing');
    case 'postgres':
      return t('pages.empty-short.postgres', 'postgres_exporter missing');
    case 'target':
      return t('pages.empty-short.target', 'No targets');
  }
}
