/**
 * Instrumentation profiles: how a team's NestJS services are measured, as data. A profile says which metrics and
 * labels answer "requests", "failed requests", "latency", "operation" (controller/handler or route, method),
 * "error class", "service" and "version". Every service signal (and through them the pages and alert templates)
 * renders from the data source's profile, so none special-cases one instrumentation's metric names.
 *
 * Whatever the profile, a rendered query's series carry Pulse's role labels: `name` (service), `version`,
 * `controller`, `handler`, `method`, `error`, `outcome`, `instance`. Where a profile's label has another name
 * (`http_route`), the query copies it under the role's name (`label_replace`), so legends, table columns and
 * drill-down links read the same for every profile.
 */
import { msg } from './messages';
import type { Message } from './types';

export type ProfileId = 'seed' | 'nestjs-requests' | 'prom-client-http' | 'otel-http' | 'otel-http-legacy';

export const PROFILE_IDS: readonly ProfileId[] = [
  'seed',
  'nestjs-requests',
  'prom-client-http',
  'otel-http',
  'otel-http-legacy',
];

/** The profile of a data source set to no one profile, and of the code that needs one (the seed's). */
export const DEFAULT_PROFILE: ProfileId = 'seed';

/**
 * The settings' choice: one profile, or `auto` (the default): every profile at once, so each service is read
 * with the one its own metrics match (see resolveProfiles).
 */
export type ProfileChoice = ProfileId | 'auto';

export const AUTO_PROFILE = 'auto';

/** The choice of a data source's settings; an absent or unknown one is auto. */
export function profileChoice(id: unknown): ProfileChoice {
  return isProfileId(id) ? id : AUTO_PROFILE;
}

/** What a label of a request series means to Pulse. */
export type OperationRole = 'controller' | 'handler' | 'method';

export const OPERATION_ROLES: readonly OperationRole[] = ['controller', 'handler', 'method'];

/**
 * How requests and their outcome are measured.
 * - `by-outcome`: one histogram per outcome (the seed's interceptor: success and fail).
 * - `one-histogram`: one histogram of every request; failures are counted by the failed counter only, so the
 *   latency of successful and failed requests cannot be told apart.
 * - `by-status`: one histogram of every request with the HTTP status as a label; failed = status matching
 *   `failedStatus` (a regular expression, `5..` by default).
 */
export type RequestShape =
  | { kind: 'by-outcome'; success: string; fail: string }
  | { kind: 'one-histogram'; histogram: string }
  | { kind: 'by-status'; histogram: string; statusLabel: string; failedStatus: string; unitSuffix?: string };

/** A counter of failed requests with the error class as a label (the NestJS interceptors' `error`). */
export interface FailedCounter {
  metric: string;
  errorLabel: string;
}

/**
 * Which service a request series belongs to.
 * - `info`: an info gauge on the same target (`nestjs_info{name, version}`, OpenTelemetry's
 *   `target_info{service_name, service_version}`), joined on `instance, job`.
 * - `job`: the Prometheus job is the service; the version, when known, comes from an info gauge on the target.
 */
export type ServiceIdentity =
  | { kind: 'info'; metric: string; nameLabel: string; versionLabel: string }
  | { kind: 'job'; versionInfo?: { metric: string; versionLabel: string } };

export interface InstrumentationProfile {
  id: ProfileId;
  title: Message;
  description: Message;
  requests: RequestShape;
  failedCounter?: FailedCounter;
  /** Seconds per unit of the latency histogram: 1, or 0.001 for a histogram in milliseconds. */
  latencyUnit: number;
  /** The profile's label for each operation role; a role it does not have is absent. */
  labels: Partial<Record<OperationRole, string>>;
  service: ServiceIdentity;
}

/**
 * The series of a request histogram (`_bucket`, `_count`, `_sum`) as a selector. OpenTelemetry's own Prometheus
 * exporter names a histogram without its unit (`http_server_request_duration_bucket`), the Collector and
 * Prometheus' OTLP receiver with it (`http_server_request_duration_seconds_bucket`): a profile with a `unitSuffix`
 * matches both, `{__name__=~"http_server_request_duration(_seconds)?_bucket"}`. A renamed histogram is matched
 * exactly.
 */
