import 'reflect-metadata';

import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module';
import { ErrorEnvelopeFilter } from './common/error-envelope.filter';
import { ResponseInterceptor } from './common/response.interceptor';
import { AppConfig } from './config';
import { httpMetricsMiddleware } from './metrics/http-middleware';
import { PrometheusInterceptor } from './metrics/prometheus.interceptor';
import { RequestsInterceptor } from './metrics/requests.interceptor';

/**
 * Creates the application as in the seed's main.ts (CORS, response envelope, Prometheus interceptor),
 * instrumented as config.profile says. For the OpenTelemetry profiles, instrument(config)
 * (src/instrument.ts) must have run before this module was loaded.
 */
export async function createApp(
  config: AppConfig,
  logger: LogLevel[] | false = ['log', 'warn', 'error']
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config), { logger });
  app.enableCors({ origin: '*', methods: '*', allowedHeaders: '*' });
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  // Outer first: the envelope wraps what the Prometheus interceptor passes through untouched.
  app.useGlobalInterceptors(new ResponseInterceptor(config.metricsPath, config.wrapMetrics));
  const service = { domain: config.domain, name: config.name, version: config.version };
  switch (config.profile) {
    case 'seed':
      app.useGlobalInterceptors(PrometheusInterceptor.registerServiceInfo(service, config.metricsPath));
      break;
    case 'nestjs-requests':
      app.useGlobalInterceptors(RequestsInterceptor.registerServiceInfo(service, config.metricsPath));
      break;
    case 'prom-client-http':
      // Express middleware, registered before Nest adds its routes (at listen).
      app.use(httpMetricsMiddleware(config.metricsPath, config.version));
      break;
    case 'otel-http':
    case 'otel-http-legacy': {
      // The exporter's handler on the app's port, as a plain Express route ahead of Nest's routes (so
      // neither the envelope nor WRAP_METRICS applies to it).
      const { openTelemetry } = await import('./metrics/otel');
      const otel = openTelemetry(config);
      app.getHttpAdapter().get(config.metricsPath, otel.metricsHandler);
      break;
    }
  }
  app.enableShutdownHooks();
  return app;
}
