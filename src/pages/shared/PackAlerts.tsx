import React, { useEffect, useState } from 'react';
import { t } from '@grafana/i18n';
import {
  type SceneComponentProps,
  sceneGraph,
  SceneObjectBase,
  type SceneObjectState,
  VariableDependencyConfig,
} from '@grafana/scenes';
import { Alert, Stack, TextLink } from '@grafana/ui';

import { type AlertInstance, alertsBy } from '../../alerts/firing';
import type { AlertPack } from '../../signals';
import { alertInstances, rowAlertsText } from './firingAlerts';

/** How often the list asks Grafana again while the page is open (Grafana evaluates every minute). */
const REFRESH_MS = 60_000;

/** An alert label a page variable chooses (`instance` by `$instance`). */
export interface PackAlertsFilter {
  labelName: string;
  variable: string;
}

interface PackAlertsState extends SceneObjectState {
  pack: AlertPack;
  filters: PackAlertsFilter[];
}

/**
 * The firing and pending Pulse alerts of a pack on what the page's variables chose, for a page that shows one
 * server or database at a time rather than rows (PostgreSQL): one line per server (and database), most severe rule
 * first, linking to Grafana's alert list. Nothing when none fires or alerting cannot be read.
 */
export class PackAlerts extends SceneObjectBase<PackAlertsState> {
  static Component = PackAlertsRenderer;

  protected _variableDependency = new VariableDependencyConfig(this, {
    variableNames: this.state.filters.map((f) => f.variable),
  });

  /** The chosen values of a filter's variable (every option under All); undefined: the page has no such variable. */
  chosen(variable: string): string[] | undefined {
    const v = sceneGraph.lookupVariable(variable, this);
    if (!v) {
      return undefined;
    }
    const value = v.getValue();
    return (Array.isArray(value) ? value : [value]).map(String);
  }
}

/** A line's key: the filtered labels' values, `127.0.0.1:9187 · shop`. */
export function packAlertsKey(labels: Record<string, string>, filters: PackAlertsFilter[]): string {
  return filters
    .map((f) => labels[f.labelName])
    .filter((v) => v !== undefined)
    .join(' · ');
}

function PackAlertsRenderer({ model }: SceneComponentProps<PackAlerts>) {
  const { pack, filters } = model.useState();
  const [instances, setInstances] = useState<AlertInstance[]>([]);
  useEffect(() => {
    let live = true;
    const load = () => alertInstances().then((answer) => live && setInstances(answer));
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  const chosen = filters.map((f) => ({ ...f, values: model.chosen(f.variable) }));
  const lines = alertsBy(instances, pack, (labels) =>
    // An instance without a filtered label (a server-wide rule has no datname) is not narrowed by it.
    chosen.every((f) => labels[f.labelName] === undefined || !f.values || f.values.includes(labels[f.labelName]))
      ? packAlertsKey(labels, filters)
      : undefined
  );
  if (lines.size === 0) {
    return null;
  }
  const rows = [...lines].sort(([a], [b]) => a.localeCompare(b));
  const firing = rows.some(([, r]) => r.firing.length > 0);
  const search = `label:pulse_pack=${pack}`;
  return (
    <Alert
      severity={firing ? 'error' : 'warning'}
      title={t('pages.shared.alerts.pack-title', 'Pulse alerts here: {{firing}} firing, {{pending}} pending', {
        firing: rows.reduce((n, [, r]) => n + r.firing.length, 0),
        pending: rows.reduce((n, [, r]) => n + r.pending.length, 0),
      })}
      data-testid={`pack-alerts-${pack}`}
    >
      <Stack direction="column" gap={0.5}>
        {rows.map(([key, r]) => (
          <div key={key}>
            <strong>{key}</strong>: {rowAlertsText(r)}
          </div>
        ))}
        <TextLink href={`/alerting/list?search=${encodeURIComponent(search)}`} inline={false}>
          {t('pages.shared.alerts.open', 'Open these alerts in Grafana')}
        </TextLink>
      </Stack>
    </Alert>
  );
}
