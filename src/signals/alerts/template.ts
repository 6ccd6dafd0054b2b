/**
 * Alert templates: a signal with fixed parameters (one series per thing that can fire), a condition on its value,
 * an optional guard (another signal that must hold for the same series, e.g. enough traffic), how long it must
 * hold, a severity, texts and the Pulse page that shows it. renderAlert turns one, with the data source's render
 * context and the user's overrides, into a rule; src/alerts/export.ts writes rules as Grafana provisioning or
 * Prometheus rule files. Pure: no I/O.
 */
import { formatNumber } from '../../promql/render';
import { ALERTING_SIGNALS } from '../alerting';
import { CONTAINER_SIGNALS } from '../container';
import { HOST_SIGNALS } from '../host';
import { english } from '../messages';
import { POSTGRES_SIGNALS } from '../postgres';
import { RUNTIME_SIGNALS } from '../runtime';
import { SERVICE_SIGNALS } from '../service';
import { SLO_SIGNALS } from '../slo';
import { TARGET_SIGNALS } from '../target';
import type { Message, RenderContext, Signal, SignalParams } from '../types';

export type AlertPack = 'service' | 'host' | 'container' | 'postgres' | 'target';

export const ALERT_PACKS: readonly AlertPack[] = ['service', 'host', 'container', 'postgres', 'target'];

/** Comparisons Grafana's threshold expression and PromQL both have (`gt`, `lt`). */
export type Comparison = '>' | '<';

export type Severity = 'critical' | 'warning' | 'info';

export interface AlertCondition {
  op: Comparison;
  threshold: number;
  /** Grafana unit id of the value and threshold: percentunit (0.05 = 5%), s, bytes, reqps, short. */
  unit: string;
}

/** Another signal that must hold for the same series (joined `on` the labels given, all labels otherwise). */
export interface AlertGuard extends AlertCondition {
  signal: string;
  params: SignalParams;
  on?: string[];
}

export interface AlertTemplate {
  pack: AlertPack;
  /** Rule name, unique in its pack, as Prometheus alert names are written: `ServiceErrorRatioHigh`. */
  rule: string;
  signal: string;
  params: SignalParams;
  condition: AlertCondition;
  guard?: AlertGuard;
  /** How long the condition must hold before the alert fires (Prometheus duration). */
  for: string;
  severity: Severity;
  /** The window the query looks back: Grafana's relative time range, and what `$__range` stands for. */
  range: string;
  /** The labels that tell one alert instance from another, e.g. `name` for a service. */
  instanceLabels: string[];
  /** Message placeholders filled with label values: placeholder -> label (`{ service: 'name' }`). */
  labelValues: Record<string, string>;
  summary: Message;
  description: Message;
  /** What to check first. */
  runbook: Message;
  /** App route of the Pulse page that shows it, with `{{label}}` placeholders: `services/{{name}}`. */
  page: string;
}

export interface AlertOverrides {
  threshold?: number;
  for?: string;
  severity?: Severity;
  /** The guard's threshold (e.g. the minimum request rate). */
  guardThreshold?: number;
  /** Extra labels on the rule (e.g. team, environment); Pulse's own labels win. */
  labels?: Record<string, string>;
}

export interface RenderedRule {
  pack: AlertPack;
  rule: string;
  template: AlertTemplate;
  /** The signal with the guard applied and without the condition: what Grafana queries (its threshold compares). */
  query: string;
  /** The query with the condition: the Prometheus rule's expression. */
  expr: string;
  condition: AlertCondition;
  /** The guard's condition with its effective threshold. */
  guard?: AlertCondition;
  for: string;
  severity: Severity;
  range: string;
  labels: Record<string, string>;
  /** Why the instrumentation profile cannot answer this rule; its query then selects nothing. */
  unavailable?: Message;
}

const BY_ID = new Map<string, Signal>(
  [
    ...SERVICE_SIGNALS,
    ...SLO_SIGNALS,
    ...RUNTIME_SIGNALS,
    ...HOST_SIGNALS,
    ...CONTAINER_SIGNALS,
    ...POSTGRES_SIGNALS,
    ...TARGET_SIGNALS,
    ...ALERTING_SIGNALS,
  ].map((s) => [s.id, s])
);

/** A signal of the catalog or of the alerting signals (src/signals/alerting.ts). */
export function alertSignal(id: string): Signal {
  const signal = BY_ID.get(id);
  if (!signal) {
    throw new Error(`alert template names unknown signal ${id}`);
  }
  return signal;
}

