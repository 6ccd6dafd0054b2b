/**
 * Exports of the alert templates (src/signals/alerts/): Grafana alerting file provisioning (Grafana-managed rules
 * that query the Pulse data source) and a Prometheus rule file (for Prometheus + Alertmanager). Pure: the caller
 * writes the text.
 */
import { stringify } from 'yaml';

import {
  alertAnnotations,
  type AlertOverrides,
  type AlertPack,
  type AlertTemplate,
  type Comparison,
  type Message,
  type RenderContext,
  type RenderedRule,
  renderAlert,
} from '../signals';

export interface RuleSelection {
  template: AlertTemplate;
  overrides?: AlertOverrides;
}

export interface ExportOptions {
  ctx: RenderContext;
  /** Base path of the app's pages, for the `pulse_page` annotation: `/a/pulse-monitoring-app`. */
  appBase: string;
  /** How often the rules are evaluated (the group interval). */
  interval?: string;
  /**
   * Distinguishes several exports of the same rules (e.g. one per data source or environment): part of every
   * Grafana uid and title, so they do not overwrite each other.
   */
  scope?: string;
  translate?: (message: Message) => string;
}

export interface GrafanaExportOptions extends ExportOptions {
  /** uid of the Pulse data source the rules query. */
  datasourceUid: string;
  orgId?: number;
  folder?: string;
}

export interface PrometheusExportOptions extends ExportOptions {
  /** Prometheus' scrape interval: the fixed rate window is four of them, at least one minute. */
  scrapeInterval?: string;
}

/** A rule left out of an export because the data source's instrumentation profile cannot answer it. */
export interface SkippedRule {
  pack: AlertPack;
  rule: string;
  reason: Message;
}

export const DEFAULT_INTERVAL = '1m';
export const DATASOURCE_TYPE = 'pulse-prometheus-datasource';
/** What Grafana's alerting sends for a rule query (and what the integration suite sends the same way). */
export const ALERT_QUERY_INTERVAL_MS = 1000;
export const ALERT_QUERY_MAX_DATA_POINTS = 43200;

/** FNV-1a, 32 bits, as 8 hex digits: short, stable across runs and machines. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * A Grafana rule uid from pack, rule and scope: readable, at most 40 characters of `[a-z0-9-]` (Grafana's limit),
 * and the same on every export, so re-provisioning updates the rule instead of adding one.
 */
export function ruleUid(pack: AlertPack, rule: string, scope?: string): string {
  const kebab = (s: string) =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  const readable = kebab(`${pack}-${rule.replace(new RegExp(`^${pack}`, 'i'), '')}`)
    .slice(0, 25)
    .replace(/-$/, '');
  return `pulse-${readable}-${fnv1a([pack, rule, scope ?? ''].join('/'))}`;
}

/** Duration in seconds: `90s`, `5m`, `1h30m`, `1d`. */
export function durationSeconds(duration: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  const parts = [...duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((m) => m[0]).join('') !== duration) {
    throw new Error(`not a duration: ${duration}`);
  }
  return parts.reduce((sum, m) => sum + Number(m[1]) * units[m[2]], 0);
}

/** Seconds as the shortest Prometheus duration: 60 -> 1m, 5400 -> 1h30m. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) {
    return '0s';
  }
  let rest = Math.round(seconds);
  let out = '';
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

/** The rate window of a Prometheus rule: four scrape intervals, at least one minute (as `$__rate_interval` is). */
export function rateWindowSeconds(scrapeInterval: string): number {
  return Math.max(4 * durationSeconds(scrapeInterval), 60);
}

/**
 * Replaces Grafana's macros with fixed windows for a Prometheus rule: `$__rate_interval` and `$__interval` by the
 * rate window, `$__range` by the rule's range (and their `_ms`/`_s` forms, `${…}` spellings included). Fails on
 * any other macro, which Prometheus would reject.
 */
