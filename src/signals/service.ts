/**
 * NestJS services: RED signals on the interceptor's histograms and counter (names from settings).
 */
import {
  aggregate,
  formatNumber,
  type LabelMatcher,
  labelMatcher,
  labelName,
  matchAny,
  selector,
  sumBy,
} from '../promql/render';
import { defineSignal, legendOf } from './define';
import { msg, withValues } from './messages';
import {
  controllerParam,
  groupByParam,
  handlerParam,
  listParam,
  methodParam,
  type Outcome,
  outcomeParam,
  quantileParam,
  latencyThresholdParam,
  scalarParam,
  serviceInstanceParam,
  serviceParam,
  stringParam,
  topNParam,
} from './params';
import type { Message, RenderContext, Signal, SignalParams } from './types';

export const RATE_INTERVAL = '$__rate_interval';
export const RANGE = '$__range';

/**
 * Restricts per-series request metrics to the chosen services.
 *
 * The request histograms and the failed counter carry `handler, controller, method` and the target labels
 * (`instance`, `job`), not the service name: that lives on the info gauge (`domain, name, version`), exported by
 * the same target. So a service is the set of targets whose info gauge names it, and
 * `<expr> and on (instance, job) nestjs_info{name="…"}` keeps exactly the series of those targets. `and` is a
 * filter: it keeps the left side's values and labels, needs no `group_left`, and tolerates several info series
 * per target (e.g. during a version change), where `* on (…) group_left` needs the info gauge reduced to one
 * series per target (see withServiceName, used to group by service). It works unchanged for a multi-value or
 * template variable (`name=~"$service"`). It must apply to each series before aggregation (the label is gone
 * after `sum by (le)`), i.e. right after `rate`/`increase`.
 */
export function onlyServices(expr: string, services: string[], ctx: RenderContext): string {
  if (services.length === 0) {
    return expr;
  }
  return `${expr} and on (instance, job) ${selector(ctx.info, [matchAny('name', services)])}`;
}

/** The group-by choice that groups by service; the series get the info gauge's `name` label (see withServiceName). */
export const SERVICE_GROUP = 'service';

/** Group-by choices as label names: `service` is the info gauge's `name` label, the others are their own labels. */
export function groupLabels(choices: string[]): string[] {
  return choices.map((c) => (c === SERVICE_GROUP ? 'name' : c));
}

/**
 * Adds the service name to per-target series, for grouping by service:
 * `<expr> * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info{name="…"})`.
 *
 * The request and runtime metrics carry the target labels only; the name lives on the info gauge of the same
 * target. `group by (instance, job, name)` reduces the info gauge to one series per target and name (a target
 * exposes two during a version change, and a many-to-many match would fail); multiplying by its value (1) keeps
 * the left side's values and labels and adds `name`. The join also filters: with chosen services only their
 * targets match. `expr` must bind tighter than `*` (parenthesise an `or`); like onlyServices, it applies to each
 * series before aggregation.
 */
export function withServiceName(expr: string, services: string[], ctx: RenderContext): string {
  const info = selector(ctx.info, services.length > 0 ? [matchAny('name', services)] : []);
  return `${expr} * on (instance, job) group_left (name) ${aggregate('group', info, {
    mode: 'by',
    labels: ['instance', 'job', 'name'],
  })}`;
}

/** Filters of the request metrics themselves: target instance and operation. */
function requestMatchers(params: SignalParams): LabelMatcher[] {
  const matchers: LabelMatcher[] = [];
  for (const label of ['instance', 'controller', 'handler', 'method']) {
    const values = listParam(params, label);
    if (values.length > 0) {
      matchers.push(matchAny(label, values));
    }
  }
  return matchers;
}

/** One per-series term of a query: a selector, and the `outcome` it is tagged with when outcomes are combined. */
interface Term {
  selector: string;
  outcome?: Outcome;
}

/**
 * Terms for one series family (`_bucket`, `_count`, `_sum`) of the chosen outcome's histogram; for all requests
 * one term per histogram, each tagged with its outcome. (A `__name__` regex over both histograms would collide
 * after `rate`, which drops the name: a success and a fail series of the same operation have the same labels.)
 */
