// METRICS_PROFILE=nestjs-requests: the single-histogram interceptor of nestjs-prometheus-requests.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { EXERCISE_STATUSES, exercise, labelNames, parseSamples, samplesOf, startApp } from './helpers.mjs';

const SEED_BUCKETS = [
  '0.0001',
  '0.001',
  '0.005',
  '0.01',
  '0.025',
  '0.05',
  '0.075',
  '0.09',
  '0.1',
  '0.25',
  '0.5',
  '1',
  '2.5',
  '5',
  '10',
  '+Inf',
];

let app;
let result;
let samples;

before(async () => {
  app = await startApp({ METRICS_PROFILE: 'nestjs-requests', SERVICE_NAME: 'catalog', SERVICE_VERSION: '3.2.0' });
  result = await exercise(app);
  samples = parseSamples(result.metrics.text);
});
after(() => app?.close());

test('the requests get their usual answers in the envelope', () => {
  assert.deepEqual(result.statuses, EXERCISE_STATUSES);
  assert.equal(result.metrics.status, 200);
  assert.match(result.metrics.type, /^text\/plain/);
});

test('one histogram nestjs_requests {handler, controller} in seconds with the seed buckets, for every request', () => {
  assert.match(result.metrics.text, /^# TYPE nestjs_requests histogram$/m);
  const buckets = samplesOf(samples, 'nestjs_requests_bucket', { handler: 'getProduct' });
  assert.deepEqual(
    buckets.map((s) => s.labels.le),
    SEED_BUCKETS
  );
  assert.deepEqual(labelNames(buckets[0]), ['controller', 'handler', 'le']);
  const counts = Object.fromEntries(
    samplesOf(samples, 'nestjs_requests_count').map((s) => [`${s.labels.controller}.${s.labels.handler}`, s.value])
  );
  // Successes and failures alike; the unmatched route never reaches an interceptor.
  assert.deepEqual(counts, {
    'ProductsController.getProduct': 2,
    'PaymentsController.createPayment': 1,
    'OrdersController.listOrders': 1,
    'UsersController.createUser': 1,
  });
  for (const s of samplesOf(samples, 'nestjs_requests_count')) {
    assert.deepEqual(labelNames(s), ['controller', 'handler']);
  }
  assert.ok(!/^nestjs_(success|fail)_requests/m.test(result.metrics.text), 'none of the seed histograms');
});

test('failures are counted in nestjs_requests_failed_count {handler, controller, error}', () => {
  const failed = samplesOf(samples, 'nestjs_requests_failed_count');
  assert.deepEqual(
    Object.fromEntries(failed.map((s) => [`${s.labels.controller}.${s.labels.handler}`, [s.labels.error, s.value]])),
    {
      'ProductsController.getProduct': ['NotFoundException', 1],
      'PaymentsController.createPayment': ['PaymentDeclinedError', 1],
      'OrdersController.listOrders': ['DatabaseUnavailableError', 1],
      'UsersController.createUser': ['BadRequestException', 1],
    }
  );
  for (const s of failed) {
    assert.deepEqual(labelNames(s), ['controller', 'error', 'handler']);
  }
});

test('nestjs_info and prom-client default metrics; the metrics path is not measured', () => {
  assert.deepEqual(
    samplesOf(samples, 'nestjs_info').map((s) => [s.labels, s.value]),
    [[{ domain: 'shop', name: 'shop.catalog', version: '3.2.0' }, 1]]
  );
  assert.match(result.metrics.text, /^process_cpu_seconds_total /m);
  assert.match(result.metrics.text, /^nodejs_eventloop_lag_seconds /m);
  assert.ok(
    !samples.some((s) => s.name.startsWith('nestjs_requests') && s.labels.controller === 'PrometheusController')
  );
});
