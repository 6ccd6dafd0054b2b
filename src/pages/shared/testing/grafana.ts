import { type GrafanaConfig, locationUtil } from '@grafana/data';
import { config } from '@grafana/runtime';

/**
 * What Grafana puts in the boot data for the signed-in user, for Jest: the permissions of an org Admin and of a
 * Viewer as far as the pages ask (Grafana OSS basic roles; a Viewer may read and query data sources but not edit
 * or add them, nor use Explore).
 */
export const ADMIN = [
  'datasources:read',
  'datasources:query',
  'datasources:create',
  'datasources:write',
  'datasources:explore',
  'dashboards:create',
  'alert.rules:create',
];
export const VIEWER = ['datasources:read', 'datasources:query'];

/** Signs in a user with these permissions (config.bootData.user.permissions, what contextSrv.hasPermission reads). */
export function signInWith(permissions: string[]) {
  const user = (config.bootData.user ?? {}) as unknown as Record<string, unknown>;
  user.permissions = Object.fromEntries(permissions.map((p) => [p, true]));
  (config.bootData as unknown as Record<string, unknown>).user = user;
}

/**
 * Serves Grafana under a sub-path (root_url = http://host/grafana/), as Grafana's app.ts sets it up: config.appSubUrl
 * and locationUtil, which assureBaseUrl and stripBaseFromUrl read. `''` is Grafana at the root.
 */
export function serveUnder(appSubUrl: string) {
  config.appSubUrl = appSubUrl;
  locationUtil.initialize({
    config: config as unknown as GrafanaConfig,
    getTimeRangeForUrl: () => ({ from: 'now-1h', to: 'now' }),
    getVariablesUrlParams: () => ({}),
  });
}
