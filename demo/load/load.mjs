#!/usr/bin/env node
// Load generator for the Pulse demo services (demo/nestjs-app). No dependencies: Node 20's fetch.
//
//   node demo/load/load.mjs --target http://127.0.0.1:3001 --target http://127.0.0.1:3002 --rate 20 --duration 60s
//
// Flags (or environment):
//   --target URL    (LOAD_TARGETS, comma-separated)  base URL of a demo service; repeat for several
//   --rate N        (LOAD_RATE, default 10)          requests per second over all targets, 0.1..200
//   --duration D    (LOAD_DURATION, default 60s)     how long to run: 90, 90s, 5m, 1h; at most 24h
//   --concurrency N (LOAD_CONCURRENCY, default 64)   requests in flight at most; beyond that a tick is skipped
//   --compose       (LOAD_COMPOSE_NETWORK=true)      allow compose service names (single-label host names)
//   --quiet                                          no progress lines, only the summary
//
// Targets must be on the loopback (127.0.0.0/8, ::1, localhost) unless --compose is given, and then
// only single-label host names (compose services such as `gateway`) are allowed in addition — never
// other IP addresses or domain names. The run is bounded in time and rate and stops by itself; SIGINT
// or SIGTERM stops it early. A summary (per target and endpoint: requests, status classes, latency) is
// printed at the end, and as JSON with --json.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const MAX_RATE = 200;
const MAX_DURATION_S = 24 * 3600;

function parseDuration(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(text).trim());
  if (!m) {
    throw new Error(`cannot read duration "${text}" (e.g. 90, 90s, 5m, 1h)`);
  }
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] ?? 's'];
  return Number(m[1]) * factor;
}

function truthy(value) {
  return ['1', 'true', 'yes', 'on'].includes(String(value ?? '').toLowerCase());
}

export function readOptions(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string', multiple: true },
      rate: { type: 'string' },
      duration: { type: 'string' },
      concurrency: { type: 'string' },
      compose: { type: 'boolean' },
      quiet: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const targets = (values.target ?? (env.LOAD_TARGETS ?? '').split(','))
    .map((t) => t.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  const rate = Number(values.rate ?? env.LOAD_RATE ?? '10');
  const durationS = parseDuration(values.duration ?? env.LOAD_DURATION ?? '60s');
  const concurrency = Number(values.concurrency ?? env.LOAD_CONCURRENCY ?? '64');
  const options = {
    help: values.help ?? false,
    targets,
    rate,
    durationS,
    concurrency,
    compose: values.compose ?? truthy(env.LOAD_COMPOSE_NETWORK),
    quiet: values.quiet ?? false,
    json: values.json ?? false,
  };
  if (options.help) {
    return options;
  }
  if (targets.length === 0) {
    throw new Error('no target: pass --target http://127.0.0.1:PORT (repeatable) or LOAD_TARGETS');
  }
  if (!(rate >= 0.1 && rate <= MAX_RATE)) {
    throw new Error(`--rate must be between 0.1 and ${MAX_RATE} requests per second, got ${rate}`);
  }
  if (!(durationS > 0 && durationS <= MAX_DURATION_S)) {
    throw new Error(`--duration must be more than 0 and at most 24h, got ${durationS}s`);
  }
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256)) {
    throw new Error(`--concurrency must be an integer between 1 and 256, got ${concurrency}`);
  }
  return options;
}

function isLoopbackAddress(address) {
  return isIP(address) === 4 ? address.startsWith('127.') : address === '::1' || address === '::ffff:127.0.0.1';
}

/** Throws unless every target is on the loopback (or, with compose, a compose service name). */
export async function checkTargets(targets, compose) {
  for (const target of targets) {
    let url;
    try {
      url = new URL(target);
    } catch {
      throw new Error(`target ${target} is not a URL`);
    }
    if (url.protocol !== 'http:') {
      throw new Error(`target ${target}: only http:// is supported`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      if (!isLoopbackAddress(host)) {
        throw new Error(`target ${target} is not a loopback address; refusing to send load there`);
      }
      continue;
    }
    if (host === 'localhost') {
      const addresses = await lookup(host, { all: true });
      if (!addresses.every((a) => isLoopbackAddress(a.address))) {
        throw new Error(`localhost resolves to a non-loopback address here; refusing`);
      }
      continue;
    }
    if (compose && /^[a-z0-9][a-z0-9_-]*$/i.test(host)) {
      continue; // a compose service on the compose network
    }
    throw new Error(
      `target ${target}: only loopback targets are allowed` +
        (compose
          ? ' (and compose service names without dots)'
          : ' (set LOAD_COMPOSE_NETWORK=true inside docker compose)')
    );
  }
}

const pick = (items) => items[Math.floor(Math.random() * items.length)];
const between = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));

