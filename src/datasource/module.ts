import { DataSourcePlugin } from '@grafana/data';
import { initPluginTranslations } from '@grafana/i18n';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor/QueryEditor';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { PulseDataSource } from './datasource';
import pluginJson from './plugin.json';
import { PulseDataSourceOptions, PulseQuery, PulseSecureJsonData } from './types';

// The data source is its own plugin with its own bundle and its own copy of @grafana/i18n, so it binds t() to
// its own namespace. Grafana (>= 12.1) loads the resources named by "languages" in datasource/plugin.json from
// datasource/locales/<lang>/pulse-prometheus-datasource.json before this module runs; no loader is needed.
await initPluginTranslations(pluginJson.id);

export const plugin = new DataSourcePlugin<PulseDataSource, PulseQuery, PulseDataSourceOptions, PulseSecureJsonData>(
  PulseDataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor)
  // The legacy variable contract (metricFindQuery + this editor) is the one Scenes' QueryVariable and Grafana's
  // dashboards both run with a plain string query, as Grafana's Prometheus data source stores them.
  .setVariableQueryEditor(VariableQueryEditor);