function histogramTerms(params: SignalParams, ctx: RenderContext, suffix: string, extra: LabelMatcher[] = []): Term[] {
  const outcome = stringParam(params, 'outcome') as Outcome;
  const matchers = [...requestMatchers(params), ...extra];
  if (outcome === 'all') {
    return [
      { selector: selector(ctx.successHistogram + suffix, matchers), outcome: 'success' },
      { selector: selector(ctx.failHistogram + suffix, matchers), outcome: 'fail' },
    ];
  }
  const histogram = outcome === 'fail' ? ctx.failHistogram : ctx.successHistogram;
  return [{ selector: selector(histogram + suffix, matchers) }];
}

/** The group-by choices (`service`, `controller`, …). */
const groupChoices = (params: SignalParams) => listParam(params, 'groupBy');
/** The labels to aggregate by (`name` for service). */
const groupBy = (params: SignalParams) => groupLabels(groupChoices(params));

/**
 * `fn(selector[range])` of each term, as one vector: several terms are tagged with their outcome
 * (`label_replace(…, "outcome", "success", "", "")`) so they stay apart, and combined with `or`. Restricted to
 * the chosen services per series (onlyServices); when grouping by service, the (combined) series are joined
 * with the service name instead (withServiceName), which restricts them as well.
 */
function perSeries(fn: string, terms: Term[], range: string, params: SignalParams, ctx: RenderContext): string {
  const services = listParam(params, 'service');
  const joined = groupChoices(params).includes(SERVICE_GROUP);
  const parts = terms.map((term) => {
    const series = `${fn}(${term.selector}[${range}])`;
    const filtered = joined ? series : onlyServices(series, services, ctx);
    return term.outcome === undefined ? filtered : `label_replace(${filtered}, "outcome", "${term.outcome}", "", "")`;
  });
  if (!joined) {
    return parts.join(' or ');
  }
  return withServiceName(parts.length > 1 ? `(${parts.join(' or ')})` : parts[0], services, ctx);
}

/** Request rate of one histogram (success or fail), summed by the chosen labels. */
function requestRate(histogram: string, params: SignalParams, ctx: RenderContext): string {
  return sumBy(
    groupBy(params),
    perSeries(
      'rate',
      [{ selector: selector(`${histogram}_count`, requestMatchers(params)) }],
      RATE_INTERVAL,
      params,
      ctx
    )
  );
}

/** `(a or b * 0)`: a, with 0 for every group only b has (fail series are missing until the first failure). */
function orZeroFrom(a: string, b: string): string {
  return `(${a} or ${b} * 0)`;
}

/**
 * Success and fail rates with an `outcome` label. Different label sets keep `or` from dropping fail series that
 * share labels with success series; the labelled `vector(0)` shows 0 failures before the first one.
 */
function outcomeUnion(params: SignalParams, ctx: RenderContext, zeroFailures: boolean): string {
  const terms: Term[] = [
    { selector: selector(`${ctx.successHistogram}_count`, requestMatchers(params)), outcome: 'success' },
    { selector: selector(`${ctx.failHistogram}_count`, requestMatchers(params)), outcome: 'fail' },
  ];
  const union = perSeries('rate', terms, RATE_INTERVAL, params, ctx);
  return zeroFailures ? `${union} or label_replace(vector(0), "outcome", "fail", "", "")` : union;
}

const serviceFilters = () => [serviceParam(), serviceInstanceParam(), controllerParam(), handlerParam(), methodParam()];
const OPERATION_LABELS = ['controller', 'handler', 'method'];

/** An explanation whose placeholders come from the parameters. */
function explainWith(
  message: Message,
  values: (params: SignalParams) => Record<string, string | number>
): (params: SignalParams) => Message {
  return (params) => withValues(message, values(params));
}

/** An explanation per outcome; the messages are declared when the signal is defined. */
function byOutcome(
  messages: Record<Outcome, Message>,
  values: (params: SignalParams) => Record<string, string | number> = () => ({})
): (params: SignalParams) => Message {
  return (params) => withValues(messages[stringParam(params, 'outcome') as Outcome], values(params));
}

const percentile = (params: SignalParams) => {
  const q = scalarParam(params, 'quantile');
  return typeof q === 'number' || /^[\d.]+$/.test(q) ? `p${Math.round(Number(q) * 1000) / 10}` : q;
};

