import pluginJson from './plugin.json';

export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

/** Plugin id of the nested data source; pages and app settings only offer data sources of this type. */
export const PULSE_DATASOURCE_TYPE = 'pulse-prometheus-datasource';

export enum ROUTES {
  Overview = 'overview',
  Services = 'services',
  Hosts = 'hosts',
  Containers = 'containers',
  Postgres = 'postgresql',
  Targets = 'targets',
  Alerts = 'alerts',
}

/** Grafana's own page for adding a data source. */
export const NEW_DATASOURCE_URL = '/connections/datasources/new';
