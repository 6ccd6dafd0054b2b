/**
 * Installing rule packs through Grafana's alerting provisioning HTTP API, as pure steps: the rules the API takes
 * (one group per pack in folder Pulse, stable uids), how a group is merged with what Grafana already holds, and
 * what state an installed rule is in. The Alerts page does the requests (src/pages/Alerts/provisioningApi.ts).
 *
 * Provenance: the page sends `X-Disable-Provenance: true`, so the rules stay editable in Grafana's UI (a
 * provisioned rule is locked there). Edits made in Grafana are then possible, and are detected: every installed
 * rule carries the fingerprint of what Pulse wrote and the overrides it was written with (annotations), so the page
 * tells "changed in Grafana" (the rule no longer matches its fingerprint) from "update available" (Pulse now renders
 * it differently, e.g. a newer template or other metric names) and does not overwrite a change unasked.
 */
import { type AlertOverrides, type AlertPack, type RenderedRule } from '../signals';
import { DEFAULT_INTERVAL, durationSeconds, fnv1a, grafanaRule, groupName, type GrafanaExportOptions } from './export';

export const PULSE_FOLDER = { uid: 'pulse', title: 'Pulse' } as const;
export const FINGERPRINT_ANNOTATION = 'pulse_fingerprint';
export const OVERRIDES_ANNOTATION = 'pulse_overrides';
/** The group's evaluation interval in seconds, as the API takes it. */
export const GROUP_INTERVAL_SECONDS = durationSeconds(DEFAULT_INTERVAL);

/** A Grafana-managed rule as the provisioning API sends and returns it (the fields Pulse reads or writes). */
export interface ProvisionedRule {
  uid: string;
  title: string;
  condition: string;
  data: Array<{
    refId: string;
    relativeTimeRange?: { from: number; to: number };
    datasourceUid: string;
    model: Record<string, unknown>;
  }>;
  noDataState: string;
  execErrState: string;
  for: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  folderUID?: string;
  ruleGroup?: string;
  orgID?: number;
  isPaused?: boolean;
  provenance?: string;
}

export interface ProvisionedGroup {
  title: string;
  folderUid: string;
  interval: number;
  rules: ProvisionedRule[];
}

/** The annotations written in the installing user's language. */
const TEXT_ANNOTATIONS = new Set(['summary', 'description', 'runbook']);

export type RuleState = 'not-installed' | 'installed' | 'changed' | 'update';

const sortedEntries = (record?: Record<string, string>) =>
  Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * What makes a rule behave as it does, in one canonical text: queries, expressions, thresholds, timing, labels,
 * annotations (but the fingerprint's own). Fields Grafana adds or normalises on the way (ids, `updated`,
 * provenance, `for` spelled 1m0s or 60s) take no part. Without `texts`, the translated annotations (summary,
 * description, runbook) take no part either: what the rule does, whatever language it was installed in.
 */
export function ruleFingerprint(rule: ProvisionedRule, { texts = true } = {}): string {
  const seconds = (d: string) => {
    try {
      return durationSeconds(d);
    } catch {
      return d;
    }
  };
  const data = rule.data.map((d) => {
    const m = d.model;
    return [d.refId, d.datasourceUid, d.relativeTimeRange?.from ?? 0, d.relativeTimeRange?.to ?? 0, m.expr ?? null]
      .concat([m.type ?? null, m.expression ?? null, m.reducer ?? null])
      .concat([
        JSON.stringify(
          (m.conditions as unknown[] | undefined)?.map((c) => (c as { evaluator?: unknown }).evaluator) ?? null
        ),
      ]);
  });
  const annotations = sortedEntries(rule.annotations).filter(
    ([k]) => k !== FINGERPRINT_ANNOTATION && (texts || !TEXT_ANNOTATIONS.has(k))
  );
  return fnv1a(
    JSON.stringify([
      rule.title,
      rule.condition,
      data,
      rule.noDataState,
      rule.execErrState,
      seconds(rule.for),
      sortedEntries(rule.labels),
      annotations,
    ])
  );
}

/** The rule the API takes for a rendered template: folder Pulse, its pack's group, fingerprint and overrides. */
export function provisionedRule(
  rendered: RenderedRule,
  options: GrafanaExportOptions,
  overrides: AlertOverrides = {}
): ProvisionedRule {
  const rule = grafanaRule(rendered, options);
  const kept: Record<string, string> =
    Object.keys(overrides).length > 0 ? { [OVERRIDES_ANNOTATION]: JSON.stringify(overrides) } : {};
  const out: ProvisionedRule = {
    ...rule,
    folderUID: PULSE_FOLDER.uid,
    ruleGroup: groupName(rendered.pack),
    orgID: options.orgId ?? 1,
    annotations: { ...rule.annotations, ...kept },
  };
  out.annotations = { ...out.annotations, [FINGERPRINT_ANNOTATION]: ruleFingerprint(out) };
  return out;
}

/** The overrides an installed rule was written with (none when it carries none, or they cannot be read). */
export function installedOverrides(rule: ProvisionedRule): AlertOverrides {
  const text = rule.annotations?.[OVERRIDES_ANNOTATION];
  if (!text) {
    return {};
  }
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as AlertOverrides) : {};
  } catch {
    return {};
  }
}

/**
 * The state of a template's rule in Grafana. `rerender` renders the template again with the overrides the rule was
 * installed with, as Pulse would write it now. An update is a change of what the rule does (query, threshold, for,
 * labels, link): its texts are in the language of whoever installed it, so another language is no update.
 */
export function ruleState(
  installed: ProvisionedRule | undefined,
  rerender: (overrides: AlertOverrides) => ProvisionedRule
): RuleState {
  if (!installed) {
    return 'not-installed';
  }
  const written = installed.annotations?.[FINGERPRINT_ANNOTATION];
  if (!written || ruleFingerprint(installed) !== written) {
    return 'changed';
  }
  const now = rerender(installedOverrides(installed));
  return ruleFingerprint(now, { texts: false }) === ruleFingerprint(installed, { texts: false })
    ? 'installed'
    : 'update';
}

/**
 * The group to PUT for a pack: what Grafana holds in it, each rule Pulse writes now replacing the one with its uid
 * (in place) or added at the end. A PUT replaces the whole group, so the rules the user keeps there are sent too.
 */
export function mergedGroup(pack: AlertPack, existing: ProvisionedRule[], ours: ProvisionedRule[]): ProvisionedGroup {
  const byUid = new Map(ours.map((r) => [r.uid, r]));
  const rules = existing.map((r) => byUid.get(r.uid) ?? r);
  const kept = new Set(existing.map((r) => r.uid));
  rules.push(...ours.filter((r) => !kept.has(r.uid)));
  return { title: groupName(pack), folderUid: PULSE_FOLDER.uid, interval: GROUP_INTERVAL_SECONDS, rules };
}