const requestRateSignal = defineSignal({
  id: 'service.requests.rate',
  family: 'service',
  title: 'Request rate by outcome',
  description: 'Requests per second, split into successful and failed (the handler threw).',
  parameters: [...serviceFilters(), groupByParam([SERVICE_GROUP, 'controller', 'handler', 'method', 'instance'])],
  unit: 'reqps',
  legend: (p) => legendOf(['outcome', ...groupBy(p)]),
  // Grouped, a label-less zero would be a stray series: groups without failures show no fail series.
  render: (p, ctx) => sumBy(['outcome', ...groupBy(p)], outcomeUnion(p, ctx, groupBy(p).length === 0)),
  explain: msg(
    'signals.service.requests.rate.explain',
    'Requests handled per second, averaged over the rate window, as two series: successful and failed. Failed shows 0 until the first failure.'
  ),
});

const requestTotalSignal = defineSignal({
  id: 'service.requests.total',
  family: 'service',
  title: 'Request rate',
  description: 'All requests per second, successful and failed together.',
  parameters: [...serviceFilters(), groupByParam([SERVICE_GROUP, 'controller', 'handler', 'method', 'instance'])],
  unit: 'reqps',
  legend: (p) => legendOf(groupBy(p)),
  render: (p, ctx) => sumBy(groupBy(p), outcomeUnion(p, ctx, false)),
  explain: msg(
    'signals.service.requests.total.explain',
    'Requests handled per second, successful plus failed, averaged over the rate window.'
  ),
});

function errorCount(fn: string, range: string, p: SignalParams, ctx: RenderContext): string {
  const sum = sumBy(
    groupBy(p),
    perSeries(fn, [{ selector: selector(ctx.failedCounter, requestMatchers(p)) }], range, p, ctx)
  );
  // Without grouping one total must read 0 before the first failure; grouped series simply do not exist yet.
  return groupBy(p).length === 0 ? `${sum} or vector(0)` : sum;
}

const errorRateSignal = defineSignal({
  id: 'service.errors.rate',
  family: 'service',
  title: 'Errors per second',
  description: 'Failed requests per second from the failed-requests counter, per controller, handler or error.',
  parameters: [
    ...serviceFilters(),
    groupByParam(['controller', 'handler', 'method', 'error', 'instance'], { default: ['controller'] }),
  ],
  unit: 'reqps',
  legend: (p) => legendOf(groupBy(p)),
  render: (p, ctx) => errorCount('rate', RATE_INTERVAL, p, ctx),
  explain: msg('signals.service.errors.rate.explain', 'Failed requests per second, averaged over the rate window.'),
});

const errorCountSignal = defineSignal({
  id: 'service.errors.count',
  family: 'service',
  title: 'Error count',
  description: 'How many requests failed in the selected time range, per controller, handler or error.',
  parameters: [
    ...serviceFilters(),
    groupByParam(['controller', 'handler', 'method', 'error', 'instance'], { default: ['controller'] }),
  ],
  unit: 'short',
  format: 'table',
  instant: true,
  legend: (p) => legendOf(groupBy(p)),
  render: (p, ctx) => errorCount('increase', RANGE, p, ctx),
  explain: msg('signals.service.errors.count.explain', 'The number of failed requests in the selected time range.'),
});

const errorRatioSignal = defineSignal({
  id: 'service.errors.ratio',
  family: 'service',
  title: 'Error ratio',
  description: 'Share of requests that failed.',
  parameters: [...serviceFilters(), groupByParam([SERVICE_GROUP, 'controller', 'handler', 'method', 'instance'])],
  unit: 'percentunit',
  legend: (p) => legendOf(groupBy(p)),
  render: (p, ctx) => {
    const success = requestRate(ctx.successHistogram, p, ctx);
    const fail = requestRate(ctx.failHistogram, p, ctx);
    // Either side may be missing for a group: fill it with 0 from the other side so the ratio exists.
    return `${orZeroFrom(fail, success)} / (${orZeroFrom(success, fail)} + ${orZeroFrom(fail, success)})`;
  },
  explain: msg(
    'signals.service.errors.ratio.explain',
    'Failed requests divided by all requests, over the rate window: 0 means none failed, 1 means all failed.'
  ),
});

const latencyOutcomeParams = () => [...serviceFilters(), outcomeParam()];

