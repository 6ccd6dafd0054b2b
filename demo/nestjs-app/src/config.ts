import { isMetricsProfile, METRICS_PROFILES, MetricsProfile } from './metrics/profiles';

/**
 * Service configuration, read once from the environment. One build runs as several services
 * (e.g. `shop.gateway` 1.4.2 and `shop.orders` 2.0.1) by changing only these variables.
 */
export interface AppConfig {
  /** TCP port; 3000 as in the seed. */
  port: number;
  /** Address to listen on. Defaults to 127.0.0.1; the container image sets 0.0.0.0. */
  host: string;
  /** `nestjs_info{domain}` */
  domain: string;
  /** Short service name; `nestjs_info{name}` is `<domain>.<name>`. */
  name: string;
  /** `nestjs_info{version}` */
  version: string;
  /** Path of the Prometheus endpoint, normalised to start with `/` (seed: `/api/capa-metrics`). */
  metricsPath: string;
  /** PostgreSQL connection string for the orders endpoints; empty = no database (they fail with 503). */
  databaseUrl: string;
  /**
   * Reproduces the seed's pitfall: the response-envelope interceptor wraps the metrics endpoint too,
   * so Prometheus receives JSON instead of the text exposition format and the scrape fails.
   */
  wrapMetrics: boolean;
  /** Multiplies every simulated latency (1 = as designed); lets tests run fast. */
  latencyScale: number;
  /** How the controllers are instrumented (METRICS_PROFILE, default `seed`): see src/metrics/profiles.ts. */
  profile: MetricsProfile;
}

function truthy(value: string | undefined): boolean {
  return ['1', 'true', 'yes', 'on'].includes((value ?? '').trim().toLowerCase());
}

export function normalizePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  if (trimmed === '') {
    return '/metrics';
  }
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a TCP port, got ${env.PORT}`);
  }
  const latencyScale = Number(env.LATENCY_SCALE ?? '1');
  if (!Number.isFinite(latencyScale) || latencyScale < 0) {
    throw new Error(`LATENCY_SCALE must be a number >= 0, got ${env.LATENCY_SCALE}`);
  }
  const profile = (env.METRICS_PROFILE ?? '').trim() || 'seed';
  if (!isMetricsProfile(profile)) {
    throw new Error(`METRICS_PROFILE must be one of ${METRICS_PROFILES.join(', ')}, got ${env.METRICS_PROFILE}`);
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    domain: env.SERVICE_DOMAIN ?? 'shop',
    name: env.SERVICE_NAME ?? 'gateway',
    version: env.SERVICE_VERSION ?? '0.0.0',
    metricsPath: normalizePath(env.METRICS_PATH ?? '/metrics'),
    databaseUrl: env.DATABASE_URL ?? '',
    wrapMetrics: truthy(env.WRAP_METRICS),
    latencyScale,
    profile,
  };
}

/** Nest injection token of the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
