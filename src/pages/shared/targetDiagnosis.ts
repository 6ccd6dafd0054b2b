import { t } from '@grafana/i18n';

import type { TargetDiagnosis } from '../../datasource/catalog';

/**
 * The backend's diagnosis of a failing scrape, in the user's language. The kinds are those of
 * pkg/discovery/targets.go (Diagnose); a kind this version does not know keeps the backend's English hint.
 */
export function diagnosisHint(diagnosis: TargetDiagnosis): string {
  switch (diagnosis.kind) {
    case 'json_body':
      return t(
        'pages.targets.diagnosis.json-body',
        'The metrics endpoint returns JSON, not the Prometheus text format: a global response interceptor (e.g. a NestJS response wrapper) wraps it. Exclude the metrics path from that interceptor.'
      );
    case 'html_body':
      return t(
        'pages.targets.diagnosis.html-body',
        'The metrics endpoint returns an HTML page: the path points at a web page (or a login redirect) instead of the metrics. Check metrics_path in the scrape job.'
      );
    case 'not_found':
      return t(
        'pages.targets.diagnosis.not-found',
        'The metrics path does not exist on the target (HTTP 404). Check metrics_path in the scrape job; NestJS apps often serve it under a global prefix, e.g. /api/metrics.'
      );
    case 'auth':
      return t(
        'pages.targets.diagnosis.auth',
        'The target refuses the scrape (HTTP 401/403). Configure basic_auth, authorization or TLS client certificates in the scrape job.'
      );
    case 'timeout':
      return t(
        'pages.targets.diagnosis.timeout',
        'The target did not answer within scrape_timeout: the app is overloaded or the endpoint is slow. Raise scrape_timeout or look at the app event loop.'
      );
    case 'refused':
      return t(
        'pages.targets.diagnosis.refused',
        'Nothing listens at the target address: the process is down, or listens on another port or interface (e.g. only on 127.0.0.1 inside a container).'
      );
    case 'dns':
      return t(
        'pages.targets.diagnosis.dns',
        'The target host name does not resolve from Prometheus. Check the name (inside Docker, use the service name).'
      );
    case 'tls':
      return t(
        'pages.targets.diagnosis.tls',
        'The TLS handshake with the target failed. Check tls_config in the scrape job (CA, server name) or use http://.'
      );
    case 'limit':
      return t(
        'pages.targets.diagnosis.limit',
        'The scrape exceeded a limit of the scrape job (body size, sample or label limit). Raise it, or drop high-cardinality metrics at the source.'
      );
    case 'bad_format':
      return t(
        'pages.targets.diagnosis.bad-format',
        'The target metrics are not valid Prometheus text format. Check what the endpoint returns (curl it): a proxy or middleware may rewrite it.'
      );
    case 'down':
      return t(
        'pages.targets.diagnosis.down',
        'The target is down but Prometheus reported no error yet: wait for the next scrape.'
      );
    default:
      return diagnosis.hint;
  }
}
