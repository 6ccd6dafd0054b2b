/**
 * Node.js runtime of the NestJS services, from prom-client's default metrics. Other Node processes may export
 * the same names, so every signal keeps only targets that also export the service info gauge.
 */
import { type LabelMatcher, matchAny, selector, sumBy } from '../promql/render';
import { defineSignal, legendOf } from './define';
import { msg, withValues } from './messages';
import {
  groupByParam,
  listParam,
  modeChoice,
  modeParam,
  serviceInstanceParam,
  serviceParam,
  stringParam,
} from './params';
import { groupLabels, RANGE, RATE_INTERVAL, SERVICE_GROUP, serviceTargets, withServiceName } from './service';
import type { Message, RenderContext, Signal, SignalParams } from './types';

/**
 * `<expr> and on (instance, job) nestjs_info{…}`: the services' targets only, of the chosen services (see
 * onlyServices and serviceTargets; the targets come from the instrumentation profile).
 */
function ofServices(expr: string, p: SignalParams, ctx: RenderContext): string {
  return `${expr} and on (instance, job) ${serviceTargets(listParam(p, 'service'), ctx)}`;
}

function instanceMatchers(p: SignalParams): LabelMatcher[] {
  const instances = listParam(p, 'instance');
  return instances.length > 0 ? [matchAny('instance', instances)] : [];
}

const filters = () => [serviceParam(), serviceInstanceParam()];

/** A signal with a `mode` choosing one of several metrics. */
function modeSignal(def: {
  id: string;
  title: string;
  description: string;
  unit: string;
  modes: Record<string, { metric: string; label: string }>;
  defaultMode: string;
  render(metricSelector: string, metric: string): string;
  explain: Message;
}): Signal {
  const group = def.id.replace(/^runtime\./, 'runtime-');
  return defineSignal({
    id: def.id,
    family: 'runtime',
    title: def.title,
    description: def.description,
    parameters: [
      ...filters(),
      modeParam(
        'mode',
        'Measure',
        Object.entries(def.modes).map(([value, m]) => modeChoice(group, value, m.label)),
        def.defaultMode
      ),
    ],
    unit: def.unit,
    legend: '{{instance}}',
    render: (p, ctx) => {
      const metric = def.modes[stringParam(p, 'mode')].metric;
      return ofServices(def.render(selector(metric, instanceMatchers(p)), metric), p, ctx);
    },
    explain: (p) => withValues(def.explain, { metric: def.modes[stringParam(p, 'mode')].metric }),
  });
}

const cpu = modeSignal({
  id: 'runtime.cpu',
  title: 'Process CPU',
  description: 'CPU time the Node.js process uses, in cores (1 = one full core).',
  unit: 'percentunit',
  modes: {
    total: { metric: 'process_cpu_seconds_total', label: 'User and system' },
    user: { metric: 'process_cpu_user_seconds_total', label: 'User' },
    system: { metric: 'process_cpu_system_seconds_total', label: 'System' },
  },
  defaultMode: 'total',
  render: (s) => `rate(${s}[${RATE_INTERVAL}])`,
  explain: msg(
    'signals.runtime.cpu.explain',
    'CPU seconds used per second ({{metric}}), per instance: 100% is one full core.'
  ),
});

const memory = modeSignal({
  id: 'runtime.memory',
  title: 'Process memory',
  description: 'Resident memory, or the V8 heap used and allocated, or external memory.',
  unit: 'bytes',
  modes: {
    rss: { metric: 'process_resident_memory_bytes', label: 'Resident memory (RSS)' },
    heapUsed: { metric: 'nodejs_heap_size_used_bytes', label: 'Heap used' },
    heapTotal: { metric: 'nodejs_heap_size_total_bytes', label: 'Heap allocated' },
    external: { metric: 'nodejs_external_memory_bytes', label: 'External memory' },
  },
  defaultMode: 'rss',
  render: (s) => s,
  explain: msg('signals.runtime.memory.explain', 'Memory of the Node.js process ({{metric}}), per instance.'),
});

const eventLoopLag = modeSignal({
  id: 'runtime.eventloop.lag',
  title: 'Event-loop lag',
  description: 'How late the event loop runs scheduled work; high lag delays every request.',
  unit: 's',
  modes: {
    p99: { metric: 'nodejs_eventloop_lag_p99_seconds', label: 'p99' },
    p90: { metric: 'nodejs_eventloop_lag_p90_seconds', label: 'p90' },
    p50: { metric: 'nodejs_eventloop_lag_p50_seconds', label: 'p50' },
    mean: { metric: 'nodejs_eventloop_lag_mean_seconds', label: 'Mean' },
    max: { metric: 'nodejs_eventloop_lag_max_seconds', label: 'Maximum' },
  },
  defaultMode: 'p99',
  render: (s) => s,
  explain: msg(
    'signals.runtime.eventloop.lag.explain',
    'Event-loop delay measured by prom-client ({{metric}}), per instance.'
  ),
});

