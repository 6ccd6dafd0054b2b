import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Counter, Histogram } from 'prom-client';
import { Observable, tap } from 'rxjs';

import {
  errorName,
  getOrCreate,
  isMetricsRequest,
  LATENCY_BUCKETS,
  registerNestjsInfo,
  ServiceInfo,
} from './prometheus.interceptor';

type RequestLabels = 'handler' | 'controller';

/**
 * The `nestjs-requests` profile: the single-histogram interceptor of nestjs-prometheus-requests
 * (github.com/raphaabreu/nestjs-prometheus-requests), which the seed cites as its model.
 *
 * - `nestjs_requests` histogram (seconds, the seed's buckets), labels `handler, controller`, observed for
 *   every request, whether the handler emits or throws: request rate is its `_count`, and there is no
 *   `method` label.
 * - `nestjs_requests_failed_count` counter, labels `handler, controller, error` (the exception's class).
 * - `nestjs_info{domain, name, version}` as in the seed.
 * - Requests to the metrics path are not measured (the original measures everything).
 */
@Injectable()
export class RequestsInterceptor implements NestInterceptor {
  private readonly histogram = getOrCreate(
    'nestjs_requests',
    () =>
      new Histogram<RequestLabels>({
        name: 'nestjs_requests',
        help: 'NestJs requests - duration in seconds',
        labelNames: ['handler', 'controller'],
        buckets: LATENCY_BUCKETS,
      })
  );

  private readonly failureCounter = getOrCreate(
    'nestjs_requests_failed_count',
    () =>
      new Counter<RequestLabels | 'error'>({
        name: 'nestjs_requests_failed_count',
        help: 'NestJs requests that failed',
        labelNames: ['handler', 'controller', 'error'],
      })
  );

  constructor(private readonly metricsPath: string) {}

  /** Sets `nestjs_info` and returns the interceptor, as the original's registerServiceInfo does. */
  static registerServiceInfo(serviceInfo: ServiceInfo, metricsPath: string): RequestsInterceptor {
    registerNestjsInfo(serviceInfo);
    return new RequestsInterceptor(metricsPath);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    if (isMetricsRequest(context.switchToHttp().getRequest<Request>(), this.metricsPath)) {
      return next.handle();
    }
    const labels = { controller: context.getClass().name, handler: context.getHandler().name };
    const stopTimer = this.histogram.startTimer(labels);
    return next.handle().pipe(
      tap({
        next: () => {
          stopTimer();
        },
        error: (error: unknown) => {
          stopTimer();
          this.failureCounter.inc({ ...labels, error: errorName(error) });
        },
      })
    );
  }
}
