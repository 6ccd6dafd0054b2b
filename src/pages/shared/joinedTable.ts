import type { ConfigOverrideRule, DataLink, DataTransformerConfig, ThresholdsConfig } from '@grafana/data';
import { t } from '@grafana/i18n';
import { PanelBuilders, SceneDataTransformer, SceneQueryRunner, type VizPanel } from '@grafana/scenes';
import { TableCellDisplayMode } from '@grafana/schema';

import type { NestMetricNames, PulseQuery } from '../../datasource/types';
import { type AlertPack, renderContext, type SignalParams } from '../../signals';
import { PULSE_DATA_SOURCE } from './dataSource';
import { emptyStateText } from './emptyState';
import { type AlertsColumn, alertsColumnTransformation } from './firingAlerts';
import { panelActions } from './panelActions';
import { FIGURE_POINTS, FIGURE_QUERY, figureDecimals } from './figures';
import { rowFilterTransformation } from './rowFilter';
import { withSchemaVersion } from './panelVersion';
import { requireSignal, signalQuery } from './signalQuery';

/** A label the rows are joined on (a service's `name`, a host's `instance`); shown as a column, in order. */
export interface JoinedKey {
  labelName: string;
  title: string;
  links?: DataLink[];
}

/** A label of a column's query shown as its own column, e.g. a host's node name or a service's versions. */
export interface JoinedLabel {
  labelName: string;
  title: string;
  /** Lists every distinct value of the key's rows (two versions of one service) instead of the last one. */
  all?: boolean;
}

/** One query of the table: a signal asked once, as an instant table query, for all rows. */
export interface JoinedColumn {
  signalId: string;
  params?: SignalParams;
  /** Header of the value column; without one the query is asked for its labels only (an info metric). */
  title?: string;
  /** Labels of this query shown before its value. */
  labels?: JoinedLabel[];
  /** Colour the value's text by these thresholds (or the gauge, with `gauge`). */
  thresholds?: ThresholdsConfig;
  /** Draws the value as a bar from 0 to 1, for a share such as CPU busy. */
  gauge?: boolean;
}

