import type { TimeRange } from '@grafana/data';

import type { Exporter } from '../../datasource/catalog';
import type { PulseDataSource } from '../../datasource/datasource';
import { ResourceObject, type ResourceObjectState } from './resourceObject';

export type ExportersState = ResourceObjectState<Exporter[]>;

/**
 * The data source's `exporters` resource: which exporters Pulse builds on are scraped, how many things each
 * reports and how to add a missing one, the same diagnosis as the health check, as data.
 */
export abstract class ExportersObject<S extends ExportersState = ExportersState> extends ResourceObject<Exporter[], S> {
  protected async read(dataSource: PulseDataSource, _range: TimeRange): Promise<Exporter[]> {
    // Fresh on every refresh: a stopped exporter must show up as missing at once.
    const { exporters } = await dataSource.getExporters(true);
    return exporters;
  }
}

/** What an exporter's status means for the pages built on it. */
export type ExporterCondition = 'present' | 'missing' | 'degraded' | 'unknown';

/**
 * Present: scraped, nothing to say. Missing: no target reports its metrics. Degraded: scraped, but the backend
 * has a hint about it (postgres_exporter answers while its database is down: pg_up = 0). Unknown: the probe
 * query itself failed.
 */
export function exporterCondition(exporter: Exporter): ExporterCondition {
  if (exporter.error) {
    return 'unknown';
  }
  if (!exporter.present) {
    return 'missing';
  }
  return exporter.hint ? 'degraded' : 'present';
}
