import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request } from 'express';
import { Observable, defaultIfEmpty, map } from 'rxjs';

/** The app's standard response body, like the seed's `ResponseObj`. */
export interface Envelope<T> {
  code: number;
  success: boolean;
  data: T;
  timestamp: string;
}

/**
 * The seed's ResponseInterceptor: every handler result is wrapped in `{code, success, data, timestamp}`.
 * The metrics endpoint must be left alone, or Prometheus receives JSON instead of its text format and
 * the scrape fails — the pitfall of the seed. `wrapMetrics` deliberately re-creates that mistake.
 */
@Injectable()
export class ResponseInterceptor implements NestInterceptor {
  constructor(
    private readonly metricsPath: string,
    private readonly wrapMetrics = false
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const path = (request.path ?? request.url.split('?')[0]).replace(/\/+$/, '');
    const excluded = !this.wrapMetrics && path === this.metricsPath;
    // The status Nest will send (it is set on the response only after the interceptors ran).
    const code =
      (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ??
      (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    return next.handle().pipe(
      defaultIfEmpty(null),
      map((result): unknown => {
        if (excluded) {
          return result;
        }
        const envelope: Envelope<unknown> = {
          code,
          success: true,
          data: result ?? null,
          timestamp: new Date().toISOString(),
        };
        return envelope;
      })
    );
  }
}
