/**
 * Service level objectives: per service an availability objective (the share of requests that did not fail) and a
 * latency objective (the share of requests that took at most a threshold, from the latency histogram's buckets),
 * each over a window (30 days by default), for every instrumentation profile (profiles.ts).
 *
 * Three questions per objective, as in Google's SRE workbook (chapter "Alerting on SLOs"):
 * - the SLI: good requests / all requests over the window;
 * - the error budget remaining: 1 - (bad share / allowed bad share), 1 = untouched, 0 = spent, below 0 = overspent;
 * - the burn rate: bad share over a (short) window / allowed bad share; 1 spends the budget exactly in the
 *   objective's window, 14.4 spends 2 % of a 30-day budget in one hour.
 *
 * Why these do not reuse service.ts's rate-window filters: over a 30-day window the targets of a service change
 * (restarts on new ports, replaced pods), and `and on (instance, job) nestjs_info` keeps only the targets that report
 * now, silently dropping the requests of every replaced one. Here the targets are those known as the service at
 * any time within the window (`last_over_time(<info>[window])`), as the "service down" alert knows its targets.
 */
import { aggregate, formatNumber, labelMatcher, type LabelMatcher, matchAny, quote, selector } from '../promql/render';
import { escapeRegexMetacharacters } from '../promql/escape';
import { defineSignal, legendOf } from './define';
import { msg, withValues } from './messages';
import {
  groupByParam,
  latencyThresholdParam,
  listParam,
  modeChoice,
  modeParam,
  serviceInstanceParam,
  serviceParam,
  stringParam,
} from './params';
import { histogramSelectorParts, type InstrumentationProfile } from './profiles';
import { bucketBound, groupLabels, SERVICE_GROUP } from './service';
import { overProfiles, profileContexts, severalProfiles } from './acrossProfiles';
import type { Message, ParameterChoice, RenderContext, Signal, SignalParameter, SignalParams } from './types';

export type SloKind = 'availability' | 'latency';

/**
 * The defaults, and why:
 * - availability 99.5 %: about 3.6 hours of total failure (or 0.5 % of requests failing throughout) in 30 days; a
 *   team running NestJS services behind one Prometheus rarely has the redundancy 99.9 % (43 minutes) asks for,
 *   and an objective that is always missed teaches people to ignore it;
 * - latency 95 % of requests within 500 ms: 0.5 s is a bound of the seed's bucket layout (an SLI from buckets
 *   needs an exact bound) and the usual "responsive" limit of an API call; 95 % leaves the tail to the p95/p99
 *   alerts rather than to the budget;
 * - 30 days: the window the workbook's burn-rate factors (14.4, 6) are computed for.
 */
export const SLO_DEFAULTS = {
  availability: '99.5',
  latency: '95',
  threshold: '0.5',
  window: '30d',
} as const;

export const SLO_OBJECTIVES = ['90', '95', '99', '99.5', '99.9', '99.95'];
export const SLO_WINDOWS = ['7d', '14d', '28d', '30d'];
/** Burn-rate windows of the multi-window alerts (fast: 1h and 5m, slow: 6h and 30m) and of the page (1h, 6h). */
export const BURN_WINDOWS = ['5m', '30m', '1h', '6h', '1d', '3d'];

const sloKindParam = () =>
  modeParam(
    'slo',
    'Objective',
    [
      modeChoice('service-slo', 'availability', 'Availability (requests that did not fail)'),
      modeChoice('service-slo', 'latency', 'Latency (requests under the threshold)'),
    ],
    'availability'
  );

const percentChoice = (value: string): ParameterChoice => ({
  value,
  label: { ...msg('signals.choices.slo-objective', '{{percent}} %'), values: { percent: value } },
});

/** The objective in percent; without one, the objective kind's default (99.5 availability, 95 latency). */
const objectiveParam = (): SignalParameter => ({
  name: 'objective',
  type: 'threshold',
  label: msg('signals.params.slo-objective', 'Objective'),
  required: false,
  multi: false,
  choices: SLO_OBJECTIVES.map(percentChoice),
});

