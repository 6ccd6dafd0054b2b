/**
 * A page panel as a new Grafana-managed alert rule: the values Grafana's rule form takes in its `defaults` URL
 * parameter (`/alerting/new/alerting?defaults=…`, read by its formValuesFromQueryParams), as Grafana's own "New
 * alert rule" action on a dashboard panel builds them — the panel's queries, then a reduce (last) of the first and a
 * threshold on it, which is the rule's condition. Pure: the panel comes as dashboard JSON (dashboardPanel), its
 * variables already filled in.
 *
 * The queries are written the way alerting runs them: instant, with the interval and point count Grafana's
 * alerting sends, so that what the form previews is what the rule will evaluate. Panels whose answer is not one
 * number per series over time (heatmaps, tables) offer no rule.
 */
import { urlUtil } from '@grafana/data';
import type { DataQuery, Panel } from '@grafana/schema';

import type { Comparison } from '../signals';
import {
  ALERT_QUERY_INTERVAL_MS,
  ALERT_QUERY_MAX_DATA_POINTS,
  type AlertQuery,
  reduceExpression,
  thresholdExpression,
} from './export';

/** One query of the rule form: Grafana's AlertQuery with the query type its form keeps. */
export interface RuleFormQuery extends AlertQuery {
  queryType: string;
}

/** The part of Grafana's RuleFormValues a panel fills in. */
export interface PanelRuleForm {
  type: 'grafana-alerting';
  name: string;
  queries: RuleFormQuery[];
  condition: string;
}

/** Panels whose series are numbers over time, which a reduce and a threshold can alert on. */
const ALERTABLE_PANELS = new Set(['timeseries', 'stat', 'gauge', 'bargauge']);
/** Grafana's default range for a new rule's query: the last 10 minutes. */
const RELATIVE_TIME_RANGE = { from: 600, to: 0 };
/**
 * The starting condition, Grafana's own for a new rule: above 0. Not the panel's colour steps, which say nothing of
 * the direction that is bad (a cache hit ratio turns green above its step); the user sets it in the form.
 */
const DEFAULT_CONDITION: { op: Comparison; value: number } = { op: '>', value: 0 };
/** The rule form's path (RuleFormType.grafana's route). */
export const RULE_FORM_PATH = '/alerting/new/alerting';

interface PanelTarget extends DataQuery {
  expr?: string;
  format?: string;
}

const concrete = (uid: string | undefined): uid is string => Boolean(uid) && !uid!.includes('$');

/**
 * The rule form's values for a panel, or undefined when it offers no rule: not a panel of numbers over time, a
 * query that is not a time series, or a query or data source still written with a variable.
 */
export function panelRuleForm(panel: Panel): PanelRuleForm | undefined {
  if (!ALERTABLE_PANELS.has(panel.type)) {
    return undefined;
  }
  const targets = ((panel.targets ?? []) as unknown as PanelTarget[]).filter((t) => !t.hide);
  if (targets.length === 0) {
    return undefined;
  }
  const queries: RuleFormQuery[] = [];
  for (const target of targets) {
    const uid = target.datasource?.uid ?? panel.datasource?.uid;
    const format = target.format ?? 'time_series';
    if (!concrete(uid) || !target.expr || format !== 'time_series') {
      return undefined;
    }
    queries.push({
      refId: target.refId,
      queryType: '',
      relativeTimeRange: RELATIVE_TIME_RANGE,
      datasourceUid: uid,
      model: {
        ...target,
        datasource: target.datasource ?? panel.datasource,
        instant: true,
        range: false,
        exemplar: false,
        intervalMs: ALERT_QUERY_INTERVAL_MS,
        maxDataPoints: ALERT_QUERY_MAX_DATA_POINTS,
      },
    });
  }
  const taken = new Set(queries.map((q) => q.refId));
  const reduce = freeRefId(taken);
  taken.add(reduce);
  const threshold = freeRefId(taken);
  return {
    type: 'grafana-alerting',
    name: panel.title ?? '',
    queries: [
      ...queries,
      { queryType: 'expression', ...reduceExpression(reduce, queries[0].refId) },
      {
        queryType: 'expression',
        ...thresholdExpression(threshold, reduce, DEFAULT_CONDITION.op, DEFAULT_CONDITION.value),
      },
    ],
    condition: threshold,
  };
}

// The next refId after the queries' own, as Grafana's getNextRefId picks them (A, B, …, Z, AA, …).
function freeRefId(taken: Set<string>): string {
  for (let n = 0; ; n++) {
    let id = '';
    for (let k = n; k >= 0; k = Math.floor(k / 26) - 1) {
      id = String.fromCharCode(65 + (k % 26)) + id;
    }
    if (!taken.has(id)) {
      return id;
    }
  }
}

/** The rule form's address for the values, returning to `returnTo` (the page, path and query) once saved. */
export function ruleFormUrl(form: PanelRuleForm, returnTo: string): string {
  return urlUtil.renderUrl(RULE_FORM_PATH, { defaults: JSON.stringify(form), returnTo });
}
