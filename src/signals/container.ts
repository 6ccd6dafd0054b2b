/**
 * Containers, from cAdvisor (queries after dashboards 893/14282/193 and awesome-prometheus-alerts).
 *
 * A container is identified by its `name` label; cAdvisor leaves `name` empty for containers it cannot name,
 * and then the cgroup `id` (e.g. `/docker/<hash>`) identifies it. Parameter values that are cgroup paths
 * (start with `/`) therefore match `id`, other values match `name`, and series are grouped by both so
 * unnamed containers stay apart. With no container chosen, `image!=""` keeps real containers and drops the
 * cgroup hierarchy (`/`, `/system.slice`, …); a chosen name or cgroup id already identifies a container, so it
 * needs no image (raw cgroups that cAdvisor reports without an image stay selectable by id).
 * A template variable (`$container`) may hold names and cgroup ids at once, as the catalog lists them, so it is
 * matched against both: once on `name` (named containers only) and once on `id`.
 */
import {
  type Grouping,
  type LabelMatcher,
  aggregate,
  formatNumber,
  isVariableReference,
  matchAny,
  selector,
  sumBy,
} from '../promql/render';
import { defineSignal } from './define';
import { msg } from './messages';
import {
  containerHostParam,
  containerParam,
  listParam,
  type ModesDefinition,
  modeParameters,
  scalarParam,
  secondsThresholdParam,
  stringParam,
} from './params';
import { RANGE, RATE_INTERVAL } from './service';
import type { Message, Signal, SignalParameter, SignalParams } from './types';

const CONTAINER_LABELS = ['name', 'id'];
const BY_CONTAINER: Grouping = { mode: 'by', labels: CONTAINER_LABELS };
const HAS_IMAGE: LabelMatcher = { label: 'image', op: '!=', value: '' };

const isCgroupId = (value: string) => value.startsWith('/');
// `name=~"$container"` would also match the empty name of every unnamed cgroup if the variable were empty or
// matched "" (e.g. `()`), so the name half of a variable keeps to named containers.
const NAMED: LabelMatcher = { label: 'name', op: '!=', value: '' };
// Internal parameter of byNameOrId: which label a variable's half of the selection matches.
const MATCH_LABEL = '__containerLabel';

/**
 * Matchers for the chosen cAdvisor hosts and containers: by name, or by cgroup id when all chosen values are
 * ids. A selection mixing both, or holding a variable, is split by `byNameOrId` first (one selector cannot say
 * "name or id").
 */
export function containerMatchers(p: SignalParams): LabelMatcher[] {
  const containers = listParam(p, 'container');
  const matchers: LabelMatcher[] = containers.length === 0 ? [HAS_IMAGE] : [];
  const hosts = listParam(p, 'host');
  if (hosts.length > 0) {
    matchers.push(matchAny('instance', hosts));
  }
  if (containers.length > 0) {
    const label = p[MATCH_LABEL] ?? (containers.every(isCgroupId) ? 'id' : 'name');
    matchers.push(matchAny(String(label), containers));
    if (label === 'name' && containers.some(isVariableReference)) {
      matchers.push(NAMED);
    }
  }
  return matchers;
}

/**
 * Renders once for the named and once for the unnamed containers of a selection that may hold both (a mixed
 * list, or a variable, which goes into both halves) and joins the results with `or`: their label sets differ,
 * so nothing is dropped, and a container matched by both halves counts once. Renders once otherwise.
 */
function byNameOrId(p: SignalParams, render: (p: SignalParams) => string): string {
  const containers = listParam(p, 'container');
  const ids = containers.filter((c) => isCgroupId(c) || isVariableReference(c));
  const names = containers.filter((c) => !isCgroupId(c));
  if (ids.length === 0 || names.length === 0) {
    return render(p);
  }
  const named = render({ ...p, container: names, [MATCH_LABEL]: 'name' });
  const unnamed = render({ ...p, container: ids, [MATCH_LABEL]: 'id' });
  return `(${named}) or (${unnamed})`;
}

const sel = (metric: string, p: SignalParams) => selector(metric, containerMatchers(p));
const perContainer = (expr: string) => sumBy(CONTAINER_LABELS, expr);
// cAdvisor's names are not uniform: rss and cache carry no `_bytes` suffix.
const MEMORY_METRICS: Record<string, string> = {
  working_set: 'container_memory_working_set_bytes',
  rss: 'container_memory_rss',
  cache: 'container_memory_cache',
  usage: 'container_memory_usage_bytes',
};
const rate = (metric: string, p: SignalParams) => `rate(${sel(metric, p)}[${RATE_INTERVAL}])`;

function containerSignal(def: {
  id: string;
  title: string;
  description: string;
  unit: string;
  format?: 'table';
  extraParameters?: SignalParameter[];
  modes?: ModesDefinition;
  /** The render handles a mixed name/id selection itself. */
  mixedSelection?: boolean;
  render(p: SignalParams): string;
  explain: Message;
}): Signal {
  const modeParams = modeParameters(def.id, def.modes);
  return defineSignal({
    id: def.id,
    family: 'container',
    title: def.title,
    description: def.description,
    parameters: [containerHostParam(), containerParam(), ...modeParams, ...(def.extraParameters ?? [])],
    unit: def.unit,
    ...(def.format && { format: def.format, instant: true }),
    legend: '{{name}}',
    render: (p) => (def.mixedSelection ? def.render(p) : byNameOrId(p, def.render)),
    explain: () => def.explain,
  });
}

