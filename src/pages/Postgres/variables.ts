import { t } from '@grafana/i18n';
import { QueryVariable } from '@grafana/scenes';
import { VariableRefresh } from '@grafana/schema';

import { postgresDatabaseVariableQuery, postgresInstanceVariableQuery } from '../../signals';
import { PULSE_DATA_SOURCE } from '../shared';

/** postgres_exporter targets; "All" by default so a single-server setup needs no choice. */
export function instanceVariable(): QueryVariable {
  return new QueryVariable({
    name: 'instance',
    label: t('pages.postgres.variables.instance', 'PostgreSQL exporter'),
    datasource: PULSE_DATA_SOURCE,
    query: postgresInstanceVariableQuery(),
    isMulti: true,
    includeAll: true,
    defaultToAll: true,
    refresh: VariableRefresh.onTimeRangeChanged,
  });
}

/**
 * Databases (datname) of the chosen exporters, templates left out. "All" stands for the listed databases, not
 * for any value, so the templates stay out of the panels too.
 */
export function databaseVariable(): QueryVariable {
  return new QueryVariable({
    name: 'database',
    label: t('pages.postgres.variables.database', 'Database'),
    datasource: PULSE_DATA_SOURCE,
    query: postgresDatabaseVariableQuery('$instance'),
    isMulti: true,
    includeAll: true,
    defaultToAll: true,
    refresh: VariableRefresh.onTimeRangeChanged,
  });
}
