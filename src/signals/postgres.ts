/**
 * PostgreSQL, from postgres_exporter; every metric here exists in 0.11 (the postgres_exporter mixin and 9628),
 * except uptime (`pg_postmaster_start_time_seconds`) and replica lag (`pg_replication_lag_seconds`): those need
 * a custom queries.yaml on 0.11, or a newer exporter (uptime: its postmaster collector, off by default). Pages
 * check that their metric exists before drawing them (see REQUIRED_METRICS).
 */
import { type LabelMatcher, aggregate, labelMatcher, matchAny, selector, sumBy } from '../promql/render';
import { defineSignal } from './define';
import { msg } from './messages';
import {
  type ModesDefinition,
  databaseInstanceParam,
  databaseParam,
  listParam,
  modeParameters,
  stringParam,
} from './params';
import { RATE_INTERVAL } from './service';
import type { Message, Signal, SignalParams } from './types';

function serverMatchers(p: SignalParams): LabelMatcher[] {
  const instances = listParam(p, 'instance');
  return instances.length > 0 ? [matchAny('instance', instances)] : [];
}

/** Server filter plus the chosen databases; without a choice, every database but the templates. */
function databaseMatchers(p: SignalParams): LabelMatcher[] {
  const databases = listParam(p, 'database');
  const datname: LabelMatcher =
    databases.length > 0 ? matchAny('datname', databases) : labelMatcher('datname', '!~', 'template.*');
  return [...serverMatchers(p), datname];
}

const perDatabase = (expr: string) => sumBy(['instance', 'datname'], expr);
const rate = (metric: string, p: SignalParams) => `rate(${selector(metric, databaseMatchers(p))}[${RATE_INTERVAL}])`;

function postgresSignal(def: {
  id: string;
  title: string;
  description: string;
  unit: string;
  perDatabase: boolean;
  legend?: string;
  format?: 'table';
  modes?: ModesDefinition;
  render(p: SignalParams): string;
  explain: Message;
}): Signal {
  const modeParams = modeParameters(def.id, def.modes);
  return defineSignal({
    id: def.id,
    family: 'postgres',
    title: def.title,
    description: def.description,
    parameters: [databaseInstanceParam(), ...(def.perDatabase ? [databaseParam()] : []), ...modeParams],
    unit: def.unit,
    ...(def.format && { format: def.format, instant: true }),
    legend: def.legend ?? (def.perDatabase ? '{{datname}}' : '{{instance}}'),
    render: def.render,
    explain: () => def.explain,
  });
}

/** Metrics of signals that postgres_exporter 0.11 does not export by default: signal id -> metric name. */
export const REQUIRED_METRICS: Readonly<Record<string, string>> = {
  'postgres.uptime': 'pg_postmaster_start_time_seconds',
  'postgres.replication.lag': 'pg_replication_lag_seconds',
};

const commits = (p: SignalParams) => perDatabase(rate('pg_stat_database_xact_commit', p));
const rollbacks = (p: SignalParams) => perDatabase(rate('pg_stat_database_xact_rollback', p));