export const CONTAINER_SIGNALS: Signal[] = [
  containerSignal({
    id: 'container.running',
    title: 'Running containers',
    description: 'How many containers cAdvisor sees.',
    unit: 'short',
    // Counted over the union of the selection, so a mixed selection still gives one total.
    mixedSelection: true,
    render: (p) => `count(${byNameOrId(p, (q) => sel('container_last_seen', q))})`,
    explain: msg(
      'signals.container.running.explain',
      'The number of containers with an image that cAdvisor currently reports.'
    ),
  }),
  containerSignal({
    id: 'container.cpu',
    title: 'Container CPU',
    description: 'CPU time each container uses, in cores (1 = one full core).',
    unit: 'percentunit',
    render: (p) => perContainer(rate('container_cpu_usage_seconds_total', p)),
    explain: msg(
      'signals.container.cpu.explain',
      'CPU seconds used per second by each container: 100% is one full core.'
    ),
  }),
  containerSignal({
    id: 'container.cpu.throttling',
    title: 'CPU throttling',
    description: 'Share of CPU periods in which a container hit its CPU limit; only containers with a CPU limit.',
    unit: 'percentunit',
    render: (p) =>
      `${perContainer(rate('container_cpu_cfs_throttled_periods_total', p))} / ${perContainer(rate('container_cpu_cfs_periods_total', p))}`,
    explain: msg(
      'signals.container.cpu.throttling.explain',
      'Throttled CPU periods divided by all CPU periods, per container, over the rate window.'
    ),
  }),
  containerSignal({
    id: 'container.memory',
    title: 'Container memory',
    description: 'Working set (what the limit is enforced on), resident memory, page cache or total usage.',
    unit: 'bytes',
    modes: {
      label: 'Measure',
      choices: { working_set: 'Working set', rss: 'Resident (RSS)', cache: 'Page cache', usage: 'Total usage' },
      default: 'working_set',
    },
    render: (p) => perContainer(sel(MEMORY_METRICS[stringParam(p, 'mode')], p)),
    explain: msg('signals.container.memory.explain', 'Memory of each container as reported by cAdvisor.'),
  }),
  containerSignal({
    id: 'container.memory.vs-limit',
    title: 'Memory against limit',
    description: 'Working set as a share of the memory limit; only containers with a limit.',
    unit: 'percentunit',
    render: (p) =>
      `${perContainer(sel('container_memory_working_set_bytes', p))} / ${perContainer(`${sel('container_spec_memory_limit_bytes', p)} > 0`)}`,
    explain: msg(
      'signals.container.memory.vs-limit.explain',
      'Working-set memory divided by the memory limit, per container; at 100% the kernel kills the container.'
    ),
  }),
  containerSignal({
    id: 'container.network',
    title: 'Container network',
    description: 'Bytes each container receives or sends per second.',
    unit: 'Bps',
    modes: { label: 'Direction', choices: { receive: 'Received', transmit: 'Sent' }, default: 'receive' },
    render: (p) => perContainer(rate(`container_network_${stringParam(p, 'mode')}_bytes_total`, p)),
    explain: msg(
      'signals.container.network.explain',
      'Network bytes per second of each container, over the rate window.'
    ),
  }),
  containerSignal({
    id: 'container.filesystem.usage',
    title: 'Container filesystem usage',
    description: 'Bytes each container uses on its filesystems (reported for some storage drivers only).',
    unit: 'bytes',
    render: (p) => perContainer(sel('container_fs_usage_bytes', p)),
    explain: msg('signals.container.filesystem.usage.explain', 'Filesystem bytes used by each container.'),
  }),
  containerSignal({
    id: 'container.filesystem.io',
    title: 'Container disk I/O',
    description: 'Bytes each container reads or writes per second.',
    unit: 'Bps',
    modes: { label: 'Direction', choices: { reads: 'Read', writes: 'Written' }, default: 'reads' },
    render: (p) => perContainer(rate(`container_fs_${stringParam(p, 'mode')}_bytes_total`, p)),
    explain: msg(
      'signals.container.filesystem.io.explain',
      'Disk bytes per second of each container, over the rate window.'
    ),
  }),
  containerSignal({
    id: 'container.uptime',
    title: 'Container uptime',
    description: 'Time since each container started.',
    unit: 's',
    render: (p) => `time() - ${aggregate('max', sel('container_start_time_seconds', p), BY_CONTAINER)}`,
    explain: msg('signals.container.uptime.explain', 'Seconds since each container started.'),
  }),
  containerSignal({
    id: 'container.restarts',
    title: 'Container restarts',
    description: 'How often each container restarted in the selected time range.',
    unit: 'short',
    format: 'table',
    render: (p) => perContainer(`changes(${sel('container_start_time_seconds', p)}[${RANGE}])`),
    explain: msg(
      'signals.container.restarts.explain',
      'How many times the start time of each container changed in the selected time range.'
    ),
  }),
  containerSignal({
    id: 'container.gone',
    title: 'Gone containers',
    description: 'Containers seen in the selected time range that cAdvisor no longer reports, and for how long.',
    unit: 's',
    format: 'table',
    extraParameters: [secondsThresholdParam()],
    render: (p) =>
      `time() - ${aggregate('max', `max_over_time(${sel('container_last_seen', p)}[${RANGE}])`, BY_CONTAINER)} > ${formatNumber(
        scalarParam(p, 'threshold')
      )}`,
    explain: msg(
      'signals.container.gone.explain',
      'Seconds since each container was last seen, for containers not seen for longer than the threshold.'
    ),
  }),
];
