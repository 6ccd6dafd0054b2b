import appPluginJson from '../src/plugin.json';
import dataSourcePluginJson from '../src/datasource/plugin.json';

export { test, expect } from '@grafana/plugin-e2e';
export { GRAFANA_URL, NO_GRAFANA, grafanaIsReachable } from './grafana';

export const APP_ID = appPluginJson.id;
export const DATASOURCE_TYPE = dataSourcePluginJson.id;
/** The provisioned Pulse data source (provisioning/datasources/pulse.yaml). */
export const DATASOURCE_PROVISIONING_FILE = 'pulse.yaml';
