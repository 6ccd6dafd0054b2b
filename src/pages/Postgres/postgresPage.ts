import { MappingType, ThresholdsMode, type ThresholdsConfig } from '@grafana/data';
import { t } from '@grafana/i18n';
import { SceneAppPage, SceneFlexItem, SceneFlexLayout, type SceneObject, type VizPanel } from '@grafana/scenes';
import { BigValueGraphMode, BigValueTextMode } from '@grafana/schema';

import type { PageSettings } from '../../components/App/App';
import { ROUTES } from '../../constants';
import type { NestMetricNames } from '../../datasource/types';
import { REQUIRED_METRICS, type SignalParams } from '../../signals';
import { prefixRoute } from '../../utils/utils.routing';
import { initialMetricNames, panelRow, pulsePageScene, signalPanel, type SignalPanelOptions } from '../shared';
import { withPanelOptions, withValueMappings } from '../shared/panelTweaks';
import { RequiredMetricPanel } from '../shared/requiredMetric';
import { PackAlerts } from '../shared/PackAlerts';
import { PostgresStatus } from './PostgresStatus';
import { postgresUpStat } from './upStat';
import { databaseVariable, instanceVariable } from './variables';

// Every panel follows the page's variables; server-level signals ignore the database.
const SERVER: SignalParams = { instance: '$instance' };
const DATABASE: SignalParams = { instance: '$instance', database: '$database' };

function thresholds(...steps: Array<[number, string]>): ThresholdsConfig {
  return { mode: ThresholdsMode.Absolute, steps: steps.map(([value, color]) => ({ value, color })) };
}

const STAT_HEIGHT = 120;
const GRAPH_HEIGHT = 260;

function row(height: number, panels: SceneObject[]): SceneFlexItem {
  return panelRow(panels, { height, minWidth: 220 });
}

function stat(signalId: string, params: SignalParams, options: SignalPanelOptions): VizPanel {
  return signalPanel(signalId, params, { ...options, viz: 'stat' });
}

/** A version is a label (of pg_static, of the build info): the stat shows the series name, made the version by the legend. */
function versionStat(panel: VizPanel): VizPanel {
  return withPanelOptions(panel, { textMode: BigValueTextMode.Name, graphMode: BigValueGraphMode.None });
}

function exporterErrorsStat(names?: NestMetricNames): VizPanel {
  const panel = stat('postgres.exporter.errors', SERVER, {
    title: t('pages.postgres.panels.exporter-errors', 'Exporter errors'),
    description: t(
      'pages.postgres.panels.exporter-errors-description',
      'pg_exporter_last_scrape_error: 1 when postgres_exporter hit an error reading PostgreSQL at its last scrape (often a permission missing for the monitoring user).'
    ),
    metricNames: names,
    thresholds: thresholds([-Infinity, 'green'], [1, 'red']),
  });
  withPanelOptions(panel, { graphMode: BigValueGraphMode.None });
  return withValueMappings(panel, [
    {
      type: MappingType.ValueToText,
      options: {
        '0': { text: t('pages.postgres.panels.no-error', 'None'), color: 'green', index: 0 },
        '1': { text: t('pages.postgres.panels.error', 'Error'), color: 'red', index: 1 },
      },
    },
  ]);
}

/**
 * Uptime needs pg_postmaster_start_time_seconds, which postgres_exporter 0.11 exports only from a custom query;
 * without it the page says how to get it instead of drawing an empty stat.
 */
function uptimeStat(names?: NestMetricNames): RequiredMetricPanel {
  return new RequiredMetricPanel({
    metric: REQUIRED_METRICS['postgres.uptime'],
    panel: stat('postgres.uptime', SERVER, {
      title: t('pages.postgres.panels.uptime', 'Uptime'),
      metricNames: names,
      thresholds: thresholds([-Infinity, 'orange'], [300, 'green']),
    }),
    howToGetIt: t(
      'pages.postgres.required.uptime',
      'postgres_exporter up to 0.11 does not export the server start time by default. Add a pg_postmaster query (SELECT pg_postmaster_start_time as start_time_seconds …) to the exporter queries.yaml (--extend.query-path), or run postgres_exporter 0.13 or later with --collector.postmaster.'
    ),
  });
}