export function withFixedWindows(expr: string, windows: { rate: number; range: number }): string {
  const values: Record<string, (seconds: number) => string> = {
    '': formatDuration,
    _ms: (s) => String(s * 1000),
    _s: (s) => String(s),
  };
  const seconds: Record<string, number> = {
    __rate_interval: windows.rate,
    __interval: windows.rate,
    __range: windows.range,
  };
  const out = expr.replace(
    /\$\{?(__rate_interval|__interval|__range)(_ms|_s)?\}?/g,
    (whole, name: string, suffix: string | undefined) => {
      if (whole.startsWith('${') !== whole.endsWith('}')) {
        return whole;
      }
      return values[suffix ?? ''](seconds[name]);
    }
  );
  const left = out.match(/\$\{?__\w+/);
  if (left) {
    throw new Error(`no fixed window for ${left[0]} in ${expr}`);
  }
  return out;
}

function renderSelection(selection: RuleSelection[], ctx: RenderContext) {
  const rules: RenderedRule[] = [];
  const skipped: SkippedRule[] = [];
  for (const { template, overrides } of selection) {
    const rule = renderAlert(template, ctx, overrides);
    if (rule.unavailable) {
      skipped.push({ pack: rule.pack, rule: rule.rule, reason: rule.unavailable });
    } else {
      rules.push(rule);
    }
  }
  return { rules, skipped };
}

/** Rules grouped by pack, in the packs' first-appearance order. */
function byPack(rules: RenderedRule[]): Array<[AlertPack, RenderedRule[]]> {
  const groups = new Map<AlertPack, RenderedRule[]>();
  for (const rule of rules) {
    groups.set(rule.pack, [...(groups.get(rule.pack) ?? []), rule]);
  }
  return [...groups.entries()];
}

const THRESHOLD_TYPES = { '>': 'gt', '<': 'lt' } as const;
const EXPRESSION_DATASOURCE = { type: '__expr__', uid: '__expr__' };

/** One query of a Grafana-managed rule (Grafana's AlertQuery): a data source query or a server-side expression. */
export interface AlertQuery {
  refId: string;
  relativeTimeRange?: { from: number; to: number };
  datasourceUid: string;
  model: Record<string, unknown>;
}

/** Grafana's server-side reduce expression: each series of `input` to one number (its last value by default). */
export function reduceExpression(refId: string, input: string, reducer = 'last'): AlertQuery {
  return {
    refId,
    datasourceUid: '__expr__',
    model: { refId, datasource: EXPRESSION_DATASOURCE, type: 'reduce', expression: input, reducer },
  };
}

/** Grafana's threshold expression on the numbers of `input`: the rule's condition. */
export function thresholdExpression(refId: string, input: string, op: Comparison, value: number): AlertQuery {
  return {
    refId,
    datasourceUid: '__expr__',
    model: {
      refId,
      datasource: EXPRESSION_DATASOURCE,
      type: 'threshold',
      expression: input,
      conditions: [{ evaluator: { type: THRESHOLD_TYPES[op], params: [value] } }],
    },
  };
}

/** The query model of a rule's data source query: what Grafana sends the Pulse data source when it evaluates. */
export function alertQueryModel(rule: RenderedRule, datasourceUid: string) {
  return {
    refId: 'A',
    datasource: { type: DATASOURCE_TYPE, uid: datasourceUid },
    editorMode: 'code',
    expr: rule.query,
    instant: true,
    range: false,
    format: 'time_series',
    intervalMs: ALERT_QUERY_INTERVAL_MS,
    maxDataPoints: ALERT_QUERY_MAX_DATA_POINTS,
  };
}

/** One Grafana-managed rule as file provisioning and the provisioning HTTP API both write it: A, reduce B, threshold C. */
export function grafanaRule(rule: RenderedRule, options: GrafanaExportOptions) {
  const query: AlertQuery = {
    refId: 'A',
    relativeTimeRange: { from: durationSeconds(rule.range), to: 0 },
    datasourceUid: options.datasourceUid,
    model: alertQueryModel(rule, options.datasourceUid),
  };
  return {
    uid: ruleUid(rule.pack, rule.rule, options.scope),
    title: options.scope ? `${rule.rule} (${options.scope})` : rule.rule,
    condition: 'C',
    data: [
      query,
      reduceExpression('B', 'A'),
      thresholdExpression('C', 'B', rule.condition.op, rule.condition.threshold),
    ],
    // The query returns only the series that can fire (the guard filters the rest): nothing is no problem.
    noDataState: 'OK',
    execErrState: 'Error',
    for: rule.for,
    labels: rule.labels,
    annotations: alertAnnotations(rule, {
      valueRef: '$values.B.Value',
      appBase: options.appBase,
      translate: options.translate,
    }),
    isPaused: false,
  };
}

export const groupName = (pack: AlertPack) => `pulse-${pack}`;

/** Grafana alerting file provisioning (apiVersion 1): one group per pack in folder Pulse. */
export function grafanaProvisioning(selection: RuleSelection[], options: GrafanaExportOptions) {
  const { rules, skipped } = renderSelection(selection, options.ctx);
  const groups = byPack(rules).map(([pack, packRules]) => ({
    orgId: options.orgId ?? 1,
    name: groupName(pack),
    folder: options.folder ?? 'Pulse',
    interval: options.interval ?? DEFAULT_INTERVAL,
    rules: packRules.map((rule) => grafanaRule(rule, options)),
  }));
  return { file: { apiVersion: 1, groups }, skipped };
}

/** A Prometheus rule file: one group per pack, Grafana's macros replaced by fixed windows. */
export function prometheusRules(selection: RuleSelection[], options: PrometheusExportOptions) {
  const { rules, skipped } = renderSelection(selection, options.ctx);
  const rate = rateWindowSeconds(options.scrapeInterval ?? '15s');
  const groups = byPack(rules).map(([pack, packRules]) => ({
    name: groupName(pack),
    interval: options.interval ?? DEFAULT_INTERVAL,
    rules: packRules.map((rule) => ({
      alert: rule.rule,
      expr: withFixedWindows(rule.expr, { rate, range: durationSeconds(rule.range) }),
      for: rule.for,
      labels: rule.labels,
      annotations: alertAnnotations(rule, {
        valueRef: '$value',
        appBase: options.appBase,
        translate: options.translate,
      }),
    })),
  }));
  return { file: { groups }, skipped };
}

/** YAML as both files are written: no line folding (expressions stay on one line), strings quoted where needed. */
export function toYaml(value: unknown, header?: string): string {
  const body = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
  return header ? `${header.replace(/^/gm, '# ')}\n${body}` : body;
}
