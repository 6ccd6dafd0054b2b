/**
 * The signal catalog's types. A signal is a named question with typed parameters ("p95 latency of a service,
 * per controller") that renders PromQL; the guided editor, the pages and the alert templates all use it.
 */
import type { NestMetricNames, QueryFormat } from '../datasource/types';
import type { InstrumentationProfile } from './profiles';

export type SignalFamily = 'service' | 'runtime' | 'host' | 'container' | 'postgres' | 'target';

export const SIGNAL_FAMILIES: readonly SignalFamily[] = [
  'service',
  'runtime',
  'host',
  'container',
  'postgres',
  'target',
];

/**
 * A translatable text: the key in the data source's namespace and its English default; `values` fill its
 * `{{placeholders}}`. The editor translates it with @grafana/i18n, passing key, English and values.
 */
export interface Message {
  key: string;
  en: string;
  values?: Record<string, string | number>;
}

export type ParameterType =
  | 'service'
  | 'controller'
  | 'handler'
  | 'method'
  | 'instance'
  | 'job'
  | 'host'
  | 'container'
  | 'database'
  | 'quantile'
  | 'groupBy'
  | 'threshold'
  | 'topN'
  | 'mode';

/**
 * Where a parameter's choices come from: a field of a backend resource (catalog or targets), narrowed by the
 * parameters already chosen (e.g. controllers of the chosen services), or a fixed list on the parameter.
 */
export type ParameterSource =
  | 'services[].name'
  | 'services[name].instances[].instance'
  | 'services[name].controllers[].name'
  | 'services[name].controllers[name].handlers[].name'
  | 'services[name].controllers[name].handlers[name].methods[]'
  | 'hosts[].instance'
  | 'containers[].instance'
  | 'containers[instance].name|id'
  | 'databases[].instance'
  | 'databases[instance].name'
  | 'targets[].job'
  | 'targets[job].instance';

export type ParamValue = string | number | string[];
export type SignalParams = Record<string, ParamValue | undefined>;

export interface ParameterChoice {
  value: string;
  label: Message;
}

export interface SignalParameter {
  /** Key in the signal's params, e.g. `service`, `groupBy`. */
  name: string;
  type: ParameterType;
  label: Message;
  required: boolean;
  /** Several values (a multi-value template variable also counts as one value). */
  multi: boolean;
  default?: ParamValue;
  /** Values from a backend resource. */
  source?: ParameterSource;
  /** Values from a fixed list (quantiles, modes, group-by labels, thresholds). */
  choices?: ParameterChoice[];
}

/**
 * What a signal renders with: the data source's instrumentation profiles (with their metric names) and, for the
 * code that reads them directly, the seed interceptor's metric names.
 */
export type RenderContext = Required<
  Pick<NestMetricNames, 'successHistogram' | 'failHistogram' | 'failedCounter' | 'info'>
> & {
  /** The profile a query is rendered for (with auto: the seed's, where code needs one; see profiles). */
  profile: InstrumentationProfile;
  /** Every profile the data source reads services with: its chosen one, or with auto all of them. */
  profiles: InstrumentationProfile[];
  /** Set on one profile's context among several (acrossProfiles.ts): its series keep to its own targets. */
  amongProfiles?: boolean;
};

export interface Signal {
  /** Stable id, stored in saved queries: `service.latency.quantile`. */
  id: string;
  family: SignalFamily;
  title: Message;
  description: Message;
  parameters: SignalParameter[];
  /** Grafana unit id of the values (for a heatmap: of the y axis, the bucket bounds). */
  unit: string;
  format: QueryFormat;
  /** True when the question has one answer for the whole time range (tables, stats). */
  instant: boolean;
  legend(params: SignalParams): string;
  render(params: SignalParams, ctx: RenderContext): string;
  /**
   * Why the signal cannot answer with these parameters and this profile (e.g. failed requests' latency from one
   * histogram of all requests), or undefined when it can. Its query then selects nothing; show the reason instead.
   */
  unavailable(params: SignalParams, ctx: RenderContext): Message | undefined;
  /**
   * True when the signal counts or times failed requests only (errors, the failed outcome): empty where nothing
   * failed, which is no fault, so a panel says that rather than that metrics are missing.
   */
  failuresOnly(params: SignalParams): boolean;
  /** A plain-language explanation of what the rendered query computes, sentence by sentence. */
  describe(params: SignalParams): Message[];
}
