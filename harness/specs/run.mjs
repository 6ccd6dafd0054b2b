#!/usr/bin/env node
// Runs the harness specs on both host builds: npm run harness:test
//   node harness/specs/run.mjs [--host host|host-react19] [--rebuild] [--prometheus-url URL]
// host: @grafana/* 12.4 + React 18 (what the plugin builds against); host-react19: @grafana/* 13.2 + React 19 (the
// current Grafana line, which runs every plugin on its own React 19). --host runs one of them only.
// Starts the project's local stack (scripts/stack: every exporter, PostgreSQL, the demo services under load, on
// free ports) unless a Prometheus URL is given (--prometheus-url or PULSE_PROMETHEUS_URL; specs that need the
// stack itself, such as stopping postgres_exporter, then fail and say so). Installs (npm ci) and builds (vite build) a host when its
// node_modules or build is missing or older than its sources. Exits non-zero when any spec fails.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  HOSTS,
  failureScreenshots,
  launchBrowser,
  linksOutsideSubPath,
  openPage,
  prepareHosts,
  rootDir,
  startStack,
  startServer,
  stopAll,
} from './lib.mjs';
import { alertSpecs } from './alerts.mjs';
import { figureSpecs } from './figures.mjs';
import { grafanaSpecs } from './grafana.mjs';
import { pageSpecs } from './pages.mjs';
import { profileSpecs } from './profiles.mjs';
import { sloSpecs } from './slo.mjs';
import { specs } from './specs.mjs';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = opt('--host');
if (only && !HOSTS.includes(only)) {
  console.error(`harness specs: unknown host "${only}" (hosts: ${HOSTS.join(', ')})`);
  process.exit(2);
}
const hosts = only ? [only] : HOSTS;
// --spec <text> (repeatable): only the specs whose name holds one of the texts (and no negative checks), while
// working on some.
const picks = args.flatMap((a, i) => (a === '--spec' && args[i + 1] !== undefined ? [args[i + 1]] : []));
const pick = picks.length > 0;
const chosen = [
  ...specs,
  ...pageSpecs,
  ...profileSpecs,
  ...figureSpecs,
  ...sloSpecs,
  ...grafanaSpecs,
  ...alertSpecs,
].filter((spec) => !pick || picks.some((text) => spec.name.includes(text)));
if (chosen.length === 0) {
  console.error(`harness specs: no spec name holds ${picks.map((t) => `"${t}"`).join(' or ')}`);
  process.exit(2);
}

async function runAll(ctx, list) {
  const failures = [];
  for (const spec of list) {
    const t0 = Date.now();
    // A spec that needs Grafana set up otherwise (under a sub-path, a Viewer signed in) gets a server of its own.
    let own;
    try {
      const server = spec.server
        ? (own = await startServer({ prometheusUrl: ctx.prometheusUrl, host: ctx.host, ...spec.server }))
        : ctx.server;
      const said = await spec.run({ ...ctx, server });
      console.log(
        `  ✓ [${ctx.host}] ${spec.name} (${Date.now() - t0} ms)${typeof said === 'string' ? `\n      ${said}` : ''}`
      );
    } catch (e) {
      console.log(
        `  ✗ [${ctx.host}] ${spec.name} (${Date.now() - t0} ms)\n      ${String(e.message ?? e)
          .split('\n')
          .join('\n      ')}`
      );
      failures.push(`[${ctx.host}] ${spec.name}`);
      await failureScreenshots(
        `${ctx.host}-${spec.name
          .replace(/[^A-Za-z0-9]+/g, '-')
          .slice(0, 40)
          .replace(/-$/, '')}`
      );
    } finally {
      await own?.stop();
    }
  }
  return failures;
}

