import type { VariableValueOption } from '@grafana/scenes';

import type { CatalogContainer } from '../../datasource/catalog';

/**
 * Names and images of a monitoring stack's own containers (dockprom, the Grafana/Prometheus compose files):
 * Prometheus and its exporters, Grafana, VictoriaMetrics, Loki and friends. Matched as whole words of the
 * container name or image, e.g. `prom/node-exporter:v1.8`, `dockprom-cadvisor-1`, `grafana/grafana`.
 */
const MONITORING_STACK =
  /(^|[/_.:-])(prometheus|grafana|cadvisor|node-?exporter|postgres(ql)?-?exporter|[a-z]+_exporter|alertmanager|pushgateway|victoria-?metrics|vmagent|loki|promtail|tempo|thanos)([/_.:-]|$)/i;

export function isMonitoringStack(container: CatalogContainer): boolean {
  return [container.name, container.image].some((text) => text !== undefined && MONITORING_STACK.test(text));
}

/** How the container signals identify a container: its name, or its cgroup id when cAdvisor gives no name. */
export const containerIdentity = (container: CatalogContainer) => container.name || container.id;

/**
 * The choices of the page's container variable, from the catalog: a named container by name, an unnamed one
 * (a raw cgroup) by its cgroup id. A cgroup that holds other listed containers (`/docker` above `/docker/<id>`)
 * is their parent, not a container. The monitoring stack is left out when asked.
 */
export function containerOptions(containers: CatalogContainer[], hideMonitoringStack: boolean): VariableValueOption[] {
  const isParent = (c: CatalogContainer) => !c.name && containers.some((o) => o.id.startsWith(`${c.id}/`));
  const values = new Set(
    containers.filter((c) => !isParent(c) && !(hideMonitoringStack && isMonitoringStack(c))).map(containerIdentity)
  );
  return [...values].sort((a, b) => a.localeCompare(b)).map((value) => ({ label: value, value }));
}
