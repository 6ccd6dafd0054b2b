import type { ConfigOverrideRule, DataLink, DataTransformerConfig, ThresholdsConfig } from '@grafana/data';
import { PanelBuilders, SceneDataTransformer, SceneQueryRunner, type VizPanel } from '@grafana/scenes';
import { TableCellDisplayMode } from '@grafana/schema';

import type { NestMetricNames, PulseQuery } from '../../datasource/types';
import { renderContext, type SignalParams } from '../../signals';
import { PULSE_DATA_SOURCE } from './dataSource';
import { emptyStateText } from './emptyState';
import { exploreAction } from './explore';
import { requireSignal, signalQuery } from './signalQuery';

/** One column of a keyed table: one signal, asked once for every row. */
export interface KeyedColumn {
  /** Header of the column (translated by the caller). */
  title: string;
  signalId: string;
  params?: SignalParams;
  /** The field of the signal's table that fills the column: its value unless a label (e.g. `version`) is named. */
  field?: string;
  /**
   * How the rows of one key become one cell: `uniqueValues` lists a label's values (two versions of one
   * service), `lastNotNull` (default) keeps the value of a signal that already has one row per key.
   */
  reducer?: 'lastNotNull' | 'uniqueValues';
  /** Defaults to the signal's unit for value columns; label columns have none. */
  unit?: string;
  /** Thresholds colour the cell's text. */
  thresholds?: ThresholdsConfig;
}

export interface KeyedTableOptions {
  title: string;
  description?: string;
  /** Labels a row is keyed by (the signals group by them), e.g. `name`, or `controller, handler, method`. */
  keys: Array<{ labelName: string; title: string; links?: DataLink[] }>;
  columns: KeyedColumn[];
  metricNames?: NestMetricNames;
  /** Initial sort: a column title, highest first. */
  sortByDesc?: string;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The name of the value field in the backend's table frames (numeric-long): `Value #<refId>`. */
const valueField = (refId: string) => `Value #${refId}`;

/** The name Grafana's groupBy transformation gives an aggregated field. */
const aggregated = (field: string, reducer: string) => `${field} (${reducer})`;

/**
 * Each column's signal as one instant table query: the page asks one query per column whatever the number of
 * rows, because each signal groups by the keys itself.
 */
export function keyedTableQueries(options: KeyedTableOptions): PulseQuery[] {
  return options.columns.map((column, i) =>
    signalQuery(column.signalId, column.params ?? {}, {
      refId: REF_IDS[i],
      metricNames: options.metricNames,
      instant: true,
      range: false,
      format: 'table',
    })
  );
}

/**
 * Grafana transformations that turn the per-column tables into one row per key. groupBy reduces each frame to
 * its keys and its column (dropping Time and other labels such as `job`, which would otherwise collide, and
 * listing a label's distinct values where a key has several rows); merge then joins the frames on the keys (a
 * key missing from one answer gets an empty cell), and organize titles and orders the columns.
 */
export function keyedTableTransformations(options: KeyedTableOptions): DataTransformerConfig[] {
  const fields: Record<string, { operation: 'groupby' | 'aggregate'; aggregations: string[] }> = {};
  const renameByName: Record<string, string> = {};
  const indexByName: Record<string, number> = {};
  options.keys.forEach((key, i) => {
    fields[key.labelName] = { operation: 'groupby', aggregations: [] };
    renameByName[key.labelName] = key.title;
    indexByName[key.labelName] = i;
  });
  options.columns.forEach((column, i) => {
    const field = column.field ?? valueField(REF_IDS[i]);
    const reducer = column.reducer ?? 'lastNotNull';
    fields[field] = { operation: 'aggregate', aggregations: [reducer] };
    renameByName[aggregated(field, reducer)] = column.title;
    indexByName[aggregated(field, reducer)] = options.keys.length + i;
  });
  return [
    { id: 'groupBy', options: { fields } },
    { id: 'merge', options: {} },
    { id: 'organize', options: { renameByName, indexByName, excludeByName: {} } },
  ];
}

function columnOverrides(options: KeyedTableOptions): ConfigOverrideRule[] {
  const byName = (name: string, properties: ConfigOverrideRule['properties']): ConfigOverrideRule => ({
    matcher: { id: 'byName', options: name },
    properties,
  });
  const keyLinks = options.keys.flatMap((key) =>
    key.links ? [byName(key.title, [{ id: 'links', value: key.links }])] : []
  );
  const columns = options.columns.map((column) => {
    const unit = column.unit ?? (column.field ? undefined : requireSignal(column.signalId).unit);
    return byName(column.title, [
      // A list of label values is an array cell, which the table would show as JSON; as text it reads "a, b".
      ...(column.field
        ? [
            { id: 'custom.cellOptions', value: { type: TableCellDisplayMode.ColorText } },
            { id: 'color', value: { mode: 'fixed', fixedColor: 'text' } },
          ]
        : []),
      ...(unit ? [{ id: 'unit', value: unit }] : []),
      ...(column.thresholds
        ? [
            { id: 'thresholds', value: column.thresholds },
            { id: 'custom.cellOptions', value: { type: TableCellDisplayMode.ColorText } },
          ]
        : []),
    ]);
  });
  return [...keyLinks, ...columns];
}

/**
 * A table of several signals side by side, one row per key (a service, an operation): one instant query per
 * column, joined in the browser, so a page with 50 services asks as many queries as one with 2.
 */
export function keyedTable(options: KeyedTableOptions): VizPanel {
  const runner = new SceneQueryRunner({ datasource: PULSE_DATA_SOURCE, queries: keyedTableQueries(options) });
  const data = new SceneDataTransformer({ $data: runner, transformations: keyedTableTransformations(options) });
  const first = requireSignal(options.columns[0].signalId);
  const builder = PanelBuilders.table()
    .setTitle(options.title)
    .setDescription(options.description ?? '')
    .setData(data)
    .setHeaderActions([exploreAction()])
    .setNoValue(emptyStateText(first, renderContext(options.metricNames)));
  if (options.sortByDesc) {
    builder.setOption('sortBy', [{ displayName: options.sortByDesc, desc: true }]);
  }
  const panel = builder.build();
  const { fieldConfig } = panel.state;
  panel.setState({
    fieldConfig: { ...fieldConfig, overrides: [...fieldConfig.overrides, ...columnOverrides(options)] },
  });
  return panel;
}
