/**
 * Parameter definitions shared by the signals, and helpers to read parameter values.
 */
import { msg } from './messages';
import type {
  ParamValue,
  ParameterChoice,
  ParameterSource,
  ParameterType,
  SignalParameter,
  SignalParams,
} from './types';

/** Values of a list parameter: a string or a list of strings, empty entries dropped. */
export function listParam(params: SignalParams, name: string): string[] {
  const value = params[name];
  if (value === undefined || value === '') {
    return [];
  }
  const list = Array.isArray(value) ? value : [String(value)];
  return list.filter((v) => v !== '');
}

/** A single value (number or variable reference). */
export function scalarParam(params: SignalParams, name: string): string | number {
  const value = params[name];
  if (value === undefined || Array.isArray(value)) {
    throw new Error(`parameter ${name} needs one value`);
  }
  return value;
}

export function stringParam(params: SignalParams, name: string): string {
  return String(scalarParam(params, name));
}

interface ParameterOptions {
  name?: string;
  required?: boolean;
  multi?: boolean;
  default?: ParamValue;
}

function parameter(
  type: ParameterType,
  label: string,
  labelText: string,
  rest: { source?: ParameterSource; choices?: ParameterChoice[] },
  options: ParameterOptions = {}
): SignalParameter {
  return {
    name: options.name ?? type,
    type,
    label: msg(`signals.params.${label}`, labelText),
    required: options.required ?? false,
    multi: options.multi ?? true,
    ...(options.default !== undefined && { default: options.default }),
    ...rest,
  };
}

export const serviceParam = (o?: ParameterOptions) =>
  parameter('service', 'service', 'Service', { source: 'services[].name' }, o);
export const serviceInstanceParam = (o?: ParameterOptions) =>
  parameter('instance', 'instance', 'Instance', { source: 'services[name].instances[].instance' }, o);
export const controllerParam = (o?: ParameterOptions) =>
  parameter('controller', 'controller', 'Controller', { source: 'services[name].controllers[].name' }, o);
export const handlerParam = (o?: ParameterOptions) =>
  parameter('handler', 'handler', 'Handler', { source: 'services[name].controllers[name].handlers[].name' }, o);
export const methodParam = (o?: ParameterOptions) =>
  parameter('method', 'method', 'Method', { source: 'services[name].controllers[name].handlers[name].methods[]' }, o);
export const hostParam = (o?: ParameterOptions) => parameter('host', 'host', 'Host', { source: 'hosts[].instance' }, o);
export const containerHostParam = (o?: ParameterOptions) =>
  parameter('host', 'container-host', 'cAdvisor', { source: 'containers[].instance' }, o);
export const containerParam = (o?: ParameterOptions) =>
  parameter('container', 'container', 'Container', { source: 'containers[instance].name|id' }, o);
export const databaseInstanceParam = (o?: ParameterOptions) =>
  parameter('instance', 'database-instance', 'PostgreSQL exporter', { source: 'databases[].instance' }, o);
export const databaseParam = (o?: ParameterOptions) =>
  parameter('database', 'database', 'Database', { source: 'databases[instance].name' }, o);
export const jobParam = (o?: ParameterOptions) => parameter('job', 'job', 'Job', { source: 'targets[].job' }, o);
export const targetInstanceParam = (o?: ParameterOptions) =>
  parameter('instance', 'target-instance', 'Target', { source: 'targets[job].instance' }, o);

const choice = (group: string, value: string, en: string): ParameterChoice => ({
  value,
  label: msg(`signals.choices.${group}.${value}`, en),
});

export const QUANTILES = ['0.5', '0.9', '0.95', '0.99'];

export const quantileParam = (o?: ParameterOptions) =>
  parameter(
    'quantile',
    'quantile',
    'Percentile',
    {
      choices: [
        choice('quantile', 'p50', 'p50 (median)'),
        choice('quantile', 'p90', 'p90'),
        choice('quantile', 'p95', 'p95'),
        choice('quantile', 'p99', 'p99'),
      ].map((c, i) => ({ ...c, value: QUANTILES[i] })),
    },
    { multi: false, required: true, default: '0.95', ...o }
  );

export type Outcome = 'success' | 'fail' | 'all';

