import type { DataLink } from '@grafana/data';

import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { DATA_SOURCE_VARIABLE } from '../shared';

/** Kept when moving between the services list and a service (links, breadcrumbs): data source and time range. */
export const SERVICE_URL_KEYS = ['from', 'to', 'timezone', 'refresh', `var-${DATA_SOURCE_VARIABLE}`];

/** The service page of a known service; the name is one path segment, percent-encoded. */
export function serviceUrl(service: string): string {
  return `${prefixRoute(ROUTES.Services)}/${encodeURIComponent(service)}`;
}

/** The service page of a table cell's service name, with the page's data source and time range. */
export function serviceLink(title: string): DataLink {
  return {
    title,
    url: `${prefixRoute(ROUTES.Services)}/\${__value.raw:percentencode}?\${__url_time_range}&\${${DATA_SOURCE_VARIABLE}:queryparam}`,
  };
}
