import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import type { BuilderQuery } from '../promql/builder';

/**
 * The query model: a superset of Grafana's Prometheus query JSON, so a panel can move between the core
 * Prometheus data source and Pulse. The Go backend mirrors these fields and literals (pkg/query).
 */
export type QueryFormat = 'time_series' | 'table' | 'heatmap';
export type EditorMode = 'guided' | 'builder' | 'code';

export interface PulseQuery extends DataQuery {
  /** PromQL the backend executes. */
  expr: string;
  range?: boolean;
  instant?: boolean;
  format?: QueryFormat;
  /** Legend template, e.g. `{{controller}} {{method}}`. */
  legendFormat?: string;
  /** Min step, e.g. `30s`; may reference variables. */
  interval?: string;
  intervalFactor?: number;
  exemplar?: boolean;
  editorMode?: EditorMode;
  /** The Guided editor's state: a signal of the catalog (src/signals) and its parameters. */
  guided?: GuidedQuery;
  /** The Builder editor's state (src/promql/builder.ts). */
  builder?: BuilderQuery;
}

export type GuidedParamValue = string | number | string[];

export interface GuidedQuery {
  /** A signal id, e.g. `service.latency.quantile`. */
  signalId: string;
  params: Record<string, GuidedParamValue>;
}

export const DEFAULT_QUERY: Partial<PulseQuery> = {
  expr: '',
  range: true,
  instant: false,
  format: 'time_series',
  exemplar: false,
  editorMode: 'guided',
};

export type HttpMethod = 'GET' | 'POST';

/**
 * The services' instrumentation (jsonData.metrics): its profile (src/signals/profiles.ts; the seed interceptor's
 * when absent) and the names of the metrics it exports; users can rename each (DESIGN §1).
 */
export interface NestMetricNames {
  /** An instrumentation profile id: `seed`, `nestjs-requests`, `prom-client-http`, `otel-http`, `otel-http-legacy`. */
  profile?: string;
  successHistogram?: string;
  failHistogram?: string;
  failedCounter?: string;
  info?: string;
  /** The request histogram of a profile with one (every profile but the seed's). */
  histogram?: string;
}

export const DEFAULT_METRIC_NAMES: Required<Omit<NestMetricNames, 'profile' | 'histogram'>> = {
  successHistogram: 'nestjs_success_requests',
  failHistogram: 'nestjs_fail_requests',
  failedCounter: 'nestjs_requests_failed_count',
  info: 'nestjs_info',
};

export const DEFAULT_HTTP_METHOD: HttpMethod = 'POST';

/** The backend's defaults of the memory bounds (pkg/models/settings.go). */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 8;
export const DEFAULT_MAX_RESPONSE_SIZE_MB = 64;

/**
 * jsonData. Besides our own keys it holds the plugin SDK's standard HTTP keys (TLS, custom headers, timeout),
 * which the backend reads through `settings.HTTPClientOptions`. Never holds a secret.
 */
export interface PulseDataSourceOptions extends DataSourceJsonData {
  httpMethod?: HttpMethod;
  /** Prometheus scrape interval, e.g. `15s`; lower bound for the step. */
  timeInterval?: string;
  /** Prometheus query timeout, e.g. `60s`. */
  queryTimeout?: string;
  /** Thanos Query may answer with the data of the stores it reached when one is down (default true). */
  partialResponse?: boolean;
  metrics?: NestMetricNames;
  /** TLS client authentication (client certificate and key). */
  tlsAuth?: boolean;
  tlsAuthWithCACert?: boolean;
  tlsSkipVerify?: boolean;
  serverName?: string;
  /** HTTP timeout in seconds. */
  timeout?: number;
  /** Requests to Prometheus in flight at once for this data source, across all callers (default 8). */
  maxConcurrentRequests?: number;
  /** Largest answer in MB when Grafana's [dataproxy] response_limit is not set (default 64); Grafana's wins. */
  maxResponseSizeMB?: number;
  [customHeaderName: `httpHeaderName${number}`]: string | undefined;
}

/** secureJsonData: write-only from the browser; Grafana only reports which keys are set (secureJsonFields). */
export interface PulseSecureJsonData {
  basicAuthPassword?: string;
  bearerToken?: string;
  tlsCACert?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
  [customHeaderValue: `httpHeaderValue${number}`]: string | undefined;
}
