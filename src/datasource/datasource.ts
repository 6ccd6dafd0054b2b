import { CoreApp, DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { escapeLabelValueInRegexSelector, regexAlternation } from '../promql/escape';
import { DEFAULT_QUERY, PulseDataSourceOptions, PulseQuery } from './types';

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
  constructor(instanceSettings: DataSourceInstanceSettings<PulseDataSourceOptions>) {
    super(instanceSettings);
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
