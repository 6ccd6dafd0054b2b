import { DataSourceInstanceSettings } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';

import { PULSE_DATASOURCE_TYPE } from '../constants';

export interface ResolvedPulseDataSource {
  dataSource?: DataSourceInstanceSettings;
  /** Set when the app settings name a data source that no longer exists. */
  missingDefaultUid?: string;
}

/** The data source the pages use: the default from the app settings, else the first Pulse data source. */
export function resolvePulseDataSource(defaultUid?: string): ResolvedPulseDataSource {
  const pulseDataSources = getDataSourceSrv().getList({ pluginId: PULSE_DATASOURCE_TYPE });
  const chosen = defaultUid ? pulseDataSources.find((ds) => ds.uid === defaultUid) : undefined;

  return {
    dataSource: chosen ?? pulseDataSources[0],
    missingDefaultUid: defaultUid && !chosen ? defaultUid : undefined,
  };
}