/**
 * The request mix: weight, label, and a builder of {method, path, body}. About 12-15 % of the requests
 * fail on purpose (404, 400, 402, 408, 500), spread over every controller.
 */
export function requestMix(state) {
  return [
    [14, 'GET /products', () => ({ method: 'GET', path: `/products?page=${between(1, 10)}` })],
    [
      14,
      'GET /products/:id',
      () => ({ method: 'GET', path: `/products/${Math.random() < 0.1 ? between(101, 999) : between(1, 100)}` }),
    ],
    [
      6,
      'GET /products/:id/recommendations',
      () => ({ method: 'GET', path: `/products/${between(1, 100)}/recommendations` }),
    ],
    [
      5,
      'GET /products/search',
      () => ({
        method: 'GET',
        path: `/products/search?q=${Math.random() < 0.15 ? 'x' : pick(['lamp', 'oak', 'chair', 'teal', 'mug'])}`,
      }),
    ],
    [
      12,
      'GET /users/:id',
      () => ({ method: 'GET', path: `/users/${Math.random() < 0.08 ? between(501, 5000) : between(1, 500)}` }),
    ],
    [
      4,
      'POST /users',
      () => ({
        method: 'POST',
        path: '/users',
        body: Math.random() < 0.2 ? { name: 'no email' } : { email: `u${between(1, 1e6)}@example.com`, name: 'Demo' },
      }),
    ],
    [10, 'GET /orders', () => ({ method: 'GET', path: '/orders' })],
    [3, 'GET /orders/stats', () => ({ method: 'GET', path: '/orders/stats' })],
    [
      6,
      'GET /orders/:id',
      () => ({
        method: 'GET',
        path: `/orders/${Math.random() < 0.1 ? between(900000, 999999) : between(1, Math.max(1, state.maxOrderId))}`,
      }),
    ],
    [
      8,
      'POST /orders',
      () => ({
        method: 'POST',
        path: '/orders',
        body: { productId: between(1, 100), quantity: Math.random() < 0.08 ? 0 : between(1, 5) },
      }),
    ],
    [
      8,
      'POST /payments',
      () => ({
        method: 'POST',
        path: '/payments',
        body: {
          orderId: between(1, 1000),
          amountCents: Math.random() < 0.03 ? 900000 : between(100, 50000),
          card: Math.random() < 0.06 ? '4000000000000002' : '4242424242424242',
        },
      }),
    ],
    [
      5,
      'GET /payments/:id',
      () => ({
        method: 'GET',
        path: `/payments/${state.paymentIds.length && Math.random() < 0.85 ? pick(state.paymentIds) : 'pay_missing'}`,
      }),
    ],
    [
      3,
      'POST /payments/:id/refund',
      () => ({
        method: 'POST',
        path: `/payments/${state.paymentIds.length ? pick(state.paymentIds) : 'pay_missing'}/refund`,
      }),
    ],
  ];
}

function newStats() {
  return { requests: 0, ok: 0, clientErrors: 0, serverErrors: 0, networkErrors: 0, latencies: [] };
}

function record(stats, status, ms) {
  stats.requests++;
  if (status === 0) stats.networkErrors++;
  else if (status < 400) stats.ok++;
  else if (status < 500) stats.clientErrors++;
  else stats.serverErrors++;
  if (stats.latencies.length < 20000) stats.latencies.push(ms);
}