const windowParam = (windows: string[], def: string): SignalParameter => ({
  name: 'window',
  type: 'mode',
  label: msg('signals.params.slo-window', 'Window'),
  required: true,
  multi: false,
  default: def,
  choices: windows.map((w) => modeChoice('slo-window', w, w)),
});

/**
 * The latency threshold: seconds when a number (converted to the histogram's unit, as the share-under signal
 * does), or a variable whose values are the histogram's own bucket bounds (the Service page reads them from
 * Prometheus), taken as they are.
 */
const thresholdParam = () => latencyThresholdParam({ default: SLO_DEFAULTS.threshold });

const kindOf = (p: SignalParams): SloKind => (stringParam(p, 'slo') === 'latency' ? 'latency' : 'availability');

/** The objective as written (`99.5` or a variable reference). */
function objectiveOf(p: SignalParams): string {
  const value = p.objective === undefined || p.objective === '' ? SLO_DEFAULTS[kindOf(p)] : String(p.objective);
  return value;
}

/** The allowed bad share: `0.005` for 99.5, `(1 - $var / 100)` for a variable. */
export function errorBudget(objective: string): string {
  const value = Number(objective);
  if (objective.trim() !== '' && Number.isFinite(value)) {
    if (value <= 0 || value >= 100) {
      throw new Error(`an objective is a percentage between 0 and 100, got ${objective}`);
    }
    return formatNumber(Math.round((1 - value / 100) * 1e9) / 1e9);
  }
  return `(1 - ${objective} / 100)`;
}

const copyLabel = (expr: string, from: string, to: string) =>
  `label_replace(${expr}, ${quote(to)}, "$1", ${quote(from)}, "(.*)")`;

/** A threshold in seconds in the profile's unit; anything but a number (a variable) is a bound as stored. */
function boundInProfileUnit(threshold: string, profile: InstrumentationProfile): string {
  const value = Number(threshold);
  if (profile.latencyUnit === 1 || !Number.isFinite(value)) {
    return threshold;
  }
  return String(Math.round((value / profile.latencyUnit) * 1e6) / 1e6);
}

/** How one `rate(...[window])` per series becomes a sum for the chosen services, grouped or not. */
interface Summing {
  sum(rateExpr: string): string;
  /** Matchers every request selector gets (a job profile's service, the chosen instances). */
  matchers: LabelMatcher[];
}

function summing(p: SignalParams, ctx: RenderContext, window: string): Summing {
  const services = listParam(p, 'service');
  const instances = listParam(p, 'instance');
  const byService = groupLabels(listParam(p, 'groupBy')).includes('name');
  const id = ctx.profile.service;
  const instanceMatchers = instances.length > 0 ? [matchAny('instance', instances)] : [];
  if (id.kind === 'job') {
    // The job is the service: a matcher on the request series themselves, no join.
    return {
      matchers: [...(services.length > 0 ? [matchAny('job', services)] : []), ...instanceMatchers],
      sum: (expr) =>
        byService
          ? aggregate('sum', copyLabel(expr, 'job', 'name'), { mode: 'by', labels: ['name'] })
          : aggregate('sum', expr),
    };
  }
  const info = selector(id.metric, [...(services.length > 0 ? [matchAny(id.nameLabel, services)] : [])]);
  const known = aggregate('group', `last_over_time(${info}[${window}])`, {
    mode: 'by',
    labels: ['instance', 'job', id.nameLabel],
  });
  const named = id.nameLabel === 'name' ? known : copyLabel(known, id.nameLabel, 'name');
  return {
    matchers: instanceMatchers,
    sum: (expr) =>
      byService
        ? aggregate('sum', `${expr} * on (instance, job) group_left (name) ${named}`, { mode: 'by', labels: ['name'] })
        : services.length > 0
          ? aggregate('sum', `${expr} and on (instance, job) ${named}`)
          : aggregate('sum', expr),
  };
}