export function histogramSelectorParts(
  requests: RequestShape,
  histogram: string,
  suffix: string
): { metric: string } | { namePattern: string } {
  const unit = requests.kind === 'by-status' ? requests.unitSuffix : undefined;
  if (!unit || !histogram.endsWith(unit)) {
    return { metric: histogram + suffix };
  }
  return { namePattern: `${histogram.slice(0, -unit.length)}(${unit})?${suffix}` };
}

/** The metric names a user can change in the data source settings, per profile. */
export interface ProfileMetricNames {
  successHistogram?: string;
  failHistogram?: string;
  failedCounter?: string;
  info?: string;
  histogram?: string;
}

const m = (key: string, en: string): Message => msg(`signals.profiles.${key}`, en);

/** The profiles with their default metric names. */
export const PROFILES: Record<ProfileId, InstrumentationProfile> = {
  seed: {
    id: 'seed',
    title: m('seed.title', 'NestJS interceptor: success and fail histograms'),
    description: m(
      'seed.description',
      'nestjs_success_requests and nestjs_fail_requests histograms (handler, controller, method), nestjs_requests_failed_count (error) and nestjs_info (name, version), as the global interceptor of the original stack registers them.'
    ),
    requests: { kind: 'by-outcome', success: 'nestjs_success_requests', fail: 'nestjs_fail_requests' },
    failedCounter: { metric: 'nestjs_requests_failed_count', errorLabel: 'error' },
    latencyUnit: 1,
    labels: { controller: 'controller', handler: 'handler', method: 'method' },
    service: { kind: 'info', metric: 'nestjs_info', nameLabel: 'name', versionLabel: 'version' },
  },
  'nestjs-requests': {
    id: 'nestjs-requests',
    title: m('nestjs-requests.title', 'NestJS interceptor: one request histogram'),
    description: m(
      'nestjs-requests.description',
      'One nestjs_requests histogram of every request (handler, controller), nestjs_requests_failed_count (error) and nestjs_info (name, version). The latency of failed requests is not told apart.'
    ),
    requests: { kind: 'one-histogram', histogram: 'nestjs_requests' },
    failedCounter: { metric: 'nestjs_requests_failed_count', errorLabel: 'error' },
    latencyUnit: 1,
    labels: { controller: 'controller', handler: 'handler' },
    service: { kind: 'info', metric: 'nestjs_info', nameLabel: 'name', versionLabel: 'version' },
  },
  'prom-client-http': {
    id: 'prom-client-http',
    title: m('prom-client-http.title', 'prom-client HTTP metrics'),
    description: m(
      'prom-client-http.description',
      'http_request_duration_seconds histogram (method, route, status_code), as prom-client HTTP middlewares export it; the service is the Prometheus job, its version from app_info (version) when present. Failed means a 5xx status.'
    ),
    requests: {
      kind: 'by-status',
      histogram: 'http_request_duration_seconds',
      statusLabel: 'status_code',
      failedStatus: '5..',
    },
    latencyUnit: 1,
    labels: { handler: 'route', method: 'method' },
    service: { kind: 'job', versionInfo: { metric: 'app_info', versionLabel: 'version' } },
  },
  'otel-http': {
    id: 'otel-http',
    title: m('otel-http.title', 'OpenTelemetry HTTP metrics'),
    description: m(
      'otel-http.description',
      'http_server_request_duration_seconds histogram (http_request_method, http_route, http_response_status_code) from the OpenTelemetry Prometheus exporter; service and version from target_info (service_name, service_version). Failed means a 5xx status.'
    ),
    requests: {
      kind: 'by-status',
      histogram: 'http_server_request_duration_seconds',
      statusLabel: 'http_response_status_code',
      failedStatus: '5..',
      unitSuffix: '_seconds',
    },
    latencyUnit: 1,
    labels: { handler: 'http_route', method: 'http_request_method' },
    service: { kind: 'info', metric: 'target_info', nameLabel: 'service_name', versionLabel: 'service_version' },
  },
  'otel-http-legacy': {
    id: 'otel-http-legacy',
    title: m('otel-http-legacy.title', 'OpenTelemetry HTTP metrics (older SDKs)'),
    description: m(
      'otel-http-legacy.description',
      'http_server_duration_milliseconds histogram (http_method, http_route, http_status_code) of OpenTelemetry SDKs before the stable HTTP conventions; service and version from target_info. Latencies are converted from milliseconds.'
    ),
    requests: {
      kind: 'by-status',
      histogram: 'http_server_duration_milliseconds',
      statusLabel: 'http_status_code',
      failedStatus: '5..',
      unitSuffix: '_milliseconds',
    },
    latencyUnit: 0.001,
    labels: { handler: 'http_route', method: 'http_method' },
    service: { kind: 'info', metric: 'target_info', nameLabel: 'service_name', versionLabel: 'service_version' },
  },
};

