import React from 'react';
import { t } from '@grafana/i18n';
import type { SceneComponentProps } from '@grafana/scenes';
import { Alert } from '@grafana/ui';

import { ExportersObject, exporterCondition } from '../shared/exporterStatus';

/**
 * Says plainly when the page cannot show PostgreSQL: no postgres_exporter is scraped (pg_up absent), or an
 * exporter answers but cannot reach its database (pg_up = 0). Nothing when all is well.
 */
export class PostgresStatus extends ExportersObject {
  static Component = PostgresStatusRenderer;

  constructor() {
    super({ loaded: { phase: 'loading' } });
  }
}

function PostgresStatusRenderer({ model }: SceneComponentProps<PostgresStatus>) {
  const { loaded } = model.useState();
  if (loaded.phase !== 'done') {
    return null;
  }
  const postgres = loaded.value.find((e) => e.key === 'postgres');
  if (!postgres) {
    return null;
  }
  switch (exporterCondition(postgres)) {
    case 'missing':
      return (
        <Alert severity="error" title={t('pages.postgres.status.missing.title', 'postgres_exporter is not scraped')}>
          {t(
            'pages.postgres.status.missing.body',
            'Prometheus has no pg_up series, so no PostgreSQL server is monitored. Run postgres_exporter (port 9187) with DATA_SOURCE_NAME pointing at your database, add it to scrape_configs in prometheus.yml, and this page fills in.'
          )}
        </Alert>
      );
    case 'degraded':
      return (
        <Alert
          severity="error"
          title={t(
            'pages.postgres.status.down.title',
            'PostgreSQL is down: {{down}} of {{targets}} exporters cannot reach their database',
            { down: postgres.targets - postgres.count, targets: postgres.targets }
          )}
        >
          {t(
            'pages.postgres.status.down.body',
            'postgres_exporter answers but reports pg_up = 0: the database is stopped, refuses the connection, or DATA_SOURCE_NAME is wrong. The graphs below stop where it went down.'
          )}
        </Alert>
      );
    case 'unknown':
      return (
        <Alert severity="warning" title={t('pages.postgres.status.unknown.title', 'Could not check postgres_exporter')}>
          {postgres.error}
        </Alert>
      );
    case 'present':
      return null;
  }
}
