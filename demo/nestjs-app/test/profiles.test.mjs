// METRICS_PROFILE itself: the default, the check, and what the seed profile loads.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadConfig } from '../dist/config.js';
import { startApp } from './helpers.mjs';

test('METRICS_PROFILE defaults to seed and must name a profile', () => {
  assert.equal(loadConfig({}).profile, 'seed');
  assert.equal(loadConfig({ METRICS_PROFILE: ' otel-http ' }).profile, 'otel-http');
  assert.throws(
    () => loadConfig({ METRICS_PROFILE: 'otel' }),
    /METRICS_PROFILE must be one of seed, nestjs-requests, prom-client-http, otel-http, otel-http-legacy/
  );
});

test('the seed profile does not load OpenTelemetry', async () => {
  const app = await startApp();
  try {
    assert.equal((await app.get('/products/1')).status, 200);
    const require = createRequire(import.meta.url);
    const loaded = Object.keys(require.cache).filter(
      (path) => path.includes('/@opentelemetry/') && !path.includes('/@opentelemetry/api/')
    );
    assert.deepEqual(loaded, []);
  } finally {
    await app.close();
  }
});

// After the seed test: this one loads the OpenTelemetry module.
test('an OpenTelemetry profile refuses an app created without instrument() first', async () => {
  const { createApp } = await import('../dist/app.js');
  await assert.rejects(createApp(loadConfig({ METRICS_PROFILE: 'otel-http' }), false), /call instrument\(\)/);
});
