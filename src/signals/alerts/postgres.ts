/** PostgreSQL pack: postgres_exporter alerts per server and database. */
import { defineAlert } from './define';

const SERVER = { instanceLabels: ['instance'], labelValues: { server: 'instance' }, page: 'postgresql' };
const DATABASE = {
  instanceLabels: ['instance', 'datname'],
  labelValues: { server: 'instance', database: 'datname' },
  page: 'postgresql',
};
/** Only databases committing or rolling back at least one transaction per second: ratios of a few jump. */
const MIN_TRANSACTIONS = {
  signal: 'postgres.transactions.rate',
  params: { mode: 'all' },
  op: '>' as const,
  threshold: 1,
  unit: 'ops',
  on: ['instance', 'datname'],
};

export const POSTGRES_ALERTS = [
  defineAlert({
    pack: 'postgres',
    rule: 'PostgresExporterDown',
    signal: 'postgres.exporter.down',
    params: {},
    condition: { op: '>', threshold: 0, unit: 'short' },
    for: '5m',
    severity: 'critical',
    ...SERVER,
    texts: {
      summary: 'postgres_exporter {{server}} is down',
      description:
        'Prometheus has not scraped postgres_exporter {{server}} for {{for}}: nothing is known about its database, which may be up or down.',
      runbook:
        'Open the Targets page for the scrape error; check that postgres_exporter runs and listens. This is the exporter, not the database: check the database separately (psql).',
    },
  }),
  defineAlert({
    pack: 'postgres',
    rule: 'PostgresDown',
    signal: 'postgres.up',
    params: {},
    condition: { op: '<', threshold: 1, unit: 'short' },
    for: '1m',
    severity: 'critical',
    ...SERVER,
    texts: {
      summary: 'PostgreSQL behind {{server}} is down',
      description:
        'postgres_exporter {{server}} answers but has not been able to connect to its database for {{for}} (pg_up is 0).',
      runbook:
        'Check the PostgreSQL server (systemctl status postgresql, its log), then the exporter connection settings (DATA_SOURCE_NAME, password, pg_hba.conf) if the server runs.',
    },
  }),
  defineAlert({
    pack: 'postgres',
    rule: 'PostgresConnectionsHigh',
    signal: 'postgres.connections.used',
    params: {},
    condition: { op: '>', threshold: 0.8, unit: 'percentunit' },
    for: '5m',
    severity: 'warning',
    ...SERVER,
    texts: {
      summary: 'PostgreSQL {{server}}: {{value}} of connections used',
      description:
        'More than {{threshold}} of the connections PostgreSQL {{server}} allows (max_connections less the reserved ones) were in use for {{for}}.',
      runbook:
        'On the PostgreSQL page see connections by state: many idle ones point at oversized client pools, many idle in transaction at a client that does not commit. Fix the pools (or add a pooler) before raising max_connections.',
    },
  }),
  defineAlert({
    pack: 'postgres',
    rule: 'PostgresRollbackRatioHigh',
    signal: 'postgres.transactions.rollback-ratio',
    params: {},
    condition: { op: '>', threshold: 0.05, unit: 'percentunit' },
    guard: MIN_TRANSACTIONS,
    for: '10m',
    severity: 'warning',
    ...DATABASE,
    texts: {
      summary: 'PostgreSQL {{server}} {{database}}: {{value}} of transactions roll back',
      description:
        'More than {{threshold}} of the transactions of database {{database}} on {{server}} rolled back for {{for}} (only while its transaction rate is above {{guard}}).',
      runbook:
        'Rollbacks are errors in the clients or conflicts: check the error ratio of the services using {{database}} and the PostgreSQL log for the failing statements (constraint violations, serialization failures, deadlocks).',
    },
  }),
  defineAlert({
    pack: 'postgres',
    rule: 'PostgresDeadlocks',
    signal: 'postgres.deadlocks',
    params: {},
    condition: { op: '>', threshold: 0, unit: 'short' },
    for: '0m',
    severity: 'warning',
    ...DATABASE,
    texts: {
      summary: 'PostgreSQL {{server}} {{database}}: deadlocks',
      description: 'Database {{database}} on {{server}} detected {{value}} deadlocks within the last rate window.',
      runbook:
        'The PostgreSQL log names both statements of each deadlock (log_lock_waits helps too); make the transactions take their locks in the same order, or shorten them.',
    },
  }),
  defineAlert({
    pack: 'postgres',
    rule: 'PostgresLongTransaction',
    signal: 'postgres.transactions.longest',
    params: {},
    condition: { op: '>', threshold: 300, unit: 's' },
    for: '2m',
    severity: 'warning',
    ...DATABASE,
    texts: {
      summary: 'PostgreSQL {{server}} {{database}}: a transaction open for {{value}}',
      description:
        'A transaction in database {{database}} on {{server}} has been open longer than {{threshold}}; it holds locks and keeps vacuum from removing dead rows.',
      runbook:
        "Find it: SELECT pid, state, xact_start, query FROM pg_stat_activity WHERE xact_start < now() - interval '5 minutes'. An idle-in-transaction session is a client that did not commit; pg_terminate_backend(pid) ends it.",
    },
  }),
  defineAlert({
    pack: 'postgres',
    rule: 'PostgresCacheHitRatioLow',
    signal: 'postgres.cache.hit-ratio',
    params: {},
    condition: { op: '<', threshold: 0.9, unit: 'percentunit' },
    guard: MIN_TRANSACTIONS,
    for: '15m',
    severity: 'warning',
    ...DATABASE,
    texts: {
      summary: 'PostgreSQL {{server}} {{database}}: cache hit ratio {{value}}',
      description:
        'Less than {{threshold}} of the blocks database {{database}} on {{server}} read came from shared buffers for {{for}} (only while its transaction rate is above {{guard}}).',
      runbook:
        'Look for new sequential scans (a missing index, a changed query plan) and the database size against shared_buffers and the host memory; disk reads then show on the host page.',
    },
  }),
];
