/**
 * Signals the alert templates (src/signals/alerts/) ask beyond the pages' questions: one series per thing that
 * can fire (a target, a host, a container, a filesystem), with the labels its alert and page link need, and
 * "down" answers that remember what a target was after it stopped answering.
 *
 * A failed scrape marks every series of the target stale at once, so the target's identity (the service's info
 * gauge, node_uname_info, pg_up) is gone exactly when it is needed. Range functions skip staleness markers:
 * `last_over_time(<identity>[1d])` still knows the target a day later. `and on (instance, job) up` keeps the
 * targets Prometheus still scrapes (one removed from service discovery on purpose does not fire).
 */
import { aggregate, labelMatcher, matchAny, type LabelMatcher, quote, selector } from '../promql/render';
import { defineSignal } from './define';
import { FILESYSTEMS } from './host';
import { msg } from './messages';
import {
  containerHostParam,
  databaseInstanceParam,
  hostParam,
  listParam,
  modeChoice,
  modeParam,
  serviceInstanceParam,
  serviceParam,
  stringParam,
} from './params';
import { histogramSelectorParts } from './profiles';
import { serviceTargets, withServiceName } from './service';
import { overProfiles, severalProfiles } from './acrossProfiles';
import type { RenderContext, Signal, SignalParams } from './types';

/** How long a target that stopped answering is still known as what it was (see the module comment). */
export const DOWN_LOOKBACK = '1d';

/** How long a container that cAdvisor stopped reporting is still known by its name. */
export const CONTAINER_GONE_LOOKBACK = '1h';

const instanceMatchers = (p: SignalParams, name = 'instance'): LabelMatcher[] => {
  const values = listParam(p, name);
  return values.length > 0 ? [matchAny('instance', values)] : [];
};

const copyLabel = (expr: string, from: string, to: string) =>
  `label_replace(${expr}, ${quote(to)}, "$1", ${quote(from)}, "(.*)")`;

/**
 * The targets each service had within DOWN_LOOKBACK, one series per (instance, job, name): the info gauge of an
 * info profile, the request histogram's `_count` of a job profile (the job is the name).
 */
function knownServiceTargets(services: string[], ctx: RenderContext): string {
  if (severalProfiles(ctx)) {
    // Untagged: the profiles that share an info gauge read the same series, which `or` keeps once.
    return `(${overProfiles(ctx, (pc) => knownServiceTargets(services, pc))})`;
  }
  const id = ctx.profile.service;
  const labels = { mode: 'by' as const, labels: ['instance', 'job'] };
  if (id.kind === 'info') {
    const info = selector(id.metric, services.length > 0 ? [matchAny(id.nameLabel, services)] : []);
    const known = aggregate('group', `last_over_time(${info}[${DOWN_LOOKBACK}])`, {
      mode: 'by',
      labels: ['instance', 'job', id.nameLabel],
    });
    return id.nameLabel === 'name' ? known : copyLabel(known, id.nameLabel, 'name');
  }
  const r = ctx.profile.requests;
  const parts = histogramSelectorParts(r, r.kind === 'by-outcome' ? r.success : r.histogram, '_count');
  const matchers = services.length > 0 ? [matchAny('job', services)] : [];
  const count =
    'metric' in parts
      ? selector(parts.metric, matchers)
      : selector('', [labelMatcher('__name__', '=~', parts.namePattern), ...matchers]);
  return copyLabel(aggregate('group', `last_over_time(${count}[${DOWN_LOOKBACK}])`, labels), 'job', 'name');
}

const serviceDown = defineSignal({
  id: 'service.targets.down',
  family: 'service',
  title: 'Service targets not reporting',
  description:
    'Targets of a service that Prometheus still scrapes but that no longer report as the service: the scrape fails, or the service identity is gone.',
  parameters: [serviceParam(), serviceInstanceParam()],
  unit: 'short',
  legend: '{{name}} {{instance}}',
  // 1 per target known as the service within the lookback, still scraped, whose identity series is gone now.
  render: (p, ctx) => {
    const services = listParam(p, 'service');
    const known = knownServiceTargets(services, ctx);
    const scraped = selector('up', instanceMatchers(p));
    return `${known} and on (instance, job) ${scraped} unless on (instance, job) ${serviceTargets(services, ctx)}`;
  },
  explain: msg(
    'signals.service.targets.down.explain',
    'One series (value 1) per target that reported as the service within the last day, is still scraped, and reports nothing as the service now: its scrape fails or its service identity disappeared.'
  ),
});

const EVENT_LOOP_MODES: Record<string, { metric: string; label: string }> = {
  p99: { metric: 'nodejs_eventloop_lag_p99_seconds', label: 'p99' },
  p90: { metric: 'nodejs_eventloop_lag_p90_seconds', label: 'p90' },
  p50: { metric: 'nodejs_eventloop_lag_p50_seconds', label: 'p50' },
  mean: { metric: 'nodejs_eventloop_lag_mean_seconds', label: 'Mean' },
  max: { metric: 'nodejs_eventloop_lag_max_seconds', label: 'Maximum' },
};

