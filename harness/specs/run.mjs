#!/usr/bin/env node
// Runs the harness specs: npm run harness:test  (or node harness/specs/run.mjs [--prometheus-url URL] [--host host])
// Starts its own Prometheus + node_exporter (Debian packages, free ports) unless a URL is given
// (--prometheus-url or PULSE_PROMETHEUS_URL). Exits non-zero when any spec fails.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { launchBrowser, rootDir, startPrometheus, startServer, stopAll, openPage, screenshot } from './lib.mjs';
import { specs } from './specs.mjs';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const host = opt('--host') ?? 'host';

async function runAll(ctx, list) {
  const failures = [];
  for (const spec of list) {
    const t0 = Date.now();
    try {
      await spec.run(ctx);
      console.log(`  ✓ [${host}] ${spec.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      console.log(`  ✗ [${host}] ${spec.name} (${Date.now() - t0} ms)\n      ${String(e.message ?? e).split('\n').join('\n      ')}`);
      failures.push(spec.name);
    }
  }
  return failures;
}

const t0 = Date.now();
let failures = [];
{
  // The host page: installed and built on first use (or with --rebuild).
  const { existsSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const hostDir = join(rootDir, 'harness', host);
  if (!existsSync(join(hostDir, 'node_modules'))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: hostDir, stdio: 'inherit' });
  }
  if (!existsSync(join(hostDir, 'dist', 'index.html')) || args.includes('--rebuild')) {
    const b0 = Date.now();
    execFileSync('npx', ['vite', 'build'], { cwd: hostDir, stdio: 'inherit' });
    console.log(`harness specs: host ${host} built in ${((Date.now() - b0) / 1000).toFixed(1)} s`);
  }
}
try {
  const prometheusUrl = opt('--prometheus-url') ?? process.env.PULSE_PROMETHEUS_URL ?? (await startPrometheus());
  console.log(`harness specs: Prometheus ${prometheusUrl}`);
  const server = await startServer({ prometheusUrl, host });
  console.log(`harness specs: server ${server.url} (host ${host})`);
  const browser = await launchBrowser(host);
  const ctx = { browser, server, prometheusUrl, host };
  failures = await runAll(ctx, specs);

  // The harness must not hide a break. (1) A module without its `plugin` export must fail the app spec.
  const broken = mkdtempSync(join(tmpdir(), 'pulse-harness-broken-'));
  cpSync(join(rootDir, 'dist'), broken, { recursive: true });
  const mod = join(broken, 'module.js');
  const src = readFileSync(mod, 'utf8');
  const patched = src.replace(/([{,])plugin:\(\)=>/, '$1notPlugin:()=>').replace(/"plugin",0,/, '"notPlugin",0,');
  if (patched === src) {
    failures.push('negative check: could not find the plugin export in dist/module.js to remove');
  } else {
    writeFileSync(mod, patched);
    const brokenServer = await startServer({ prometheusUrl, host, dist: broken });
    const appSpec = specs.find((s) => s.name.startsWith('App:'));
    try {
      await appSpec.run({ ...ctx, server: brokenServer, host: `${host}-broken` });
      console.log(`  ✗ [${host}] negative check: the app spec PASSED on a module without its "plugin" export`);
      failures.push('negative check: broken module');
    } catch (e) {
      const msg = String(e.message ?? e);
      const clear = /no export named "plugin"|No root app page component found/.test(msg);
      console.log(`  ${clear ? '✓' : '✗'} [${host}] negative check: a module without its "plugin" export fails the app spec:\n      ${msg.split('\n').slice(0, 4).join('\n      ')}`);
      if (!clear) {
        failures.push('negative check: broken module failed without a clear message');
      }
    }
    await brokenServer.stop();
  }

  // (2) A request to an API path the harness does not serve must fail the spec that made it.
  {
    const p = await openPage(ctx, server, '/a/pulse-monitoring-app/');
    await p.page.evaluate(() => fetch('/api/not-served-by-the-harness'));
    await p.page.waitForTimeout(300);
    try {
      p.assertClean('unknown API check');
      console.log(`  ✗ [${host}] negative check: a request to /api/not-served-by-the-harness did not fail`);
      failures.push('negative check: unknown API path');
    } catch (e) {
      console.log(`  ✓ [${host}] negative check: a request to an unknown API path fails the spec:\n      ${String(e.message).split('\n').slice(0, 3).join('\n      ')}`);
    }
    await p.page.close();
  }
  await browser.close();
  await server.stop();
} catch (e) {
  console.error(`harness specs: ${e.stack ?? e}`);
  failures.push('setup');
} finally {
  stopAll();
}
console.log(`harness specs [${host}]: ${failures.length ? `${failures.length} FAILED` : 'all passed'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failures.length ? 1 : 0);
