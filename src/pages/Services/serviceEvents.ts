import { t } from '@grafana/i18n';
import { dataLayers } from '@grafana/scenes';

import type { NestMetricNames } from '../../datasource/types';
import { PULSE_DATA_SOURCE, signalQuery } from '../shared';

function eventLayer(name: string, iconColor: string, signalId: string, service: string, metricNames?: NestMetricNames) {
  return new dataLayers.AnnotationsDataLayer({
    name,
    query: {
      name,
      enable: true,
      iconColor,
      datasource: PULSE_DATA_SOURCE,
      target: signalQuery(signalId, { service, instance: '$instance' }, { refId: 'Anno', metricNames }),
    },
  });
}

/**
 * Markers on the service page's time-series panels, so a jump in latency or errors can be tied to what changed:
 * every new version of the service (deploys) and every restart of one of its processes, of the chosen instances.
 */
export function serviceEventLayers(service: string, metricNames?: NestMetricNames): dataLayers.AnnotationsDataLayer[] {
  return [
    eventLayer(t('pages.service.events.deploys', 'Deploys'), 'blue', 'service.deploys', service, metricNames),
    eventLayer(
      t('pages.service.events.restarts', 'Restarts'),
      'orange',
      'runtime.restarts.events',
      service,
      metricNames
    ),
  ];
}
