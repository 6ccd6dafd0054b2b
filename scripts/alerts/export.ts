/**
 * Exports Pulse's recommended alert rules (src/signals/alerts/) as Grafana alerting provisioning or a Prometheus
 * rule file.
 *
 *   npx ts-node --transpile-only scripts/alerts/export.ts
 *       writes the compose demo's example, provisioning/alerting/pulse-recommended.yaml
 *   npx ts-node --transpile-only scripts/alerts/export.ts --format prometheus [--scrape-interval 15s] [--out rules.yml]
 *   npx ts-node --transpile-only scripts/alerts/export.ts --format grafana --datasource-uid <uid> [--out file]
 *
 * Options: --packs service,host,… (default all); --profile <instrumentation profile id, or auto> (default auto:
 * every profile, as a data source set to auto reads them);
 * --scope <text> (Grafana: part of every uid and title, for several exports side by side); --interval 1m.
 * Without --out the file goes to stdout. Rules the profile cannot answer are listed on stderr and left out.
 * --set Rule.field=value,… overrides the defaults of the rules named: threshold, guard (the guard's threshold, e.g.
 * the minimum request rate), for, severity, label.<name> (an extra label), e.g.
 * --set ServiceErrorRatioHigh.threshold=0.02,HostCpuHigh.for=30m,TargetDown.label.team=infra
 * --json true writes the same content as JSON (for the integration suite, test/integration/alerts_test.go).
 */
import { writeFileSync } from 'fs';

import { grafanaProvisioning, prometheusRules, toYaml } from '../../src/alerts/export';
import { DEMO_PROVISIONING_FILE, demoProvisioningYaml } from '../../src/alerts/example';
import { PLUGIN_BASE_URL } from '../../src/constants';
import {
  ALERT_PACKS,
  ALERT_TEMPLATES,
  english,
  AUTO_PROFILE,
  isProfileId,
  PROFILE_IDS,
  renderContext,
  type AlertOverrides,
  type AlertPack,
  type Severity,
} from '../../src/signals';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const options: Record<string, string> = {};
for (let i = 0; i < args.length; i += 2) {
  if (!args[i].startsWith('--') || args[i + 1] === undefined) {
    fail(`usage: see the comment at the top of scripts/alerts/export.ts (at ${args[i]})`);
  }
  options[args[i].slice(2)] = args[i + 1];
}

if (Object.keys(options).length === 0) {
  writeFileSync(DEMO_PROVISIONING_FILE, demoProvisioningYaml());
  process.stderr.write(`wrote ${DEMO_PROVISIONING_FILE}\n`);
  process.exit(0);
}

const packs = options.packs ? options.packs.split(',') : [...ALERT_PACKS];
for (const pack of packs) {
  if (!(ALERT_PACKS as readonly string[]).includes(pack)) {
    fail(`unknown pack ${pack}; packs: ${ALERT_PACKS.join(', ')}`);
  }
}
if (options.profile && options.profile !== AUTO_PROFILE && !isProfileId(options.profile)) {
  fail(`unknown instrumentation profile ${options.profile}: auto or one of ${PROFILE_IDS.join(', ')}`);
}
const overrides = new Map<string, AlertOverrides>();
for (const setting of options.set ? options.set.split(',') : []) {
  const match = setting.match(/^(\w+)\.(threshold|guard|for|severity|label\.\w+)=(.+)$/);
  if (!match || !ALERT_TEMPLATES.some((t) => t.rule === match[1])) {
    fail(`--set ${setting}: want Rule.threshold|guard|for|severity|label.<name>=value for a rule of the packs`);
  }
  const [, rule, field, value] = match;
  const o = overrides.get(rule) ?? {};
  if (field === 'threshold' || field === 'guard') {
    const n = Number(value);
    if (!Number.isFinite(n)) {
      fail(`--set ${setting}: not a number`);
    }
    o[field === 'guard' ? 'guardThreshold' : 'threshold'] = n;
  } else if (field === 'for') {
    o.for = value;
  } else if (field === 'severity') {
    if (!['critical', 'warning', 'info'].includes(value)) {
      fail(`--set ${setting}: severity is critical, warning or info`);
    }
    o.severity = value as Severity;
  } else {
    o.labels = { ...o.labels, [field.slice('label.'.length)]: value };
  }
  overrides.set(rule, o);
}
const selection = ALERT_TEMPLATES.filter((t) => packs.includes(t.pack as AlertPack)).map((template) => ({
  template,
  overrides: overrides.get(template.rule),
}));
const common = {
  ctx: renderContext({ profile: options.profile }),
  appBase: PLUGIN_BASE_URL,
  interval: options.interval,
  scope: options.scope,
};

let result;
if (options.format === 'prometheus') {
  result = prometheusRules(selection, { ...common, scrapeInterval: options['scrape-interval'] });
} else if (options.format === 'grafana' || options.format === undefined) {
  if (!options['datasource-uid']) {
    fail('--datasource-uid <uid of the Pulse data source> is needed for Grafana rules');
  }
  result = grafanaProvisioning(selection, { ...common, datasourceUid: options['datasource-uid'] });
} else {
  fail(`--format is grafana or prometheus, not ${options.format}`);
}
for (const s of result.skipped) {
  process.stderr.write(`left out ${s.pack}/${s.rule}: ${english(s.reason)}\n`);
}
const text = options.json === 'true' ? `${JSON.stringify(result.file, null, 2)}\n` : toYaml(result.file);
if (options.out) {
  writeFileSync(options.out, text);
} else {
  process.stdout.write(text);
}
