import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { DataSourceInstanceSettings, GrafanaTheme2, locationUtil } from '@grafana/data';
import { t, Trans } from '@grafana/i18n';
import { Alert, Button, LinkButton, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';

import { checkDataSourceHealth, HealthResult } from '../../utils/dataSourceHealth';
import { PERMISSIONS, userCan } from '../../utils/permissions';
import { resolvePulseDataSource } from '../../utils/pulseDataSources';
import { usePluginMeta } from '../../utils/utils.plugin';
import { NoPulseDataSource } from '../shared/NoPulseDataSource';

/**
 * Which Pulse data source the pages use, and whether Grafana can reach it: the one chosen on the page when
 * given, else the app settings' default.
 */
export function DataSourceOverview({ dataSourceUid }: { dataSourceUid?: string }) {
  const meta = usePluginMeta();
  const { dataSource, missingDefaultUid } = resolvePulseDataSource(
    dataSourceUid || meta?.jsonData?.defaultDatasourceUid
  );

  if (!dataSource) {
    return <NoPulseDataSource />;
  }

  return (
    <Stack direction="column" gap={2}>
      {missingDefaultUid && (
        <Alert severity="warning" title={t('overview.default-missing.title', 'Default data source not found')}>
          {t(
            'overview.default-missing.body',
            'The app settings name a data source that no longer exists ({{uid}}). Showing {{name}} instead.',
            { uid: missingDefaultUid, name: dataSource.name }
          )}
        </Alert>
      )}
      <ConnectionCheck key={dataSource.uid} dataSource={dataSource} />
    </Stack>
  );
}

type CheckState = { phase: 'checking' } | ({ phase: 'done' } & HealthResult);

function ConnectionCheck({ dataSource }: { dataSource: DataSourceInstanceSettings }) {
  const styles = useStyles2(getStyles);
  const [attempt, setAttempt] = useState(0);
  const [check, setCheck] = useState<CheckState>({ phase: 'checking' });

  useEffect(() => {
    let current = true;
    checkDataSourceHealth(dataSource.uid).then((result) => {
      if (current) {
        setCheck({ phase: 'done', ...result });
      }
    });
    return () => {
      current = false;
    };
  }, [dataSource.uid, attempt]);

  const recheck = () => {
    setCheck({ phase: 'checking' });
    setAttempt((n) => n + 1);
  };

  return (
    <section aria-labelledby="pulse-overview-datasource" className={styles.section}>
      <Stack direction="row" justifyContent="space-between" alignItems="center" wrap="wrap">
        <Stack direction="column" gap={0}>
          <Text element="h2" variant="h3" id="pulse-overview-datasource">
            {dataSource.name}
          </Text>
          <Text color="secondary">
            <Trans i18nKey="overview.datasource.kind">Pulse Prometheus data source</Trans>
          </Text>
        </Stack>
        <Stack direction="row" gap={1}>
          {/* Only for users who may edit it, as Grafana shows its settings; a plain anchor, so with the sub-path. */}
          {userCan(PERMISSIONS.editDataSource) && (
            <LinkButton
              variant="secondary"
              icon="cog"
              href={locationUtil.assureBaseUrl(`/connections/datasources/edit/${dataSource.uid}`)}
            >
              <Trans i18nKey="overview.datasource.settings">Data source settings</Trans>
            </LinkButton>
          )}
          <Button icon="sync" onClick={recheck} disabled={check.phase === 'checking'}>
            <Trans i18nKey="overview.connection.check">Check connection</Trans>
          </Button>
        </Stack>
      </Stack>

      {check.phase === 'checking' ? (
        <LoadingPlaceholder text={t('overview.connection.checking', 'Checking connection…')} />
      ) : check.ok ? (
        <Alert severity="success" title={t('overview.connection.ok', 'Connected')}>
          <span className={styles.message}>{check.message}</span>
        </Alert>
      ) : (
        <Alert severity="error" title={t('overview.connection.failed', 'Connection failed')}>
          <span className={styles.message}>{check.message}</span>
        </Alert>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  }),
  message: css({
    whiteSpace: 'pre-wrap',
  }),
});
