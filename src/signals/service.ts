/**
 * NestJS services: RED signals on the requests a service's instrumentation profile measures (profiles.ts): the
 * seed interceptor's histograms and counter, one histogram, or HTTP metrics with a status label.
 */
import {
  aggregate,
  formatNumber,
  type LabelMatcher,
  labelMatcher,
  labelName,
  matchAny,
  quote,
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
import { overProfiles, severalProfiles } from './acrossProfiles';
import { histogramSelectorParts, type InstrumentationProfile, OPERATION_ROLES, type OperationRole } from './profiles';
import type { Message, RenderContext, Signal, SignalParams } from './types';

export const RATE_INTERVAL = '$__rate_interval';
export const RANGE = '$__range';

/** The data source's instrumentation profile (see profiles.ts). */
const profileOf = (ctx: RenderContext): InstrumentationProfile => ctx.profile;

/** A selector of one series family (`_bucket`, `_count`, `_sum`) of a histogram of the profile. */
function histogramSelector(
  profile: InstrumentationProfile,
  histogram: string,
  suffix: string,
  matchers: LabelMatcher[]
): string {
  const parts = histogramSelectorParts(profile.requests, histogram, suffix);
  return 'metric' in parts
    ? selector(parts.metric, matchers)
    : selector('', [labelMatcher('__name__', '=~', parts.namePattern), ...matchers]);
}

/** The `_count` series of a profile's one request histogram (the seed's success histogram), as a selector. */
function requestCountSelector(profile: InstrumentationProfile, matchers: LabelMatcher[]): string {
  const r = profile.requests;
  return histogramSelector(profile, r.kind === 'by-outcome' ? r.success : r.histogram, '_count', matchers);
}

/**
 * The targets of the chosen services (every service when none is chosen), as series with `instance` and `job`:
 * - an info-gauge profile: the gauge itself, `nestjs_info{name="…"}` or `target_info{service_name="…"}`;
 * - a job profile: the targets that export the request histogram, `group by (instance, job) (…_count{job="…"})`.
 */
export function serviceTargets(services: string[], ctx: RenderContext, extra: LabelMatcher[] = []): string {
  if (severalProfiles(ctx)) {
    return `(${overProfiles(ctx, (pc) => serviceTargets(services, pc, extra))})`;
  }
  const profile = profileOf(ctx);
  const id = profile.service;
  if (id.kind === 'info') {
    return selector(id.metric, [...(services.length > 0 ? [matchAny(id.nameLabel, services)] : []), ...extra]);
  }
  const matchers = [...(services.length > 0 ? [matchAny('job', services)] : []), ...extra];
  return aggregate('group', requestCountSelector(profile, matchers), {
    mode: 'by',
    labels: ['instance', 'job'],
  });
}

/**
 * Restricts per-series metrics to the chosen services.
 *
 * The request histograms and the failed counter carry operation labels and the target labels (`instance`,
 * `job`), not the service name: that lives on the info gauge (`nestjs_info{domain, name, version}`, OpenTelemetry's
 * `target_info{service_name, service_version}`) of the same target, or is the job itself. So a service is a set of
 * targets (serviceTargets), and `<expr> and on (instance, job) <targets>` keeps exactly the series of those
 * targets. `and` is a filter: it keeps the left side's values and labels, needs no `group_left`, and tolerates
 * several info series per target (e.g. during a version change), where `* on (…) group_left` needs the info gauge
 * reduced to one series per target (see withServiceName, used to group by service). It works unchanged for a
 * multi-value or template variable (`name=~"$service"`). It must apply to each series before aggregation (the
 * labels are gone after `sum by (le)`), i.e. right after `rate`/`increase`.
 */
export function onlyServices(expr: string, services: string[], ctx: RenderContext): string {
  if (services.length === 0) {
    return expr;
  }
  return `${expr} and on (instance, job) ${serviceTargets(services, ctx)}`;
}

/** The group-by choice that groups by service; the series get the service's name as `name` (see withServiceName). */
export const SERVICE_GROUP = 'service';

/** Group-by choices as label names: `service` is the role label `name`, the others are their own role labels. */
export function groupLabels(choices: string[]): string[] {
  return choices.map((c) => (c === SERVICE_GROUP ? 'name' : c));
}

/** `label_replace(expr, "to", "$1", "from", "(.*)")`: a copy of label `from` named `to`. */
function copyLabel(expr: string, from: string, to: string): string {
  return `label_replace(${expr}, ${quote(to)}, "$1", ${quote(from)}, "(.*)")`;
}

/**
 * The service targets with the service's name as `name`, one series per target and name: for a join that adds
 * the name (withServiceName). `group by` reduces an info gauge to one series per target and name (a target
 * exposes two during a version change, and a many-to-many match would fail).
 */
function namedServiceTargets(services: string[], ctx: RenderContext): string {
  if (severalProfiles(ctx)) {
    return `(${overProfiles(ctx, (pc) => namedServiceTargets(services, pc))})`;
  }
  const profile = profileOf(ctx);
  const id = profile.service;
  if (id.kind === 'job') {
    return copyLabel(serviceTargets(services, ctx), 'job', 'name');
  }
  const grouped = aggregate('group', serviceTargets(services, ctx), {
    mode: 'by',
    labels: ['instance', 'job', id.nameLabel],
  });
  return id.nameLabel === 'name' ? grouped : copyLabel(grouped, id.nameLabel, 'name');
}

/**
 * Adds the service name to per-target series, for grouping by service:
 * `<expr> * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info{name="…"})`.
 *
 * Multiplying by the info series' value (1) keeps the left side's values and labels and adds `name`. The join
 * also filters: with chosen services only their targets match. `expr` must bind tighter than `*` (parenthesise
 * an `or`); like onlyServices, it applies to each series before aggregation.
 */
export function withServiceName(expr: string, services: string[], ctx: RenderContext): string {
  return `${expr} * on (instance, job) group_left (name) ${namedServiceTargets(services, ctx)}`;
}

/**
 * Filters of the request metrics themselves: target instance and operation, each on the profile's label for its
 * role (`http_route` for the handler of an OpenTelemetry service). A role the profile does not have filters nothing.
 */
function requestMatchers(params: SignalParams, ctx: RenderContext): LabelMatcher[] {
  const labels = profileOf(ctx).labels;
  const matchers: LabelMatcher[] = [];
  for (const role of ['instance', ...OPERATION_ROLES] as const) {
    const label = role === 'instance' ? 'instance' : labels[role];
    const values = listParam(params, role);
    if (label && values.length > 0) {
      matchers.push(matchAny(label, values));
    }
  }
  return matchers;
}

/** One per-series term of a query: a selector, and the `outcome` it is tagged with when outcomes are combined. */
interface Term {
  selector: string;
  outcome?: Outcome;
  /** The series of an outcome the profile cannot tell apart: kept for the query's shape, selecting nothing. */
  nothing?: boolean;
  /** Keeps the measured series to the targets that have these series (a metric two profiles share). */
  onlyWith?: string;
}

/** The status matcher of a by-status profile's failed (or not failed) requests. */
function statusMatcher(profile: InstrumentationProfile, failed: boolean): LabelMatcher[] {
  const r = profile.requests;
  return r.kind === 'by-status' ? [labelMatcher(r.statusLabel, failed ? '=~' : '!~', r.failedStatus)] : [];
}

/**
 * Terms for one series family (`_bucket`, `_count`, `_sum`) of the chosen outcome's requests:
 * - by outcome (the seed): the outcome's histogram; for all requests one term per histogram, each tagged with its
 *   outcome (a `__name__` regex over both histograms would collide after `rate`, which drops the name: a success
 *   and a fail series of the same operation have the same labels);
 * - by status: the histogram, narrowed by the status for one outcome;
 * - one histogram: the histogram for all requests; undefined for one outcome, which the profile cannot tell apart.
 */
function histogramTerms(
  params: SignalParams,
  ctx: RenderContext,
  suffix: string,
  extra: LabelMatcher[] = [],
  outcome: Outcome = stringParam(params, 'outcome') as Outcome
): Term[] | undefined {
  const profile = profileOf(ctx);
  const r = profile.requests;
  const matchers = [...requestMatchers(params, ctx), ...extra];
  switch (r.kind) {
    case 'by-outcome':
      if (outcome === 'all') {
        return [
          { selector: selector(r.success + suffix, matchers), outcome: 'success' },
          { selector: selector(r.fail + suffix, matchers), outcome: 'fail' },
        ];
      }
      return [{ selector: selector((outcome === 'fail' ? r.fail : r.success) + suffix, matchers) }];
    case 'by-status':
      return [
        {
          selector: histogramSelector(profile, r.histogram, suffix, [
            ...matchers,
            ...(outcome === 'all' ? [] : statusMatcher(profile, outcome === 'fail')),
          ]),
        },
      ];
    case 'one-histogram':
      return outcome === 'all' ? [{ selector: histogramSelector(profile, r.histogram, suffix, matchers) }] : undefined;
  }
}

/** The group-by choices (`service`, `controller`, …). */
const groupChoices = (params: SignalParams) => listParam(params, 'groupBy');
/** The role labels to aggregate by (`name` for service). */
const groupBy = (params: SignalParams) => groupLabels(groupChoices(params));

/**
 * The profile's label for a role label (`http_route` for `handler`), or the role itself where they are the same.
 * `error` is the failed counter's error label, or the status label of a by-status profile.
 */
function profileLabel(role: string, profile: InstrumentationProfile): string | undefined {
  if ((OPERATION_ROLES as readonly string[]).includes(role)) {
    return profile.labels[role as OperationRole];
  }
  if (role === 'error') {
    return profile.requests.kind === 'by-status' ? profile.requests.statusLabel : profile.failedCounter?.errorLabel;
  }
  return role;
}

/** Copies each grouped role's profile label under the role's name, where they differ (see profiles.ts). */
function withRoleLabels(expr: string, roles: string[], profile: InstrumentationProfile): string {
  let out = expr;
  for (const role of roles) {
    const label = profileLabel(role, profile);
    if (label && label !== role) {
      out = copyLabel(out, label, role);
    }
  }
  return out;
}

/**
 * `fn(selector[range])` of each term, as one vector: several terms are tagged with their outcome
 * (`label_replace(…, "outcome", "success", "", "")`) so they stay apart, and combined with `or`. Each series gets
 * the role labels it is grouped by (withRoleLabels) and is restricted to the chosen services (onlyServices); when
 * grouping by service, the (combined) series are joined with the service name instead (withServiceName), which
 * restricts them as well.
 */
function perSeries(
  fn: string,
  terms: Term[],
  range: string,
  params: SignalParams,
  ctx: RenderContext,
  roles: string[] = groupBy(params)
): string {
  const services = listParam(params, 'service');
  const joined = groupChoices(params).includes(SERVICE_GROUP);
  const parts = terms.map((term) => {
    const rated = `${fn}(${term.selector}[${range}])`;
    const measured = term.onlyWith ? `(${rated} and on (instance, job) ${term.onlyWith})` : rated;
    const series = withRoleLabels(
      term.nothing ? `(${measured} unless on () vector(1))` : measured,
      roles,
      profileOf(ctx)
    );
    const filtered = joined ? series : onlyServices(series, services, ctx);
    return term.outcome === undefined ? filtered : `label_replace(${filtered}, "outcome", "${term.outcome}", "", "")`;
  });
  if (!joined) {
    return parts.join(' or ');
  }
  return withServiceName(parts.length > 1 ? `(${parts.join(' or ')})` : parts[0], services, ctx);
}

/** The terms of all requests' `_count`, one per histogram (untagged: they are summed). */
function countTerms(params: SignalParams, ctx: RenderContext, outcome: Outcome): Term[] {
  const terms = histogramTerms(params, ctx, '_count', [], outcome);
  if (terms) {
    return terms.map(({ selector }) => ({ selector }));
  }
  // One histogram cannot give one outcome's count: only the failed counter can (see failedRate).
  return [];
}

/** The failed requests' per-series term: the failed counter, or the failed statuses of the histogram. */
function failedTerm(params: SignalParams, ctx: RenderContext): Term {
  const profile = profileOf(ctx);
  if (profile.failedCounter) {
    return {
      selector: selector(profile.failedCounter.metric, requestMatchers(params, ctx)),
      // Both NestJS interceptors count failures in nestjs_requests_failed_count: each profile its own targets'.
      ...(ctx.amongProfiles && { onlyWith: requestCountSeries(ctx, []) }),
    };
  }
  return {
    selector: requestCountSelector(profile, [...requestMatchers(params, ctx), ...statusMatcher(profile, true)]),
  };
}

/** Request rate of one outcome (or all), summed by the chosen labels. */
function requestRate(outcome: Outcome, params: SignalParams, ctx: RenderContext): string {
  const profile = profileOf(ctx);
  if (outcome === 'fail' && profile.requests.kind === 'one-histogram') {
    return sumBy(groupBy(params), perSeries('rate', [failedTerm(params, ctx)], RATE_INTERVAL, params, ctx));
  }
  return sumBy(groupBy(params), perSeries('rate', countTerms(params, ctx, outcome), RATE_INTERVAL, params, ctx));
}

/** `(a or b * 0)`: a, with 0 for every group only b has (fail series are missing until the first failure). */
function orZeroFrom(a: string, b: string): string {
  return `(${a} or ${b} * 0)`;
}

/**
 * Success and fail rates with an `outcome` label. Different label sets keep `or` from dropping fail series that
 * share labels with success series; the labelled `vector(0)` shows 0 failures before the first one. A profile with
 * one histogram counts successes as all requests less the failed ones, per group.
 */
function outcomeUnion(params: SignalParams, ctx: RenderContext, zeroFailures: boolean): string {
  const union = overProfiles(ctx, (pc) => profileOutcomeUnion(params, pc), true);
  return zeroFailures ? `${union} or label_replace(vector(0), "outcome", "fail", "", "")` : union;
}

/** One profile's success and fail rates with an `outcome` label (see outcomeUnion). */
function profileOutcomeUnion(params: SignalParams, ctx: RenderContext): string {
  const profile = profileOf(ctx);
  let union: string;
  if (profile.requests.kind === 'one-histogram') {
    const all = requestRate('all', params, ctx);
    const failed = requestRate('fail', params, ctx);
    union = `label_replace(${all} - ${orZeroFrom(failed, all)}, "outcome", "success", "", "") or label_replace(${failed}, "outcome", "fail", "", "")`;
  } else {
    const tagged = (outcome: Outcome): Term[] =>
      (histogramTerms(params, ctx, '_count', [], outcome) ?? []).map(({ selector }) => ({ selector, outcome }));
    union = perSeries('rate', [...tagged('success'), ...tagged('fail')], RATE_INTERVAL, params, ctx);
  }
  return union;
}

/**
 * The latency terms of the chosen outcome. Where the profile cannot tell outcomes apart (one histogram), the
 * query keeps its shape but selects nothing (`(rate(…) unless on () vector(1))`), and the signal's `unavailable`
 * says why: showing all requests' latency as the successful ones' would mislead.
 */
function latencyTerms(params: SignalParams, ctx: RenderContext, suffix: string, extra: LabelMatcher[] = []): Term[] {
  const terms = histogramTerms(params, ctx, suffix, extra);
  if (terms) {
    return terms;
  }
  const all = histogramTerms(params, ctx, suffix, extra, 'all') ?? [];
  return all.map(({ selector }) => ({ selector, nothing: true }));
}

const OUTCOMES_NOT_APART = msg(
  'signals.service.unavailable.outcome',
  'This instrumentation measures every request in one histogram, so the latency of successful and failed requests cannot be told apart: choose all requests.'
);

/** Why a latency signal cannot answer for the chosen outcome with this profile, or undefined when it can. */
function outcomeUnavailable(params: SignalParams, ctx: RenderContext): Message | undefined {
  return histogramTerms(params, ctx, '_count') ? undefined : OUTCOMES_NOT_APART;
}

/** The roles of an operation the profile has labels for (a route-based profile has no controller). */
function operationRoles(ctx: RenderContext): string[] {
  return OPERATION_ROLES.filter((role) => profileOf(ctx).labels[role] !== undefined);
}

/** A threshold in seconds in the profile's latency unit (`0.25` → `250` for milliseconds), for a bucket bound. */
function inProfileUnit(seconds: string, ctx: RenderContext): string {
  const unit = profileOf(ctx).latencyUnit;
  const value = Number(seconds);
  if (unit === 1 || !Number.isFinite(value)) {
    return seconds;
  }
  return String(Math.round((value / unit) * 1e6) / 1e6);
}

/** A latency in the profile's unit, in seconds: `x / 1000` for a histogram in milliseconds. */
function inSeconds(expr: string, ctx: RenderContext): string {
  const unit = profileOf(ctx).latencyUnit;
  return unit === 1 ? expr : `${expr} / ${formatNumber(1 / unit)}`;
}

/**
 * A signal's expression over every profile of the context, the profiles' results (each tagged with its profile)
 * combined by `combine` (e.g. `max by (…)`); for one profile, its expression as is.
 */
function acrossProfiles(
  ctx: RenderContext,
  render: (profileCtx: RenderContext) => string,
  combine: (union: string) => string
): string {
  return severalProfiles(ctx) ? combine(overProfiles(ctx, render, true)) : render(ctx);
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
    overProfiles(ctx, (pc) => perSeries(fn, [failedTerm(p, pc)], range, p, pc))
  );
  // Without grouping one total must read 0 before the first failure; grouped series simply do not exist yet.
  return groupBy(p).length === 0 ? `${sum} or vector(0)` : sum;
}