export const outcomeParam = (o?: ParameterOptions) =>
  parameter(
    'mode',
    'outcome',
    'Requests',
    {
      choices: [
        choice('outcome', 'success', 'Successful'),
        choice('outcome', 'fail', 'Failed'),
        choice('outcome', 'all', 'All'),
      ],
    },
    { name: 'outcome', multi: false, required: true, default: 'success', ...o }
  );

/** The seed's histogram bucket bounds (seconds); a share-under-threshold needs an exact bound. */
export const LATENCY_BUCKETS = [
  '0.0001',
  '0.001',
  '0.005',
  '0.01',
  '0.025',
  '0.05',
  '0.075',
  '0.09',
  '0.1',
  '0.25',
  '0.5',
  '1',
  '2.5',
  '5',
  '10',
];

const latencyChoices: ParameterChoice[] = LATENCY_BUCKETS.map((value) => {
  const ms = Number(value) * 1000;
  return {
    value,
    label: { ...msg('signals.choices.threshold.ms', '{{ms}} ms'), values: { ms } },
  };
});

export const latencyThresholdParam = (o?: ParameterOptions) =>
  parameter(
    'threshold',
    'latency-threshold',
    'Threshold',
    { choices: latencyChoices },
    {
      multi: false,
      required: true,
      default: '0.1',
      ...o,
    }
  );

export const topNParam = (o?: ParameterOptions) =>
  parameter(
    'topN',
    'top-n',
    'How many',
    {
      choices: ['5', '10', '20'].map((value) => ({
        value,
        label: { ...msg('signals.choices.top-n', 'Top {{n}}'), values: { n: value } },
      })),
    },
    { multi: false, required: true, default: '10', ...o }
  );

const groupLabelChoice = (label: string, en: string) => choice('group-by', label, en);

export const GROUP_BY_CHOICES: Record<string, ParameterChoice> = {
  // The info gauge's `name`, joined onto the series (see withServiceName in service.ts).
  service: groupLabelChoice('service', 'Service'),
  controller: groupLabelChoice('controller', 'Controller'),
  handler: groupLabelChoice('handler', 'Handler'),
  method: groupLabelChoice('method', 'Method'),
  instance: groupLabelChoice('instance', 'Instance'),
  job: groupLabelChoice('job', 'Job'),
  error: groupLabelChoice('error', 'Error'),
};

export const groupByParam = (labels: string[], o?: ParameterOptions) =>
  parameter(
    'groupBy',
    'group-by',
    'Group by',
    { choices: labels.map((l) => GROUP_BY_CHOICES[l]) },
    { default: [], ...o }
  );

/** A mode parameter: one of a fixed list, e.g. which memory figure or which direction of traffic. */
export function modeParam(name: string, labelText: string, choices: ParameterChoice[], def: string) {
  const labelKey = `mode.${labelText.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return parameter('mode', labelKey, labelText, { choices }, { name, multi: false, required: true, default: def });
}

export const modeChoice = choice;

/** A family signal's optional "mode" switch (e.g. reads/writes), as the family wrappers declare it. */
export interface ModesDefinition {
  /** Parameter name; `mode` when not given. */
  name?: string;
  label: string;
  choices: Record<string, string>;
  default: string;
}

/**
 * The mode parameter of a signal, or none: its choices' i18n keys are under the signal's id with the family
 * prefix joined by a dash (`host.disk.io` → `host-disk.io`).
 */
export function modeParameters(signalId: string, modes: ModesDefinition | undefined): SignalParameter[] {
  if (!modes) {
    return [];
  }
  const prefix = signalId.replace(/^(\w+)\./, '$1-');
  const choices = Object.entries(modes.choices).map(([value, label]) => modeChoice(prefix, value, label));
  return [modeParam(modes.name ?? 'mode', modes.label, choices, modes.default)];
}

export const secondsThresholdParam = (o?: ParameterOptions) =>
  parameter(
    'threshold',
    'seconds-threshold',
    'Longer than',
    {
      choices: ['30', '60', '300', '900'].map((value) => ({
        value,
        label: { ...msg('signals.choices.threshold.seconds', '{{s}} s'), values: { s: Number(value) } },
      })),
    },
    { multi: false, required: true, default: '60', ...o }
  );
