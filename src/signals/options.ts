/**
 * Choices for a signal parameter's dropdown, from the catalog of the chosen time range (or the targets list),
 * narrowed by what is already chosen: the controllers of the chosen services, the containers of the chosen
 * cAdvisor hosts, and so on.
 */
import type { CatalogResponse, TargetsResponse } from '../datasource/catalog';
import { isVariableReference } from '../promql/render';
import { listParam } from './params';
import type { Message, Signal, SignalParameter, SignalParams } from './types';

export interface ParameterOption {
  value: string;
  /** Shown text: a label value as is, or a translatable message for fixed choices. */
  label: string | Message;
  description?: string;
}

/**
 * The chosen values of a narrowing parameter, or undefined when nothing narrows: nothing chosen, or a template
 * variable whose values are only known when the query runs.
 */
function chosen(params: SignalParams, name: string): Set<string> | undefined {
  const values = listParam(params, name);
  if (values.length === 0 || values.some(isVariableReference)) {
    return undefined;
  }
  return new Set(values);
}

const keep = (filter: Set<string> | undefined, value: string) => filter === undefined || filter.has(value);

/** Unique options by value, sorted by value. */
function unique(options: ParameterOption[]): ParameterOption[] {
  const byValue = new Map<string, ParameterOption>();
  for (const option of options) {
    if (option.value !== '' && !byValue.has(option.value)) {
      byValue.set(option.value, option);
    }
  }
  return [...byValue.values()].sort((a, b) => a.value.localeCompare(b.value));
}

const plain = (value: string, description?: string): ParameterOption => ({
  value,
  label: value,
  ...(description && { description }),
});

export function parameterOptions(
  signal: Signal,
  parameter: SignalParameter,
  catalog: CatalogResponse,
  params: SignalParams,
  targets?: TargetsResponse
): ParameterOption[] {
  if (!signal.parameters.includes(parameter)) {
    throw new Error(`${parameter.name} is not a parameter of ${signal.id}`);
  }
  if (parameter.choices) {
    return parameter.choices.map((c) => ({ value: c.value, label: c.label }));
  }
  const services = catalog.services.filter((s) => keep(chosen(params, 'service'), s.name));
  const controllers = services.flatMap((s) => s.controllers).filter((c) => keep(chosen(params, 'controller'), c.name));
  const handlers = controllers.flatMap((c) => c.handlers).filter((h) => keep(chosen(params, 'handler'), h.name));
  switch (parameter.source) {
    case 'services[].name':
      return unique(catalog.services.map((s) => plain(s.name, (s.versions ?? []).join(', '))));
    case 'services[name].instances[].instance':
      return unique(
        services.flatMap((s) => s.instances.map((i) => plain(i.instance, [i.job, i.version].filter(Boolean).join(' '))))
      );
    case 'services[name].controllers[].name':
      // A route-based instrumentation has handlers (routes) of no controller.
      return unique(services.flatMap((s) => s.controllers.filter((c) => c.name !== '').map((c) => plain(c.name))));
    case 'services[name].controllers[name].handlers[].name':
      return unique(controllers.flatMap((c) => c.handlers.map((h) => plain(h.name, (h.methods ?? []).join(', ')))));
    case 'services[name].controllers[name].handlers[name].methods[]':
      return unique(handlers.flatMap((h) => (h.methods ?? []).map((m) => plain(m))));
    case 'hosts[].instance':
      return unique(
        catalog.hosts.map((h) => ({ value: h.instance, label: h.nodename ?? h.instance, description: h.instance }))
      );
    case 'containers[].instance':
      return unique(catalog.containers.map((c) => plain(c.instance)));
    case 'containers[instance].name|id':
      // Unnamed containers are chosen by cgroup id; the signals match a value starting with "/" on `id`.
      return unique(
        catalog.containers
          .filter((c) => keep(chosen(params, 'host'), c.instance))
          .map((c) => plain(c.name || c.id, c.image))
      );
    case 'databases[].instance':
      return unique(catalog.databases.map((d) => plain(d.instance, d.server)));
    case 'databases[instance].name':
      return unique(
        catalog.databases.filter((d) => keep(chosen(params, 'instance'), d.instance)).map((d) => plain(d.name))
      );
    case 'targets[].job':
      return unique((targets?.targets ?? []).map((t) => plain(t.job)));
    case 'targets[job].instance':
      return unique(
        (targets?.targets ?? [])
          .filter((t) => keep(chosen(params, 'job'), t.job))
          .map((t) => plain(t.instance, t.health))
      );
    default:
      return [];
  }
}
