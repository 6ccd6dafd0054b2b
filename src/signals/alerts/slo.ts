/**
 * Service SLO burn-rate alerts, multi-window and multi-burn-rate as in Google's SRE workbook ("Alerting on SLOs",
 * the recommended set for a 30-day objective): an alert fires while the budget burns fast over a long window and is
 * still burning over a short one, so it starts within minutes of a real problem and stops soon after it ends.
 * - fast: 1h and 5m at 14.4× (2 % of the budget in an hour), critical: someone should look now;
 * - slow: 6h and 30m at 6× (5 % of the budget in six hours), warning: a ticket for today.
 * The short window is the guard (the same signal over the short window, above the same factor, per service).
 * `for` is short on purpose: the windows already smooth the signal; 2 minutes (fast) and 15 minutes (slow) only
 * ride out one bad evaluation. Both objectives (availability, latency) at their defaults (slo.ts).
 */
import { SERVICE_GROUP } from '../service';
import { SLO_DEFAULTS, type SloKind } from '../slo';
import { defineAlert } from './define';
import type { AlertTemplate, Severity } from './template';

interface BurnSpeed {
  name: 'Fast' | 'Slow';
  long: string;
  short: string;
  factor: number;
  for: string;
  severity: Severity;
}

export const BURN_SPEEDS: readonly BurnSpeed[] = [
  { name: 'Fast', long: '1h', short: '5m', factor: 14.4, for: '2m', severity: 'critical' },
  { name: 'Slow', long: '6h', short: '30m', factor: 6, for: '15m', severity: 'warning' },
];

const TEXTS: Record<SloKind, Record<BurnSpeed['name'], { summary: string; description: string; runbook: string }>> = {
  availability: {
    Fast: {
      summary: '{{service}}: availability error budget burning at {{value}}×',
      description:
        "Failed requests of {{service}} spend its availability error budget (objective 99.5 % over 30 days) {{threshold}} times faster than allowed over the last hour and still over the last 5 minutes: at this pace the month's budget is gone in about two days.",
      runbook:
        'Open the service page: the error budget section shows since when it burns; the errors per controller and the operations table show which handler fails. Check whether a deploy (version change) or a restart lines up and roll back first; then the error classes and the dependencies (database, downstream services).',
    },
    Slow: {
      summary: '{{service}}: availability error budget burning at {{value}}× for hours',
      description:
        "Failed requests of {{service}} spend its availability error budget (objective 99.5 % over 30 days) {{threshold}} times faster than allowed over the last 6 hours and still over the last 30 minutes: at this pace the month's budget is gone in about five days.",
      runbook:
        'Not an outage but a steady leak: on the service page find the operations with the most failures in the last 6 hours and their error classes; plan the fix today. If the failures are expected (clients sending bad input), they should not count as failed requests.',
    },
  },
  latency: {
    Fast: {
      summary: '{{service}}: latency error budget burning at {{value}}×',
      description:
        'Requests of {{service}} slower than 500 ms spend its latency error budget (objective 95 % of requests within 500 ms over 30 days) {{threshold}} times faster than allowed over the last hour and still over the last 5 minutes.',
      runbook:
        'Open the service page: the latency heatmap (all requests or a few slow handlers?), the slowest operations, event-loop lag and CPU of its instances; then the PostgreSQL page for long transactions, locks and connections near the limit. A deploy that lines up is the first thing to roll back.',
    },
    Slow: {
      summary: '{{service}}: latency error budget burning at {{value}}× for hours',
      description:
        'Requests of {{service}} slower than 500 ms spend its latency error budget (objective 95 % of requests within 500 ms over 30 days) {{threshold}} times faster than allowed over the last 6 hours and still over the last 30 minutes.',
      runbook:
        'A slow drift: compare the slowest operations of the last 6 hours with the day before, look for growing tables or missing indexes (PostgreSQL page) and for heavier traffic on the instances (CPU, event-loop lag); plan the fix today.',
    },
  },
};

const OBJECTIVES: Record<SloKind, string> = { availability: SLO_DEFAULTS.availability, latency: SLO_DEFAULTS.latency };
const RULE_NAME: Record<SloKind, string> = { availability: 'Availability', latency: 'Latency' };

function burnAlert(slo: SloKind, speed: BurnSpeed): AlertTemplate {
  const params = (window: string) => ({
    groupBy: [SERVICE_GROUP],
    slo,
    objective: OBJECTIVES[slo],
    threshold: SLO_DEFAULTS.threshold,
    window,
  });
  return defineAlert({
    pack: 'service',
    rule: `Service${RULE_NAME[slo]}BudgetBurn${speed.name}`,
    signal: 'service.slo.burn-rate',
    params: params(speed.long),
    condition: { op: '>', threshold: speed.factor, unit: 'short' },
    guard: {
      signal: 'service.slo.burn-rate',
      params: params(speed.short),
      op: '>',
      threshold: speed.factor,
      unit: 'short',
      on: ['name'],
    },
    for: speed.for,
    severity: speed.severity,
    instanceLabels: ['name'],
    labelValues: { service: 'name' },
    page: 'services/{{name}}',
    texts: TEXTS[slo][speed.name],
  });
}

export const SLO_ALERTS: AlertTemplate[] = (['availability', 'latency'] as const).flatMap((slo) =>
  BURN_SPEEDS.map((speed) => burnAlert(slo, speed))
);
