/**
 * What a user can change of a template before installing it, as typed in the form, and its checks: a number for
 * the threshold (and the guard's), a Prometheus duration for `for`, `name=value` labels with Prometheus label
 * names. A problem is said in words, per field; nothing is installed while one remains.
 */
import { t } from '@grafana/i18n';

import { durationSeconds } from '../../alerts/export';
import type { AlertOverrides, AlertTemplate, Severity } from '../../signals';

export interface RuleEdit {
  selected: boolean;
  threshold: string;
  guardThreshold: string;
  for: string;
  severity: Severity;
  labels: string;
}

/** Labels Pulse sets itself; a user's label of the same name would be overwritten. */
const PULSE_LABELS = new Set(['severity', 'pulse_pack', 'pulse_rule']);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function defaultEdit(template: AlertTemplate, overrides: AlertOverrides = {}): RuleEdit {
  return {
    selected: true,
    threshold: String(overrides.threshold ?? template.condition.threshold),
    guardThreshold: template.guard ? String(overrides.guardThreshold ?? template.guard.threshold) : '',
    for: overrides.for ?? template.for,
    severity: overrides.severity ?? template.severity,
    labels: Object.entries(overrides.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(', '),
  };
}

export interface ParsedEdit {
  overrides: AlertOverrides;
  problems: string[];
}

function parseNumber(text: string, what: string, problems: string[]): number | undefined {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) {
    problems.push(
      t('pages.alerts.edit.not-number', '{{what}}: “{{text}}” is not a number', {
        what,
        text,
        interpolation: { escapeValue: false },
      })
    );
    return undefined;
  }
  return value;
}

/** The overrides an edit stands for (only what differs from the template), and its problems. */
export function parseEdit(template: AlertTemplate, edit: RuleEdit): ParsedEdit {
  const problems: string[] = [];
  const overrides: AlertOverrides = {};
  const threshold = parseNumber(edit.threshold, t('pages.alerts.edit.threshold', 'Threshold'), problems);
  if (threshold !== undefined && threshold !== template.condition.threshold) {
    overrides.threshold = threshold;
  }
  if (template.guard) {
    const guard = parseNumber(edit.guardThreshold, t('pages.alerts.edit.guard', 'Minimum traffic'), problems);
    if (guard !== undefined && guard !== template.guard.threshold) {
      overrides.guardThreshold = guard;
    }
  }
  try {
    durationSeconds(edit.for.trim());
    if (edit.for.trim() !== template.for) {
      overrides.for = edit.for.trim();
    }
  } catch {
    problems.push(
      t('pages.alerts.edit.not-duration', 'For: “{{text}}” is not a duration (write 5m, 1h or 1h30m)', {
        text: edit.for,
        interpolation: { escapeValue: false },
      })
    );
  }
  if (edit.severity !== template.severity) {
    overrides.severity = edit.severity;
  }
  const labels: Record<string, string> = {};
  for (const part of edit.labels
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq).trim() : '';
    const value = eq > 0 ? part.slice(eq + 1).trim() : '';
    if (!LABEL_NAME.test(name) || value === '') {
      problems.push(
        t(
          'pages.alerts.edit.bad-label',
          'Labels: “{{part}}” is not name=value with a label name of letters, digits and _',
          {
            part,
            interpolation: { escapeValue: false },
          }
        )
      );
    } else if (PULSE_LABELS.has(name)) {
      problems.push(
        t('pages.alerts.edit.pulse-label', 'Labels: Pulse sets “{{name}}” itself', {
          name,
          interpolation: { escapeValue: false },
        })
      );
    } else {
      labels[name] = value;
    }
  }
  if (Object.keys(labels).length > 0) {
    overrides.labels = labels;
  }
  return { overrides, problems };
}
