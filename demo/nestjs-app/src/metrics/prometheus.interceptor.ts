import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Counter, Gauge, Histogram, register } from 'prom-client';
import { Observable, tap } from 'rxjs';

/** The seed's buckets (seconds). */
export const LATENCY_BUCKETS = [0.0001, 0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.09, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type RequestLabels = 'handler' | 'controller' | 'method';

/** Returns the metric already in the default registry, or creates it (a second app in one process reuses it). */
export function getOrCreate<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export interface ServiceInfo {
  domain: string;
  name: string;
  version: string;
}

/**
 * The seed's PrometheusInterceptor, registered globally in main.ts. It only observes: the handler's
 * stream passes through unchanged (values and errors), so the request flow is not disturbed.
 *
 * - `nestjs_success_requests` is observed when the handler emits,
 * - `nestjs_fail_requests` and `nestjs_requests_failed_count` when it throws; unlike the seed, the
 *   counter's `error` label is set, to the exception's class name (NotFoundException, ...).
 * - Requests to the metrics path are not measured (the seed skipped every URL containing "metrics";
 *   here only the configured path is skipped).
 */
@Injectable()
export class PrometheusInterceptor implements NestInterceptor {
  private readonly requestSuccessHistogram = getOrCreate(
    'nestjs_success_requests',
    () =>
      new Histogram<RequestLabels>({
        name: 'nestjs_success_requests',
        help: 'NestJs success requests - duration in seconds',
        labelNames: ['handler', 'controller', 'method'],
        buckets: LATENCY_BUCKETS,
      })
  );

  private readonly requestFailHistogram = getOrCreate(
    'nestjs_fail_requests',
    () =>
      new Histogram<RequestLabels>({
        name: 'nestjs_fail_requests',
        help: 'NestJs fail requests - duration in seconds',
        labelNames: ['handler', 'controller', 'method'],
        buckets: LATENCY_BUCKETS,
      })
  );

  private readonly failureCounter = getOrCreate(
    'nestjs_requests_failed_count',
    () =>
      new Counter<RequestLabels | 'error'>({
        name: 'nestjs_requests_failed_count',
        help: 'NestJs requests that failed',
        labelNames: ['handler', 'controller', 'error', 'method'],
      })
  );

  constructor(private readonly metricsPath: string) {}

  /** Sets `nestjs_info{domain, name="<domain>.<name>", version} 1` and returns the interceptor. */
  static registerServiceInfo(serviceInfo: ServiceInfo, metricsPath: string): PrometheusInterceptor {
    registerNestjsInfo(serviceInfo);
    return new PrometheusInterceptor(metricsPath);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    const request = context.switchToHttp().getRequest<Request>();
    if (isMetricsRequest(request, this.metricsPath)) {
      return next.handle();
    }
    const labels = {
      controller: context.getClass().name,
      handler: context.getHandler().name,
      method: request.method,
    };
    const stopSuccessTimer = this.requestSuccessHistogram.startTimer(labels);
    const stopFailTimer = this.requestFailHistogram.startTimer(labels);
    return next.handle().pipe(
      tap({
        next: () => {
          stopSuccessTimer();
        },
        error: (error: unknown) => {
          stopFailTimer();
          this.failureCounter.inc({ ...labels, error: errorName(error) });
        },
      })
    );
  }
}

/** Sets `nestjs_info{domain, name="<domain>.<name>", version} 1` (the seed and nestjs-requests profiles). */
export function registerNestjsInfo(serviceInfo: ServiceInfo): void {
  const info = getOrCreate(
    'nestjs_info',
    () =>
      new Gauge<'domain' | 'name' | 'version'>({
        name: 'nestjs_info',
        help: 'NestJs service version info',
        labelNames: ['domain', 'name', 'version'],
      })
  );
  info.set(
    { domain: serviceInfo.domain, name: `${serviceInfo.domain}.${serviceInfo.name}`, version: serviceInfo.version },
    1
  );
}

/** Whether the request is for the metrics endpoint (which no profile measures). */
export function isMetricsRequest(request: { path?: string; url?: string }, metricsPath: string): boolean {
  const path = (request.path ?? (request.url ?? '').split('?')[0]).replace(/\/+$/, '');
  return path === metricsPath;
}

/** The exception's class name, e.g. NotFoundException or PaymentDeclinedError. */
export function errorName(error: unknown): string {
  if (error instanceof Error) {
    const ctor = (error as { constructor?: { name?: string } }).constructor?.name;
    return ctor && ctor !== 'Object' ? ctor : error.name || 'Error';
  }
  return typeof error;
}
