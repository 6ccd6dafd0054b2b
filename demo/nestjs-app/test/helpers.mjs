// Starts the built app (dist/) in this process on a free port; each test file runs in its own process,
// so each gets a fresh prom-client registry (and at most one OpenTelemetry setup: one profile per file).
import { loadConfig } from '../dist/config.js';

export async function startApp(env = {}) {
  const config = loadConfig({
    SERVICE_DOMAIN: 'shop',
    SERVICE_NAME: 'gateway',
    SERVICE_VERSION: '1.4.2',
    LATENCY_SCALE: '0.01',
    PORT: '0',
    ...env,
  });
  // As dist/main.js does: the OpenTelemetry profiles must hook http and express before Nest loads them.
  const { instrument } = await import('../dist/instrument.js');
  await instrument(config);
  const { createApp } = await import('../dist/app.js');
  const app = await createApp(config, false);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    async get(path) {
      const res = await fetch(base + path);
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    },
    async post(path, body) {
      const res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    },
    close: () => app.close(),
  };
}

/** The samples named `name`, optionally only those whose labels include `labels`. */
export function samplesOf(samples, name, labels = {}) {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** Sorted label names of a sample. */
export const labelNames = (sample) => Object.keys(sample.labels).sort();

/** Samples of the text exposition format: [{name, labels, value}]. */
export function parseSamples(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/**
 * The requests every profile test makes: one success and failures of four kinds (each thrown by a
 * controller and turned into its status by the error filter), a path no route matches, and the metrics
 * path twice (so that it would show if it were measured). Returns the metrics text read afterwards.
 */
export async function exercise(app, metricsPath = '/metrics') {
  const statuses = {
    'GET /products/1': (await app.get('/products/1')).status,
    'GET /products/999': (await app.get('/products/999')).status,
    'POST /payments': (await app.post('/payments', { orderId: 1, amountCents: 100, card: '4000000000000002' })).status,
    'GET /orders': (await app.get('/orders')).status, // no DATABASE_URL
    'POST /users': (await app.post('/users', { name: 'no email' })).status,
    'GET /no/such/route': (await app.get('/no/such/route')).status,
  };
  await app.get(metricsPath);
  const metrics = await app.get(metricsPath);
  return { statuses, metrics };
}

/** What exercise() must have got. */
export const EXERCISE_STATUSES = {
  'GET /products/1': 200,
  'GET /products/999': 404,
  'POST /payments': 402,
  'GET /orders': 503,
  'POST /users': 400,
  'GET /no/such/route': 404,
};
