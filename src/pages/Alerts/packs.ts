/**
 * Which packs the Alerts page offers for a data source, and over what: a pack is offered when the exporter its
 * rules read is scraped (the backend's exporter check), and lists the services, hosts, containers or databases
 * the catalog found, which its rules cover (the rules select every one; a new one is covered when it appears).
 */
import type { CatalogResponse, ExporterKey, ExportersResponse } from '../../datasource/catalog';
import type { AlertPack } from '../../signals';

/** The exporter each pack's rules read; the target pack reads Prometheus' own `up`, there whatever is scraped. */
export const PACK_EXPORTER: Record<AlertPack, ExporterKey | undefined> = {
  service: 'nestjs',
  host: 'node',
  container: 'cadvisor',
  postgres: 'postgres',
  target: undefined,
};

export interface PackOffer {
  pack: AlertPack;
  offered: boolean;
  /** The exporter's title and the backend's hint to add it, when it is missing. */
  exporter?: { title: string; hint?: string };
  /** What the catalog found that the pack covers. */
  covers: string[];
}

export function packOffer(pack: AlertPack, exporters?: ExportersResponse, catalog?: CatalogResponse): PackOffer {
  const key = PACK_EXPORTER[pack];
  const exporter = key ? exporters?.exporters.find((e) => e.key === key) : undefined;
  const covers = (() => {
    switch (pack) {
      case 'service':
        return (catalog?.services ?? []).map((s) => s.name);
      case 'host':
        return (catalog?.hosts ?? []).map((h) => h.nodename || h.instance);
      case 'container':
        return (catalog?.containers ?? []).map((c) => c.name || c.id);
      case 'postgres':
        return (catalog?.databases ?? []).map((d) => `${d.name} (${d.instance})`);
      case 'target':
        return [];
    }
  })();
  return {
    pack,
    // Until the exporter check answers, a pack is offered: its preview says what is there.
    offered: key === undefined || !exporters || Boolean(exporter?.present),
    ...(exporter && { exporter: { title: exporter.title, hint: exporter.hint } }),
    covers: [...new Set(covers)].sort(),
  };
}