function histogramSeries(profile: InstrumentationProfile, histogram: string, suffix: string, m: LabelMatcher[]) {
  const parts = histogramSelectorParts(profile.requests, histogram, suffix);
  return 'metric' in parts
    ? selector(parts.metric, m)
    : selector('', [labelMatcher('__name__', '=~', parts.namePattern), ...m]);
}

/** `(a or b * 0)`: a, with 0 where only b has a value (fail series are missing until the first failure). */
const orZeroFrom = (a: string, b: string) => `(${a} or ${b} * 0)`;

/** A rate of good (latency) or bad (availability) requests and the rate of all requests. */
interface ShareTerms {
  part: string;
  all: string;
}

/**
 * One profile's share of the objective, each rate summed per the chosen grouping; undefined where the profile
 * cannot count bad requests (one histogram and no failed counter: see sloUnavailable).
 */
function shareTerms(p: SignalParams, ctx: RenderContext, window: string): ShareTerms | undefined {
  const profile = ctx.profile;
  const r = profile.requests;
  const s = summing(p, ctx, window);
  const rate = (sel: string) => s.sum(`rate(${sel}[${window}])`);
  const latency = kindOf(p) === 'latency';
  const le = latency ? [bucketBound(boundInProfileUnit(stringParam(p, 'threshold'), profile))] : [];
  if (r.kind === 'by-outcome') {
    const success = rate(histogramSeries(profile, r.success, '_count', s.matchers));
    const fail = rate(histogramSeries(profile, r.fail, '_count', s.matchers));
    const all = `(${orZeroFrom(success, fail)} + ${orZeroFrom(fail, success)})`;
    if (!latency) {
      return { part: orZeroFrom(fail, success), all };
    }
    const fastSuccess = rate(histogramSeries(profile, r.success, '_bucket', [...s.matchers, ...le]));
    const fastFail = rate(histogramSeries(profile, r.fail, '_bucket', [...s.matchers, ...le]));
    return { part: `(${orZeroFrom(fastSuccess, fastFail)} + ${orZeroFrom(fastFail, fastSuccess)})`, all };
  }
  const count = histogramSeries(profile, r.histogram, '_count', s.matchers);
  const all = rate(count);
  if (latency) {
    return { part: rate(histogramSeries(profile, r.histogram, '_bucket', [...s.matchers, ...le])), all };
  }
  if (r.kind === 'by-status') {
    const failed = rate(
      histogramSeries(profile, r.histogram, '_count', [
        ...s.matchers,
        labelMatcher(r.statusLabel, '=~', r.failedStatus),
      ])
    );
    return { part: orZeroFrom(failed, all), all };
  }
  if (!profile.failedCounter) {
    return undefined;
  }
  const counter = `rate(${selector(profile.failedCounter.metric, s.matchers)}[${window}])`;
  // Both NestJS interceptors count failures in one counter: among profiles, each counts its own targets' only.
  const failed = s.sum(
    ctx.amongProfiles ? `(${counter} and on (instance, job) last_over_time(${count}[${window}]))` : counter
  );
  return { part: orZeroFrom(failed, all), all };
}

/**
 * The shares of good and bad requests over the window, per the chosen grouping: availability counts failed
 * requests (bad), latency the requests in the threshold's bucket (good); the other share is one minus it.
 *
 * Across profiles (auto) each profile's rates are summed with the others' (a service is read by one of them; a sum
 * over every service adds them all up) before the one division, and a profile that cannot count bad requests adds
 * nothing, so its services select nothing rather than a perfect availability.
 */
function shares(p: SignalParams, ctx: RenderContext, window: string): { good: string; bad: string } {
  const share = severalProfiles(ctx) ? sharesAcross(p, ctx, window) : singleShare(p, ctx, window);
  return kindOf(p) === 'latency' ? { good: share, bad: `1 - (${share})` } : { bad: share, good: `1 - (${share})` };
}

