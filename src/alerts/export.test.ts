/**
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
// Under jsdom, yaml resolves to its ES-module browser build, which Jest does not transform; take its CommonJS build.
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { parse } from 'yaml';

import { ALERT_TEMPLATES, PROFILE_IDS, renderContext, type ProfileId } from '../signals';
import { DEMO_PROVISIONING_FILE, demoProvisioningYaml } from './example';
import {
  durationSeconds,
  formatDuration,
  grafanaProvisioning,
  prometheusRules,
  rateWindowSeconds,
  ruleUid,
  toYaml,
  withFixedWindows,
} from './export';

const all = ALERT_TEMPLATES.map((template) => ({ template }));
const common = { ctx: renderContext({ profile: 'seed' }), appBase: '/a/pulse-monitoring-app' };
const grafana = (options = {}) => grafanaProvisioning(all, { ...common, datasourceUid: 'pulse-ds', ...options }).file;

describe('rule uids', () => {
  it('are readable, short enough for Grafana and stable', () => {
    expect(ruleUid('service', 'ServiceErrorRatioHigh')).toBe('pulse-service-error-ratio-high-db707afe');
    expect(ruleUid('host', 'HostFilesystemFillingUp')).toBe('pulse-host-filesystem-filling-u-ef1a3b0e');
    expect(ruleUid('service', 'ServiceErrorRatioHigh', 'staging')).not.toBe(
      ruleUid('service', 'ServiceErrorRatioHigh')
    );
    for (const t of ALERT_TEMPLATES) {
      expect(ruleUid(t.pack, t.rule, 'a-rather-long-scope-name')).toMatch(/^[a-z0-9-]{1,40}$/);
    }
  });
});

describe('Grafana provisioning', () => {
  const file = grafana();
  const rules = file.groups.flatMap((g) => g.rules);

  it('has one group per pack in folder Pulse', () => {
    expect(file.apiVersion).toBe(1);
    expect(file.groups.map((g) => [g.orgId, g.name, g.folder, g.interval, g.rules.length])).toEqual([
      [1, 'pulse-service', 'Pulse', '1m', 9],
      [1, 'pulse-host', 'Pulse', '1m', 6],
      [1, 'pulse-container', 'Pulse', '1m', 3],
      [1, 'pulse-postgres', 'Pulse', '1m', 7],
      [1, 'pulse-target', 'Pulse', '1m', 1],
    ]);
  });

  it('writes each rule as Grafana expects: query A, reduce B, threshold C', () => {
    const rule = rules.find((r) => r.title === 'ServiceErrorRatioHigh')!;
    expect(rule.uid).toBe(ruleUid('service', 'ServiceErrorRatioHigh'));
    expect(rule.condition).toBe('C');
    expect(rule.for).toBe('5m');
    expect(rule.noDataState).toBe('OK');
    expect(rule.execErrState).toBe('Error');
    expect(rule.labels).toEqual({ severity: 'critical', pulse_pack: 'service', pulse_rule: 'ServiceErrorRatioHigh' });
    const [a, b, c] = rule.data;
    expect(a).toMatchObject({
      refId: 'A',
      relativeTimeRange: { from: 600, to: 0 },
      datasourceUid: 'pulse-ds',
      model: {
        refId: 'A',
        datasource: { type: 'pulse-prometheus-datasource', uid: 'pulse-ds' },
        editorMode: 'code',
        instant: true,
        range: false,
        intervalMs: 1000,
        maxDataPoints: 43200,
      },
    });
    const query = (a.model as { expr: string }).expr;
    expect(query).toContain('[$__rate_interval]');
    expect(query.endsWith('> 0.1')).toBe(true); // the guard; the condition is C
    expect(b).toEqual({
      refId: 'B',
      datasourceUid: '__expr__',
      model: {
        refId: 'B',
        datasource: { type: '__expr__', uid: '__expr__' },
        type: 'reduce',
        expression: 'A',
        reducer: 'last',
      },
    });
    expect(c.model).toEqual({
      refId: 'C',
      datasource: { type: '__expr__', uid: '__expr__' },
      type: 'threshold',
      expression: 'B',
      conditions: [{ evaluator: { type: 'gt', params: [0.05] } }],
    });
    expect(rule.annotations.summary).toBe(
      '{{ $labels.name }}: {{ humanizePercentage $values.B.Value }} of requests fail'
    );
  });

  it('compares below with lt, and uses the rule range as the relative time range', () => {
    const cache = rules.find((r) => r.title === 'PostgresCacheHitRatioLow')!;
    expect(cache.data[2].model).toHaveProperty('conditions', [{ evaluator: { type: 'lt', params: [0.9] } }]);
    const restarts = rules.find((r) => r.title === 'ServiceRestarting')!;
    expect(restarts.data[0].relativeTimeRange).toEqual({ from: 900, to: 0 });
  });

  it('has unique uids and titles, the same on every run; a scope changes both', () => {
    const uids = rules.map((r) => r.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(rules.map((r) => r.title)).size).toBe(rules.length);
    expect(toYaml(grafana())).toBe(toYaml(file));
    const scoped = grafana({ scope: 'staging' }).groups.flatMap((g) => g.rules);
    expect(scoped.every((r, i) => r.uid !== uids[i] && r.title === `${rules[i].title} (staging)`)).toBe(true);
  });

  it('parses back from YAML unchanged', () => {
    expect(parse(toYaml(file))).toEqual(file);
    expect(toYaml(file)).not.toMatch(/[&*]a\d/); // no anchors or aliases
  });

  it('applies overrides', () => {
    const { file: overridden } = grafanaProvisioning(
      [{ template: ALERT_TEMPLATES[0], overrides: { threshold: 0.2, for: '1m', labels: { team: 'web' } } }],
      { ...common, datasourceUid: 'x' }
    );
    const rule = overridden.groups[0].rules[0];
    expect(rule.data[2].model).toHaveProperty('conditions', [{ evaluator: { type: 'gt', params: [0.2] } }]);
    expect(rule.for).toBe('1m');
    expect(rule.labels.team).toBe('web');
  });
});

describe('fixed windows', () => {
  it('replace the macros', () => {
    const w = { rate: 60, range: 900 };
    expect(withFixedWindows('rate(x[$__rate_interval]) + changes(y[$__range]) + z[${__interval}]', w)).toBe(
      'rate(x[1m]) + changes(y[15m]) + z[1m]'
    );
    expect(withFixedWindows('$__range_s $__range_ms $__rate_interval_ms', w)).toBe('900 900000 60000');
    expect(() => withFixedWindows('x[$__auto]', w)).toThrow(/\$__auto/);
  });

  it('rate window: four scrapes, at least a minute', () => {
    expect(rateWindowSeconds('15s')).toBe(60);
    expect(rateWindowSeconds('30s')).toBe(120);
    expect(rateWindowSeconds('1m')).toBe(240);
  });

  it('durations', () => {
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('0m')).toBe(0);
    expect(() => durationSeconds('5 m')).toThrow();
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(86400)).toBe('1d');
  });
});

describe('Prometheus rule file', () => {
  const file = prometheusRules(all, { ...common, scrapeInterval: '30s' }).file;
  const rules = file.groups.flatMap((g) => g.rules);

  it('has Prometheus fields only, no Grafana macro, the condition in the expression', () => {
    expect(Object.keys(file)).toEqual(['groups']);
    expect(rules).toHaveLength(ALERT_TEMPLATES.length);
    for (const rule of rules) {
      expect(Object.keys(rule)).toEqual(['alert', 'expr', 'for', 'labels', 'annotations']);
      expect(rule.expr).not.toContain('$__');
    }
    const errorRatio = rules.find((r) => r.alert === 'ServiceErrorRatioHigh')!;
    expect(errorRatio.expr).toContain('rate(nestjs_fail_requests_count[2m])');
    expect(errorRatio.expr.endsWith(') > 0.05')).toBe(true);
    expect(rules.find((r) => r.alert === 'ServiceRestarting')!.expr).toContain(
      'changes(process_start_time_seconds[15m])'
    );
    expect(errorRatio.annotations.summary).toBe('{{ $labels.name }}: {{ humanizePercentage $value }} of requests fail');
    expect(parse(toYaml(file))).toEqual(file);
  });

  it('passes promtool check rules, for every instrumentation profile', () => {
    const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
    if (!promtool) {
      throw new Error('promtool not found: apt-get install -y prometheus (the Debian package ships /usr/bin/promtool)');
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'pulse-rules-'));
    for (const profile of PROFILE_IDS as readonly ProfileId[]) {
      const rulesFile = path.join(dir, `${profile}.yml`);
      writeFileSync(rulesFile, toYaml(prometheusRules(all, { ...common, ctx: renderContext({ profile }) }).file));
      const out = execFileSync(promtool, ['check', 'rules', rulesFile], { encoding: 'utf8' });
      expect(out).toContain(`SUCCESS: ${ALERT_TEMPLATES.length} rules found`);
    }
  });
});

describe('the compose demo example', () => {
  it(`${DEMO_PROVISIONING_FILE} is what scripts/alerts/export.ts writes`, () => {
    const committed = readFileSync(path.join(__dirname, '../..', DEMO_PROVISIONING_FILE), 'utf8');
    expect(committed).toBe(demoProvisioningYaml());
  });
});
