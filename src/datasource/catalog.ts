/**
 * Shapes of the data source's read-only resources (`/api/datasources/uid/<uid>/resources/<name>`). They mirror
 * the Go JSON of the backend exactly; optional fields are the ones the backend omits when empty.
 */

/** `catalog?start=<unix s>&end=<unix s>`: what exists in the chosen time range. */
export interface CatalogResponse {
  services: CatalogService[];
  hosts: CatalogHost[];
  containers: CatalogContainer[];
  databases: CatalogDatabase[];
  /** Per section (`services`, `hosts`, …): why it could not be listed. */
  errors?: Record<string, string>;
}

export interface CatalogService {
  /** The service's name as its instrumentation names it: `<domain>.<name>` from nestjs_info, e.g. `shop.orders`. */
  name: string;
  /** The instrumentation profile it was found with (src/signals/profiles.ts). */
  profile?: string;
  domain: string;
  versions: string[];
  instances: CatalogServiceInstance[];
  controllers: CatalogController[];
}

export interface CatalogServiceInstance {
  instance: string;
  job: string;
  version: string;
}

export interface CatalogController {
  name: string;
  handlers: CatalogHandler[];
}

export interface CatalogHandler {
  name: string;
  methods: string[];
}

export interface CatalogHost {
  instance: string;
  job: string;
  nodename?: string;
}

export interface CatalogContainer {
  /** cgroup path, e.g. `/docker/abc`. */
  id: string;
  name?: string;
  image?: string;
  /** The cAdvisor target. */
  instance: string;
}

export interface CatalogDatabase {
  name: string;
  /** The postgres_exporter target. */
  instance: string;
  server?: string;
}

export type TargetHealth = 'up' | 'down' | 'unknown';

/** `targets` */
export interface TargetsResponse {
  targets: Target[];
  up: number;
  down: number;
  unknown: number;
}

export interface Target {
  job: string;
  instance: string;
  scrapePool: string;
  scrapeUrl: string;
  health: TargetHealth;
  lastError?: string;
  /** RFC 3339 time of the last scrape. */
  lastScrape: string;
  /** Seconds. */
  lastScrapeDuration: number;
  scrapeInterval?: string;
  labels: Record<string, string>;
  diagnosis?: TargetDiagnosis;
}

export interface TargetDiagnosis {
  kind: string;
  hint: string;
}

export type ExporterKey = 'nestjs' | 'node' | 'cadvisor' | 'postgres';

/** `exporters` */
export interface ExportersResponse {
  exporters: Exporter[];
}

export interface Exporter {
  key: ExporterKey;
  title: string;
  present: boolean;
  count: number;
  targets: number;
  /** What `count` counts, e.g. `services`. */
  unit: string;
  hint?: string;
  error?: string;
  /** NestJS services only: the targets exporting each instrumentation profile's request metrics. */
  profiles?: Array<{ profile: string; targets: number }>;
}

/** `labels?match[]=&start=&end=` and `label-values?label=&match[]=&start=&end=` */
export interface ValuesResponse {
  values: string[];
  truncated: boolean;
}

/** `metrics` */
export interface MetricsResponse {
  metrics: MetricInfo[];
  truncated: boolean;
}

export interface MetricInfo {
  name: string;
  type?: string;
  help?: string;
  unit?: string;
}
