import type { IncomingMessage, ServerResponse } from 'http';

import { context, metrics } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

import type { AppConfig } from '../config';
import { isMetricsRequest } from './prometheus.interceptor';

/** What the app needs from a started OpenTelemetry setup. */
export interface OpenTelemetryMetrics {
  profile: AppConfig['profile'];
  /** Serves the Prometheus exposition (the exporter's getMetricsRequestHandler). */
  metricsHandler: (request: IncomingMessage, response: ServerResponse) => void;
  shutdown: () => Promise<void>;
}

let started: OpenTelemetryMetrics | undefined;

/**
 * The `otel-http` and `otel-http-legacy` profiles: the real OpenTelemetry JS packages, as a service
 * instrumented "the OpenTelemetry way" has them, without a collector in between.
 *
 * - `@opentelemetry/instrumentation-http` measures every incoming request (`http.server.request.duration`
 *   in seconds with the stable HTTP semantic conventions, `http.server.duration` in milliseconds with the
 *   old ones); `@opentelemetry/instrumentation-express` tells it the matched route (`http.route`), through
 *   the context that `@opentelemetry/context-async-hooks` carries across the request.
 * - The semantic conventions are chosen by OTEL_SEMCONV_STABILITY_OPT_IN, which the HTTP instrumentation
 *   reads when it is created: the profile sets it (`http` for otel-http) or removes it (otel-http-legacy).
 *   0.220.0 is the last instrumentation-http that still has the old conventions (0.221.0 dropped them).
 * - `@opentelemetry/exporter-prometheus` with preventServerStart: its request handler answers on the
 *   app's own port at METRICS_PATH (no second port). It adds `target_info` from the resource
 *   (`service.name` = `<domain>.<name>`, `service.version`, the SDK's telemetry.sdk.* attributes) and
 *   `otel_scope_name` / `otel_scope_version` labels to every series.
 * - Requests to the metrics path are not measured (ignoreIncomingRequestHook).
 *
 * The instrumentations patch `http` and `express` when those are loaded, so this must run before Nest
 * and Express are (src/main.ts and test/helpers.mjs start it first). Once per process.
 */
export function startOpenTelemetry(config: AppConfig): OpenTelemetryMetrics {
  if (started) {
    if (started.profile !== config.profile) {
      throw new Error(`OpenTelemetry runs with METRICS_PROFILE=${started.profile} in this process already`);
    }
    return started;
  }
  if (config.profile === 'otel-http') {
    process.env.OTEL_SEMCONV_STABILITY_OPT_IN = 'http';
  } else if (config.profile === 'otel-http-legacy') {
    delete process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
  } else {
    throw new Error(`METRICS_PROFILE=${config.profile} is not an OpenTelemetry profile`);
  }
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: `${config.domain}.${config.name}`,
        [ATTR_SERVICE_VERSION]: config.version,
      })
    ),
    readers: [exporter],
  });
  metrics.setGlobalMeterProvider(provider);
  registerInstrumentations({
    meterProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => isMetricsRequest(request, config.metricsPath),
      }),
      new ExpressInstrumentation(),
    ],
  });
  started = {
    profile: config.profile,
    metricsHandler: (request, response) => exporter.getMetricsRequestHandler(request, response),
    shutdown: () => provider.shutdown(),
  };
  return started;
}

/** The started setup; throws when the app was created without startOpenTelemetry first. */
export function openTelemetry(config: AppConfig): OpenTelemetryMetrics {
  if (!started || started.profile !== config.profile) {
    throw new Error(
      `METRICS_PROFILE=${config.profile}: call instrument() (src/instrument.ts) before Nest and Express are loaded`
    );
  }
  return started;
}