function quantile(values, q) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export async function run(options, log = console.log) {
  await checkTargets(options.targets, options.compose);
  const perTarget = new Map(
    options.targets.map((t) => [
      t,
      { state: { maxOrderId: 1, paymentIds: [] }, endpoints: new Map(), total: newStats() },
    ])
  );
  const weighted = [];
  let inFlight = 0;
  let skipped = 0;
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  async function fire(target) {
    const t = perTarget.get(target);
    const mix = requestMix(t.state);
    if (weighted.length === 0) {
      mix.forEach(([w], i) => weighted.push(...Array(w).fill(i)));
    }
    const [, label, build] = mix[pick(weighted)];
    const req = build();
    const started = performance.now();
    let status = 0;
    try {
      const res = await fetch(target + req.path, {
        method: req.method,
        headers: req.body ? { 'content-type': 'application/json' } : undefined,
        body: req.body ? JSON.stringify(req.body) : undefined,
        signal: AbortSignal.timeout(15000),
      });
      status = res.status;
      const text = await res.text();
      if (status < 300 && (label === 'POST /orders' || label === 'POST /payments')) {
        const data = JSON.parse(text).data;
        if (label === 'POST /orders') t.state.maxOrderId = Math.max(t.state.maxOrderId, Number(data.id));
        else if (t.state.paymentIds.push(data.id) > 200) t.state.paymentIds.shift();
      }
    } catch {
      status = 0;
    }
    const ms = performance.now() - started;
    if (!t.endpoints.has(label)) t.endpoints.set(label, newStats());
    record(t.endpoints.get(label), status, ms);
    record(t.total, status, ms);
  }

  const intervalMs = 1000 / options.rate;
  const startedAt = performance.now();
  const endAt = startedAt + options.durationS * 1000;
  let sent = 0;
  let lastProgress = startedAt;
  log(`load: ${options.rate} req/s for ${options.durationS}s over ${options.targets.join(', ')}`);
  while (!stopping) {
    const now = performance.now();
    if (now >= endAt) break;
    // Catch up to the schedule (bounded), so the average rate holds even when timers are late.
    const due = Math.min(Math.floor((now - startedAt) / intervalMs) + 1 - sent, options.rate);
    for (let i = 0; i < due; i++, sent++) {
      if (inFlight >= options.concurrency) {
        skipped++;
        continue;
      }
      inFlight++;
      fire(options.targets[sent % options.targets.length]).finally(() => inFlight--);
    }
    if (!options.quiet && now - lastProgress >= 15000) {
      lastProgress = now;
      const total = [...perTarget.values()].reduce((n, t) => n + t.total.requests, 0);
      log(`load: ${Math.round((now - startedAt) / 1000)}s, ${total} requests done, ${inFlight} in flight`);
    }
    const nextAt = startedAt + sent * intervalMs;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(1, Math.min(nextAt - performance.now(), endAt - performance.now(), 250)))
    );
  }
  // Let requests in flight finish (they time out after 15 s at most).
  const drainUntil = performance.now() + 16000;
  while (inFlight > 0 && performance.now() < drainUntil) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return { elapsedS: (performance.now() - startedAt) / 1000, skipped, perTarget };
}

export function summarize(result) {
  const summary = { elapsedSeconds: Number(result.elapsedS.toFixed(1)), skipped: result.skipped, targets: {} };
  for (const [target, t] of result.perTarget) {
    const endpoints = {};
    for (const [label, s] of [...t.endpoints].sort()) {
      endpoints[label] = {
        requests: s.requests,
        ok: s.ok,
        '4xx': s.clientErrors,
        '5xx': s.serverErrors,
        network: s.networkErrors,
        p50ms: Math.round(quantile(s.latencies, 0.5)),
        p95ms: Math.round(quantile(s.latencies, 0.95)),
      };
    }
    summary.targets[target] = {
      requests: t.total.requests,
      ok: t.total.ok,
      '4xx': t.total.clientErrors,
      '5xx': t.total.serverErrors,
      network: t.total.networkErrors,
      endpoints,
    };
  }
  return summary;
}

function printSummary(summary, log) {
  log(`load: done after ${summary.elapsedSeconds}s; ${summary.skipped} ticks skipped (concurrency limit)`);
  for (const [target, t] of Object.entries(summary.targets)) {
    log(`${target}: ${t.requests} requests, ${t.ok} ok, ${t['4xx']} 4xx, ${t['5xx']} 5xx, ${t.network} network errors`);
    for (const [label, e] of Object.entries(t.endpoints)) {
      log(
        `  ${label.padEnd(34)} ${String(e.requests).padStart(6)} req  ok ${String(e.ok).padStart(6)}  4xx ${String(e['4xx']).padStart(5)}  5xx ${String(e['5xx']).padStart(5)}  net ${String(e.network).padStart(4)}  p50 ${String(e.p50ms).padStart(5)} ms  p95 ${String(e.p95ms).padStart(5)} ms`
      );
    }
  }
}

async function main() {
  let options;
  try {
    options = readOptions();
  } catch (error) {
    console.error(`load: ${error.message}`);
    process.exit(2);
  }
  if (options.help) {
    const text = (await import('node:fs')).readFileSync(new URL(import.meta.url), 'utf8');
    console.log(
      text
        .split('\nimport ')[0]
        .replace(/^#!.*\n/, '')
        .replace(/^\/\/ ?/gm, '')
    );
    return;
  }
  try {
    const summary = summarize(await run(options, options.quiet ? () => {} : console.log));
    if (options.json) console.log(JSON.stringify(summary));
    else printSummary(summary, console.log);
    const total = Object.values(summary.targets).reduce((n, t) => n + t.requests, 0);
    const network = Object.values(summary.targets).reduce((n, t) => n + t.network, 0);
    if (total > 0 && network === total) {
      console.error('load: every request failed at the network level; are the targets running?');
      process.exit(1);
    }
  } catch (error) {
    console.error(`load: ${error.message}`);
    process.exit(2);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await main();
}