export const POSTGRES_SIGNALS: Signal[] = [
  postgresSignal({
    id: 'postgres.up',
    title: 'PostgreSQL up',
    description: 'Whether the exporter can connect to PostgreSQL (1 up, 0 down).',
    unit: 'short',
    perDatabase: false,
    render: (p) => selector('pg_up', serverMatchers(p)),
    explain: msg(
      'signals.postgres.up.explain',
      '1 when the exporter could connect to PostgreSQL at its last scrape, 0 when it could not; no value when the exporter itself is not scraped.'
    ),
  }),
  postgresSignal({
    id: 'postgres.connections.used',
    title: 'Connections used',
    description: 'Open connections as a share of the connections available to normal users.',
    unit: 'percentunit',
    perDatabase: false,
    render: (p) => {
      const by = (metric: string) => sumBy(['instance'], selector(metric, serverMatchers(p)));
      return `${by('pg_stat_activity_count')} / (${by('pg_settings_max_connections')} - ${by('pg_settings_superuser_reserved_connections')})`;
    },
    explain: msg(
      'signals.postgres.connections.used.explain',
      'Open connections divided by max_connections minus the connections reserved for superusers, per server.'
    ),
  }),
  postgresSignal({
    id: 'postgres.connections.by-state',
    title: 'Connections by state',
    description: 'Open connections per state: active, idle, idle in transaction…',
    unit: 'short',
    perDatabase: true,
    legend: '{{datname}} {{state}}',
    render: (p) => sumBy(['instance', 'datname', 'state'], selector('pg_stat_activity_count', databaseMatchers(p))),
    explain: msg('signals.postgres.connections.by-state.explain', 'The number of connections per database and state.'),
  }),
  postgresSignal({
    id: 'postgres.transactions.rate',
    title: 'Transactions per second',
    description: 'Committed and rolled-back transactions per second.',
    unit: 'ops',
    perDatabase: true,
    modes: {
      label: 'Transactions',
      choices: { all: 'All', commit: 'Committed', rollback: 'Rolled back' },
      default: 'all',
    },
    render: (p) => {
      const mode = stringParam(p, 'mode');
      if (mode === 'commit') {
        return commits(p);
      }
      return mode === 'rollback' ? rollbacks(p) : `${commits(p)} + ${rollbacks(p)}`;
    },
    explain: msg(
      'signals.postgres.transactions.rate.explain',
      'Transactions per second per database, over the rate window.'
    ),
  }),
  postgresSignal({
    id: 'postgres.transactions.rollback-ratio',
    title: 'Rollback ratio',
    description: 'Share of transactions rolled back.',
    unit: 'percentunit',
    perDatabase: true,
    render: (p) => `${rollbacks(p)} / (${commits(p)} + ${rollbacks(p)})`,
    explain: msg(
      'signals.postgres.transactions.rollback-ratio.explain',
      'Rolled-back transactions divided by all transactions, per database, over the rate window.'
    ),
  }),
  postgresSignal({
    id: 'postgres.rows',
    title: 'Rows',
    description: 'Rows fetched, returned, inserted, updated or deleted per second.',
    unit: 'ops',
    perDatabase: true,
    modes: {
      label: 'Rows',
      choices: {
        fetched: 'Fetched',
        returned: 'Returned',
        inserted: 'Inserted',
        updated: 'Updated',
        deleted: 'Deleted',
      },
      default: 'fetched',
    },
    render: (p) => perDatabase(rate(`pg_stat_database_tup_${stringParam(p, 'mode')}`, p)),
    explain: msg('signals.postgres.rows.explain', 'Rows per second per database, over the rate window.'),
  }),
  postgresSignal({
    id: 'postgres.cache.hit-ratio',
    title: 'Cache hit ratio',
    description: 'Share of block reads served from shared buffers instead of disk.',
    unit: 'percentunit',
    perDatabase: true,
    render: (p) => {
      const hit = perDatabase(rate('pg_stat_database_blks_hit', p));
      return `${hit} / (${hit} + ${perDatabase(rate('pg_stat_database_blks_read', p))})`;
    },
    explain: msg(
      'signals.postgres.cache.hit-ratio.explain',
      'Blocks found in shared buffers divided by all blocks requested, per database, over the rate window.'
    ),
  }),
  postgresSignal({
    id: 'postgres.deadlocks',
    title: 'Deadlocks',
    description: 'Deadlocks detected per rate window.',
    unit: 'short',
    perDatabase: true,
    render: (p) =>
      perDatabase(`increase(${selector('pg_stat_database_deadlocks', databaseMatchers(p))}[${RATE_INTERVAL}])`),
    explain: msg('signals.postgres.deadlocks.explain', 'Deadlocks detected per database within each rate window.'),
  }),
  postgresSignal({
    id: 'postgres.database.size',
    title: 'Database size',
    description: 'Disk space used by each database.',
    unit: 'bytes',
    perDatabase: true,
    render: (p) => perDatabase(selector('pg_database_size_bytes', databaseMatchers(p))),
    explain: msg('signals.postgres.database.size.explain', 'The size of each database on disk.'),
  }),
  postgresSignal({
    id: 'postgres.locks',
    title: 'Locks',
    description: 'Locks held, per lock mode.',
    unit: 'short',
    perDatabase: true,
    legend: '{{datname}} {{mode}}',
    render: (p) => sumBy(['instance', 'datname', 'mode'], selector('pg_locks_count', databaseMatchers(p))),
    explain: msg('signals.postgres.locks.explain', 'The number of locks per database and lock mode.'),
  }),
  postgresSignal({
    id: 'postgres.transactions.longest',
    title: 'Longest transaction',
    description: 'Age of the oldest open transaction.',
    unit: 's',
    perDatabase: true,
    render: (p) =>
      aggregate('max', selector('pg_stat_activity_max_tx_duration', databaseMatchers(p)), {
        mode: 'by',
        labels: ['instance', 'datname'],
      }),
    explain: msg(
      'signals.postgres.transactions.longest.explain',
      'How long the oldest open transaction has been running, per database.'
    ),
  }),
  postgresSignal({
    id: 'postgres.temp-bytes',
    title: 'Temporary files',
    description: 'Bytes written to temporary files per second (queries that did not fit in work_mem).',
    unit: 'Bps',
    perDatabase: true,
    render: (p) => perDatabase(rate('pg_stat_database_temp_bytes', p)),
    explain: msg('signals.postgres.temp-bytes.explain', 'Bytes per second written to temporary files, per database.'),
  }),
  postgresSignal({
    id: 'postgres.exporter.errors',
    title: 'Exporter errors',
    description: 'Whether the exporter failed its last scrape of PostgreSQL (1 = error).',
    unit: 'short',
    perDatabase: false,
    render: (p) => selector('pg_exporter_last_scrape_error', serverMatchers(p)),
    explain: msg(
      'signals.postgres.exporter.errors.explain',
      '1 when the exporter hit an error during its last scrape, 0 otherwise.'
    ),
  }),
  postgresSignal({
    id: 'postgres.exporter.duration',
    title: 'Exporter scrape duration',
    description: 'How long the exporter took to read its statistics from PostgreSQL at its last scrape.',
    unit: 's',
    perDatabase: false,
    render: (p) => selector('pg_exporter_last_scrape_duration_seconds', serverMatchers(p)),
    explain: msg(
      'signals.postgres.exporter.duration.explain',
      'Seconds the exporter spent querying PostgreSQL during its last scrape.'
    ),
  }),
  postgresSignal({
    id: 'postgres.version',
    title: 'PostgreSQL version',
    description: 'The server version each exporter reports (pg_static).',
    unit: 'short',
    perDatabase: false,
    legend: '{{short_version}}',
    render: (p) => selector('pg_static', serverMatchers(p)),
    explain: msg(
      'signals.postgres.version.explain',
      'One series per server whose labels carry the PostgreSQL version (version, short_version); its value is always 1.'
    ),
  }),
  postgresSignal({
    id: 'postgres.exporter.version',
    title: 'Exporter version',
    description: 'The postgres_exporter version of each target: what it can export depends on it.',
    unit: 'short',
    perDatabase: false,
    legend: '{{version}}',
    // Recent releases (0.11 here) name their build info postgres_exporter_build_info, older ones pg_exporter_build_info.
    render: (p) =>
      `${selector('postgres_exporter_build_info', serverMatchers(p))} or ${selector('pg_exporter_build_info', serverMatchers(p))}`,
    explain: msg(
      'signals.postgres.exporter.version.explain',
      'One series per exporter whose version label is the postgres_exporter release; its value is always 1.'
    ),
  }),
  postgresSignal({
    id: 'postgres.uptime',
    title: 'PostgreSQL uptime',
    description: 'Time since the PostgreSQL server started (needs pg_postmaster_start_time_seconds).',
    unit: 's',
    perDatabase: false,
    render: (p) => `time() - ${selector(REQUIRED_METRICS['postgres.uptime'], serverMatchers(p))}`,
    explain: msg(
      'signals.postgres.uptime.explain',
      'Seconds since the server started. postgres_exporter 0.11 exports the start time only through a custom query (queries.yaml); newer versions through the postmaster collector (--collector.postmaster).'
    ),
  }),
  postgresSignal({
    id: 'postgres.replication.lag',
    title: 'Replication lag (replica)',
    description: 'How far a replica is behind its primary, in seconds (needs pg_replication_lag_seconds).',
    unit: 's',
    perDatabase: false,
    render: (p) => selector(REQUIRED_METRICS['postgres.replication.lag'], serverMatchers(p)),
    explain: msg(
      'signals.postgres.replication.lag.explain',
      'Seconds since the last transaction replayed on a replica; only replicas report it. postgres_exporter 0.11 needs the pg_replication query in queries.yaml; newer versions export it by default.'
    ),
  }),
];

/** `label_values(pg_up, instance)`: the postgres_exporter targets, for a page's instance variable. */
export function postgresInstanceVariableQuery(): string {
  return `label_values(pg_up, instance)`;
}

/**
 * `label_values(<database metric>{instance=~"$instance", datname!~"template.*"}, datname)`: the databases of
 * the chosen exporters, templates left out, for a page's database variable.
 */
export function postgresDatabaseVariableQuery(instanceVariable: string): string {
  const matchers = [matchAny('instance', [instanceVariable]), labelMatcher('datname', '!~', 'template.*')];
  return `label_values(${selector('pg_stat_database_numbackends', matchers)}, datname)`;
}
