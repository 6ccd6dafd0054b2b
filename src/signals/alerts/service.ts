/**
 * Service pack: RED and runtime alerts per service, for every instrumentation profile (the signals render from
 * the data source's profile; see src/signals/profiles.ts).
 */
import { SERVICE_GROUP } from '../service';
import { defineAlert } from './define';

const PER_SERVICE = { groupBy: [SERVICE_GROUP] };
/** Only services serving at least this many requests per second: ratios and percentiles of a few requests jump. */
const MIN_TRAFFIC = {
  signal: 'service.requests.total',
  params: PER_SERVICE,
  op: '>' as const,
  threshold: 0.1,
  unit: 'reqps',
  on: ['name'],
};

export const SERVICE_ALERTS = [
  defineAlert({
    pack: 'service',
    rule: 'ServiceErrorRatioHigh',
    signal: 'service.errors.ratio',
    params: PER_SERVICE,
    condition: { op: '>', threshold: 0.05, unit: 'percentunit' },
    guard: MIN_TRAFFIC,
    for: '5m',
    severity: 'critical',
    instanceLabels: ['name'],
    labelValues: { service: 'name' },
    page: 'services/{{name}}',
    texts: {
      summary: '{{service}}: {{value}} of requests fail',
      description:
        'More than {{threshold}} of the requests of {{service}} failed for {{for}} (only while it serves more than {{guard}}).',
      runbook:
        'Open the service page: which controller and handler fail (operations table, errors per controller), since when, and whether a deploy (version change) or a restart lines up. Then check the error classes of the failing handler and its dependencies (database, downstream services).',
    },
  }),
  defineAlert({
    pack: 'service',
    rule: 'ServiceLatencyP95High',
    signal: 'service.latency.quantile',
    params: { ...PER_SERVICE, outcome: 'all', quantile: '0.95' },
    condition: { op: '>', threshold: 1, unit: 's' },
    guard: MIN_TRAFFIC,
    for: '10m',
    severity: 'warning',
    instanceLabels: ['name'],
    labelValues: { service: 'name' },
    page: 'services/{{name}}',
    texts: {
      summary: '{{service}}: p95 latency {{value}}',
      description:
        'The p95 latency of all requests of {{service}} stayed above {{threshold}} for {{for}} (only while it serves more than {{guard}}).',
      runbook:
        'Open the service page: the slowest operations, the latency heatmap (all requests or a few slow handlers?), event-loop lag and CPU of its instances, then the database page for long transactions and locks.',
    },
  }),
  defineAlert({
    pack: 'service',
    rule: 'ServiceDown',
    signal: 'service.targets.down',
    params: {},
    condition: { op: '>', threshold: 0, unit: 'short' },
    for: '2m',
    severity: 'critical',
    instanceLabels: ['name', 'instance'],
    labelValues: { service: 'name', instance: 'instance' },
    page: 'services/{{name}}',
    texts: {
      summary: '{{service}} on {{instance}} is not reporting',
      description:
        'Prometheus still scrapes {{instance}}, a target of {{service}} within the last day, but it has not reported as {{service}} for {{for}}: the scrape fails or the service identity metric is gone.',
      runbook:
        'Open the Targets page: the scrape error of {{instance}} says whether the process is down, refuses the connection, times out or returns something other than metrics. Check the process (systemd, container) and its logs; if it answers but without the service metrics, check the metrics setup of the deployed version.',
    },
  }),
  defineAlert({
    pack: 'service',
    rule: 'ServiceEventLoopLagHigh',
    signal: 'runtime.eventloop.lag.by-service',
    params: { mode: 'p99' },
    condition: { op: '>', threshold: 0.2, unit: 's' },
    for: '5m',
    severity: 'warning',
    instanceLabels: ['name', 'instance'],
    labelValues: { service: 'name', instance: 'instance' },
    page: 'services/{{name}}',
    texts: {
      summary: '{{service}} on {{instance}}: event-loop lag p99 {{value}}',
      description:
        'The p99 event-loop lag of {{service}} on {{instance}} stayed above {{threshold}} for {{for}}: every request on that instance waits that long before it runs.',
      runbook:
        'On the service page check CPU (a busy process), GC time and heap (memory pressure), and which handlers got slow; look for synchronous work on the request path (large JSON, crypto, sync file access) or an oversized metrics payload.',
    },
  }),
  defineAlert({
    pack: 'service',
    rule: 'ServiceRestarting',
    signal: 'runtime.restarts',
    params: { groupBy: ['instance', SERVICE_GROUP] },
    condition: { op: '>', threshold: 2, unit: 'short' },
    for: '0m',
    severity: 'warning',
    range: '15m',
    instanceLabels: ['name', 'instance'],
    labelValues: { service: 'name', instance: 'instance' },
    page: 'services/{{name}}',
    texts: {
      summary: '{{service}} on {{instance}} restarted {{value}} times in 15 minutes',
      description:
        'The process of {{service}} on {{instance}} started more than {{threshold}} times in the last 15 minutes.',
      runbook:
        'Check the process logs for the crash before each start (uncaught exception, out of memory, failed health check killing it), the memory of the instance before the restarts, and whether a deploy is rolling.',
    },
  }),
];
