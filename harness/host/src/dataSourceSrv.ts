import type { DataSourceApi, DataSourceInstanceSettings, DataSourceRef, ScopedVars } from '@grafana/data';
import { getTemplateSrv, type DataSourceSrv, type GetDataSourceListFilters } from '@grafana/runtime';

import { backendSrv } from './backendSrv';
import { importDataSourcePlugin } from './pluginLoader';

// Grafana's DatasourceSrv, backed by the harness server's /api/datasources and /api/plugins/<type>/settings.
export class HarnessDataSourceSrv implements DataSourceSrv {
  private settings: DataSourceInstanceSettings[] = [];
  private instances = new Map<string, Promise<DataSourceApi>>();
  private runtime = new Map<string, DataSourceApi>();

  async init() {
    const list: any[] = await backendSrv.get('/api/datasources');
    const metas: Record<string, any> = {};
    for (const type of new Set(list.map((d) => d.type))) {
      metas[type] = await backendSrv.get(`/api/plugins/${type}/settings`);
    }
    this.settings = list.map((d) => ({
      id: d.id,
      uid: d.uid,
      type: d.type,
      name: d.name,
      meta: metas[d.type],
      url: `/api/datasources/proxy/uid/${d.uid}`,
      jsonData: d.jsonData ?? {},
      access: d.access,
      readOnly: d.readOnly,
      isDefault: d.isDefault,
      rawRef: { uid: d.uid, type: d.type },
    })) as DataSourceInstanceSettings[];
    this.instances.clear();
  }

  reload() {
    return this.init();
  }

  getInstanceSettings(
    ref?: DataSourceRef | string | null,
    scopedVars?: ScopedVars
  ): DataSourceInstanceSettings | undefined {
    if (ref === null || ref === undefined || ref === 'default' || (typeof ref === 'object' && !ref.uid && !ref.type)) {
      return this.settings.find((s) => s.isDefault) ?? this.settings[0];
    }
    let key = typeof ref === 'string' ? ref : (ref.uid ?? '');
    if (key.includes('$')) {
      key = getTemplateSrv().replace(key, scopedVars);
    }
    if (!key && typeof ref === 'object' && ref.type) {
      return this.settings.find((s) => s.type === ref.type);
    }
    const rt = this.runtime.get(key);
    if (rt) {
      return rt.instanceSettings;
    }
    return this.settings.find((s) => s.uid === key || s.name === key);
  }

  get(ref?: DataSourceRef | string | null, scopedVars?: ScopedVars): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref, scopedVars);
    if (!settings) {
      return Promise.reject(new Error(`Datasource ${JSON.stringify(ref)} was not found`));
    }
    const rt = this.runtime.get(settings.uid);
    if (rt) {
      return Promise.resolve(rt);
    }
    if (!this.instances.has(settings.uid)) {
      this.instances.set(
        settings.uid,
        importDataSourcePlugin(settings.meta).then((plugin) => {
          const instance = new plugin.DataSourceClass(settings);
          instance.components = plugin.components;
          instance.meta = settings.meta;
          return instance;
        })
      );
    }
    return this.instances.get(settings.uid)!;
  }

  getList(filters: GetDataSourceListFilters = {}): DataSourceInstanceSettings[] {
    return this.settings.filter((s) => {
      if (filters.type && (Array.isArray(filters.type) ? !filters.type.includes(s.type) : filters.type !== s.type)) {
        return false;
      }
      if (filters.pluginId && s.meta?.id !== filters.pluginId) {
        return false;
      }
      if (filters.metrics && !s.meta?.metrics) {
        return false;
      }
      if (filters.alerting && !s.meta?.alerting) {
        return false;
      }
      if (filters.filter && !filters.filter(s)) {
        return false;
      }
      return true;
    });
  }

  registerRuntimeDataSource(entry: { dataSource: DataSourceApi }) {
    this.runtime.set(entry.dataSource.uid, entry.dataSource);
  }
}
