/**
 * The NestJS code that makes a service visible to Pulse (the seed interceptor's four metrics), shown where the
 * setup checklist finds no NestJS services and in the README ("Which instrumentation Pulse understands"; a test
 * keeps the two the same). Code, not prose: it is not translated.
 */
export const NESTJS_SNIPPET = `// npm i @willsoto/nestjs-prometheus prom-client
// metrics.interceptor.ts
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Observable, tap } from 'rxjs';

const buckets = [0.0001, 0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.09, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const labelNames = ['handler', 'controller', 'method'];
const success = new Histogram({ name: 'nestjs_success_requests', help: 'NestJS successful requests (seconds)', labelNames, buckets });
const fail = new Histogram({ name: 'nestjs_fail_requests', help: 'NestJS failed requests (seconds)', labelNames, buckets });
const failed = new Counter({ name: 'nestjs_requests_failed_count', help: 'NestJS failed requests', labelNames: [...labelNames, 'error'] });
new Gauge({ name: 'nestjs_info', help: 'NestJS service', labelNames: ['domain', 'name', 'version'] })
  .set({ domain: 'shop', name: 'shop.orders', version: process.env.APP_VERSION ?? '0.0.0' }, 1);

@Injectable()
export class MetricsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    if (request.path === '/metrics') {
      return next.handle();
    }
    const labels = { handler: context.getHandler().name, controller: context.getClass().name, method: request.method };
    const start = Date.now();
    const seconds = () => (Date.now() - start) / 1000;
    return next.handle().pipe(
      tap({
        next: () => success.observe(labels, seconds()),
        error: (e: Error) => {
          fail.observe(labels, seconds());
          failed.inc({ ...labels, error: e.constructor.name });
        },
      })
    );
  }
}

// app.module.ts: imports: [PrometheusModule.register({ path: 'metrics' })],
//                providers: [{ provide: APP_INTERCEPTOR, useClass: MetricsInterceptor }]
// Exclude the metrics path from any response-wrapping interceptor, or Prometheus cannot read it.`;
