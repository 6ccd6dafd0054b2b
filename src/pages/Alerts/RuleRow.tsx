import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import {
  Badge,
  type BadgeColor,
  Button,
  Checkbox,
  Field,
  Input,
  RadioButtonGroup,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';

import type { RuleState } from '../../alerts/install';
import type { PulseDataSource } from '../../datasource/datasource';
import { formatThreshold, type AlertTemplate, type RenderedRule, type Severity } from '../../signals';
import type { RuleEdit } from './edits';
import { RulePreview } from './RulePreview';
import type { Translate } from './templateTexts';

const STATE_COLORS: Record<RuleState, BadgeColor> = {
  'not-installed': 'darkgrey',
  installed: 'green',
  changed: 'orange',
  update: 'blue',
};

export function stateText(state: RuleState): string {
  switch (state) {
    case 'not-installed':
      return t('pages.alerts.state.not-installed', 'Not installed');
    case 'installed':
      return t('pages.alerts.state.installed', 'Installed');
    case 'changed':
      return t('pages.alerts.state.changed', 'Changed in Grafana');
    case 'update':
      return t('pages.alerts.state.update', 'Update available');
  }
}

const SEVERITIES: Array<{ label: string; value: Severity }> = [
  { label: 'critical', value: 'critical' },
  { label: 'warning', value: 'warning' },
  { label: 'info', value: 'info' },
];

/**
 * A threshold's unit as the field takes it: the number is written as the query compares it, so a share is a ratio
 * (0.05, not 5) — the label says so instead of Grafana's unit id.
 */
export function unitName(unit: string): string {
  switch (unit) {
    case 'percentunit':
      return t('pages.alerts.edit.unit.ratio', 'a ratio: 0.05 is 5 %');
    case 's':
      return t('pages.alerts.edit.unit.seconds', 'seconds');
    case 'bytes':
      return t('pages.alerts.edit.unit.bytes', 'bytes');
    case 'reqps':
      return t('pages.alerts.edit.unit.reqps', 'requests per second');
    case 'ops':
      return t('pages.alerts.edit.unit.ops', 'per second');
    default:
      return t('pages.alerts.edit.unit.number', 'a number');
  }
}

/**
 * The description's placeholders as the page shows them: the rule's threshold, `for` and guard as they stand, and the
 * labels an alert names (service, host, …) as ‹placeholders›, filled per alert instance in Grafana.
 */
function shownValues(template: AlertTemplate, rendered?: RenderedRule): Record<string, string> {
  const condition = rendered?.condition ?? template.condition;
  const guard = rendered?.guard ?? template.guard;
  const values: Record<string, string> = {
    threshold: formatThreshold(condition.threshold, condition.unit),
    for: rendered?.for ?? template.for,
    value: '‹value›',
    ...(guard && { guard: formatThreshold(guard.threshold, guard.unit) }),
  };
  for (const placeholder of Object.keys(template.labelValues)) {
    values[placeholder] = `‹${placeholder}›`;
  }
  return values;
}

interface Props {
  ds: PulseDataSource;
  template: AlertTemplate;
  /** The template rendered with the edit's overrides (when they parse), undefined while they do not. */
  rendered?: RenderedRule;
  edit: RuleEdit;
  problems: string[];
  state?: RuleState;
  canWrite: boolean;
  translate: Translate;
  onChange: (edit: RuleEdit) => void;
}

/** One template: what it watches, its state in Grafana, the fields a user may change, and its preview. */
export function RuleRow({ ds, template, rendered, edit, problems, state, canWrite, translate, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const [previewing, setPreviewing] = useState(false);
  const unit = template.condition.unit;
  const set = (patch: Partial<RuleEdit>) => onChange({ ...edit, ...patch });
  const id = `alert-${template.pack}-${template.rule}`;
  return (
    <li className={styles.row} data-testid={id} data-state={state ?? 'unknown'}>
      <Stack direction="column" gap={1}>
        <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
          {/* The selection is what is installed and what is downloaded: a Viewer can download it too. */}
          <Checkbox
            value={edit.selected}
            onChange={(e) => set({ selected: e.currentTarget.checked })}
            aria-label={
              canWrite
                ? t('pages.alerts.rule.select', 'Install {{rule}}', { rule: template.rule })
                : t('pages.alerts.rule.select-download', 'Include {{rule}} in a download', { rule: template.rule })
            }
          />
          <Text weight="medium">{template.rule}</Text>
          <Badge
            color={edit.severity === 'critical' ? 'red' : edit.severity === 'warning' ? 'orange' : 'blue'}
            text={edit.severity}
          />
          {state && <Badge color={STATE_COLORS[state]} text={stateText(state)} />}
          <Text color="secondary">
            {t('pages.alerts.rule.default', 'Default: {{op}} {{threshold}} for {{for}}', {
              op: template.condition.op,
              threshold: formatThreshold(template.condition.threshold, unit),
              for: template.for,
              interpolation: { escapeValue: false },
            })}
          </Text>
        </Stack>
        <Text>{translate({ ...template.description, values: shownValues(template, rendered) })}</Text>
        {rendered?.unavailable && <Text color="warning">{translate(rendered.unavailable)}</Text>}
        <Stack direction="row" gap={2} wrap="wrap">
          <Field
            label={t('pages.alerts.edit.threshold-unit', 'Threshold ({{unit}})', { unit: unitName(unit) })}
            className={styles.field}
          >
            <Input
              id={`${id}-threshold`}
              value={edit.threshold}
              onChange={(e) => set({ threshold: e.currentTarget.value })}
              width={14}
            />
          </Field>
          {template.guard && (
            <Field
              label={t('pages.alerts.edit.guard-unit', 'Only above ({{unit}})', {
                unit: unitName(template.guard.unit),
              })}
              className={styles.field}
            >
              <Input
                value={edit.guardThreshold}
                onChange={(e) => set({ guardThreshold: e.currentTarget.value })}
                width={14}
              />
            </Field>
          )}
          <Field label={t('pages.alerts.edit.for', 'For')} className={styles.field}>
            <Input value={edit.for} onChange={(e) => set({ for: e.currentTarget.value })} width={10} />
          </Field>
          <Field label={t('pages.alerts.edit.severity', 'Severity')} className={styles.field}>
            <RadioButtonGroup
              size="sm"
              options={SEVERITIES}
              value={edit.severity}
              onChange={(severity) => set({ severity })}
            />
          </Field>
          <Field label={t('pages.alerts.edit.labels', 'Labels (name=value, …)')} className={styles.field}>
            <Input
              value={edit.labels}
              placeholder={t('pages.alerts.edit.labels-placeholder', 'team=shop, env=prod')}
              onChange={(e) => set({ labels: e.currentTarget.value })}
              width={30}
            />
          </Field>
        </Stack>
        {problems.map((p) => (
          <Text key={p} color="error">
            {p}
          </Text>
        ))}
        <div>
          <Button
            size="sm"
            variant="secondary"
            icon={previewing ? 'angle-up' : 'angle-down'}
            onClick={() => setPreviewing(!previewing)}
            disabled={!rendered}
          >
            {previewing
              ? t('pages.alerts.rule.hide-preview', 'Hide preview')
              : t('pages.alerts.rule.preview', 'Preview')}
          </Button>
        </div>
        {previewing && rendered && (
          <div className={styles.preview}>
            <Text variant="code">{rendered.expr}</Text>
            <RulePreview key={`${rendered.expr} ${rendered.for}`} ds={ds} rule={rendered} />
          </div>
        )}
      </Stack>
    </li>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({
    listStyle: 'none',
    padding: theme.spacing(1.5),
    borderTop: `1px solid ${theme.colors.border.weak}`,
  }),
  field: css({ marginBottom: 0 }),
  preview: css({
    padding: theme.spacing(1),
    background: theme.colors.background.secondary,
    wordBreak: 'break-word',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  }),
});
