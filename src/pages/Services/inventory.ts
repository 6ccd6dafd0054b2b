import { t } from '@grafana/i18n';
import type { VizPanel } from '@grafana/scenes';
import { BigValueTextMode } from '@grafana/schema';

import type { NestMetricNames } from '../../datasource/types';
import { signalPanel } from '../shared';
import { joinedTable } from '../shared/joinedTable';
import { serviceLink } from './serviceLinks';
import { ERROR_RATIO_THRESHOLDS, RESTART_THRESHOLDS } from './thresholds';

const BY_SERVICE = { groupBy: ['service'] };

/**
 * The services the info gauge names, one row each: versions, instances, request rate, error ratio, p95 and
 * restarts. One instant query per column, each grouped by service, joined on the service name in the browser:
 * six queries for 2 services as for 50.
 */
export function inventoryTable(metricNames?: NestMetricNames): VizPanel {
  const rate = t('pages.services.columns.rate', 'Request rate');
  return joinedTable({
    title: t('pages.services.inventory.title', 'Inventory'),
    description: t(
      'pages.services.inventory.description',
      'Every service that reports its info gauge. Rate, error % and p95 are over the last rate window; restarts over the time range. Click a service to open its page.'
    ),
    keys: [
      {
        labelName: 'name',
        title: t('pages.services.columns.service', 'Service'),
        links: [serviceLink(t('pages.services.open', 'Open the service page'))],
      },
    ],
    columns: [
      {
        signalId: 'service.versions',
        labels: [{ labelName: 'version', title: t('pages.services.columns.versions', 'Versions'), all: true }],
      },
      { title: t('pages.services.columns.instances', 'Instances'), signalId: 'service.instances' },
      { title: rate, signalId: 'service.requests.total', params: BY_SERVICE },
      {
        title: t('pages.services.columns.error-ratio', 'Error %'),
        signalId: 'service.errors.ratio',
        params: BY_SERVICE,
        thresholds: ERROR_RATIO_THRESHOLDS,
      },
      {
        title: t('pages.services.columns.p95', 'p95'),
        signalId: 'service.latency.quantile',
        params: { ...BY_SERVICE, outcome: 'all', quantile: '0.95' },
      },
      {
        title: t('pages.services.columns.restarts', 'Restarts'),
        signalId: 'runtime.restarts',
        params: BY_SERVICE,
        thresholds: RESTART_THRESHOLDS,
      },
    ],
    metricNames,
    sortByDesc: rate,
    filterable: true,
    alerts: { pack: 'service', keyLabel: 'name' },
  });
}

/** Sums the values of an instant table (one row per service) into one number; the name column is left out. */
export const SUM_ROWS = [
  { id: 'filterFieldsByName', options: { include: { names: ['Value #A'] } } },
  { id: 'reduce', options: { mode: 'reduceFields', reducers: ['sum'], includeTimeField: false } },
];

/** Each stat is one number for the whole fleet: no series name above it. */
const VALUE_ONLY = BigValueTextMode.Value;

/** The fleet at a glance: how many services and instances, and the error ratio and p95 of all requests. */
export function fleetStats(metricNames?: NestMetricNames): VizPanel[] {
  return [
    signalPanel(
      'service.count',
      {},
      { title: t('pages.services.stats.services', 'Services'), viz: 'stat', textMode: VALUE_ONLY, metricNames }
    ),
    signalPanel(
      'service.instances',
      {},
      {
        title: t('pages.services.stats.instances', 'Instances'),
        viz: 'stat',
        textMode: VALUE_ONLY,
        metricNames,
        overrides: { instant: true, range: false, format: 'table' },
        transformations: SUM_ROWS,
      }
    ),
    signalPanel(
      'service.errors.ratio',
      {},
      {
        title: t('pages.services.stats.error-ratio', 'Error %'),
        viz: 'stat',
        textMode: VALUE_ONLY,
        metricNames,
        thresholds: ERROR_RATIO_THRESHOLDS,
      }
    ),
    signalPanel(
      'service.latency.quantile',
      { outcome: 'all', quantile: '0.95' },
      { title: t('pages.services.stats.p95', 'p95 latency'), viz: 'stat', textMode: VALUE_ONLY, metricNames }
    ),
  ];
}
