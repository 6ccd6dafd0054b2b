#!/usr/bin/env node
// npm run harness — starts the harness for a person to look: Prometheus + node_exporter (unless
// --prometheus-url / PULSE_PROMETHEUS_URL is given), the Go server with the built host page, and prints the URL.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { harnessDir, startPrometheus, startServer } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (n) => (args.includes(n) ? args[args.indexOf(n) + 1] : undefined);
const host = opt('--host') ?? 'host';
const hostDir = join(harnessDir, host);
if (!existsSync(join(hostDir, 'node_modules'))) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: hostDir, stdio: 'inherit' });
}
if (!existsSync(join(hostDir, 'dist', 'index.html')) || args.includes('--rebuild')) {
  execFileSync('npx', ['vite', 'build'], { cwd: hostDir, stdio: 'inherit' });
}
const prometheusUrl = opt('--prometheus-url') ?? process.env.PULSE_PROMETHEUS_URL ?? (await startPrometheus());
const server = await startServer({ prometheusUrl, host });
console.log(`harness: Prometheus ${prometheusUrl}`);
console.log(`harness: open ${server.url}a/pulse-monitoring-app/  (also /plugins/pulse-monitoring-app, /connections/datasources/edit/pulse-prometheus, /explore; ?theme=light&lang=ko-KR)`);
console.log('harness: Ctrl-C to stop');
setInterval(() => {}, 1 << 30);
