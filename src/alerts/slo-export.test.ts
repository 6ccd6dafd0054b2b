/**
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
// The SLO burn-rate templates (src/signals/alerts/slo.ts) in both exports.
import { ALERT_TEMPLATES, renderContext } from '../signals';
import { grafanaProvisioning, prometheusRules, ruleUid } from './export';

const slo = ALERT_TEMPLATES.filter((t) => t.signal === 'service.slo.burn-rate').map((template) => ({ template }));
const common = { ctx: renderContext(), appBase: '/a/pulse-monitoring-app' };

describe('SLO burn-rate rules in the exports', () => {
  it('Grafana: in the service group, query A with the short window as guard, threshold C at the burn factor', () => {
    const { file } = grafanaProvisioning(slo, { ...common, datasourceUid: 'pulse-ds' });
    expect(file.groups.map((g) => [g.name, g.rules.map((r) => [r.title, r.for, r.labels.severity])])).toEqual([
      [
        'pulse-service',
        [
          ['ServiceAvailabilityBudgetBurnFast', '2m', 'critical'],
          ['ServiceAvailabilityBudgetBurnSlow', '15m', 'warning'],
          ['ServiceLatencyBudgetBurnFast', '2m', 'critical'],
          ['ServiceLatencyBudgetBurnSlow', '15m', 'warning'],
        ],
      ],
    ]);
    const fast = file.groups[0].rules[0];
    expect(fast.uid).toBe(ruleUid('service', 'ServiceAvailabilityBudgetBurnFast'));
    const [a, , c] = fast.data;
    const model = a.model as { expr: string; instant: boolean };
    expect(model.instant).toBe(true);
    expect(model.expr).toContain('rate(nestjs_fail_requests_count[1h])');
    expect(model.expr).toContain('and on (name) (');
    expect(model.expr).toContain('rate(nestjs_fail_requests_count[5m])');
    expect(model.expr.endsWith(' / 0.005) > 14.4')).toBe(true);
    expect(JSON.stringify(c.model)).toContain('"params":[14.4]');
  });

  it('Prometheus: the fixed windows stay as they are, the factor closes the expression', () => {
    const { file } = prometheusRules(slo, { ...common, scrapeInterval: '15s' });
    const rules = file.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => [r.alert, r.for])).toEqual([
      ['ServiceAvailabilityBudgetBurnFast', '2m'],
      ['ServiceAvailabilityBudgetBurnSlow', '15m'],
      ['ServiceLatencyBudgetBurnFast', '2m'],
      ['ServiceLatencyBudgetBurnSlow', '15m'],
    ]);
    const slow = rules.find((r) => r.alert === 'ServiceLatencyBudgetBurnSlow')!;
    expect(slow.expr).toContain('rate(nestjs_success_requests_bucket{le="0.5"}[6h])');
    expect(slow.expr).toContain('rate(nestjs_success_requests_bucket{le="0.5"}[30m])');
    expect(slow.expr.endsWith(' / 0.05) > 6) > 6')).toBe(true);
    expect(slow.labels).toEqual({
      severity: 'warning',
      pulse_pack: 'service',
      pulse_rule: 'ServiceLatencyBudgetBurnSlow',
    });
  });
});
