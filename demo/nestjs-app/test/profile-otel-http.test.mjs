// METRICS_PROFILE=otel-http: OpenTelemetry's HTTP + Express instrumentations, stable HTTP semantic
// conventions, served by the OpenTelemetry Prometheus exporter on the app's port.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { EXERCISE_STATUSES, exercise, labelNames, parseSamples, samplesOf, startApp } from './helpers.mjs';

// The advice buckets of instrumentation-http for http.server.request.duration (seconds).
const BUCKETS = [
  '0.005',
  '0.01',
  '0.025',
  '0.05',
  '0.075',
  '0.1',
  '0.25',
  '0.5',
  '0.75',
  '1',
  '2.5',
  '5',
  '7.5',
  '10',
  '+Inf',
];
const SCOPE = { otel_scope_name: '@opentelemetry/instrumentation-http', otel_scope_version: '0.220.0' };

let app;
let result;
let samples;

before(async () => {
  process.env.OTEL_SEMCONV_STABILITY_OPT_IN = 'http/dup'; // the profile decides, not the environment
  app = await startApp({
    METRICS_PROFILE: 'otel-http',
    SERVICE_NAME: 'users',
    SERVICE_VERSION: '0.9.3',
    METRICS_PATH: '/api/capa-metrics',
  });
  result = await exercise(app, '/api/capa-metrics');
  samples = parseSamples(result.metrics.text);
});
after(() => app?.close());

test('the requests get their usual answers; the exporter answers on the app port at METRICS_PATH', () => {
  assert.deepEqual(result.statuses, EXERCISE_STATUSES);
  assert.equal(result.metrics.status, 200);
  assert.match(result.metrics.type, /^text\/plain/);
});

test('http_server_request_duration (seconds, no unit suffix) {http_request_method, http_route, http_response_status_code, ...}', () => {
  assert.match(result.metrics.text, /^# TYPE http_server_request_duration histogram$/m);
  assert.match(result.metrics.text, /^# UNIT http_server_request_duration s$/m);
  const counts = samplesOf(samples, 'http_server_request_duration_count');
  assert.deepEqual(
    counts
      .map(
        (s) =>
          `${s.labels.http_request_method} ${s.labels.http_route ?? '-'} ${s.labels.http_response_status_code} ${s.value}`
      )
      .sort(),
    [
      'GET - 404 1', // no route matched: no http_route
      'GET /orders 503 1',
      'GET /products/:id 200 1',
      'GET /products/:id 404 1',
      'POST /payments 402 1',
      'POST /users 400 1',
    ]
  );
  for (const s of counts) {
    const names = [
      'http_request_method',
      'http_response_status_code',
      'network_protocol_version',
      'otel_scope_name',
      'otel_scope_version',
      'url_scheme',
    ];
    if (s.labels.http_route) names.push('http_route');
    assert.deepEqual(labelNames(s), names.sort());
    assert.deepEqual(
      [s.labels.otel_scope_name, s.labels.otel_scope_version, s.labels.url_scheme],
      [SCOPE.otel_scope_name, SCOPE.otel_scope_version, 'http']
    );
  }
  const buckets = samplesOf(samples, 'http_server_request_duration_bucket', {
    http_route: '/products/:id',
    http_response_status_code: '200',
  });
  assert.deepEqual(
    buckets.map((s) => s.labels.le),
    BUCKETS
  );
  assert.ok(!samples.some((s) => s.name.startsWith('http_server_duration')), 'not the old conventions too');
});

test('target_info carries the resource: service_name <domain>.<name>, service_version, telemetry_sdk_*', () => {
  assert.deepEqual(
    samplesOf(samples, 'target_info').map((s) => [s.labels, s.value]),
    [
      [
        {
          service_name: 'shop.users',
          service_version: '0.9.3',
          telemetry_sdk_language: 'nodejs',
          telemetry_sdk_name: 'opentelemetry',
          telemetry_sdk_version: '2.9.0',
        },
        1,
      ],
    ]
  );
});

test('only OpenTelemetry metrics; the metrics path is not measured', () => {
  assert.deepEqual([...new Set(samples.map((s) => s.name.replace(/_(bucket|count|sum)$/, '')))].sort(), [
    'http_server_request_duration',
    'target_info',
  ]);
  assert.ok(!samples.some((s) => s.labels.http_route === '/api/capa-metrics'));
});