/** Replication lag only exists on replicas, and 0.11 has it only from queries.yaml. */
function replicationLag(names?: NestMetricNames): RequiredMetricPanel {
  return new RequiredMetricPanel({
    metric: REQUIRED_METRICS['postgres.replication.lag'],
    panel: signalPanel('postgres.replication.lag', SERVER, {
      title: t('pages.postgres.panels.replication-lag', 'Replication lag (replica)'),
      metricNames: names,
      thresholds: thresholds([-Infinity, 'green'], [5, 'orange'], [30, 'red']),
    }),
    howToGetIt: t(
      'pages.postgres.required.replication-lag',
      'Only a replica reports how far it lags behind its primary. postgres_exporter 0.11 needs the pg_replication query (lag from pg_last_xact_replay_timestamp()) in its queries.yaml; 0.12 and later export pg_replication_lag_seconds by default. A primary without replicas has nothing to show here.'
    ),
  });
}

function postgresBody(names?: NestMetricNames): SceneFlexLayout {
  const graph = (signalId: string, params: SignalParams, options: Omit<SignalPanelOptions, 'metricNames'>) =>
    signalPanel(signalId, params, { ...options, metricNames: names });
  return new SceneFlexLayout({
    direction: 'column',
    children: [
      new SceneFlexItem({ body: new PostgresStatus() }),
      new SceneFlexItem({
        body: new PackAlerts({
          pack: 'postgres',
          filters: [
            { labelName: 'instance', variable: 'instance' },
            { labelName: 'datname', variable: 'database' },
          ],
        }),
      }),
      row(STAT_HEIGHT, [
        postgresUpStat(SERVER, { metricNames: names }),
        versionStat(
          stat('postgres.version', SERVER, {
            title: t('pages.postgres.panels.version', 'Version'),
            metricNames: names,
          })
        ),
        // Which exporter runs decides which panels below can have data; the gated ones say so.
        versionStat(
          stat('postgres.exporter.version', SERVER, {
            title: t('pages.postgres.panels.exporter-version', 'Exporter version'),
            metricNames: names,
          })
        ),
        uptimeStat(names),
        stat('postgres.connections.used', SERVER, {
          title: t('pages.postgres.panels.connections-used', 'Connections used'),
          description: t(
            'pages.postgres.panels.connections-used-description',
            'Open connections as a share of max_connections minus the superuser reserve: at 100% new clients are refused.'
          ),
          metricNames: names,
          thresholds: thresholds([-Infinity, 'green'], [0.75, 'orange'], [0.9, 'red']),
          min: 0,
          max: 1,
        }),
        exporterErrorsStat(names),
        stat('postgres.exporter.duration', SERVER, {
          title: t('pages.postgres.panels.exporter-duration', 'Exporter scrape time'),
          metricNames: names,
        }),
      ]),
      row(GRAPH_HEIGHT, [
        graph('postgres.connections.by-state', DATABASE, {
          title: t('pages.postgres.panels.connections-by-state', 'Connections by state'),
        }),
        graph('postgres.transactions.longest', DATABASE, {
          title: t('pages.postgres.panels.longest-transaction', 'Longest transaction'),
          description: t(
            'pages.postgres.panels.longest-transaction-description',
            'A transaction open for long holds locks and keeps VACUUM from cleaning up.'
          ),
          thresholds: thresholds([-Infinity, 'green'], [60, 'orange'], [300, 'red']),
        }),
        graph('postgres.locks', DATABASE, { title: t('pages.postgres.panels.locks', 'Locks by mode') }),
      ]),
      row(GRAPH_HEIGHT, [
        graph(
          'postgres.transactions.rate',
          { ...DATABASE, mode: 'commit' },
          {
            title: t('pages.postgres.panels.tps', 'Transactions per second'),
            overrides: { legendFormat: `{{datname}} ${t('pages.postgres.legend.commits', 'commits')}` },
            more: [
              {
                signalId: 'postgres.transactions.rate',
                params: { ...DATABASE, mode: 'rollback' },
                overrides: { legendFormat: `{{datname}} ${t('pages.postgres.legend.rollbacks', 'rollbacks')}` },
              },
            ],
          }
        ),
        graph('postgres.transactions.rollback-ratio', DATABASE, {
          title: t('pages.postgres.panels.rollback-ratio', 'Rollback ratio'),
          thresholds: thresholds([-Infinity, 'green'], [0.02, 'orange'], [0.1, 'red']),
          min: 0,
        }),
        graph('postgres.cache.hit-ratio', DATABASE, {
          title: t('pages.postgres.panels.cache-hit-ratio', 'Cache hit ratio'),
          description: t(
            'pages.postgres.panels.cache-hit-ratio-description',
            'Share of block reads served from shared buffers. Below about 99% on a busy database, shared_buffers may be too small.'
          ),
          thresholds: thresholds([-Infinity, 'red'], [0.9, 'orange'], [0.99, 'green']),
          max: 1,
        }),
      ]),
      row(GRAPH_HEIGHT, [
        graph(
          'postgres.rows',
          { ...DATABASE, mode: 'fetched' },
          {
            title: t('pages.postgres.panels.rows', 'Rows per second'),
            overrides: { legendFormat: `{{datname}} ${t('pages.postgres.legend.fetched', 'fetched')}` },
            more: (
              [
                ['returned', t('pages.postgres.legend.returned', 'returned')],
                ['inserted', t('pages.postgres.legend.inserted', 'inserted')],
                ['updated', t('pages.postgres.legend.updated', 'updated')],
                ['deleted', t('pages.postgres.legend.deleted', 'deleted')],
              ] as const
            ).map(([mode, legendFormat]) => ({
              signalId: 'postgres.rows',
              params: { ...DATABASE, mode },
              overrides: { legendFormat: `{{datname}} ${legendFormat}` },
            })),
          }
        ),
        graph('postgres.deadlocks', DATABASE, {
          title: t('pages.postgres.panels.deadlocks', 'Deadlocks'),
          thresholds: thresholds([-Infinity, 'green'], [1, 'red']),
        }),
        graph('postgres.database.size', DATABASE, { title: t('pages.postgres.panels.size', 'Database size') }),
      ]),
      row(GRAPH_HEIGHT, [
        graph('postgres.temp-bytes', DATABASE, {
          title: t('pages.postgres.panels.temp-bytes', 'Temporary files written'),
          description: t(
            'pages.postgres.panels.temp-bytes-description',
            'Queries whose sorts or hashes do not fit in work_mem spill to temporary files.'
          ),
        }),
        replicationLag(names),
      ]),
    ],
  });
}

function postgresScene(settings: PageSettings) {
  return pulsePageScene({
    defaultDataSourceUid: settings.defaultDataSourceUid,
    variables: [instanceVariable(), databaseVariable()],
    body: postgresBody(initialMetricNames(settings.defaultDataSourceUid)),
  });
}

/** Built at render time (not module load) so its texts go through the initialised translations. */
export function getPostgresPage(settings: PageSettings): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.postgres.title', 'PostgreSQL'),
    subTitle: t(
      'pages.postgres.subtitle',
      'Is the database up, how busy is it, and what is it waiting on; from postgres_exporter.'
    ),
    url: prefixRoute(ROUTES.Postgres),
    routePath: `${ROUTES.Postgres}/*`,
    getScene: () => postgresScene(settings),
  });
}