function singleShare(p: SignalParams, ctx: RenderContext, window: string): string {
  const terms = shareTerms(p, ctx, window);
  if (terms) {
    return `${terms.part} / ${terms.all}`;
  }
  // One histogram and no failed counter: nothing tells a failed request apart (see sloUnavailable).
  const r = ctx.profile.requests;
  const histogram = r.kind === 'by-outcome' ? r.success : r.histogram;
  const s = summing(p, ctx, window);
  return `${s.sum(`rate(${histogramSeries(ctx.profile, histogram, '_count', s.matchers)}[${window}])`)} * 0`;
}

function sharesAcross(p: SignalParams, ctx: RenderContext, window: string): string {
  const terms = new Map<string, ShareTerms>();
  const measurable = profileContexts(ctx).filter((pc) => {
    const t = shareTerms(p, pc, window);
    if (t) {
      terms.set(pc.profile.id, t);
    }
    return t !== undefined;
  });
  if (measurable.length <= 1) {
    return singleShare(p, measurable[0] ?? ctx, window);
  }
  const across = { ...ctx, profiles: measurable.map((pc) => pc.profile) };
  const byService = groupLabels(listParam(p, 'groupBy')).includes('name');
  const total = (pick: (t: ShareTerms) => string) => {
    const union = overProfiles(across, (pc) => pick(terms.get(pc.profile.id)!), true);
    return byService ? aggregate('sum', union, { mode: 'by', labels: ['name'] }) : aggregate('sum', union);
  };
  return `${total((t) => t.part)} / ${total((t) => t.all)}`;
}

const NO_FAILURE_MEASURE = msg(
  'signals.service.slo.unavailable.failures',
  'This instrumentation counts no failed requests (no failed counter, no status label), so availability cannot be measured: set a failed-requests counter in the data source settings.'
);

/** Where the (first) profile has no share terms: the same test the rendering makes. */
function sloUnavailable(p: SignalParams, ctx: RenderContext): Message | undefined {
  return shareTerms(p, ctx, stringParam(p, 'window')) ? undefined : NO_FAILURE_MEASURE;
}

const sloParams = (windows: string[], def: string) => [
  serviceParam(),
  serviceInstanceParam(),
  sloKindParam(),
  objectiveParam(),
  thresholdParam(),
  windowParam(windows, def),
  groupByParam([SERVICE_GROUP]),
];

/** Threshold in milliseconds for the texts; a variable as it is. */
const thresholdText = (p: SignalParams) => {
  const value = Number(stringParam(p, 'threshold'));
  return Number.isFinite(value) ? Math.round(value * 1e6) / 1000 : stringParam(p, 'threshold');
};

const SLI_EXPLAIN: Record<SloKind, Message> = {
  availability: msg(
    'signals.service.slo.sli.explain.availability',
    'Requests that did not fail divided by all requests over the last {{window}}, counting every target that reported as the service in that window.'
  ),
  latency: msg(
    'signals.service.slo.sli.explain.latency',
    'Requests that took at most {{ms}} ms (a bucket bound of the latency histogram) divided by all requests over the last {{window}}, counting every target that reported as the service in that window.'
  ),
};

const BUDGET_EXPLAIN = msg(
  'signals.service.slo.budget-remaining.explain',
  'One minus the share of bad requests over the last {{window}} divided by the share the {{objective}} % objective allows. As a graph, each point looks back one whole window from that point.'
);

const BURN_EXPLAIN = msg(
  'signals.service.slo.burn-rate.explain',
  'The share of bad requests over the last {{window}} divided by the share the {{objective}} % objective allows: at 14.4 a 30-day budget lasts about two days, at 6 five days, at 1 exactly the window.'
);