const handles = modeSignal({
  id: 'runtime.handles',
  title: 'Active handles and requests',
  description: 'Open libuv handles (sockets, timers) or in-flight libuv requests; a steady climb suggests a leak.',
  unit: 'short',
  modes: {
    handles: { metric: 'nodejs_active_handles_total', label: 'Handles' },
    requests: { metric: 'nodejs_active_requests_total', label: 'Requests' },
  },
  defaultMode: 'handles',
  render: (s) => s,
  explain: msg('signals.runtime.handles.explain', 'The number reported by {{metric}}, per instance.'),
});

const gc = defineSignal({
  id: 'runtime.gc',
  family: 'runtime',
  title: 'Garbage collection time',
  description: 'Share of time spent in garbage collection, by kind (minor, major, incremental).',
  parameters: filters(),
  unit: 'percentunit',
  legend: '{{instance}} {{kind}}',
  render: (p, ctx) =>
    sumBy(
      ['instance', 'kind'],
      ofServices(`rate(${selector('nodejs_gc_duration_seconds_sum', instanceMatchers(p))}[${RATE_INTERVAL}])`, p, ctx)
    ),
  explain: msg(
    'signals.runtime.gc.explain',
    'Seconds spent in garbage collection per second, per instance and kind: 10% means a tenth of the time.'
  ),
});

const restarts = defineSignal({
  id: 'runtime.restarts',
  family: 'runtime',
  title: 'Restarts',
  description: 'How often each process restarted in the selected time range.',
  parameters: [...filters(), groupByParam(['instance', SERVICE_GROUP], { default: ['instance'] })],
  unit: 'short',
  format: 'table',
  instant: true,
  legend: (p) => legendOf(groupLabels(listParam(p, 'groupBy'))),
  render: (p, ctx) => {
    const changes = `changes(${selector('process_start_time_seconds', instanceMatchers(p))}[${RANGE}])`;
    const choices = listParam(p, 'groupBy');
    if (choices.includes(SERVICE_GROUP)) {
      return sumBy(groupLabels(choices), withServiceName(changes, listParam(p, 'service'), ctx));
    }
    // Per instance is per process: each series already is one target, so it needs no aggregation.
    if (choices.length === 1 && choices[0] === 'instance') {
      return ofServices(changes, p, ctx);
    }
    return sumBy(choices, ofServices(changes, p, ctx));
  },
  explain: msg(
    'signals.runtime.restarts.explain',
    'How many times the process start time changed in the selected time range: each change is a restart.'
  ),
});

/**
 * Restart markers: a point at each step in which a process start time changed. `$__interval` is the query step,
 * and `changes` windows of successive steps do not overlap, so each restart lands on exactly one step. A first
 * start is not a restart: the series must have had a sample in the rate window ending one step earlier
 * (VictoriaMetrics' `changes` would otherwise count a series' first sample; the window bridges the scrape gap of
 * a restart). The Deploys signal marks a new version's first report.
 */
const restartEvents = defineSignal({
  id: 'runtime.restarts.events',
  family: 'runtime',
  title: 'Restart markers',
  description: 'When each process restarted: one point per instance and restart.',
  parameters: filters(),
  unit: 'short',
  legend: '{{instance}}',
  render: (p, ctx) => {
    const start = selector('process_start_time_seconds', instanceMatchers(p));
    const before = `last_over_time(${start}[${RATE_INTERVAL}] offset $__interval)`;
    return ofServices(`changes(${start}[$__interval]) > 0 and ${before}`, p, ctx);
  },
  explain: msg(
    'signals.runtime.restarts.events.explain',
    'A point at each step in which the process start time changed, per instance: each point is a restart.'
  ),
});

const uptime = defineSignal({
  id: 'runtime.uptime',
  family: 'runtime',
  title: 'Process uptime',
  description: 'Time since each process started.',
  parameters: filters(),
  unit: 's',
  legend: '{{instance}}',
  render: (p, ctx) => ofServices(`(time() - ${selector('process_start_time_seconds', instanceMatchers(p))})`, p, ctx),
  explain: msg('signals.runtime.uptime.explain', 'Seconds since the process started, per instance.'),
});

const fds = defineSignal({
  id: 'runtime.fds',
  family: 'runtime',
  title: 'Open file descriptors',
  description: 'Open file descriptors as a share of the process limit.',
  parameters: filters(),
  unit: 'percentunit',
  legend: '{{instance}}',
  render: (p, ctx) =>
    ofServices(
      `(${selector('process_open_fds', instanceMatchers(p))} / ${selector('process_max_fds', instanceMatchers(p))})`,
      p,
      ctx
    ),
  explain: msg('signals.runtime.fds.explain', 'Open file descriptors divided by the limit, per instance.'),
});

const nodeVersion = defineSignal({
  id: 'runtime.version',
  family: 'runtime',
  title: 'Node.js versions',
  description: 'Which Node.js versions run the services, and on how many instances.',
  parameters: filters(),
  unit: 'short',
  format: 'table',
  instant: true,
  legend: '{{version}}',
  render: (p, ctx) =>
    `count by (version) (${ofServices(selector('nodejs_version_info', instanceMatchers(p)), p, ctx)})`,
  explain: msg('signals.runtime.version.explain', 'The number of instances per Node.js version.'),
});

export const RUNTIME_SIGNALS: Signal[] = [
  cpu,
  memory,
  eventLoopLag,
  gc,
  handles,
  fds,
  restarts,
  restartEvents,
  uptime,
  nodeVersion,
];
