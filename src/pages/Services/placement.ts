import type { CatalogContainer, CatalogHost, CatalogResponse } from '../../datasource/catalog';

/** Where one instance of a service runs, as far as the exporters' targets tell. */
export interface Placement {
  /** The service's target, e.g. `10.0.0.5:3000`. */
  instance: string;
  /** The node_exporter target of the same host. */
  hosts: CatalogHost[];
  /** A container whose name is the instance's host name (Docker: the scrape goes to the container by name). */
  containers: CatalogContainer[];
  /** cAdvisor targets on the same host, whose containers include the one running the instance. */
  cadvisors: string[];
}

/**
 * The host part of a target address: `10.0.0.5:3000` → `10.0.0.5`, `[::1]:3000` → `::1`, `orders:3000` →
 * `orders`. A target without a port is its own host.
 */
export function hostOf(address: string): string {
  const bracketed = /^\[([^\]]+)\](:\d+)?$/.exec(address);
  if (bracketed) {
    return bracketed[1];
  }
  const colon = address.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(address.slice(colon + 1)) ? address.slice(0, colon) : address;
}

/**
 * Matches each instance of a service with what the other exporters report about the machine it runs on.
 *
 * Prometheus knows each target only by its address, so the one fact shared across exporters is the host part
 * of that address: a NestJS instance at `10.0.0.5:3000` runs on the machine whose node_exporter is scraped at
 * `10.0.0.5:9100` (and whose cAdvisor is at `10.0.0.5:8080`). That holds when every exporter is scraped by the
 * same address (IP or host name) of the machine; a target scraped by another name of the same machine does
 * not match, and then no link is offered rather than a guess. On a Docker network Prometheus reaches a
 * container by its name (`orders:3000`), which is the `name` cAdvisor reports, so that is the container. Raw
 * cgroups (no Docker) have no name to match: then only the cAdvisor of the same host is known.
 */
export function placements(catalog: CatalogResponse, service: string, instances: string[]): Placement[] {
  const known = catalog.services.find((s) => s.name === service)?.instances.map((i) => i.instance) ?? [];
  const chosen = instances.length > 0 ? known.filter((i) => instances.includes(i)) : known;
  return [...new Set(chosen)].map((instance) => {
    const host = hostOf(instance);
    const cadvisors = new Set(catalog.containers.map((c) => c.instance).filter((i) => hostOf(i) === host));
    return {
      instance,
      hosts: catalog.hosts.filter((h) => hostOf(h.instance) === host),
      containers: catalog.containers.filter((c) => c.name !== undefined && c.name === host),
      cadvisors: [...cadvisors].sort(),
    };
  });
}
