/**
 * The Pulse alerts Grafana holds in a non-normal state, per row of a page: what the Services, Hosts and Containers
 * inventories show beside each service, host or container. Read from Grafana's alert instances API
 * (`/api/prometheus/grafana/api/v1/alerts`, `alert.rules:read`), whose instances carry the rule's labels
 * (`pulse_pack`, `pulse_rule`, `severity`) and the series' (`name`, `instance`).
 */
import type { AlertPack } from '../signals';

/** Grafana's alert instances API path (the Prometheus-compatible one for Grafana-managed rules). */
export const ALERT_INSTANCES_PATH = '/api/prometheus/grafana/api/v1/alerts';

/** One alert instance as Grafana lists it. */
export interface AlertInstance {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** Grafana's instance state: Alerting, Pending, NoData, Error, Normal (and Recovering in newer versions). */
  state: string;
  activeAt?: string;
}

/** The alerts of one row: rule names by state, most severe first. */
export interface RowAlerts {
  firing: string[];
  pending: string[];
}

const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** Alerting (and Recovering, which still fires until it clears) is firing; Pending waits out its `for`. */
function stateOf(instance: AlertInstance): keyof RowAlerts | undefined {
  const state = instance.state.toLowerCase();
  if (state.startsWith('alerting') || state.startsWith('firing') || state.startsWith('recovering')) {
    return 'firing';
  }
  return state.startsWith('pending') ? 'pending' : undefined;
}

/**
 * The pack's firing and pending rules per value of `keyLabel` (a service's `name`, a host's `instance`). A rule
 * appears once per row however many instances it has there (one per filesystem of a host).
 */
export function alertsByRow(instances: AlertInstance[], pack: AlertPack, keyLabel: string): Map<string, RowAlerts> {
  return alertsBy(instances, pack, (labels) => labels[keyLabel]);
}

/** The pack's firing and pending rules per key of an instance's labels (undefined: the instance is left out). */
export function alertsBy(
  instances: AlertInstance[],
  pack: AlertPack,
  keyOf: (labels: Record<string, string>) => string | undefined
): Map<string, RowAlerts> {
  const rows = new Map<string, { firing: Map<string, number>; pending: Map<string, number> }>();
  for (const instance of instances) {
    const { labels } = instance;
    const state = stateOf(instance);
    const key = labels.pulse_pack === pack && state ? keyOf(labels) : undefined;
    if (!state || key === undefined) {
      continue;
    }
    const row = rows.get(key) ?? { firing: new Map(), pending: new Map() };
    row[state].set(labels.pulse_rule ?? labels.alertname ?? '', SEVERITY_ORDER[labels.severity] ?? 3);
    rows.set(key, row);
  }
  const ordered = (rules: Map<string, number>) =>
    [...rules].sort(([a, x], [b, y]) => x - y || a.localeCompare(b)).map(([rule]) => rule);
  return new Map(
    [...rows].map(([key, row]) => [
      key,
      { firing: ordered(row.firing), pending: ordered(row.pending).filter((r) => !row.firing.has(r)) },
    ])
  );
}

/** Grafana's alert list filtered to a pack's alerts on one row (its search syntax: `label:name=value`). */
export function alertListSearch(pack: AlertPack, keyLabel: string, key: string): string {
  const quoted = (v: string) => (/[\s"]/.test(v) ? `"${v.replace(/"/g, '\\"')}"` : v);
  return `label:pulse_pack=${pack} label:${keyLabel}=${quoted(key)}`;
}
