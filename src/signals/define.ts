import type { QueryFormat } from '../datasource/types';
import { msg, withValues } from './messages';
import { listParam } from './params';
import type {
  Message,
  ParameterType,
  RenderContext,
  Signal,
  SignalFamily,
  SignalParameter,
  SignalParams,
} from './types';

interface SignalDefinition {
  id: string;
  family: SignalFamily;
  title: string;
  description: string;
  parameters: SignalParameter[];
  unit: string;
  format?: QueryFormat;
  instant?: boolean;
  /** Legend template, or a function of the (defaulted) params. */
  legend: string | ((params: SignalParams) => string);
  render(params: SignalParams, ctx: RenderContext): string;
  /** Why the signal cannot answer with these parameters and this profile (see Signal.unavailable). */
  unavailable?(params: SignalParams, ctx: RenderContext): Message | undefined;
  /** True when every value is about failed requests (see Signal.failuresOnly); an outcome of `fail` is too. */
  failuresOnly?: boolean;
  /** The first sentence of the explanation; filters and grouping are added from the parameters. */
  explain: Message | ((params: SignalParams) => Message);
}

const FILTER_SENTENCES: Partial<Record<ParameterType, Message>> = {
  service: msg('signals.describe.filter.service', 'Only the service {{values}}.'),
  controller: msg('signals.describe.filter.controller', 'Only the controller {{values}}.'),
  handler: msg('signals.describe.filter.handler', 'Only the handler {{values}}.'),
  method: msg('signals.describe.filter.method', 'Only the method {{values}}.'),
  instance: msg('signals.describe.filter.instance', 'Only the instance {{values}}.'),
  job: msg('signals.describe.filter.job', 'Only the job {{values}}.'),
  host: msg('signals.describe.filter.host', 'Only the host {{values}}.'),
  container: msg('signals.describe.filter.container', 'Only the container {{values}}.'),
  database: msg('signals.describe.filter.database', 'Only the database {{values}}.'),
};

const GROUPED = msg('signals.describe.grouped', 'One series per {{labels}}.');
const UNGROUPED = msg('signals.describe.ungrouped', 'One total for everything selected.');

/** Fills in defaults for parameters the caller left out. */
export function withDefaults(parameters: SignalParameter[], params: SignalParams): SignalParams {
  const filled: SignalParams = { ...params };
  for (const p of parameters) {
    const value = filled[p.name];
    // An empty list is a choice ("group by nothing"); only a missing value takes the default.
    if ((value === undefined || value === '') && p.default !== undefined) {
      filled[p.name] = p.default;
    }
  }
  return filled;
}

/** `{{a}} {{b}}` for the given labels. */
export function legendOf(labels: string[]): string {
  return labels.map((l) => `{{${l}}}`).join(' ');
}

export function defineSignal(def: SignalDefinition): Signal {
  const { parameters } = def;
  const filled = (params: SignalParams) => withDefaults(parameters, params);
  return {
    id: def.id,
    family: def.family,
    title: msg(`signals.${def.id}.title`, def.title),
    description: msg(`signals.${def.id}.description`, def.description),
    parameters,
    unit: def.unit,
    format: def.format ?? 'time_series',
    instant: def.instant ?? false,
    legend: (params) => (typeof def.legend === 'string' ? def.legend : def.legend(filled(params))),
    render: (params, ctx) => def.render(filled(params), ctx),
    unavailable: (params, ctx) => def.unavailable?.(filled(params), ctx),
    failuresOnly: (params) => def.failuresOnly === true || filled(params).outcome === 'fail',
    describe: (params) => {
      const p = filled(params);
      const sentences = [typeof def.explain === 'function' ? def.explain(p) : def.explain];
      for (const parameter of parameters) {
        const sentence = FILTER_SENTENCES[parameter.type];
        const values = listParam(p, parameter.name);
        if (sentence && values.length > 0) {
          sentences.push(withValues(sentence, { values: values.join(', ') }));
        }
      }
      if (parameters.some((parameter) => parameter.type === 'groupBy')) {
        const labels = listParam(p, 'groupBy');
        sentences.push(labels.length > 0 ? withValues(GROUPED, { labels: labels.join(', ') }) : UNGROUPED);
      }
      return sentences;
    },
  };
}