const quantileSignal = defineSignal({
  id: 'service.latency.quantile',
  family: 'service',
  title: 'Latency percentile',
  description: 'How long requests take: p50, p90, p95 or p99, estimated from the latency histogram.',
  parameters: [
    ...latencyOutcomeParams(),
    quantileParam(),
    groupByParam([SERVICE_GROUP, 'controller', 'handler', 'method', 'instance']),
  ],
  unit: 's',
  legend: (p) => legendOf(groupBy(p)) || percentile(p),
  render: (p, ctx) =>
    `histogram_quantile(${formatNumber(scalarParam(p, 'quantile'))}, ${sumBy(
      ['le', ...groupBy(p)],
      perSeries('rate', histogramTerms(p, ctx, '_bucket'), RATE_INTERVAL, p, ctx)
    )})`,
  explain: byOutcome(
    {
      success: msg(
        'signals.service.latency.quantile.explain.success',
        'The {{quantile}} latency of successful requests: that share of them finished faster. Estimated from histogram buckets over the rate window.'
      ),
      fail: msg(
        'signals.service.latency.quantile.explain.fail',
        'The {{quantile}} latency of failed requests: that share of them failed faster. Estimated from histogram buckets over the rate window.'
      ),
      all: msg(
        'signals.service.latency.quantile.explain.all',
        'The {{quantile}} latency of all requests: that share of them finished faster. Estimated from histogram buckets over the rate window.'
      ),
    },
    (p) => ({ quantile: percentile(p) })
  ),
});

const averageSignal = defineSignal({
  id: 'service.latency.average',
  family: 'service',
  title: 'Average latency',
  description: 'Mean request duration: total time spent divided by the number of requests.',
  parameters: [...latencyOutcomeParams(), groupByParam([SERVICE_GROUP, 'controller', 'handler', 'method', 'instance'])],
  unit: 's',
  legend: (p) => legendOf(groupBy(p)),
  render: (p, ctx) =>
    `${sumBy(groupBy(p), perSeries('rate', histogramTerms(p, ctx, '_sum'), RATE_INTERVAL, p, ctx))} / ${sumBy(
      groupBy(p),
      perSeries('rate', histogramTerms(p, ctx, '_count'), RATE_INTERVAL, p, ctx)
    )}`,
  explain: byOutcome({
    success: msg(
      'signals.service.latency.average.explain.success',
      'The mean duration of successful requests over the rate window.'
    ),
    fail: msg(
      'signals.service.latency.average.explain.fail',
      'The mean duration of failed requests over the rate window.'
    ),
    all: msg('signals.service.latency.average.explain.all', 'The mean duration of all requests over the rate window.'),
  }),
});

const heatmapSignal = defineSignal({
  id: 'service.latency.heatmap',
  family: 'service',
  title: 'Latency heatmap',
  description: 'How many requests fell into each latency bucket, per time slice.',
  parameters: latencyOutcomeParams(),
  unit: 's',
  format: 'heatmap',
  legend: '{{le}}',
  // `increase` over the panel interval: each cell is a count of requests, not a per-second rate.
  render: (p, ctx) => sumBy(['le'], perSeries('increase', histogramTerms(p, ctx, '_bucket'), '$__interval', p, ctx)),
  explain: byOutcome({
    success: msg(
      'signals.service.latency.heatmap.explain.success',
      'Successful requests counted per latency bucket and time slice; darker cells hold more requests.'
    ),
    fail: msg(
      'signals.service.latency.heatmap.explain.fail',
      'Failed requests counted per latency bucket and time slice; darker cells hold more requests.'
    ),
    all: msg(
      'signals.service.latency.heatmap.explain.all',
      'All requests counted per latency bucket and time slice; darker cells hold more requests.'
    ),
  }),
});

/**
 * The bucket bound as a matcher. Prometheus 3 stores classic-histogram bounds normalised (`1` becomes `1.0`),
 * older versions as exposed (`1`); an integer bound matches both spellings.
 */
export function bucketBound(threshold: string): LabelMatcher {
  if (/^\d+$/.test(threshold)) {
    return labelMatcher('le', '=~', `${threshold}(\\.0)?`);
  }
  return labelMatcher('le', '=', threshold);
}

