import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { parseSamples, startApp } from './helpers.mjs';

const BUCKETS = [
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
let metrics;

before(async () => {
  app = await startApp();
  assert.equal((await app.get('/products/1')).status, 200);
  assert.equal((await app.get('/products/999')).status, 404);
  assert.equal((await app.post('/payments', { orderId: 1, amountCents: 100, card: '4000000000000002' })).status, 402);
  assert.equal((await app.get('/orders')).status, 503); // no DATABASE_URL
  await app.get('/metrics');
  metrics = await app.get('/metrics');
});
after(() => app?.close());

test('results and errors come in the envelope', async () => {
  const ok = JSON.parse((await app.get('/products/2')).text);
  assert.deepEqual([ok.code, ok.success, ok.data.id], [200, true, 2]);
  const failed = JSON.parse((await app.get('/users/9999')).text);
  assert.deepEqual([failed.code, failed.success, failed.error], [404, false, 'NotFoundException']);
});

test('the metrics endpoint serves the text format, not the envelope', () => {
  assert.equal(metrics.status, 200);
  assert.match(metrics.type, /^text\/plain/);
  assert.match(metrics.text, /^# HELP /);
  assert.match(metrics.text, /^process_cpu_seconds_total /m, 'prom-client default metrics are on');
});

test('success and fail histograms have the seed labels and buckets', () => {
  const samples = parseSamples(metrics.text);
  for (const [name, handler] of [
    ['nestjs_success_requests', 'getProduct'],
    ['nestjs_fail_requests', 'createPayment'],
  ]) {
    assert.match(metrics.text, new RegExp(`^# TYPE ${name} histogram$`, 'm'));
    const buckets = samples.filter((s) => s.name === `${name}_bucket` && s.labels.handler === handler);
    assert.deepEqual(
      buckets.map((s) => s.labels.le),
      BUCKETS
    );
    assert.deepEqual(Object.keys(buckets[0].labels).sort(), ['controller', 'handler', 'le', 'method']);
    const count = samples.find((s) => s.name === `${name}_count` && s.labels.handler === handler);
    assert.equal(count.value, 1);
  }
});

test('the failure counter names the exception class', () => {
  const failed = parseSamples(metrics.text).filter((s) => s.name === 'nestjs_requests_failed_count');
  const byError = Object.fromEntries(failed.map((s) => [`${s.labels.controller}.${s.labels.handler}`, s.labels.error]));
  assert.deepEqual(byError, {
    'ProductsController.getProduct': 'NotFoundException',
    'PaymentsController.createPayment': 'PaymentDeclinedError',
    'OrdersController.listOrders': 'DatabaseUnavailableError',
  });
  assert.deepEqual(Object.keys(failed[0].labels).sort(), ['controller', 'error', 'handler', 'method']);
});

test('nestjs_info carries <domain>.<name> and the version; the metrics path is not measured', () => {
  const samples = parseSamples(metrics.text);
  assert.deepEqual(
    samples.filter((s) => s.name === 'nestjs_info').map((s) => [s.labels, s.value]),
    [[{ domain: 'shop', name: 'shop.gateway', version: '1.4.2' }, 1]]
  );
  assert.ok(!samples.some((s) => s.name.startsWith('nestjs_') && s.labels.controller === 'PrometheusController'));
});
