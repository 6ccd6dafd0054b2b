import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Alert, Button, Stack, Text, useStyles2 } from '@grafana/ui';

import {
  installedOverrides,
  provisionedRule,
  type ProvisionedRule,
  ruleState,
  type RuleState,
} from '../../alerts/install';
import { type DownloadFormat, packDownload } from '../../alerts/download';
import { ruleUid, type GrafanaExportOptions } from '../../alerts/export';
import type { PulseDataSource } from '../../datasource/datasource';
import { alertTemplatesOf, renderAlert, type AlertOverrides, type AlertPack, type AlertTemplate } from '../../signals';
import { defaultEdit, parseEdit, type RuleEdit } from './edits';
import type { PackOffer } from './packs';
import { installRules, uninstallRules } from './provisioningApi';
import { RuleRow } from './RuleRow';
import { saveFile } from './saveFile';

export function packTitle(pack: AlertPack): string {
  switch (pack) {
    case 'service':
      return t('pages.alerts.pack.service', 'Services (NestJS)');
    case 'host':
      return t('pages.alerts.pack.host', 'Hosts (node_exporter)');
    case 'container':
      return t('pages.alerts.pack.container', 'Containers (cAdvisor)');
    case 'postgres':
      return t('pages.alerts.pack.postgres', 'PostgreSQL (postgres_exporter)');
    case 'target':
      return t('pages.alerts.pack.target', 'Scrape targets');
  }
}

interface Props {
  ds: PulseDataSource;
  offer: PackOffer;
  options: GrafanaExportOptions;
  /** The Pulse rules Grafana holds, by uid; undefined while they are read or when they cannot be. */
  installed?: Map<string, ProvisionedRule>;
  canWrite: boolean;
  onChanged: () => void;
}

type Action =
  { phase: 'idle' } | { phase: 'busy' } | { phase: 'done'; message: string } | { phase: 'failed'; message: string };