const errorRateSignal = defineSignal({
  id: 'service.errors.rate',
  family: 'service',
  failuresOnly: true,
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
  failuresOnly: true,
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
    if (severalProfiles(ctx)) {
      // Every profile's failed requests over every profile's requests, each summed across the profiles.
      const all = sumBy(groupBy(p), outcomeUnion(p, ctx, false));
      const failed = sumBy(
        groupBy(p),
        overProfiles(ctx, (pc) => requestRate('fail', p, pc), true)
      );
      return `${orZeroFrom(failed, all)} / ${all}`;
    }
    if (profileOf(ctx).requests.kind === 'by-outcome') {
      const success = requestRate('success', p, ctx);
      const fail = requestRate('fail', p, ctx);
      // Either side may be missing for a group: fill it with 0 from the other side so the ratio exists.
      return `${orZeroFrom(fail, success)} / (${orZeroFrom(success, fail)} + ${orZeroFrom(fail, success)})`;
    }
    // One count of all requests: failures (missing until the first one) over it.
    const all = requestRate('all', p, ctx);
    return `${orZeroFrom(requestRate('fail', p, ctx), all)} / ${all}`;
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
  // Across profiles (auto) the histograms have their own buckets and units, so there is no one percentile of their
  // union: each profile's is computed, and a group's value is the highest, which bounds the union's from above
  // (and is exact for a group of one profile's series, such as a service).
  render: (p, ctx) =>
    acrossProfiles(
      ctx,
      (pc) =>
        inSeconds(
          `histogram_quantile(${formatNumber(scalarParam(p, 'quantile'))}, ${sumBy(
            ['le', ...groupBy(p)],
            perSeries('rate', latencyTerms(p, pc, '_bucket'), RATE_INTERVAL, p, pc)
          )})`,
          pc
        ),
      (union) => aggregate('max', union, { mode: 'by', labels: groupBy(p) })
    ),
  unavailable: outcomeUnavailable,
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
  render: (p, ctx) => {
    const total = (pc: RenderContext, suffix: string) =>
      sumBy(groupBy(p), perSeries('rate', latencyTerms(p, pc, suffix), RATE_INTERVAL, p, pc));
    if (!severalProfiles(ctx)) {
      return inSeconds(`${total(ctx, '_sum')} / ${total(ctx, '_count')}`, ctx);
    }
    // The time spent, in seconds, of every profile over the requests of every profile.
    const seconds = overProfiles(ctx, (pc) => inSeconds(total(pc, '_sum'), pc), true);
    const requests = overProfiles(ctx, (pc) => total(pc, '_count'), true);
    return `${sumBy(groupBy(p), seconds)} / ${sumBy(groupBy(p), requests)}`;
  },
  unavailable: outcomeUnavailable,
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
  // Across profiles the bounds of every profile's buckets are rows of one heatmap; a service's page draws its own.
  render: (p, ctx) =>
    acrossProfiles(
      ctx,
      (pc) => sumBy(['le'], perSeries('increase', latencyTerms(p, pc, '_bucket'), '$__interval', p, pc)),
      (union) => sumBy(['le'], union)
    ),
  unavailable: outcomeUnavailable,
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
  render: (p, ctx) => {
    const under = (pc: RenderContext) =>
      sumBy(
        groupBy(p),
        perSeries(
          'rate',
          latencyTerms(p, pc, '_bucket', [bucketBound(inProfileUnit(stringParam(p, 'threshold'), pc))]),
          RATE_INTERVAL,
          p,
          pc
        )
      );
    const all = (pc: RenderContext) =>
      sumBy(groupBy(p), perSeries('rate', latencyTerms(p, pc, '_count'), RATE_INTERVAL, p, pc));
    if (!severalProfiles(ctx)) {
      return `${under(ctx)} / ${all(ctx)}`;
    }
    return `${sumBy(groupBy(p), overProfiles(ctx, under, true))} / ${sumBy(groupBy(p), overProfiles(ctx, all, true))}`;
  },
  unavailable: outcomeUnavailable,
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
  render: (p, ctx) => {
    const quantile = (pc: RenderContext) => {
      const roles = operationRoles(pc);
      return inSeconds(
        `histogram_quantile(${formatNumber(scalarParam(p, 'quantile'))}, ${sumBy(
          ['le', ...roles],
          perSeries('rate', latencyTerms(p, pc, '_bucket'), RANGE, p, pc, roles)
        )})`,
        pc
      );
    };
    const slowest = acrossProfiles(ctx, quantile, (union) =>
      aggregate('max', union, { mode: 'by', labels: OPERATION_LABELS })
    );
    return `topk(${formatNumber(scalarParam(p, 'topN'))}, ${slowest})`;
  },
  unavailable: outcomeUnavailable,
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
  failuresOnly: true,
  title: 'Most failing operations',
  description: 'The operations (controller, handler, method) with the most failed requests in the selected time range.',
  parameters: [serviceParam(), serviceInstanceParam(), topNParam()],
  unit: 'short',
  format: 'table',
  instant: true,
  legend: legendOf(OPERATION_LABELS),
  render: (p, ctx) => {
    const failed = (pc: RenderContext) => {
      const roles = operationRoles(pc);
      return sumBy(roles, perSeries('increase', [failedTerm(p, pc)], RANGE, p, pc, roles));
    };
    const failing = acrossProfiles(ctx, failed, (union) => sumBy(OPERATION_LABELS, union));
    return `topk(${formatNumber(scalarParam(p, 'topN'))}, ${failing})`;
  },
  explain: explainWith(
    msg(
      'signals.service.operations.failing.explain',
      'The {{n}} operations with the most failed requests in the selected time range.'
    ),
    (p) => ({ n: String(scalarParam(p, 'topN')) })
  ),
});

