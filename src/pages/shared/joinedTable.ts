import type { ConfigOverrideRule, DataLink, DataTransformerConfig, DynamicConfigValue } from '@grafana/data';
import type { VizPanel } from '@grafana/scenes';

import type { NestMetricNames, PulseQuery } from '../../datasource/types';
import type { SignalParams } from '../../signals';
import { type PanelQuery, signalPanel } from './signalPanel';
import { requireSignal } from './signalQuery';

/** One value column of a joined table: a signal asked once, as an instant table query. */
export interface JoinedColumn {
  signalId: string;
  params?: SignalParams;
  /** The column header; a column whose value is hidden needs none. */
  title?: string;
  /** Joined for its labels only (e.g. an info metric); its value is not shown. */
  hideValue?: boolean;
  /** More field config for the column: thresholds, cell type, min/max. */
  properties?: DynamicConfigValue[];
}

/** A label column kept from the queries' rows. */
export interface JoinedLabel {
  name: string;
  title: string;
  links?: DataLink[];
}

export interface JoinedTableOptions {
  title: string;
  description?: string;
  /** The label the rows are joined on, e.g. `instance`; shown as the first column. */
  on: JoinedLabel;
  /** Other labels to show, taken from whichever query has them. */
  labels?: JoinedLabel[];
  columns: JoinedColumn[];
  metricNames?: NestMetricNames;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const INSTANT_TABLE: Partial<PulseQuery> = { format: 'table', instant: true, range: false };

const valueField = (refId: string) => `Value #${refId}`;

/**
 * What turns the tables of several instant queries into one row per `on` value: each query's table keeps only
 * the join label and its value, the first query's also the shown labels (so labels several queries carry, like
 * `job` or `name`, appear once); then an outer join on the label (a row missing from one query keeps its
 * place, with an empty cell); then order and titles.
 */
export function joinedTableTransformations(
  on: JoinedLabel,
  labels: JoinedLabel[],
  columns: Array<{ refId: string; title?: string; hideValue?: boolean }>
): DataTransformerConfig[] {
  const shown = [on, ...labels];
  const values = columns.map((c) => valueField(c.refId));
  const indexByName: Record<string, number> = {};
  [...shown.map((l) => l.name), ...values].forEach((name, i) => (indexByName[name] = i));
  const renameByName: Record<string, string> = {};
  shown.forEach((l) => (renameByName[l.name] = l.title));
  columns.forEach((c) => c.title && (renameByName[valueField(c.refId)] = c.title));
  const excludeByName: Record<string, boolean> = {};
  columns.filter((c) => c.hideValue).forEach((c) => (excludeByName[valueField(c.refId)] = true));
  const keep: DataTransformerConfig[] = columns.map((c, i) => ({
    id: 'filterFieldsByName',
    filter: { id: 'byRefId', options: c.refId },
    options: { include: { names: [...(i === 0 ? shown : [on]).map((l) => l.name), valueField(c.refId)] } },
  }));
  return [
    ...keep,
    { id: 'joinByField', options: { byField: on.name, mode: 'outer' } },
    { id: 'organize', options: { excludeByName, indexByName, renameByName } },
  ];
}

/**
 * A table with one row per entity (host, container) and one column per signal, each column one instant query:
 * the number of queries does not grow with the number of rows. Each column gets its signal's unit.
 */
export function joinedTablePanel(options: JoinedTableOptions): VizPanel {
  const [first, ...rest] = options.columns;
  const refIds = options.columns.map((_, i) => REF_IDS[i]);
  const more: PanelQuery[] = rest.map((c, i) => ({
    signalId: c.signalId,
    params: c.params,
    overrides: { ...INSTANT_TABLE, refId: refIds[i + 1] },
  }));
  const labels = options.labels ?? [];
  const columnOverrides: ConfigOverrideRule[] = options.columns
    .filter((c) => !c.hideValue)
    .map((c) => ({
      matcher: { id: 'byName', options: c.title ?? valueField(refIds[options.columns.indexOf(c)]) },
      properties: [{ id: 'unit', value: requireSignal(c.signalId).unit }, ...(c.properties ?? [])],
    }));
  const linkOverrides: ConfigOverrideRule[] = [options.on, ...labels]
    .filter((l) => l.links)
    .map((l) => ({ matcher: { id: 'byName', options: l.title }, properties: [{ id: 'links', value: l.links }] }));
  return signalPanel(first.signalId, first.params ?? {}, {
    title: options.title,
    description: options.description,
    viz: 'table',
    metricNames: options.metricNames,
    overrides: { ...INSTANT_TABLE, refId: refIds[0] },
    more,
    transformations: joinedTableTransformations(
      options.on,
      labels,
      options.columns.map((c, i) => ({ refId: refIds[i], title: c.title, hideValue: c.hideValue }))
    ),
    fieldOverrides: [...columnOverrides, ...linkOverrides],
  });
}
