import assert from 'node:assert/strict';
import { test } from 'node:test';

import { checkTargets, readOptions, run, summarize } from '../../load/load.mjs';
import { startApp } from './helpers.mjs';

test('the load generator refuses targets off the loopback', async () => {
  await assert.rejects(checkTargets(['http://10.1.2.3:3000'], false), /not a loopback/);
  await assert.rejects(checkTargets(['http://example.com:3000'], false), /only loopback/);
  await assert.rejects(checkTargets(['http://gateway:3000'], false), /LOAD_COMPOSE_NETWORK/);
  await assert.rejects(checkTargets(['http://example.com:3000'], true), /compose service names/);
  await checkTargets(['http://127.0.0.1:3000', 'http://[::1]:3000', 'http://localhost:3000'], false);
  await checkTargets(['http://gateway:3000'], true);
  assert.throws(() => readOptions(['--target', 'http://127.0.0.1:1', '--rate', '1000']), /rate/);
  assert.throws(() => readOptions(['--target', 'http://127.0.0.1:1', '--duration', '48h']), /duration/);
});

test('a short run sends successes and failures to every controller', async () => {
  const app = await startApp();
  try {
    const options = readOptions(['--target', app.base, '--rate', '100', '--duration', '3s', '--quiet']);
    const summary = summarize(await run(options, () => {}));
    const t = summary.targets[app.base];
    assert.ok(t.requests >= 200, `only ${t.requests} requests in 3 s at 100/s`);
    assert.ok(t.ok > t.requests / 2, 'mostly successes');
    assert.ok(t['4xx'] > 0, 'some client errors');
    for (const prefix of ['GET /products', 'GET /users', 'GET /orders', 'POST /payments']) {
      assert.ok(
        Object.keys(t.endpoints).some((label) => label.startsWith(prefix)),
        `no ${prefix} request`
      );
    }
  } finally {
    await app.close();
  }
});
