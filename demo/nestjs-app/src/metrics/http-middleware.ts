import type { NextFunction, Request, Response } from 'express';
import { Gauge, Histogram } from 'prom-client';

import { getOrCreate, isMetricsRequest } from './prometheus.interceptor';

/** The route label of a request that matched no route (Nest's 404): never the raw URL. */
export const UNMATCHED_ROUTE = 'unmatched';

type HttpLabels = 'method' | 'route' | 'status_code';

/**
 * The `prom-client-http` profile: the HTTP middleware most Express (and Nest-on-Express) services write
 * with prom-client, as in prom-client's own examples.
 *
 * - `http_request_duration_seconds` histogram, prom-client's default buckets (0.005 … 10 s), labels
 *   `method`, `route` (the route pattern Express matched, e.g. `/orders/:id`; `unmatched` when none did)
 *   and `status_code` (the status actually sent, after the error filter: 404, 402, 503, 500, ...). It is
 *   observed when the response has been written (`finish`), so failures are only visible by status code.
 * - `app_info{version} 1`: the common build/app info gauge. Nothing in these metrics names the service:
 *   its identity is the Prometheus `job` label (one job per service; see internal/stack).
 * - Requests to the metrics path are not measured.
 */
export function httpMetricsMiddleware(
  metricsPath: string,
  version: string
): (req: Request, res: Response, next: NextFunction) => void {
  const histogram = getOrCreate(
    'http_request_duration_seconds',
    () =>
      new Histogram<HttpLabels>({
        name: 'http_request_duration_seconds',
        help: 'Duration of HTTP requests in seconds',
        labelNames: ['method', 'route', 'status_code'],
      })
  );
  const info = getOrCreate(
    'app_info',
    () => new Gauge<'version'>({ name: 'app_info', help: 'Application build information', labelNames: ['version'] })
  );
  info.set({ version }, 1);

  return (req, res, next) => {
    if (isMetricsRequest(req, metricsPath)) {
      next();
      return;
    }
    const stopTimer = histogram.startTimer();
    res.once('finish', () => {
      stopTimer({ method: req.method, route: routePattern(req), status_code: String(res.statusCode) });
    });
    next();
  };
}

/** The matched route's pattern (`req.baseUrl` + `req.route.path`, e.g. `/products/:id`). */
export function routePattern(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') {
    return UNMATCHED_ROUTE;
  }
  return `${req.baseUrl ?? ''}${path}` || '/';
}