/** `(<a>) op threshold`: a comparison that filters, as PromQL's comparison operators do. */
function compare(expr: string, op: Comparison, threshold: number): string {
  return `(${expr}) ${op} ${formatNumber(threshold)}`;
}

/** Renders a template into a rule for this render context, with the user's overrides. */
export function renderAlert(template: AlertTemplate, ctx: RenderContext, overrides: AlertOverrides = {}): RenderedRule {
  const signal = alertSignal(template.signal);
  let query = signal.render(template.params, ctx);
  let unavailable = signal.unavailable(template.params, ctx);
  const guardThreshold = overrides.guardThreshold ?? template.guard?.threshold;
  if (template.guard && guardThreshold !== undefined) {
    const guard = alertSignal(template.guard.signal);
    const on = template.guard.on ? ` on (${template.guard.on.join(', ')})` : '';
    query = `(${query}) and${on} ${compare(guard.render(template.guard.params, ctx), template.guard.op, guardThreshold)}`;
    unavailable = unavailable ?? guard.unavailable(template.guard.params, ctx);
  }
  const condition = { ...template.condition, threshold: overrides.threshold ?? template.condition.threshold };
  const severity = overrides.severity ?? template.severity;
  return {
    pack: template.pack,
    rule: template.rule,
    template,
    query,
    expr: compare(query, condition.op, condition.threshold),
    condition,
    ...(template.guard &&
      guardThreshold !== undefined && {
        guard: { op: template.guard.op, threshold: guardThreshold, unit: template.guard.unit },
      }),
    for: overrides.for ?? template.for,
    severity,
    range: template.range,
    labels: { ...overrides.labels, severity, pulse_pack: template.pack, pulse_rule: template.rule },
    ...(unavailable && { unavailable }),
  };
}

/** A threshold as people read it: 5%, 500ms, 2 GiB, 0.1. */
export function formatThreshold(value: number, unit: string): string {
  switch (unit) {
    case 'percentunit':
      return `${formatNumber(Math.round(value * 10000) / 100)}%`;
    case 's':
      return value < 1 ? `${formatNumber(Math.round(value * 1e6) / 1000)}ms` : `${formatNumber(value)}s`;
    case 'reqps':
      return `${formatNumber(value)} req/s`;
    case 'ops':
      return `${formatNumber(value)}/s`;
    default:
      return formatNumber(value);
  }
}

/** How an annotation shows the alert's value, for a value reference (`$value`, `$values.B.Value`). */
export function valueTemplate(unit: string, ref: string): string {
  const fn =
    unit === 'percentunit'
      ? 'humanizePercentage'
      : unit === 's'
        ? 'humanizeDuration'
        : unit === 'bytes'
          ? 'humanize1024'
          : 'humanize';
  return `{{ ${fn} ${ref} }}`;
}

const labelRef = (label: string) => `{{ $labels.${label} }}`;
// Label values in a link path are escaped (`host:9100` -> `host%3A9100`); the app's router decodes them.
const pathLabelRef = (label: string) => `{{ urlquery $labels.${label} }}`;

export interface AnnotationOptions {
  /** How the alert's value is referenced: `$value` (Prometheus), `$values.B.Value` (Grafana, reduced query). */
  valueRef: string;
  /** Translates a message (the Alerts page passes the data source's t()); English by default. */
  translate?: (message: Message) => string;
  /** Base path of the app's pages, e.g. `/a/pulse-monitoring-app`. */
  appBase: string;
}

/** The rule's annotations: summary, description, runbook and the Pulse page link, in Go templating. */
export function alertAnnotations(rule: RenderedRule, options: AnnotationOptions): Record<string, string> {
  const translated = options.translate ?? english;
  const { template, condition } = rule;
  const values: Record<string, string> = {
    value: valueTemplate(condition.unit, options.valueRef),
    threshold: formatThreshold(condition.threshold, condition.unit),
    for: rule.for,
    ...(rule.guard && { guard: formatThreshold(rule.guard.threshold, rule.guard.unit) }),
  };
  for (const [placeholder, label] of Object.entries(template.labelValues)) {
    values[placeholder] = labelRef(label);
  }
  const page = template.page.replace(/\{\{(\w+)\}\}/g, (_whole, label: string) => pathLabelRef(label));
  return {
    summary: translated({ ...template.summary, values }),
    description: translated({ ...template.description, values }),
    runbook: translated({ ...template.runbook, values }),
    pulse_page: `${options.appBase}/${page}`,
  };
}
