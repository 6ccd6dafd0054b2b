import { DataSourceVariable } from '@grafana/scenes';
import { t } from '@grafana/i18n';
import type { DataSourceRef } from '@grafana/schema';
import { getDataSourceSrv } from '@grafana/runtime';

import { PULSE_DATASOURCE_TYPE } from '../../constants';
import type { NestMetricNames, PulseDataSourceOptions } from '../../datasource/types';
import { resolvePulseDataSource } from '../../utils/pulseDataSources';

/** Name of the data source variable every page has (`var-ds` in the URL). */
export const DATA_SOURCE_VARIABLE = 'ds';

/** What every query and query runner of the pages points at: the data source the variable holds. */
export const PULSE_DATA_SOURCE: DataSourceRef = { type: PULSE_DATASOURCE_TYPE, uid: `\${${DATA_SOURCE_VARIABLE}}` };

/**
 * The page's data source picker: Pulse data sources only, opening on the app settings' default (or the first
 * Pulse data source). A value from the URL wins over the default, so shared links keep their data source.
 */
export function pulseDataSourceVariable(defaultUid?: string): DataSourceVariable {
  const { dataSource } = resolvePulseDataSource(defaultUid);
  return new DataSourceVariable({
    name: DATA_SOURCE_VARIABLE,
    label: t('pages.variables.datasource', 'Data source'),
    pluginId: PULSE_DATASOURCE_TYPE,
    ...(dataSource && { value: dataSource.uid, text: dataSource.name }),
  });
}

/** Metric names from the data source's settings; undefined (the defaults) when it is not known. */
export function metricNamesOf(uid?: string): NestMetricNames | undefined {
  if (!uid) {
    return undefined;
  }
  const settings = getDataSourceSrv().getInstanceSettings(uid);
  return (settings?.jsonData as PulseDataSourceOptions | undefined)?.metrics;
}
