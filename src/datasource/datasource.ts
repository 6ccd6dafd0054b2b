import { lastValueFrom } from 'rxjs';
import {
  CoreApp,
  DataQueryRequest,
  DataSourceInstanceSettings,
  LegacyMetricFindQueryOptions,
  MetricFindValue,
  ScopedVars,
  TimeRange,
  getDefaultTimeRange,
} from '@grafana/data';
import { t } from '@grafana/i18n';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { escapeLabelValueInExactSelector } from '../promql/escape';
import { interpolatePromQL } from '../promql/interpolate';
import type { CatalogResponse, ExportersResponse, MetricsResponse, TargetsResponse, ValuesResponse } from './catalog';
import { queryExpr } from './queryExpr';
import { queryResultValues } from './queryResultText';
import { pulseAnnotations } from './annotations';
import { DEFAULT_QUERY, NestMetricNames, PulseDataSourceOptions, PulseQuery } from './types';
import { VARIABLE_QUERY_FORMS, parseVariableQuery, variableQueryText } from './variableQuery';

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

export class PulseDataSource extends DataSourceWithBackend<PulseQuery, PulseDataSourceOptions> {
  private readonly resourceCache = new Map<string, { at: number; answer: Promise<unknown> }>();
  /** Metric names the signals render with (the data source's settings; empty ones take the defaults). */
  readonly metricNames: NestMetricNames | undefined;
  /** Prometheus' scrape interval as set in the data source (its "Scrape interval"), if set. */
  readonly scrapeInterval: string | undefined;

  constructor(instanceSettings: DataSourceInstanceSettings<PulseDataSourceOptions>) {
    super(instanceSettings);
    this.metricNames = instanceSettings.jsonData?.metrics;
    this.scrapeInterval = instanceSettings.jsonData?.timeInterval || undefined;
    this.annotations = pulseAnnotations;
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

  /** Scrape targets (always the current state); `fresh` skips the minute-long cache, for a page's refresh. */
  getTargets(fresh = false): Promise<TargetsResponse> {
    return fresh ? this.getResource<TargetsResponse>('targets') : this.cachedResource<TargetsResponse>('targets', {});
  }

  /** Which exporters Pulse builds on are scraped, with counts and how to add a missing one (as the health check). */
  getExporters(fresh = false): Promise<ExportersResponse> {
    return fresh
      ? this.getResource<ExportersResponse>('exporters')
      : this.cachedResource<ExportersResponse>('exporters', {});
  }

  /** Metric names with type and help; of the series a selector matches when given. */
  getMetrics(range?: ResourceRange, match?: string): Promise<MetricsResponse> {
    return this.cachedResource<MetricsResponse>('metrics', { ...(match && { 'match[]': match }), ...range });
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

  /**
   * Template variable options. Scenes' QueryVariable and Grafana's dashboards both call this (the data source
   * declares no `variables` support object), with the variable's stored query: a string, or `{ query }`.
   * Page and dashboard variables in it are interpolated first; the lists come from the time range shown.
   */
  async metricFindQuery(stored: unknown, options?: LegacyMetricFindQueryOptions): Promise<MetricFindValue[]> {
    const text = variableQueryText(stored);
    const query = parseVariableQuery(text);
    if (!query) {
      throw new Error(
        t(
          'variable-query.error.unsupported',
          'Unsupported variable query "{{query}}". Pulse understands {{forms}}.',
          // A plain-text message: i18next's HTML escaping would show `<label>` as `&lt;label&gt;`.
          { query: text, forms: VARIABLE_QUERY_FORMS.join(', '), interpolation: { escapeValue: false } }
        )
      );
    }
    const scopedVars = options?.scopedVars ?? {};
    const range = resourceRange(options?.range);
    const interpolate = (value: string) => this.interpolate(value, scopedVars);
    const listed = (answer: ValuesResponse) => answer.values.map((value) => ({ text: value, value }));

    switch (query.type) {
      case 'label_names':
        return listed(await this.getLabelNames(query.match && interpolate(query.match), range));
      case 'label_values':
        return listed(
          await this.getLabelValues(interpolate(query.label), query.match && interpolate(query.match), range)
        );
      case 'metrics': {
        // Interpolated as part of the matcher, so a variable's values are matched literally like anywhere else.
        const match = interpolate(`{__name__=~"${escapeLabelValueInExactSelector(query.regex)}"}`);
        const answer = await this.getMetrics(range, match);
        return answer.metrics.map(({ name }) => ({ text: name, value: name }));
      }
      case 'query_result':
        return this.queryResult(query.expr, scopedVars, options?.range);
    }
  }

  /** Runs `expr` as an instant query at the end of the range, through the backend like a panel's query. */
  private async queryResult(expr: string, scopedVars: ScopedVars, range = getDefaultTimeRange()) {
    // An instant query has no step: the interval fields only complete the request's shape.
    const request = {
      app: CoreApp.Dashboard,
      requestId: `pulse-variable-${Date.now()}`,
      timezone: 'browser',
      range,
      interval: '15s',
      intervalMs: 15_000,
      scopedVars,
      startTime: Date.now(),
      targets: [{ refId: 'variable', expr, instant: true, range: false, format: 'time_series' }],
    } as DataQueryRequest<PulseQuery>;
    const response = await lastValueFrom(this.query(request));
    if (response.errors?.length) {
      const message = response.errors[0].message;
      throw new Error(message ?? t('variable-query.error.query-result', 'The query_result query failed.'));
    }
    return queryResultValues(response.data);
  }

  /** Replaces page and dashboard variables in PromQL, escaping each value for where it stands (promql/interpolate). */
  interpolate(expr: string, scopedVars: ScopedVars): string {
    const templateSrv = getTemplateSrv();
    const vars = keepBackendMacros(scopedVars);
    return interpolatePromQL(expr, (text, format) => templateSrv.replace(text, vars, format));
  }

  getDefaultQuery(_app: CoreApp): Partial<PulseQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: PulseQuery): boolean {
    return !query.hide && queryExpr(query, this.metricNames) !== '';
  }

  applyTemplateVariables(query: PulseQuery, scopedVars: ScopedVars): PulseQuery {
    const templateSrv = getTemplateSrv();
    const vars = keepBackendMacros(scopedVars);

    return {
      ...query,
      expr: this.interpolate(queryExpr(query, this.metricNames), scopedVars),
      legendFormat: query.legendFormat === undefined ? undefined : templateSrv.replace(query.legendFormat, vars),
      interval: query.interval === undefined ? undefined : templateSrv.replace(query.interval, vars),
    };
  }
}
