import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startApp } from './helpers.mjs';

test('WRAP_METRICS=true wraps the metrics text in the JSON envelope (the seed pitfall)', async () => {
  const app = await startApp({ WRAP_METRICS: 'true', METRICS_PATH: '/api/capa-metrics' });
  try {
    const res = await app.get('/api/capa-metrics');
    assert.equal(res.status, 200);
    const body = JSON.parse(res.text); // JSON, which Prometheus cannot parse
    assert.equal(body.success, true);
    assert.match(body.data, /^# HELP /m);
    assert.equal((await app.get('/metrics')).status, 404, 'the configured path replaces /metrics');
  } finally {
    await app.close();
  }
});
