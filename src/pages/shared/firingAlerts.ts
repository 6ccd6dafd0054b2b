import { lastValueFrom, from, map, of, switchMap, catchError, type Observable } from 'rxjs';
import { type DataFrame, DataTopic, type Field, FieldType } from '@grafana/data';
import { t } from '@grafana/i18n';
import { getBackendSrv } from '@grafana/runtime';
import type { CustomTransformerDefinition } from '@grafana/scenes';
import { TableCellDisplayMode } from '@grafana/schema';

import {
  ALERT_INSTANCES_PATH,
  type AlertInstance,
  alertListSearch,
  alertsByRow,
  type RowAlerts,
} from '../../alerts/firing';
import type { AlertPack } from '../../signals';

/** How long one answer of Grafana's alert instances serves every table of the page (it evaluates every minute). */
const ALERTS_TTL_MS = 15_000;
/** The hidden field a row's link to Grafana's alert list reads its search from. */
export const ALERT_SEARCH_FIELD = 'pulse_alert_search';

let cached: { at: number; answer: Promise<AlertInstance[]> } | undefined;

/**
 * Grafana's alert instances, shared for a few seconds; none when they cannot be read (a user without
 * `alert.rules:read`, a Grafana without alerting): the tables then show no alerts column.
 */
export function alertInstances(now = Date.now()): Promise<AlertInstance[]> {
  if (cached && now - cached.at < ALERTS_TTL_MS) {
    return cached.answer;
  }
  const answer = Promise.resolve()
    .then(() =>
      lastValueFrom(
        getBackendSrv().fetch<{ data?: { alerts?: AlertInstance[] } }>({
          url: ALERT_INSTANCES_PATH,
          showErrorAlert: false,
          showSuccessAlert: false,
        })
      )
    )
    .then((r) => r.data?.data?.alerts ?? [])
    .catch(() => {
      cached = undefined;
      return [];
    });
  cached = { at: now, answer };
  return answer;
}

/** Forgets the shared answer (tests; a page that has just installed rules). */
export function forgetAlertInstances() {
  cached = undefined;
}

export interface AlertsColumn {
  pack: AlertPack;
  /** The alert label that names a row (`name`, `instance`). */
  keyLabel: string;
  /** The table field holding that value for each row (by name or display name). */
  keyField: string;
  title: string;
  /** What a row without an alert shows (the table's missing-cell text). */
  emptyCell: string;
}

/** A row's alerts as one line: the firing rules, then the pending ones marked so. */
export function rowAlertsText(row: RowAlerts | undefined): string {
  if (!row) {
    return '';
  }
  const pending = row.pending.map((rule) => t('pages.shared.alerts.pending', '{{rule}} (pending)', { rule }));
  return [...row.firing, ...pending].join(', ');
}

/**
 * The table with an alerts column: each row's firing and pending Pulse rules of the pack, linking to Grafana's
 * alert list filtered to them, and a row for each alerting key the table lacks. Without any alert of the pack the
 * table stays as it is.
 */
export function withAlertsColumn(frames: DataFrame[], instances: AlertInstance[], column: AlertsColumn): DataFrame[] {
  const rows = alertsByRow(instances, column.pack, column.keyLabel);
  if (rows.size === 0) {
    return frames;
  }
  return frames.map((frame) => {
    const key = frame.fields.find((f) => f.name === column.keyField || f.config.displayName === column.keyField);
    if (!key) {
      return frame;
    }
    // A row for each alert whose key the table has no row for: a service that stopped reporting is exactly what
    // ServiceDown is about, and its info gauge went with it.
    const present = new Set(key.values.map((v) => String(v ?? '')));
    const missing = [...rows.keys()].filter((k) => !present.has(k)).sort();
    const extended = frame.fields.map((f) => ({
      ...f,
      values: [...f.values, ...missing.map((k) => (f === key ? k : null))],
      state: undefined,
    }));
    const keys = [...key.values.map((v) => String(v ?? '')), ...missing];
    const alerts: Field = {
      name: column.title,
      type: FieldType.string,
      values: keys.map((k) => rowAlertsText(rows.get(k)) || null),
      config: {
        displayName: column.title,
        noValue: column.emptyCell,
        color: { mode: 'fixed', fixedColor: 'red' },
        custom: { cellOptions: { type: TableCellDisplayMode.ColorText } },
        links: [
          {
            title: t('pages.shared.alerts.open', 'Open these alerts in Grafana'),
            url: `/alerting/list?search=\${__data.fields["${ALERT_SEARCH_FIELD}"]:percentencode}`,
          },
        ],
      },
    };
    const search: Field = {
      name: ALERT_SEARCH_FIELD,
      type: FieldType.string,
      values: keys.map((k) => (rows.has(k) ? alertListSearch(column.pack, column.keyLabel, k) : '')),
      config: { custom: { hidden: true } },
    };
    return { ...frame, fields: [...extended, alerts, search], length: keys.length };
  });
}

/** A transformation that adds the alerts column once Grafana's alert instances are read. */
export function alertsColumnTransformation(column: AlertsColumn): CustomTransformerDefinition {
  const definition = {
    topic: DataTopic.Series,
    operator: () => (source: Observable<DataFrame[]>) =>
      source.pipe(
        switchMap((frames) =>
          from(alertInstances()).pipe(
            map((instances) => withAlertsColumn(frames, instances, column)),
            catchError(() => of(frames))
          )
        )
      ),
  };
  return definition as CustomTransformerDefinition;
}
