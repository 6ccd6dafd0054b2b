import type { DataLink } from '@grafana/data';

import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { DATA_SOURCE_VARIABLE } from '../shared';

// Keeps the data source and the time range when moving between the fleet and a host (breadcrumbs).
export const HOST_URL_KEYS = ['from', 'to', 'timezone', 'refresh', `var-${DATA_SOURCE_VARIABLE}`];

/**
 * The Host detail page of a table cell's instance: the instance percent-encoded as one path segment (it holds
 * `:` and may hold `/`), and the page's data source and time range carried over so the link shows the same data.
 */
export function hostDetailLink(title: string): DataLink {
  return {
    title,
    url: `${prefixRoute(ROUTES.Hosts)}/\${__value.raw:percentencode}?\${__url_time_range}&\${${DATA_SOURCE_VARIABLE}:queryparam}`,
  };
}

/** The same page's path for a known instance (breadcrumbs, tests). */
export function hostDetailUrl(instance: string): string {
  return `${prefixRoute(ROUTES.Hosts)}/${encodeURIComponent(instance)}`;
}
