#!/usr/bin/env node
// npm run harness — starts the harness for a person to look: the local stack (unless
// --prometheus-url / PULSE_PROMETHEUS_URL is given), the Go server with the built host page, and prints the URL.
import { HOSTS, prepareHosts, startServer, startStack } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (n) => (args.includes(n) ? args[args.indexOf(n) + 1] : undefined);
const host = opt('--host') ?? 'host';
if (!HOSTS.includes(host)) {
  console.error(`harness: unknown host "${host}" (hosts: ${HOSTS.join(', ')})`);
  process.exit(2);
}
await prepareHosts([host], { rebuild: args.includes('--rebuild') });
const prometheusUrl =
  opt('--prometheus-url') ?? process.env.PULSE_PROMETHEUS_URL ?? (await startStack({ minutes: 180 })).prometheusUrl;
// --sub-path /grafana: Grafana under a sub-path only; --role Viewer: a Viewer signed in.
const server = await startServer({
  prometheusUrl,
  host,
  subPath: opt('--sub-path') ?? '',
  role: opt('--role') ?? 'Admin',
});
console.log(`harness: Prometheus ${prometheusUrl}`);
console.log(
  `harness: open ${server.url}a/pulse-monitoring-app/  (also /plugins/pulse-monitoring-app, /connections/datasources/edit/pulse-prometheus, /explore, /d/harness-variables, /harness/panels; ?theme=light&lang=ko-KR)`
);
console.log('harness: Ctrl-C to stop');
setInterval(() => {}, 1 << 30);
