// METRICS_PROFILE=prom-client-http: prom-client's HTTP middleware style.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { EXERCISE_STATUSES, exercise, labelNames, parseSamples, samplesOf, startApp } from './helpers.mjs';

// prom-client's default buckets (seconds).
const DEFAULT_BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];

let app;
let result;
let samples;

before(async () => {
  app = await startApp({ METRICS_PROFILE: 'prom-client-http', SERVICE_NAME: 'payments', SERVICE_VERSION: '1.8.0' });
  result = await exercise(app);
  samples = parseSamples(result.metrics.text);
});
after(() => app?.close());

test('the requests get their usual answers', () => {
  assert.deepEqual(result.statuses, EXERCISE_STATUSES);
  assert.equal(result.metrics.status, 200);
  assert.match(result.metrics.type, /^text\/plain/);
});

test('http_request_duration_seconds {method, route, status_code}: route patterns and the status codes sent', () => {
  assert.match(result.metrics.text, /^# TYPE http_request_duration_seconds histogram$/m);
  const counts = samplesOf(samples, 'http_request_duration_seconds_count');
  assert.deepEqual(
    counts.map((s) => `${s.labels.method} ${s.labels.route} ${s.labels.status_code} ${s.value}`).sort(),
    [
      'GET /orders 503 1',
      'GET /products/:id 200 1',
      'GET /products/:id 404 1',
      'GET unmatched 404 1', // never the raw URL
      'POST /payments 402 1',
      'POST /users 400 1',
    ]
  );
  for (const s of counts) {
    assert.deepEqual(labelNames(s), ['method', 'route', 'status_code']);
  }
  const buckets = samplesOf(samples, 'http_request_duration_seconds_bucket', {
    route: '/products/:id',
    status_code: '200',
  });
  assert.deepEqual(
    buckets.map((s) => s.labels.le),
    DEFAULT_BUCKETS
  );
  assert.ok(!/^nestjs_/m.test(result.metrics.text), 'no nestjs_* metrics');
});

test('app_info{version} 1 and prom-client default metrics; the metrics path is not measured', () => {
  assert.deepEqual(
    samplesOf(samples, 'app_info').map((s) => [s.labels, s.value]),
    [[{ version: '1.8.0' }, 1]]
  );
  assert.match(result.metrics.text, /^process_cpu_seconds_total /m);
  assert.ok(!samplesOf(samples, 'http_request_duration_seconds_count').some((s) => s.labels.route === '/metrics'));
});