const eventLoopByService = defineSignal({
  id: 'runtime.eventloop.lag.by-service',
  family: 'runtime',
  title: 'Event-loop lag per instance, with its service',
  description: 'Event-loop lag of each instance, labelled with its service name (for alerts and links).',
  parameters: [
    serviceParam(),
    serviceInstanceParam(),
    modeParam(
      'mode',
      'Measure',
      Object.entries(EVENT_LOOP_MODES).map(([value, m]) => modeChoice('runtime-eventloop-lag', value, m.label)),
      'p99'
    ),
  ],
  unit: 's',
  legend: '{{name}} {{instance}}',
  render: (p, ctx) =>
    withServiceName(
      selector(EVENT_LOOP_MODES[stringParam(p, 'mode')].metric, instanceMatchers(p)),
      listParam(p, 'service'),
      ctx
    ),
  explain: msg(
    'signals.runtime.eventloop.lag.by-service.explain',
    "Event-loop delay measured by prom-client, per instance, with the instance's service name."
  ),
});

const hostDown = defineSignal({
  id: 'host.down',
  family: 'host',
  title: 'Host down',
  description: 'Per node_exporter target: 1 while its scrape fails, 0 while it answers.',
  parameters: [hostParam()],
  unit: 'short',
  legend: '{{instance}}',
  render: (p) =>
    `(1 - ${selector('up', instanceMatchers(p, 'host'))}) and on (instance, job) last_over_time(${selector(
      'node_uname_info',
      instanceMatchers(p, 'host')
    )}[${DOWN_LOOKBACK}])`,
  explain: msg(
    'signals.host.down.explain',
    'For each target that reported node_uname_info within the last day (a node_exporter, whatever its job is called): 1 while its last scrape failed, 0 while it answers.'
  ),
});

const HORIZONS: Record<string, number> = { '4h': 4 * 3600, '24h': 24 * 3600 };

const filesystemPredictedFree = defineSignal({
  id: 'host.filesystem.predicted-free',
  family: 'host',
  title: 'Filesystem space predicted ahead',
  description:
    'Free space each writable filesystem will have after the horizon, if it keeps filling as over the last 6 hours.',
  parameters: [
    hostParam(),
    modeParam(
      'horizon',
      'Horizon',
      Object.keys(HORIZONS).map((h) => modeChoice('filesystem-horizon', h, h)),
      '24h'
    ),
  ],
  unit: 'bytes',
  legend: '{{instance}} {{mountpoint}}',
  render: (p) => {
    const matchers = [...FILESYSTEMS, ...instanceMatchers(p, 'host')];
    return `predict_linear(${selector('node_filesystem_avail_bytes', matchers)}[6h], ${
      HORIZONS[stringParam(p, 'horizon')]
    }) and ${selector('node_filesystem_readonly', matchers)} == 0`;
  },
  explain: msg(
    'signals.host.filesystem.predicted-free.explain',
    'A linear fit of the available bytes over the last 6 hours, extended by the horizon, per writable filesystem; below 0 means it fills up within the horizon.'
  ),
});

const containerLastSeen = defineSignal({
  id: 'container.last-seen.age',
  family: 'container',
  title: 'Seconds since a container was last seen',
  description: 'Per container name and cAdvisor host: how long ago cAdvisor last reported it, within the last hour.',
  parameters: [containerHostParam()],
  unit: 's',
  legend: '{{instance}} {{name}}',
  // By name, not id: a recreated container gets a new id, and its old id is not a container gone.
  render: (p) =>
    `time() - max by (instance, name) (max_over_time(${selector('container_last_seen', [
      labelMatcher('image', '!=', ''),
      labelMatcher('name', '!=', ''),
      ...instanceMatchers(p, 'host'),
    ])}[${CONTAINER_GONE_LOOKBACK}]))`,
  explain: msg(
    'signals.container.last-seen.age.explain',
    'Seconds since cAdvisor last reported each named container seen within the last hour, per cAdvisor host; a running container stays near 0.'
  ),
});

const postgresExporterDown = defineSignal({
  id: 'postgres.exporter.down',
  family: 'postgres',
  title: 'PostgreSQL exporter down',
  description: 'Per postgres_exporter target: 1 while Prometheus cannot scrape it, 0 while it answers.',
  parameters: [databaseInstanceParam()],
  unit: 'short',
  legend: '{{instance}}',
  render: (p) =>
    `(1 - ${selector('up', instanceMatchers(p))}) and on (instance, job) last_over_time(${selector(
      'pg_up',
      instanceMatchers(p)
    )}[${DOWN_LOOKBACK}])`,
  explain: msg(
    'signals.postgres.exporter.down.explain',
    'For each target that reported pg_up within the last day: 1 while its last scrape failed (the exporter is down or unreachable, so nothing is known about the database), 0 while it answers.'
  ),
});

/** The alert templates' own signals; getAlertingSignal finds them with the catalog's. */
export const ALERTING_SIGNALS: Signal[] = [
  serviceDown,
  eventLoopByService,
  hostDown,
  filesystemPredictedFree,
  containerLastSeen,
  postgresExporterDown,
];
