import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormatTimeAgo, formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import type { SceneComponentProps } from '@grafana/scenes';
import {
  Alert,
  Badge,
  type BadgeColor,
  type Column,
  InteractiveTable,
  LoadingPlaceholder,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';

import type { Target, TargetHealth, TargetsResponse } from '../../datasource/catalog';
import type { PulseDataSource } from '../../datasource/datasource';
import { ResourceObject, type ResourceObjectState } from '../shared/resourceObject';
import { diagnosisHint } from '../shared/targetDiagnosis';

/**
 * Every scrape target of the chosen data source, failing ones first (the backend sorts them), with the
 * backend's diagnosis of why a scrape fails and what to do. Read again on every refresh: targets are current
 * state, not a time series.
 */
export class TargetsTable extends ResourceObject<TargetsResponse, ResourceObjectState<TargetsResponse>> {
  static Component = TargetsTableRenderer;

  constructor() {
    super({ loaded: { phase: 'loading' } });
  }

  protected read(dataSource: PulseDataSource): Promise<TargetsResponse> {
    return dataSource.getTargets(true);
  }
}

const HEALTH_COLORS: Record<TargetHealth, BadgeColor> = { up: 'green', down: 'red', unknown: 'orange' };

function healthText(health: TargetHealth): string {
  switch (health) {
    case 'up':
      return t('pages.targets.health.up', 'Up');
    case 'down':
      return t('pages.targets.health.down', 'Down');
    case 'unknown':
      return t('pages.targets.health.unknown', 'Unknown');
  }
}

const seconds = getValueFormat('s');

/** A target without a scrape yet has Go's zero time. */
function lastScrapeText(lastScrape: string): string {
  const at = Date.parse(lastScrape);
  return Number.isNaN(at) || at <= 0 ? t('pages.targets.never', 'Never') : dateTimeFormatTimeAgo(at);
}

function useColumns(): Array<Column<Target>> {
  const styles = useStyles2(getStyles);
  return useMemo(
    () => [
      {
        id: 'health',
        header: t('pages.targets.columns.health', 'Health'),
        cell: ({ row }) => <Badge color={HEALTH_COLORS[row.original.health]} text={healthText(row.original.health)} />,
        sortType: 'string',
      },
      { id: 'job', header: t('pages.targets.columns.job', 'Job'), sortType: 'string' },
      { id: 'instance', header: t('pages.targets.columns.instance', 'Instance'), sortType: 'string' },
      {
        id: 'scrapeUrl',
        header: t('pages.targets.columns.url', 'Scrape URL'),
        cell: ({ row }) => <span className={styles.url}>{row.original.scrapeUrl}</span>,
      },
      {
        id: 'lastScrape',
        header: t('pages.targets.columns.last-scrape', 'Last scrape'),
        cell: ({ row }) => lastScrapeText(row.original.lastScrape),
      },
      {
        id: 'lastScrapeDuration',
        header: t('pages.targets.columns.duration', 'Duration'),
        cell: ({ row }) => formattedValueToString(seconds(row.original.lastScrapeDuration)),
        sortType: 'number',
      },
      {
        id: 'diagnosis',
        header: t('pages.targets.columns.diagnosis', 'Diagnosis'),
        cell: ({ row }) => <Diagnosis target={row.original} />,
      },
    ],
    [styles]
  );
}

function Diagnosis({ target }: { target: Target }) {
  if (!target.diagnosis) {
    return null;
  }
  return (
    <Stack direction="column" gap={0.5}>
      <Text>{diagnosisHint(target.diagnosis)}</Text>
      {target.lastError && (
        <Text color="secondary" variant="bodySmall">
          {/* Free text stays out of t(): its interpolation would HTML-escape quotes and slashes. */}
          {t('pages.targets.prometheus-error', 'Prometheus says:')} {target.lastError}
        </Text>
      )}
    </Stack>
  );
}

function TargetsTableRenderer({ model }: SceneComponentProps<TargetsTable>) {
  const { loaded } = model.useState();
  const columns = useColumns();
  if (loaded.phase === 'loading') {
    return <LoadingPlaceholder text={t('pages.targets.loading', 'Reading the scrape targets…')} />;
  }
  if (loaded.phase === 'failed') {
    return (
      <Alert severity="error" title={t('pages.targets.failed', 'Could not read the scrape targets')}>
        {loaded.message}
      </Alert>
    );
  }
  const { targets, up, down, unknown } = loaded.value;
  if (targets.length === 0) {
    return (
      <Alert severity="warning" title={t('pages.targets.none.title', 'Prometheus has no scrape targets')}>
        {t(
          'pages.targets.none.body',
          'Add scrape jobs for your NestJS services, node_exporter, cAdvisor and postgres_exporter to scrape_configs in prometheus.yml. Engines that do not list targets (some Prometheus-compatible ones) show nothing here either.'
        )}
      </Alert>
    );
  }
  return (
    <Stack direction="column" gap={1}>
      <Text color="secondary">
        {t('pages.targets.summary', '{{up}} up, {{down}} down, {{unknown}} unknown', { up, down, unknown })}
      </Text>
      <InteractiveTable
        columns={columns}
        data={targets}
        getRowId={(target: Target) => `${target.scrapePool} ${target.instance} ${target.scrapeUrl}`}
      />
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  url: css({ fontFamily: theme.typography.fontFamilyMonospace, wordBreak: 'break-all' }),
});