/**
 * The services' identity series with the role labels `name` and `version` (and `instance`, `job`), of the chosen
 * services and instances: the info gauge (its labels copied under the role names where they differ), or for a job
 * profile the version info gauge where a target has one and the request histogram's targets otherwise, the job
 * copied as `name`. `wrap` turns each selector into what the signal needs of it (e.g. `last_over_time`).
 */
function serviceInfo(p: SignalParams, ctx: RenderContext, wrap: (selector: string) => string = (sel) => sel): string {
  if (severalProfiles(ctx)) {
    // Untagged: the profiles that share an info gauge read the same series, which `or` keeps once.
    return overProfiles(ctx, (pc) => serviceInfo(p, pc, wrap));
  }
  const profile = profileOf(ctx);
  const id = profile.service;
  const services = listParam(p, 'service');
  const instances = listParam(p, 'instance');
  const instanceMatchers = instances.length > 0 ? [matchAny('instance', instances)] : [];
  if (id.kind === 'info') {
    const info = wrap(
      selector(id.metric, [...(services.length > 0 ? [matchAny(id.nameLabel, services)] : []), ...instanceMatchers])
    );
    const named = id.nameLabel === 'name' ? info : copyLabel(info, id.nameLabel, 'name');
    return id.versionLabel === 'version' ? named : copyLabel(named, id.versionLabel, 'version');
  }
  const matchers = [...(services.length > 0 ? [matchAny('job', services)] : []), ...instanceMatchers];
  const targets = aggregate('group', wrap(requestCountSelector(profile, matchers)), {
    mode: 'by',
    labels: ['instance', 'job'],
  });
  if (!id.versionInfo) {
    return copyLabel(targets, 'job', 'name');
  }
  const versions = aggregate('group', wrap(selector(id.versionInfo.metric, matchers)), {
    mode: 'by',
    labels: ['instance', 'job', id.versionInfo.versionLabel],
  });
  const versioned =
    id.versionInfo.versionLabel === 'version' ? versions : copyLabel(versions, id.versionInfo.versionLabel, 'version');
  return copyLabel(`${versioned} or on (instance, job) ${targets}`, 'job', 'name');
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
  render: (p, ctx) => `count by (name, version) (${serviceInfo(p, ctx)})`,
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
  render: (p, ctx) => `count by (name) (group by (instance, job, name) (${serviceInfo(p, ctx)}))`,
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
  render: (p, ctx) => `count(group by (name) (${serviceInfo(p, ctx)}))`,
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
    const before = (sel: string) => `last_over_time(${sel}[${RATE_INTERVAL}] offset $__interval)`;
    return `count by (name, version) (${serviceInfo(p, ctx)}) unless count by (name, version) (${serviceInfo(p, ctx, before)})`;
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

/**
 * Selector of the request histograms' `_count` series (both of the seed's: an operation may so far only have
 * failed).
 */
function requestCountSeries(ctx: RenderContext, matchers: LabelMatcher[]): string {
  const r = profileOf(ctx).requests;
  return r.kind === 'by-outcome'
    ? selector('', [matchAny('__name__', [`${r.success}_count`, `${r.fail}_count`]), ...matchers])
    : requestCountSelector(profileOf(ctx), matchers);
}

/** Values of a service page's `instance` variable: the targets of the service. */
export function serviceInstanceVariableQuery(ctx: RenderContext, service: string): string {
  const id = profileOf(ctx).service;
  return id.kind === 'info'
    ? labelValues(selector(id.metric, [matchAny(id.nameLabel, service)]), 'instance')
    : labelValues(requestCountSeries(ctx, [matchAny('job', service)]), 'instance');
}

/**
 * Values of the `controller` variable: controllers measured on the chosen instances. The request metrics do not
 * carry the service name and a label_values selector cannot join, so the instances (of one service) filter.
 */
export function serviceControllerVariableQuery(ctx: RenderContext, instance: string): string {
  return labelValues(
    requestCountSeries(ctx, [matchAny('instance', instance)]),
    profileOf(ctx).labels.controller ?? 'controller'
  );
}

/** Values of the `handler` variable: handlers of the chosen controllers on the chosen instances. */
export function serviceHandlerVariableQuery(ctx: RenderContext, instance: string, controller: string): string {
  const labels = profileOf(ctx).labels;
  const matchers = [
    matchAny('instance', instance),
    ...(labels.controller ? [matchAny(labels.controller, controller)] : []),
  ];
  return labelValues(requestCountSeries(ctx, matchers), labels.handler ?? 'handler');
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
