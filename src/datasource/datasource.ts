import { CoreApp, DataSourceInstanceSettings, ScopedVars, TimeRange } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { escapeLabelValueInRegexSelector, regexAlternation } from '../promql/escape';
import type { CatalogResponse, MetricsResponse, TargetsResponse, ValuesResponse } from './catalog';
import { DEFAULT_QUERY, NestMetricNames, PulseDataSourceOptions, PulseQuery } from './types';

/** A time range in unix seconds, as the resources take it; undefined means the backend's default (last hour). */
export interface ResourceRange {
  start: number;
  end: number;
}

/** The editor's time range in whole unix seconds; minutes are enough for a catalog, and make a stable cache key. */
export function resourceRange(range?: TimeRange): ResourceRange | undefined {
  if (!range) {
    return undefined;
  }
  const start = Math.floor(range.from.valueOf() / 60000) * 60;
  const end = Math.ceil(range.to.valueOf() / 60000) * 60;
  return { start, end };
}

// Resource answers are cached per data source instance and range; the backend caches briefly too, this keeps
// the editor from asking again on every render or mode switch. Bounded: the oldest entry goes first.
const RESOURCE_CACHE_SIZE = 50;
const RESOURCE_CACHE_TTL_MS = 60_000;

/** The parts of a template variable that decide how its value is rendered. */
interface InterpolatedVariable {
  multi?: boolean;
  includeAll?: boolean;
}

// Macros the backend expands (alerting sends raw queries, so the step math must live in one place).
// Mapping them to themselves keeps getTemplateSrv() from replacing them with browser-side values.
const BACKEND_MACROS = ['__interval', '__interval_ms', '__rate_interval', '__range', '__range_s', '__range_ms'];

function keepBackendMacros(scopedVars: ScopedVars): ScopedVars {
  const kept: ScopedVars = { ...scopedVars };
  for (const name of BACKEND_MACROS) {
    kept[name] = { text: `$${name}`, value: `$${name}` };
  }
  return kept;
}

/**
 * Renders a variable's value into PromQL the way Grafana's Prometheus data source does: a single-value
 * variable goes in as-is (the user chose where it goes); a multi-value or include-all variable is meant for
 * `=~`, so its values are regex-escaped and joined as `(a|b)`.
 */
export function interpolateVariable(value: string | string[], variable?: InterpolatedVariable): string {
  // Scoped variables (repeats, macros) may arrive without a variable model.
  if (!variable?.multi && !variable?.includeAll) {
    return Array.isArray(value) ? value.join(',') : value;
  }
  if (typeof value === 'string') {
    return escapeLabelValueInRegexSelector(value);
  }
  return regexAlternation(value);
}

export class PulseDataSource extends DataSourceWithBackend<PulseQuery, PulseDataSourceOptions> {
  private readonly resourceCache = new Map<string, { at: number; answer: Promise<unknown> }>();
  /** Metric names the signals render with (the data source's settings; empty ones take the defaults). */
  readonly metricNames: NestMetricNames | undefined;

  constructor(instanceSettings: DataSourceInstanceSettings<PulseDataSourceOptions>) {
    super(instanceSettings);
    this.metricNames = instanceSettings.jsonData?.metrics;
  }

  /** A resource answer, shared by every caller asking the same thing within a minute; failures are not kept. */
  private cachedResource<T>(name: string, params: Record<string, string | number>): Promise<T> {
    const key = `${name}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;
    const now = Date.now();
    const hit = this.resourceCache.get(key);
    if (hit && now - hit.at < RESOURCE_CACHE_TTL_MS) {
      return hit.answer as Promise<T>;
    }
    const answer = this.getResource<T>(name, params);
    this.resourceCache.delete(key);
    this.resourceCache.set(key, { at: now, answer });
    if (this.resourceCache.size > RESOURCE_CACHE_SIZE) {
      this.resourceCache.delete(this.resourceCache.keys().next().value!);
    }
    answer.catch(() => {
      if (this.resourceCache.get(key)?.answer === answer) {
        this.resourceCache.delete(key);
      }
    });
    return answer;
  }

  /** Services, controllers, hosts, containers and databases seen in the range. */
  getCatalog(range?: ResourceRange): Promise<CatalogResponse> {
    return this.cachedResource<CatalogResponse>('catalog', { ...range });
  }

  /** Scrape targets (always the current state). */
  getTargets(): Promise<TargetsResponse> {
    return this.cachedResource<TargetsResponse>('targets', {});
  }

  /** Metric names with type and help. */
  getMetrics(range?: ResourceRange): Promise<MetricsResponse> {
    return this.cachedResource<MetricsResponse>('metrics', { ...range });
  }

  /** Label names, of the series a selector matches when given. */
  getLabelNames(match?: string, range?: ResourceRange): Promise<ValuesResponse> {
    return this.cachedResource<ValuesResponse>('labels', { ...(match && { 'match[]': match }), ...range });
  }

  /** Values of one label, of the series a selector matches when given. */
  getLabelValues(label: string, match?: string, range?: ResourceRange): Promise<ValuesResponse> {
    return this.cachedResource<ValuesResponse>('label-values', {
      label,
      ...(match && { 'match[]': match }),
      ...range,
    });
  }

  getDefaultQuery(_app: CoreApp): Partial<PulseQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: PulseQuery): boolean {
    return !query.hide && Boolean(query.expr?.trim());
  }

  applyTemplateVariables(query: PulseQuery, scopedVars: ScopedVars): PulseQuery {
    const templateSrv = getTemplateSrv();
    const vars = keepBackendMacros(scopedVars);

    return {
      ...query,
      expr: templateSrv.replace(query.expr, vars, interpolateVariable),
      legendFormat: query.legendFormat === undefined ? undefined : templateSrv.replace(query.legendFormat, vars),
      interval: query.interval === undefined ? undefined : templateSrv.replace(query.interval, vars),
    };
  }
}
