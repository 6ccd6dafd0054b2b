import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { t } from '@grafana/i18n';
import { getDataSourceSrv } from '@grafana/runtime';
import { Alert, LoadingPlaceholder, Stack, Text } from '@grafana/ui';

import type { GrafanaExportOptions } from '../../alerts/export';
import type { ProvisionedRule } from '../../alerts/install';
import { PLUGIN_BASE_URL, PULSE_DATASOURCE_TYPE } from '../../constants';
import type { CatalogResponse, ExportersResponse } from '../../datasource/catalog';
import type { PulseDataSource } from '../../datasource/datasource';
import { ALERT_PACKS, renderContext } from '../../signals';
import { userCan } from '../../utils/permissions';
import { packOffer } from './packs';
import { PackSection } from './PackSection';
import { ALERTING_PERMISSIONS, listPulseRules } from './provisioningApi';
import { englishTexts, loadTemplateTexts, type Translate, userLanguage } from './templateTexts';

type Loaded<T> = { phase: 'loading' } | { phase: 'done'; value: T } | { phase: 'failed'; message: string };

const messageOf = (error: unknown) =>
  (error as { data?: { message?: string } })?.data?.message ?? (error instanceof Error ? error.message : String(error));

function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ phase: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setLoaded({ phase: 'done', value }),
      (error: unknown) => current && setLoaded({ phase: 'failed', message: messageOf(error) })
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  return [loaded, useCallback(() => setRound((r) => r + 1), [])];
}

const valueOf = <T,>(l: Loaded<T>) => (l.phase === 'done' ? l.value : undefined);

/** The Alerts page's body for the data source chosen on the page. */
export function AlertPacks({ dataSourceUid }: { dataSourceUid: string }) {
  const canWrite = ALERTING_PERMISSIONS.write.some(userCan);
  const [ds] = useLoad(async () => {
    const found = await getDataSourceSrv().get({ type: PULSE_DATASOURCE_TYPE, uid: dataSourceUid });
    if (found.type !== PULSE_DATASOURCE_TYPE) {
      throw new Error(
        t('pages.resources.no-datasource', 'Choose a Pulse data source: this part of the page reads its resources.')
      );
    }
    return found as unknown as PulseDataSource;
  }, [dataSourceUid]);
  const dataSource = valueOf(ds);
  const [exporters] = useLoad<ExportersResponse | undefined>(
    async () => (dataSource ? dataSource.getExporters() : undefined),
    [dataSource]
  );
  const [catalog] = useLoad<CatalogResponse | undefined>(
    async () => (dataSource ? dataSource.getCatalog() : undefined),
    [dataSource]
  );
  const [installed, reloadInstalled] = useLoad(async () => {
    const rules = await listPulseRules();
    return new Map<string, ProvisionedRule>(rules.map((r) => [r.uid, r]));
  }, []);
  const [translate] = useLoad<Translate>(
    async () => (dataSource ? loadTemplateTexts(dataSource.meta.baseUrl, userLanguage()) : englishTexts),
    [dataSource]
  );

  const options: GrafanaExportOptions | undefined = useMemo(
    () =>
      dataSource && {
        ctx: renderContext(dataSource.metricNames),
        appBase: PLUGIN_BASE_URL,
        datasourceUid: dataSource.uid,
        translate: valueOf(translate) ?? englishTexts,
      },
    [dataSource, translate]
  );

  if (ds.phase === 'failed') {
    return <Alert severity="error" title={ds.message} />;
  }
  if (!dataSource || !options || translate.phase === 'loading') {
    return <LoadingPlaceholder text={t('pages.alerts.loading', 'Reading the data source and the installed rules…')} />;
  }
  return (
    <Stack direction="column" gap={2}>
      <Text color="secondary">
        {t(
          'pages.alerts.intro',
          'Recommended rules from the signal catalog, one pack per family. Preview a rule to see its value per series now and how often it would have fired over the last 7 days, change its threshold, “for”, severity and labels, then install: Pulse writes Grafana-managed rules into folder Pulse (one rule group per pack, stable uids, so installing again updates). They stay editable in Grafana’s alerting pages; Pulse shows when one was changed there.'
        )}
      </Text>
      {!canWrite && (
        <Alert severity="info" title={t('pages.alerts.read-only.title', 'You can preview the rules, not install them')}>
          {t(
            'pages.alerts.read-only.body',
            'Installing needs one of the permissions {{permissions}}; Grafana’s Admin role has them. Ask an administrator to install the packs you need.',
            { permissions: ALERTING_PERMISSIONS.write.join(', '), interpolation: { escapeValue: false } }
          )}
        </Alert>
      )}
      {installed.phase === 'failed' && (
        <Alert severity="warning" title={t('pages.alerts.installed-unknown', 'Cannot tell which rules are installed')}>
          {installed.message}
        </Alert>
      )}
      {ALERT_PACKS.map((pack) => (
        <PackSection
          key={`${dataSource.uid}-${pack}`}
          ds={dataSource}
          offer={packOffer(pack, valueOf(exporters), valueOf(catalog))}
          options={options}
          installed={valueOf(installed)}
          canWrite={canWrite}
          onChanged={reloadInstalled}
        />
      ))}
    </Stack>
  );
}
