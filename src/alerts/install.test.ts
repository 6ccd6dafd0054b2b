import { ALERT_TEMPLATES, renderAlert, renderContext } from '../signals';
import { ruleUid } from './export';
import {
  FINGERPRINT_ANNOTATION,
  GROUP_INTERVAL_SECONDS,
  installedOverrides,
  mergedGroup,
  PULSE_FOLDER,
  provisionedRule,
  ruleFingerprint,
  ruleState,
} from './install';

const options = { ctx: renderContext(), appBase: '/a/pulse-monitoring-app', datasourceUid: 'pulse-ds' };
const template = ALERT_TEMPLATES.find((t) => t.rule === 'ServiceErrorRatioHigh')!;
const render = (overrides = {}) => provisionedRule(renderAlert(template, options.ctx, overrides), options, overrides);

describe('provisioned rules', () => {
  it('go into folder Pulse, their pack group, with a stable uid, the Pulse labels and a fingerprint', () => {
    const rule = render({ threshold: 0.1, labels: { team: 'shop' } });
    expect(rule.uid).toBe(ruleUid('service', 'ServiceErrorRatioHigh'));
    expect([rule.folderUID, rule.ruleGroup, rule.orgID]).toEqual([PULSE_FOLDER.uid, 'pulse-service', 1]);
    expect(rule.labels).toEqual({
      team: 'shop',
      severity: 'critical',
      pulse_pack: 'service',
      pulse_rule: 'ServiceErrorRatioHigh',
    });
    expect(rule.data[2].model.conditions).toEqual([{ evaluator: { type: 'gt', params: [0.1] } }]);
    expect(rule.annotations?.[FINGERPRINT_ANNOTATION]).toBe(ruleFingerprint(rule));
    expect(installedOverrides(rule)).toEqual({ threshold: 0.1, labels: { team: 'shop' } });
    expect(render().uid).toBe(rule.uid);
    expect(GROUP_INTERVAL_SECONDS).toBe(60);
  });
});

describe('rule state', () => {
  const installed = render({ for: '10m' });
  it('is installed while Grafana holds what Pulse wrote (however Grafana spells `for`)', () => {
    expect(ruleState(undefined, render)).toBe('not-installed');
    expect(ruleState({ ...installed, for: '10m0s', provenance: '' }, render)).toBe('installed');
  });
  it('is installed, not update, for a user of another language (the texts are the installer’s)', () => {
    const korean = (overrides = {}) =>
      provisionedRule(
        renderAlert(template, options.ctx, overrides),
        { ...options, translate: (m) => `한국어 ${m.key}` },
        overrides
      );
    expect(ruleState(installed, korean)).toBe('installed');
  });
  it('is changed when someone edited the rule in Grafana', () => {
    const edited = { ...installed, labels: { ...installed.labels, severity: 'info' } };
    expect(ruleState(edited, render)).toBe('changed');
    const { [FINGERPRINT_ANNOTATION]: _gone, ...annotations } = installed.annotations!;
    expect(ruleState({ ...installed, annotations }, render)).toBe('changed');
  });
  it('is update when Pulse now renders it differently with the same overrides', () => {
    const newer = (overrides = {}) => {
      const r = render(overrides);
      return provisionedRule(
        { ...renderAlert(template, options.ctx, overrides), query: r.data[0].model.expr + ' * 1' },
        options,
        overrides
      );
    };
    expect(ruleState(installed, newer)).toBe('update');
  });
});

describe('merged group', () => {
  it('keeps the rules the user has in the group, replaces ours in place, adds new ones', () => {
    const mine = { ...render(), uid: 'user-rule', title: 'Mine' };
    const old = render();
    const updated = render({ threshold: 0.2 });
    const other = provisionedRule(renderAlert(ALERT_TEMPLATES[1], options.ctx), options);
    const group = mergedGroup('service', [old, mine], [updated, other]);
    expect(group.title).toBe('pulse-service');
    expect(group.folderUid).toBe('pulse');
    expect(group.interval).toBe(60);
    expect(group.rules.map((r) => r.uid)).toEqual([old.uid, 'user-rule', other.uid]);
    expect(group.rules[0]).toBe(updated);
  });
});
