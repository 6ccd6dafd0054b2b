import 'reflect-metadata';

import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module';
import { ErrorEnvelopeFilter } from './common/error-envelope.filter';
import { ResponseInterceptor } from './common/response.interceptor';
import { AppConfig } from './config';
import { PrometheusInterceptor } from './metrics/prometheus.interceptor';

/** Creates the application as in the seed's main.ts (CORS, response envelope, Prometheus interceptor). */
export async function createApp(
  config: AppConfig,
  logger: LogLevel[] | false = ['log', 'warn', 'error']
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config), { logger });
  app.enableCors({ origin: '*', methods: '*', allowedHeaders: '*' });
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  // Outer first: the envelope wraps what the Prometheus interceptor passes through untouched.
  app.useGlobalInterceptors(new ResponseInterceptor(config.metricsPath, config.wrapMetrics));
  app.useGlobalInterceptors(
    PrometheusInterceptor.registerServiceInfo(
      { domain: config.domain, name: config.name, version: config.version },
      config.metricsPath
    )
  );
  app.enableShutdownHooks();
  return app;
}