export function isProfileId(id: unknown): id is ProfileId {
  return typeof id === 'string' && (PROFILE_IDS as readonly string[]).includes(id);
}

/** The profile with the data source's metric names in place of the defaults (an empty name keeps the default). */
export function resolveProfile(id: ProfileId | undefined, names: ProfileMetricNames = {}): InstrumentationProfile {
  const base = PROFILES[isProfileId(id) ? id : DEFAULT_PROFILE];
  const pick = (name: string | undefined, fallback: string) => name?.trim() || fallback;
  const requests: RequestShape =
    base.requests.kind === 'by-outcome'
      ? {
          ...base.requests,
          success: pick(names.successHistogram, base.requests.success),
          fail: pick(names.failHistogram, base.requests.fail),
        }
      : base.requests.kind === 'by-status' && names.histogram?.trim()
        ? // A renamed histogram is the name the user typed, with or without its unit: nothing to guess.
          { ...base.requests, histogram: names.histogram.trim(), unitSuffix: undefined }
        : { ...base.requests, histogram: pick(names.histogram, base.requests.histogram) };
  const service: ServiceIdentity =
    base.service.kind === 'info'
      ? { ...base.service, metric: pick(names.info, base.service.metric) }
      : base.service.versionInfo
        ? {
            ...base.service,
            versionInfo: { ...base.service.versionInfo, metric: pick(names.info, base.service.versionInfo.metric) },
          }
        : base.service;
  return {
    ...base,
    requests,
    service,
    failedCounter: base.failedCounter && {
      ...base.failedCounter,
      metric: pick(names.failedCounter, base.failedCounter.metric),
    },
  };
}

/** The metric names a profile uses, by the settings key that renames each (for the settings page and the health check). */
export function profileMetricNames(p: InstrumentationProfile): ProfileMetricNames {
  const out: ProfileMetricNames = {};
  if (p.requests.kind === 'by-outcome') {
    out.successHistogram = p.requests.success;
    out.failHistogram = p.requests.fail;
  } else {
    out.histogram = p.requests.histogram;
  }
  if (p.failedCounter) {
    out.failedCounter = p.failedCounter.metric;
  }
  if (p.service.kind === 'info') {
    out.info = p.service.metric;
  } else if (p.service.versionInfo) {
    out.info = p.service.versionInfo.metric;
  }
  return out;
}

/**
 * The profiles a data source reads services with: its chosen profile, or with auto every profile. With auto the
 * settings' names are the NestJS interceptors' (the seed's four; the one-histogram interceptor shares the failed
 * counter and the info gauge); the HTTP profiles keep the names their libraries fix. Mirrors
 * discovery.ProfilesOf.
 */
export function resolveProfiles(choice: ProfileChoice, names: ProfileMetricNames = {}): InstrumentationProfile[] {
  if (choice !== AUTO_PROFILE) {
    return [resolveProfile(choice, names)];
  }
  const nestNames = { ...names, histogram: undefined };
  return PROFILE_IDS.map((id) => {
    const { service } = PROFILES[id];
    return resolveProfile(id, service.kind === 'info' && service.metric === 'nestjs_info' ? nestNames : {});
  });
}
