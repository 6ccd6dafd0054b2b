import React from 'react';
import { locationUtil } from '@grafana/data';
import { t, Trans } from '@grafana/i18n';
import { EmptyState, LinkButton } from '@grafana/ui';

import { NEW_DATASOURCE_URL } from '../../constants';
import { PERMISSIONS, userCan } from '../../utils/permissions';

/**
 * What every page shows while Grafana has no Pulse data source: there is nothing to query yet. Adding one is for
 * users who may create data sources (Grafana hides its own "Add new data source" from the others); they are told
 * whom to ask instead.
 */
export function NoPulseDataSource() {
  const canAdd = userCan(PERMISSIONS.createDataSource);
  return (
    <EmptyState
      variant="call-to-action"
      message={t('overview.empty.message', 'No Pulse data source yet')}
      button={
        canAdd ? (
          // LinkButton renders a plain anchor: the sub-path Grafana may be served under must be in its href.
          <LinkButton href={locationUtil.assureBaseUrl(NEW_DATASOURCE_URL)} icon="plus">
            <Trans i18nKey="overview.empty.add">Add a data source</Trans>
          </LinkButton>
        ) : undefined
      }
    >
      {canAdd ? (
        <Trans i18nKey="overview.empty.body">
          Pulse reads your metrics through a Pulse Prometheus data source. Add one (search for “Pulse Prometheus”),
          point it at the Prometheus that scrapes your NestJS services, hosts, containers and PostgreSQL, then come back
          here.
        </Trans>
      ) : (
        <Trans i18nKey="overview.empty.body-no-permission">
          Pulse reads your metrics through a Pulse Prometheus data source, and there is none yet. Adding one takes a
          Grafana administrator: ask yours to add a “Pulse Prometheus” data source pointed at the Prometheus that
          scrapes your services, then come back here.
        </Trans>
      )}
    </EmptyState>
  );
}