const shareUnderSignal = defineSignal({
  id: 'service.latency.share-under',
  family: 'service',
  title: 'Share of requests under a threshold',
  description: 'The fraction of requests faster than a latency threshold (Apdex-like).',
  parameters: [
    ...latencyOutcomeParams(),
    latencyThresholdParam(),
    groupByParam(['controller', 'handler', 'method', 'instance']),
  ],
  unit: 'percentunit',
  legend: (p) => legendOf(groupBy(p)),
  render: (p, ctx) =>
    `${sumBy(
      groupBy(p),
      perSeries(
        'rate',
        histogramTerms(p, ctx, '_bucket', [bucketBound(stringParam(p, 'threshold'))]),
        RATE_INTERVAL,
        p,
        ctx
      )
    )} / ${sumBy(groupBy(p), perSeries('rate', histogramTerms(p, ctx, '_count'), RATE_INTERVAL, p, ctx))}`,
  explain: byOutcome(
    {
      success: msg(
        'signals.service.latency.share-under.explain.success',
        'The share of successful requests that took at most {{ms}} ms, over the rate window (1 = all of them).'
      ),
      fail: msg(
        'signals.service.latency.share-under.explain.fail',
        'The share of failed requests that took at most {{ms}} ms, over the rate window (1 = all of them).'
      ),
      all: msg(
        'signals.service.latency.share-under.explain.all',
        'The share of all requests that took at most {{ms}} ms, over the rate window (1 = all of them).'
      ),
    },
    (p) => ({ ms: Number(stringParam(p, 'threshold')) * 1000 })
  ),
});

const slowestSignal = defineSignal({
  id: 'service.operations.slowest',
  family: 'service',
  title: 'Slowest operations',
  description:
    'The operations (controller, handler, method) with the highest latency percentile in the selected time range.',
  parameters: [serviceParam(), serviceInstanceParam(), outcomeParam(), quantileParam(), topNParam()],
  unit: 's',
  format: 'table',
  instant: true,
  legend: legendOf(OPERATION_LABELS),
  render: (p, ctx) =>
    `topk(${formatNumber(scalarParam(p, 'topN'))}, histogram_quantile(${formatNumber(scalarParam(p, 'quantile'))}, ${sumBy(
      ['le', ...OPERATION_LABELS],
      perSeries('rate', histogramTerms(p, ctx, '_bucket'), RANGE, p, ctx)
    )}))`,
  explain: explainWith(
    msg(
      'signals.service.operations.slowest.explain',
      'The {{n}} operations with the highest {{quantile}} latency over the whole selected time range.'
    ),
    (p) => ({ n: String(scalarParam(p, 'topN')), quantile: percentile(p) })
  ),
});

const failingSignal = defineSignal({
  id: 'service.operations.failing',
  family: 'service',
  title: 'Most failing operations',
  description: 'The operations (controller, handler, method) with the most failed requests in the selected time range.',
  parameters: [serviceParam(), serviceInstanceParam(), topNParam()],
  unit: 'short',
  format: 'table',
  instant: true,
  legend: legendOf(OPERATION_LABELS),
  render: (p, ctx) =>
    `topk(${formatNumber(scalarParam(p, 'topN'))}, ${sumBy(
      OPERATION_LABELS,
      perSeries('increase', [{ selector: selector(ctx.failedCounter, requestMatchers(p)) }], RANGE, p, ctx)
    )})`,
  explain: explainWith(
    msg(
      'signals.service.operations.failing.explain',
      'The {{n}} operations with the most failed requests in the selected time range.'
    ),
    (p) => ({ n: String(scalarParam(p, 'topN')) })
  ),
});

function infoSelector(p: SignalParams, ctx: RenderContext): string {
  const matchers: LabelMatcher[] = [];
  const services = listParam(p, 'service');
  const instances = listParam(p, 'instance');
  if (services.length > 0) {
    matchers.push(matchAny('name', services));
  }
  if (instances.length > 0) {
    matchers.push(matchAny('instance', instances));
  }
  return selector(ctx.info, matchers);
}

const versionsSignal = defineSignal({
  id: 'service.versions',
  family: 'service',
  title: 'Versions',
  description: 'Which versions of each service are running, and on how many instances.',
  parameters: [serviceParam(), serviceInstanceParam()],
  unit: 'short',
  format: 'table',
  instant: true,
  legend: '{{name}} {{version}}',
  render: (p, ctx) => `count by (name, version) (${infoSelector(p, ctx)})`,
  explain: msg(
    'signals.service.versions.explain',
    'The number of running instances per service and version, from the service info gauge.'
  ),
});

