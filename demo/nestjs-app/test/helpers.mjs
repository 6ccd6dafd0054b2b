// Starts the built app (dist/) in this process on a free port; each test file runs in its own process,
// so each gets a fresh prom-client registry.
import { createApp } from '../dist/app.js';
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
