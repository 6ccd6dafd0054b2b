// METRICS_PROFILE=otel-http-legacy: the same OpenTelemetry packages with the old HTTP semantic conventions.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { EXERCISE_STATUSES, exercise, labelNames, parseSamples, samplesOf, startApp } from './helpers.mjs';

// The SDK's default explicit buckets (instrumentation-http gives no advice for http.server.duration), in ms.
const BUCKETS = [
  '0',
  '5',
  '10',
  '25',
  '50',
  '75',
  '100',
  '250',
  '500',
  '750',
  '1000',
  '2500',
  '5000',
  '7500',
  '10000',
  '+Inf',
];

let app;
let result;
let samples;

before(async () => {
  process.env.OTEL_SEMCONV_STABILITY_OPT_IN = 'http'; // removed by the profile
  app = await startApp({ METRICS_PROFILE: 'otel-http-legacy', SERVICE_NAME: 'search', SERVICE_VERSION: '4.0.2' });
  result = await exercise(app);
  samples = parseSamples(result.metrics.text);
});
after(() => app?.close());

test('the requests get their usual answers', () => {
  assert.deepEqual(result.statuses, EXERCISE_STATUSES);
  assert.equal(result.metrics.status, 200);
  assert.match(result.metrics.type, /^text\/plain/);
});

test('http_server_duration (milliseconds, no unit suffix) {http_method, http_route, http_status_code, ...}', () => {
  assert.match(result.metrics.text, /^# TYPE http_server_duration histogram$/m);
  assert.match(result.metrics.text, /^# UNIT http_server_duration ms$/m);
  const counts = samplesOf(samples, 'http_server_duration_count');
  assert.deepEqual(
    counts
      .map((s) => `${s.labels.http_method} ${s.labels.http_route ?? '-'} ${s.labels.http_status_code} ${s.value}`)
      .sort(),
    [
      'GET - 404 1',
      'GET /orders 503 1',
      'GET /products/:id 200 1',
      'GET /products/:id 404 1',
      'POST /payments 402 1',
      'POST /users 400 1',
    ]
  );
  const port = new URL(app.base).port;
  for (const s of counts) {
    const names = [
      'http_flavor',
      'http_method',
      'http_scheme',
      'http_status_code',
      'net_host_name',
      'net_host_port',
      'otel_scope_name',
      'otel_scope_version',
    ];
    if (s.labels.http_route) names.push('http_route');
    assert.deepEqual(labelNames(s), names.sort());
    assert.deepEqual(
      [
        s.labels.http_scheme,
        s.labels.http_flavor,
        s.labels.net_host_name,
        s.labels.net_host_port,
        s.labels.otel_scope_name,
        s.labels.otel_scope_version,
      ],
      ['http', '1.1', '127.0.0.1', port, '@opentelemetry/instrumentation-http', '0.220.0']
    );
  }
  const buckets = samplesOf(samples, 'http_server_duration_bucket', {
    http_route: '/products/:id',
    http_status_code: '200',
  });
  assert.deepEqual(
    buckets.map((s) => s.labels.le),
    BUCKETS
  );
  const sum = samplesOf(samples, 'http_server_duration_sum', {
    http_route: '/products/:id',
    http_status_code: '200',
  })[0];
  assert.ok(sum.value > 0.5, `a request takes more than 0.5 ms: the sum is in milliseconds (${sum.value})`);
});

test('target_info as in otel-http; only OpenTelemetry metrics; the metrics path is not measured', () => {
  assert.deepEqual(
    samplesOf(samples, 'target_info').map((s) => s.labels),
    [
      {
        service_name: 'shop.search',
        service_version: '4.0.2',
        telemetry_sdk_language: 'nodejs',
        telemetry_sdk_name: 'opentelemetry',
        telemetry_sdk_version: '2.9.0',
      },
    ]
  );
  assert.deepEqual([...new Set(samples.map((s) => s.name.replace(/_(bucket|count|sum)$/, '')))].sort(), [
    'http_server_duration',
    'target_info',
  ]);
  assert.ok(!samples.some((s) => s.labels.http_route === '/metrics'));
});