const instancesSignal = defineSignal({
  id: 'service.instances',
  family: 'service',
  title: 'Running instances',
  description: 'How many instances of each service report metrics.',
  parameters: [serviceParam(), serviceInstanceParam()],
  unit: 'short',
  legend: '{{name}}',
  render: (p, ctx) => `count by (name) (group by (instance, job, name) (${infoSelector(p, ctx)}))`,
  explain: msg(
    'signals.service.instances.explain',
    'The number of instances of each service whose metrics Prometheus scrapes.'
  ),
});

const countSignal = defineSignal({
  id: 'service.count',
  family: 'service',
  title: 'Services',
  description: 'How many services report metrics.',
  parameters: [serviceParam(), serviceInstanceParam()],
  unit: 'short',
  legend: '',
  render: (p, ctx) => `count(group by (name) (${infoSelector(p, ctx)}))`,
  explain: msg(
    'signals.service.count.explain',
    'The number of distinct service names on the service info gauge, however many instances and versions each runs.'
  ),
});

/**
 * Deploy markers: a (service, version) pair that reports at a step but reported nowhere in the rate window
 * ending one step earlier, i.e. the steps where a version appears. The look-back is a window rather than the
 * single instant one step earlier because a restart leaves a short scrape gap (staleness ends the series for a
 * moment); a window of four scrapes bridges it, so a restart with the same version is not taken for a deploy.
 * `$__interval` is the query step, so each appearance lands on exactly one step.
 */
const deploysSignal = defineSignal({
  id: 'service.deploys',
  family: 'service',
  title: 'Deploys',
  description: 'When a version of a service started reporting: one point per service, version and deploy.',
  parameters: [serviceParam(), serviceInstanceParam()],
  unit: 'short',
  legend: '{{name}} {{version}}',
  render: (p, ctx) => {
    const info = infoSelector(p, ctx);
    return `count by (name, version) (${info}) unless count by (name, version) (last_over_time(${info}[${RATE_INTERVAL}] offset $__interval))`;
  },
  explain: msg(
    'signals.service.deploys.explain',
    'A point at each step where a version of a service reports that did not report just before: a deploy or the first start.'
  ),
});

/** `label_values(<selector>, <label>)`, the variable query the Pulse data source answers from label values. */
function labelValues(seriesSelector: string, label: string): string {
  return `label_values(${seriesSelector}, ${labelName(label)})`;
}

/** Selector of both request histograms' `_count` series: an operation may so far only have failed. */
function requestCountSeries(ctx: RenderContext, matchers: LabelMatcher[]): string {
  const names = [`${ctx.successHistogram}_count`, `${ctx.failHistogram}_count`];
  return selector('', [matchAny('__name__', names), ...matchers]);
}

/** Values of a service page's `instance` variable: the targets whose info gauge names the service. */
export function serviceInstanceVariableQuery(ctx: RenderContext, service: string): string {
  return labelValues(selector(ctx.info, [matchAny('name', service)]), 'instance');
}

/**
 * Values of the `controller` variable: controllers measured on the chosen instances. The request metrics do not
 * carry the service name and a label_values selector cannot join, so the instances (of one service) filter.
 */
export function serviceControllerVariableQuery(ctx: RenderContext, instance: string): string {
  return labelValues(requestCountSeries(ctx, [matchAny('instance', instance)]), 'controller');
}

/** Values of the `handler` variable: handlers of the chosen controllers on the chosen instances. */
export function serviceHandlerVariableQuery(ctx: RenderContext, instance: string, controller: string): string {
  return labelValues(
    requestCountSeries(ctx, [matchAny('instance', instance), matchAny('controller', controller)]),
    'handler'
  );
}

export const SERVICE_SIGNALS: Signal[] = [
  requestRateSignal,
  requestTotalSignal,
  errorRateSignal,
  errorCountSignal,
  errorRatioSignal,
  quantileSignal,
  averageSignal,
  heatmapSignal,
  shareUnderSignal,
  slowestSignal,
  failingSignal,
  versionsSignal,
  instancesSignal,
  countSignal,
  deploysSignal,
];
