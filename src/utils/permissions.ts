import { config } from '@grafana/runtime';

/**
 * Whether the signed-in user holds a Grafana permission (an RBAC action such as `datasources:write`), as Grafana's
 * contextSrv.hasPermission decides it: from the permissions Grafana puts in the boot data for the user. Only the
 * user interface asks; Grafana's API enforces the same permissions on its own.
 */
export function userCan(action: string): boolean {
  const permissions = (config.bootData?.user as { permissions?: Record<string, boolean> } | undefined)?.permissions;
  return Boolean(permissions?.[action]);
}

/** The permissions the pages ask for. */
export const PERMISSIONS = {
  createDataSource: 'datasources:create',
  editDataSource: 'datasources:write',
  explore: 'datasources:explore',
  createDashboard: 'dashboards:create',
  createAlertRule: 'alert.rules:create',
} as const;