/** A pack: what it covers, its rules with their edits and previews, and install / uninstall for the pack's group. */
export function PackSection({ ds, offer, options, installed, canWrite, onChanged }: Props) {
  const styles = useStyles2(getStyles);
  const templates = useMemo(() => alertTemplatesOf(offer.pack), [offer.pack]);
  const uidOf = (template: AlertTemplate) => ruleUid(template.pack, template.rule, options.scope);
  const [edits, setEdits] = useState<Record<string, RuleEdit>>(() => ({}));
  const [action, setAction] = useState<Action>({ phase: 'idle' });
  const translate = options.translate!;

  const render = (template: AlertTemplate, overrides: AlertOverrides) =>
    provisionedRule(renderAlert(template, options.ctx, overrides), options, overrides);

  const rows = templates.map((template) => {
    const current = installed?.get(uidOf(template));
    const state: RuleState | undefined = installed && ruleState(current, (o) => render(template, o));
    // An installed rule opens with what it was installed with; one changed in Grafana is not overwritten unasked.
    const edit = edits[template.rule] ?? {
      ...defaultEdit(template, current ? installedOverrides(current) : {}),
      selected: state !== 'changed',
    };
    const { overrides, problems } = parseEdit(template, edit);
    const rendered = problems.length === 0 ? renderAlert(template, options.ctx, overrides) : undefined;
    return { template, edit, problems, state, rendered, overrides };
  });
  const selected = rows.filter((r) => r.edit.selected && r.rendered && !r.rendered.unavailable);
  const blocked = rows.some((r) => r.edit.selected && r.problems.length > 0);
  const installedRows = rows.filter((r) => r.state && r.state !== 'not-installed');

  const install = async () => {
    setAction({ phase: 'busy' });
    try {
      await installRules(
        offer.pack,
        selected.map((r) => provisionedRule(r.rendered!, options, r.overrides))
      );
      setAction({
        phase: 'done',
        message: t('pages.alerts.installed', 'Rules written to folder Pulse, group {{group}}: {{n}}', {
          n: selected.length,
          group: `pulse-${offer.pack}`,
        }),
      });
      setEdits({});
      onChanged();
    } catch (error) {
      setAction({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };
  const uninstall = async () => {
    setAction({ phase: 'busy' });
    try {
      await uninstallRules(installedRows.map((r) => uidOf(r.template)));
      setAction({
        phase: 'done',
        message: t('pages.alerts.uninstalled', 'Rules removed from Grafana: {{n}}', { n: installedRows.length }),
      });
      setEdits({});
      onChanged();
    } catch (error) {
      setAction({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  // Anyone may download what they see: exporting writes nothing to Grafana.
  const download = (format: DownloadFormat) => {
    const file = packDownload(
      format,
      offer.pack,
      selected.map((r) => ({ template: r.template, overrides: r.overrides })),
      { ...options, scrapeInterval: ds.scrapeInterval }
    );
    saveFile(file.filename, file.text);
  };

  return (
    <section className={styles.pack} data-testid={`alert-pack-${offer.pack}`} data-offered={offer.offered}>
      <Stack direction="row" justifyContent="space-between" alignItems="center" wrap="wrap">
        <Stack direction="column" gap={0.5}>
          <Text element="h3" variant="h4">
            {packTitle(offer.pack)}
          </Text>
          <Text color="secondary">
            {offer.covers.length > 0
              ? t('pages.alerts.pack.covers', 'Covers what the catalog found ({{n}}): {{names}}', {
                  n: offer.covers.length,
                  names: offer.covers.slice(0, 8).join(', ') + (offer.covers.length > 8 ? ', …' : ''),
                  interpolation: { escapeValue: false },
                })
              : offer.pack === 'target'
                ? t('pages.alerts.pack.covers-targets', 'Covers every scrape target of this Prometheus')
                : t('pages.alerts.pack.covers-none', 'Nothing of this kind found yet; the rules cover what appears')}
          </Text>
        </Stack>
        {offer.offered && (
          <Stack direction="row" gap={1} wrap="wrap">
            <Button
              variant="secondary"
              fill="outline"
              icon="download-alt"
              onClick={() => download('grafana')}
              disabled={selected.length === 0 || blocked}
              tooltip={t(
                'pages.alerts.pack.download-grafana-tooltip',
                'The selected rules as Grafana alerting file provisioning (provisioning/alerting/), with your edits'
              )}
              data-testid={`alert-pack-${offer.pack}-download-grafana`}
            >
              {t('pages.alerts.pack.download-grafana', 'Provisioning file')}
            </Button>
            <Button
              variant="secondary"
              fill="outline"
              icon="download-alt"
              onClick={() => download('prometheus')}
              disabled={selected.length === 0 || blocked}
              tooltip={t(
                'pages.alerts.pack.download-prometheus-tooltip',
                'The selected rules as a Prometheus rule file (rule_files in prometheus.yml), for Prometheus and Alertmanager'
              )}
              data-testid={`alert-pack-${offer.pack}-download-prometheus`}
            >
              {t('pages.alerts.pack.download-prometheus', 'Prometheus rule file')}
            </Button>
          </Stack>
        )}
        {canWrite && offer.offered && (
          <Stack direction="row" gap={1}>
            <Button
              onClick={install}
              disabled={action.phase === 'busy' || selected.length === 0 || blocked}
              icon={action.phase === 'busy' ? 'spinner' : 'bell'}
              data-testid={`alert-pack-${offer.pack}-install`}
            >
              {installedRows.length > 0
                ? t('pages.alerts.pack.update', 'Install or update the selected rules ({{n}})', { n: selected.length })
                : t('pages.alerts.pack.install', 'Install the selected rules ({{n}})', { n: selected.length })}
            </Button>
            {installedRows.length > 0 && (
              <Button
                variant="destructive"
                fill="outline"
                onClick={uninstall}
                disabled={action.phase === 'busy'}
                data-testid={`alert-pack-${offer.pack}-uninstall`}
              >
                {t('pages.alerts.pack.uninstall', 'Uninstall ({{n}})', { n: installedRows.length })}
              </Button>
            )}
          </Stack>
        )}
      </Stack>
      {!offer.offered && (
        <Alert
          severity="info"
          title={t('pages.alerts.pack.not-offered', 'Not offered: {{exporter}} is not scraped', {
            exporter: offer.exporter?.title ?? '',
          })}
        >
          {offer.exporter?.hint}
        </Alert>
      )}
      {action.phase === 'done' && <Alert severity="success" title={action.message} />}
      {action.phase === 'failed' && (
        <Alert severity="error" title={t('pages.alerts.action-failed', 'Grafana did not take the change')}>
          {action.message}
        </Alert>
      )}
      {rows.some((r) => r.state === 'changed') && (
        <Text color="secondary">
          {t(
            'pages.alerts.pack.changed-note',
            'A rule changed in Grafana is left unselected: installing it again replaces the change with what is shown here.'
          )}
        </Text>
      )}
      {offer.offered && (
        <ul className={styles.rules}>
          {rows.map((r) => (
            <RuleRow
              key={r.template.rule}
              ds={ds}
              template={r.template}
              rendered={r.rendered}
              edit={r.edit}
              problems={r.problems}
              state={r.state}
              canWrite={canWrite}
              translate={translate}
              onChange={(edit) => setEdits({ ...edits, [r.template.rule]: edit })}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  pack: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(2),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  }),
  rules: css({ margin: 0, padding: 0 }),
});