/** The harness must not hide a break: both checks must make a spec fail. */
async function negativeChecks(ctx) {
  const { host, server, prometheusUrl } = ctx;
  const failures = [];
  // (1) A module without its `plugin` export must fail the app spec.
  const broken = mkdtempSync(join(tmpdir(), 'pulse-harness-broken-'));
  cpSync(join(rootDir, 'dist'), broken, { recursive: true });
  const mod = join(broken, 'module.js');
  const src = readFileSync(mod, 'utf8');
  const patched = src.replace(/([{,])plugin:\(\)=>/, '$1notPlugin:()=>').replace(/"plugin",0,/, '"notPlugin",0,');
  if (patched === src) {
    failures.push(`[${host}] negative check: could not find the plugin export in dist/module.js to remove`);
  } else {
    writeFileSync(mod, patched);
    const brokenServer = await startServer({ prometheusUrl, host, dist: broken });
    const appSpec = specs.find((s) => s.name.startsWith('App:'));
    try {
      await appSpec.run({ ...ctx, server: brokenServer, host: `${host}-broken` });
      console.log(`  ✗ [${host}] negative check: the app spec PASSED on a module without its "plugin" export`);
      failures.push(`[${host}] negative check: broken module`);
    } catch (e) {
      const msg = String(e.message ?? e);
      const clear = /no export named "plugin"|No root app page component found/.test(msg);
      console.log(
        `  ${clear ? '✓' : '✗'} [${host}] negative check: a module without its "plugin" export fails the app spec:\n      ${msg.split('\n').slice(0, 4).join('\n      ')}`
      );
      if (!clear) {
        failures.push(`[${host}] negative check: broken module failed without a clear message`);
      }
    }
    await brokenServer.stop();
  }

  // (2) A request to an API path the harness does not serve must fail the spec that made it.
  const p = await openPage(ctx, server, '/a/pulse-monitoring-app/');
  await p.page.evaluate(() => fetch('/api/not-served-by-the-harness'));
  await p.page.waitForTimeout(300);
  try {
    p.assertClean('unknown API check');
    console.log(`  ✗ [${host}] negative check: a request to /api/not-served-by-the-harness did not fail`);
    failures.push(`[${host}] negative check: unknown API path`);
  } catch (e) {
    console.log(
      `  ✓ [${host}] negative check: a request to an unknown API path fails the spec:\n      ${String(e.message).split('\n').slice(0, 3).join('\n      ')}`
    );
  }
  await p.page.close();

  // (3) Under a sub-path, a link that lost it must be found (what the sub-path spec relies on).
  const sub = await startServer({ prometheusUrl, host, subPath: '/grafana' });
  try {
    const q = await openPage(ctx, sub, `/a/pulse-monitoring-app/`);
    await q.page.evaluate(() => {
      const a = document.createElement('a');
      a.href = '/a/pulse-monitoring-app/services';
      a.textContent = 'a link without the sub-path';
      document.body.append(a);
    });
    const lost = await linksOutsideSubPath(q.page, sub);
    const found = lost.some((l) => l.href.endsWith('/a/pulse-monitoring-app/services'));
    console.log(
      `  ${found ? '✓' : '✗'} [${host}] negative check: under /grafana/, a link without the sub-path is found (${lost.length} found)`
    );
    if (!found) {
      failures.push(`[${host}] negative check: a link without the sub-path`);
    }
    await q.page.close();
  } finally {
    await sub.stop();
  }
  return failures;
}

const t0 = Date.now();
const failures = [];
const timings = [];
try {
  // Prometheus starts while the hosts install and build.
  const given = opt('--prometheus-url') ?? process.env.PULSE_PROMETHEUS_URL;
  const started = Date.now();
  const stackStarted = given ? Promise.resolve({ prometheusUrl: given }) : startStack();
  stackStarted.catch(() => {});
  const p0 = Date.now();
  await prepareHosts(hosts, { rebuild: args.includes('--rebuild') });
  timings.push(`hosts ready ${((Date.now() - p0) / 1000).toFixed(1)} s`);
  const stack = await stackStarted;
  const { prometheusUrl } = stack;
  console.log(`harness specs: Prometheus ${prometheusUrl}`);
  // The specs draw the last minute at Prometheus' 5 s step (the provisioned timeInterval): give a Prometheus
  // started here three steps of data, so a series is a line and not a point.
  const young = given ? 0 : 16000 - (Date.now() - started);
  if (young > 0) {
    await new Promise((r) => setTimeout(r, young));
  }

  for (const host of hosts) {
    const h0 = Date.now();
    const server = await startServer({ prometheusUrl, host });
    console.log(`harness specs: [${host}] server ${server.url}`);
    const browser = await launchBrowser(host);
    const ctx = { browser, server, prometheusUrl, stack, host };
    try {
      failures.push(...(await runAll(ctx, chosen)));
      if (!pick) {
        failures.push(...(await negativeChecks(ctx)));
      }
    } finally {
      await browser.close();
      await server.stop();
    }
    timings.push(`[${host}] specs ${((Date.now() - h0) / 1000).toFixed(1)} s`);
  }
} catch (e) {
  console.error(`harness specs: ${e.stack ?? e}`);
  failures.push('setup');
} finally {
  stopAll();
}
console.log(
  `harness specs [${hosts.join(', ')}]: ${failures.length ? `${failures.length} FAILED` : 'all passed'} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${timings.join(', ')})`
);
for (const f of failures) {
  console.log(`  FAILED ${f}`);
}
process.exit(failures.length ? 1 : 0);
