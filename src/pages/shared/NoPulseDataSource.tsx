import React from 'react';
import { t, Trans } from '@grafana/i18n';
import { EmptyState, LinkButton } from '@grafana/ui';

import { NEW_DATASOURCE_URL } from '../../constants';

/** What every page shows while Grafana has no Pulse data source: there is nothing to query yet. */
export function NoPulseDataSource() {
  return (
    <EmptyState
      variant="call-to-action"
      message={t('overview.empty.message', 'No Pulse data source yet')}
      button={
        <LinkButton href={NEW_DATASOURCE_URL} icon="plus">
          <Trans i18nKey="overview.empty.add">Add a data source</Trans>
        </LinkButton>
      }
    >
      <Trans i18nKey="overview.empty.body">
        Pulse reads your metrics through a Pulse Prometheus data source. Add one (search for “Pulse Prometheus”), point
        it at the Prometheus that scrapes your NestJS services, hosts, containers and PostgreSQL, then come back here.
      </Trans>
    </EmptyState>
  );
}