export interface JoinedTableOptions {
  title: string;
  description?: string;
  /** The labels each query groups by; one row per distinct combination. */
  keys: JoinedKey[];
  columns: JoinedColumn[];
  metricNames?: NestMetricNames;
  /** Initial sort: a column title, highest first. */
  sortByDesc?: string;
  /** Rows follow the page's text filter (rowFilter.ts) on the keys and the shown labels. */
  filterable?: boolean;
  /**
   * An alerts column: the pack's firing and pending Pulse alerts whose `keyLabel` is a row's key or shown label
   * (firingAlerts.ts).
   */
  alerts?: { pack: AlertPack; keyLabel: string };
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The name of the value field in the backend's table frames (numeric-long): `Value #<refId>`. */
const valueField = (refId: string) => `Value #${refId}`;

/** The name Grafana's groupBy transformation gives an aggregated field. */
const aggregated = (field: string, reducer: string) => `${field} (${reducer})`;

const reducerOf = (label: JoinedLabel) => (label.all ? 'uniqueValues' : 'lastNotNull');

/**
 * Each column's signal as one instant table query: the page asks one query per column whatever the number of
 * rows, because each signal groups by the keys itself.
 */
export function joinedTableQueries(options: JoinedTableOptions): PulseQuery[] {
  return options.columns.map((column, i) =>
    signalQuery(column.signalId, column.params ?? {}, {
      refId: REF_IDS[i],
      metricNames: options.metricNames,
      ...FIGURE_QUERY,
      format: 'table',
    })
  );
}

/**
 * Grafana transformations that turn the per-column tables into one row per key.
 *
 * Each query's table is reduced by its own groupBy (filtered by refId) to the keys, its shown labels and its
 * value: this drops Time and labels several queries carry (`job`), lists a label's values where a key has several
 * rows, and leaves field names that carry no frame name (the backend names each table frame by its refId, and
 * joinByField would append that name to every column it joins, so organize could no longer rename them). merge
 * then joins the frames on the keys, the only fields they all have (a key missing from one answer gets an empty
 * cell; an empty answer has no key and is left out); sortBy puts the rows in key order, whatever order the
 * answers came in; organize titles and orders the columns.
 */
export function joinedTableTransformations(options: JoinedTableOptions): DataTransformerConfig[] {
  const renameByName: Record<string, string> = {};
  const indexByName: Record<string, number> = {};
  const excludeByName: Record<string, boolean> = {};
  const show = (name: string, title: string) => {
    renameByName[name] = title;
    indexByName[name] = Object.keys(indexByName).length;
  };
  const groupByKeys: Record<string, { operation: 'groupby'; aggregations: string[] }> = {};
  options.keys.forEach((key) => {
    groupByKeys[key.labelName] = { operation: 'groupby', aggregations: [] };
    show(key.labelName, key.title);
  });
  const groupBys: DataTransformerConfig[] = options.columns.map((column, i) => {
    const fields: Record<string, { operation: 'groupby' | 'aggregate'; aggregations: string[] }> = { ...groupByKeys };
    for (const label of column.labels ?? []) {
      fields[label.labelName] = { operation: 'aggregate', aggregations: [reducerOf(label)] };
      show(aggregated(label.labelName, reducerOf(label)), label.title);
    }
    const value = valueField(REF_IDS[i]);
    fields[value] = { operation: 'aggregate', aggregations: ['lastNotNull'] };
    if (column.title) {
      show(aggregated(value, 'lastNotNull'), column.title);
    } else {
      excludeByName[aggregated(value, 'lastNotNull')] = true;
    }
    return { id: 'groupBy', filter: { id: 'byRefId', options: REF_IDS[i] }, options: { fields } };
  });
  return [
    ...groupBys,
    { id: 'merge', options: {} },
    { id: 'sortBy', options: { sort: [{ field: options.keys[0].labelName }] } },
    { id: 'organize', options: { renameByName, indexByName, excludeByName } },
  ];
}

/** What a cell without a value shows. */
const MISSING_CELL = '–';

function fieldOverrides(options: JoinedTableOptions): ConfigOverrideRule[] {
  const byName = (name: string, properties: ConfigOverrideRule['properties']): ConfigOverrideRule => ({
    matcher: { id: 'byName', options: name },
    properties,
  });
  const keyLinks = options.keys.flatMap((key) =>
    key.links ? [byName(key.title, [{ id: 'links', value: key.links }])] : []
  );
  // A list of label values is an array cell, which the table would show as JSON; as text it reads "a, b". A row
  // without the label (one the alerts column added) shows a dash, as a value cell does.
  const lists = options.columns.flatMap((column) =>
    (column.labels ?? []).map((label) =>
      byName(label.title, [
        { id: 'noValue', value: MISSING_CELL },
        ...(label.all
          ? [
              { id: 'custom.cellOptions', value: { type: TableCellDisplayMode.ColorText } },
              { id: 'color', value: { mode: 'fixed', fixedColor: 'text' } },
            ]
          : []),
      ])
    )
  );
  const values = options.columns.flatMap((column) => {
    if (!column.title) {
      return [];
    }
    const cell = column.gauge
      ? [
          { id: 'custom.cellOptions', value: { type: TableCellDisplayMode.Gauge, mode: 'basic' } },
          { id: 'min', value: 0 },
          { id: 'max', value: 1 },
        ]
      : column.thresholds
        ? [{ id: 'custom.cellOptions', value: { type: TableCellDisplayMode.ColorText } }]
        : [];
    const unit = requireSignal(column.signalId).unit;
    const decimals = figureDecimals(unit);
    return [
      byName(column.title, [
        { id: 'unit', value: unit },
        // A row the column has no value for (a service without runtime metrics) shows a dash; the panel's own
        // empty state is for a table with no rows at all.
        { id: 'noValue', value: MISSING_CELL },
        ...(decimals === undefined ? [] : [{ id: 'decimals', value: decimals }]),
        ...(column.thresholds ? [{ id: 'thresholds', value: column.thresholds }] : []),
        ...cell,
      ]),
    ];
  });
  return [...keyLinks, ...lists, ...values];
}

/** The alerts column of a table: rows are matched on the key, or the shown label, the alerts name them by. */
function alertsColumn(options: JoinedTableOptions, alerts: { pack: AlertPack; keyLabel: string }): AlertsColumn {
  const isKey = options.keys.some((key) => key.labelName === alerts.keyLabel);
  const label = options.columns.flatMap((c) => c.labels ?? []).find((l) => l.labelName === alerts.keyLabel);
  if (!isKey && !label) {
    throw new Error(`an alerts column needs ${alerts.keyLabel} as a key or a shown label of the table`);
  }
  return {
    ...alerts,
    keyField: isKey ? alerts.keyLabel : aggregated(alerts.keyLabel, reducerOf(label!)),
    title: t('pages.shared.alerts.column', 'Alerts'),
    emptyCell: MISSING_CELL,
  };
}

/**
 * A table of several signals side by side, one row per key (a service, an operation, a host, a container): one
 * instant query per column, joined in the browser, so a page with 50 services asks as many queries as one with 2.
 */
export function joinedTable(options: JoinedTableOptions): VizPanel {
  // Its cells are figures (figures.ts): the same rate window as the page's stats, whatever the table's width.
  const runner = new SceneQueryRunner({
    datasource: PULSE_DATA_SOURCE,
    queries: joinedTableQueries(options),
    maxDataPoints: FIGURE_POINTS,
  });
  // The fields' names after the groupBys (organize only retitles them): the keys and the shown labels.
  const shownNames = [
    ...options.keys.map((key) => key.labelName),
    ...options.columns.flatMap((column) =>
      (column.labels ?? []).map((label) => aggregated(label.labelName, reducerOf(label)))
    ),
  ];
  const data = new SceneDataTransformer({
    $data: runner,
    transformations: [
      ...joinedTableTransformations(options),
      ...(options.alerts ? [alertsColumnTransformation(alertsColumn(options, options.alerts))] : []),
      ...(options.filterable ? [rowFilterTransformation(shownNames)] : []),
    ],
  });
  const first = requireSignal(options.columns[0].signalId);
  const builder = PanelBuilders.table()
    .setTitle(options.title)
    .setDescription(options.description ?? '')
    .setData(data)
    .setHeaderActions(panelActions())
    .setNoValue(emptyStateText(first, renderContext(options.metricNames)));
  if (options.sortByDesc) {
    builder.setOption('sortBy', [{ displayName: options.sortByDesc, desc: true }]);
  }
  const panel = withSchemaVersion(builder.build());
  const { fieldConfig } = panel.state;
  panel.setState({
    fieldConfig: { ...fieldConfig, overrides: [...fieldConfig.overrides, ...fieldOverrides(options)] },
  });
  return panel;
}