const sliSignal = defineSignal({
  id: 'service.slo.sli',
  family: 'service',
  title: 'SLI over the objective window',
  description:
    'The share of good requests over the objective window: not failed (availability) or fast enough (latency).',
  parameters: sloParams(SLO_WINDOWS, SLO_DEFAULTS.window),
  unit: 'percentunit',
  legend: (p) => legendOf(groupLabels(listParam(p, 'groupBy'))),
  render: (p, ctx) => shares(p, ctx, stringParam(p, 'window')).good,
  unavailable: sloUnavailable,
  explain: (p) => withValues(SLI_EXPLAIN[kindOf(p)], { window: stringParam(p, 'window'), ms: thresholdText(p) }),
});

const budgetSignal = defineSignal({
  id: 'service.slo.budget-remaining',
  family: 'service',
  title: 'Error budget remaining',
  description:
    'How much of the error budget (the bad requests the objective allows over its window) is left: 1 untouched, 0 spent, below 0 overspent.',
  parameters: sloParams(SLO_WINDOWS, SLO_DEFAULTS.window),
  unit: 'percentunit',
  legend: (p) => legendOf(groupLabels(listParam(p, 'groupBy'))),
  render: (p, ctx) => `1 - (${shares(p, ctx, stringParam(p, 'window')).bad}) / ${errorBudget(objectiveOf(p))}`,
  unavailable: sloUnavailable,
  explain: (p) => withValues(BUDGET_EXPLAIN, { window: stringParam(p, 'window'), objective: objectiveOf(p) }),
});

const burnRateSignal = defineSignal({
  id: 'service.slo.burn-rate',
  family: 'service',
  title: 'Error budget burn rate',
  description:
    'How fast the error budget is being spent: the share of bad requests over a short window divided by the share the objective allows (1 spends it exactly in the objective window).',
  parameters: sloParams(BURN_WINDOWS, '1h'),
  unit: 'short',
  legend: (p) => legendOf(groupLabels(listParam(p, 'groupBy'))),
  render: (p, ctx) => `(${shares(p, ctx, stringParam(p, 'window')).bad}) / ${errorBudget(objectiveOf(p))}`,
  unavailable: sloUnavailable,
  explain: (p) => withValues(BURN_EXPLAIN, { window: stringParam(p, 'window'), objective: objectiveOf(p) }),
});

/** A profile's latency histogram (the success one where requests are split by outcome). */
function latencyHistogram(profile: InstrumentationProfile): string {
  const r = profile.requests;
  return r.kind === 'by-outcome' ? r.success : r.histogram;
}

/** The name pattern of a profile's latency buckets, for a `__name__=~` alternation. */
function bucketNamePattern(profile: InstrumentationProfile): string {
  const parts = histogramSelectorParts(profile.requests, latencyHistogram(profile), '_bucket');
  return 'metric' in parts ? escapeRegexMetacharacters(parts.metric) : parts.namePattern;
}

/**
 * Values of the Service page's latency-threshold variable: the bucket bounds (`le`) the service's latency histogram
 * has on the chosen instances, as stored (in the histogram's unit); the page drops `+Inf`. Across profiles (auto,
 * before the page knows the service's profile) every profile's histogram is read: the instances are one service's,
 * which one profile reads, so the bounds are still its histogram's, in its unit, whichever answer arrives last.
 */
export function serviceLatencyBoundVariableQuery(ctx: RenderContext, instance: string): string {
  const onInstances = [matchAny('instance', instance)];
  if (!severalProfiles(ctx)) {
    return `label_values(${histogramSeries(ctx.profile, latencyHistogram(ctx.profile), '_bucket', onInstances)}, le)`;
  }
  const names = [...new Set(ctx.profiles.map(bucketNamePattern))].join('|');
  return `label_values(${selector('', [labelMatcher('__name__', '=~', names), ...onInstances])}, le)`;
}

export const SLO_SIGNALS: Signal[] = [sliSignal, budgetSignal, burnRateSignal];
