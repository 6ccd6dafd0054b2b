/**
 * Hosts, from node_exporter (queries after Node Exporter Full 1860 and node-mixin).
 */
import { type LabelMatcher, aggregate, matchAny, selector, sumBy } from '../promql/render';
import { defineSignal } from './define';
import { msg } from './messages';
import {
  type ModesDefinition,
  hostParam,
  listParam,
  modeChoice,
  modeParam,
  modeParameters,
  stringParam,
} from './params';
import { RATE_INTERVAL } from './service';
import type { Message, Signal, SignalParams } from './types';

function hostMatchers(p: SignalParams, extra: LabelMatcher[] = []): LabelMatcher[] {
  const hosts = listParam(p, 'host');
  return [...extra, ...(hosts.length > 0 ? [matchAny('instance', hosts)] : [])];
}

const IDLE: LabelMatcher = { label: 'mode', op: '=', value: 'idle' };
// Block devices worth showing (1860): partitions of real disks, device-mapper and md; not loop or ram devices.
const DISK_DEVICES: LabelMatcher = {
  label: 'device',
  op: '=~',
  value: '(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)',
};
// Real filesystems (node-mixin's fstype!="" and mountpoint!=""), without memory-backed and namespace mounts.
export const FILESYSTEMS: LabelMatcher[] = [
  { label: 'fstype', op: '!=', value: '' },
  { label: 'fstype', op: '!~', value: 'tmpfs|ramfs|squashfs|nsfs' },
  { label: 'mountpoint', op: '!=', value: '' },
];
// The root filesystem only (1860's "Root FS Used"); `rootfs` is the initramfs entry some kernels list at `/` too.
const ROOT_FILESYSTEM: LabelMatcher[] = [
  { label: 'fstype', op: '!=', value: '' },
  { label: 'fstype', op: '!=', value: 'rootfs' },
  { label: 'mountpoint', op: '=', value: '/' },
];
const NOT_LOOPBACK: LabelMatcher = { label: 'device', op: '!=', value: 'lo' };

/** `count by (instance) (node_cpu_seconds_total{mode="idle", …})`: CPU cores per host. */
const cores = (p: SignalParams) =>
  aggregate('count', selector('node_cpu_seconds_total', hostMatchers(p, [IDLE])), { mode: 'by', labels: ['instance'] });

const rate = (metric: string, matchers: LabelMatcher[]) => `rate(${selector(metric, matchers)}[${RATE_INTERVAL}])`;

function hostSignal(def: {
  id: string;
  title: string;
  description: string;
  unit: string;
  legend?: string;
  modes?: ModesDefinition;
  render(p: SignalParams): string;
  explain: Message;
}): Signal {
  const modeParams = modeParameters(def.id, def.modes);
  return defineSignal({
    id: def.id,
    family: 'host',
    title: def.title,
    description: def.description,
    parameters: [hostParam(), ...modeParams],
    unit: def.unit,
    legend: def.legend ?? '{{instance}}',
    render: (p) => def.render(p),
    explain: () => def.explain,
  });
}

/**
 * How far back a host counts as known: a node_exporter target that failed its scrape counts as down if it
 * reported node_uname_info within this window. Older failures (a host retired but still configured) drop out.
 */
export const HOST_DOWN_LOOKBACK = '1h';

/**
 * Hosts up or down, from node_exporter's own metric rather than `up{job=…}` (job names differ per setup).
 *
 * Up: `count(node_uname_info)`. Every node_exporter exports exactly one node_uname_info series, and a failed
 * scrape marks it stale at once, so it counts the hosts whose last scrape succeeded.
 *
 * Down: `count((up == 0) and on (instance, job) last_over_time(node_uname_info[1h]))`: targets whose last scrape
 * failed and that reported node_uname_info within the lookback, i.e. targets that are node_exporters, whatever
 * their job is called. Range functions skip staleness markers, so last_over_time still sees the host after it
 * stopped answering. `and` is a filter and tolerates several node_uname_info series per target (e.g. a kernel
 * update changes `release`). With none down, 0, as long as a node_exporter reported within the lookback
 * (`or count(last_over_time(…)) * 0`); with no node_exporter at all, no data.
 */
function hostsUp(p: SignalParams): string {
  const known = `last_over_time(${selector('node_uname_info', hostMatchers(p))}[${HOST_DOWN_LOOKBACK}])`;
  if (stringParam(p, 'state') === 'down') {
    return `count((${selector('up', hostMatchers(p))} == 0) and on (instance, job) ${known}) or count(${known}) * 0`;
  }
  return `count(${selector('node_uname_info', hostMatchers(p))})`;
}

const HOSTS_UP_EXPLANATION = msg(
  'signals.host.up.explain.up',
  'The number of hosts whose node_exporter answered its last scrape (they report node_uname_info).'
);
const HOSTS_DOWN_EXPLANATION = msg(
  'signals.host.up.explain.down',
  'The number of node_exporter targets whose last scrape failed, counting those that reported within the last hour; 0 when none failed.'
);

const hostsUpSignal = defineSignal({
  id: 'host.up',
  family: 'host',
  title: 'Hosts up',
  description: 'How many hosts node_exporter reports from, or how many of them stopped answering.',
  parameters: [
    hostParam(),
    modeParam('state', 'State', [modeChoice('host-up', 'up', 'Up'), modeChoice('host-up', 'down', 'Down')], 'up'),
  ],
  unit: 'short',
  legend: '',
  render: hostsUp,
  explain: (p) => (stringParam(p, 'state') === 'down' ? HOSTS_DOWN_EXPLANATION : HOSTS_UP_EXPLANATION),
});

/** `label_values(node_uname_info, instance)`: the hosts a page variable offers, for the data source's metricFindQuery. */
export function hostInstanceVariableQuery(): string {
  return `label_values(${selector('node_uname_info')}, instance)`;
}

const HOST_INFO_EXPLANATION = msg(
  'signals.host.info.explain',
  'One row per host from node_uname_info: its scrape target (instance), node name and kernel release.'
);

const hostInfoSignal = defineSignal({
  id: 'host.info',
  family: 'host',
  title: 'Host names',
  description: 'Each host node_exporter reports from, with its node name and kernel release.',
  parameters: [hostParam()],
  unit: 'short',
  format: 'table',
  instant: true,
  legend: '{{nodename}}',
  // node_uname_info is 1 per host; max keeps one row when a target reports it twice (a kernel update mid-range).
  render: (p) =>
    aggregate('max', selector('node_uname_info', hostMatchers(p)), {
      mode: 'by',
      labels: ['instance', 'nodename', 'release'],
    }),
  explain: () => HOST_INFO_EXPLANATION,
});

export const HOST_SIGNALS: Signal[] = [
  hostSignal({
    id: 'host.cpu.busy',
    title: 'CPU busy',
    description: 'Share of CPU time not idle, averaged over all cores.',
    unit: 'percentunit',
    render: (p) =>
      `1 - ${aggregate('avg', rate('node_cpu_seconds_total', hostMatchers(p, [IDLE])), { mode: 'by', labels: ['instance'] })}`,
    explain: msg(
      'signals.host.cpu.busy.explain',
      'One minus the idle share of CPU time, averaged over all cores of each host.'
    ),
  }),
  hostSignal({
    id: 'host.cpu.by-mode',
    title: 'CPU by mode',
    description: 'Share of CPU time per mode: user, system, iowait, steal, idle and the rest.',
    unit: 'percentunit',
    legend: '{{instance}} {{mode}}',
    render: (p) =>
      aggregate('avg', rate('node_cpu_seconds_total', hostMatchers(p)), { mode: 'by', labels: ['instance', 'mode'] }),
    explain: msg(
      'signals.host.cpu.by-mode.explain',
      'The share of CPU time spent in each mode, averaged over all cores of each host; the modes add up to 100%.'
    ),
  }),
  hostSignal({
    id: 'host.cpu.cores',
    title: 'CPU cores',
    description: 'Number of CPU cores per host.',
    unit: 'short',
    render: cores,
    explain: msg('signals.host.cpu.cores.explain', 'The number of CPU cores node_exporter reports for each host.'),
  }),
  hostSignal({
    id: 'host.load.per-core',
    title: 'Load per core',
    description: 'System load average divided by the number of cores; above 100% means work is waiting.',
    unit: 'percentunit',
    modes: {
      name: 'window',
      label: 'Window',
      choices: { load1: '1 minute', load5: '5 minutes', load15: '15 minutes' },
      default: 'load1',
    },
    render: (p) => `${selector(`node_${stringParam(p, 'window')}`, hostMatchers(p))} / on (instance) ${cores(p)}`,
    explain: msg(
      'signals.host.load.per-core.explain',
      'The load average divided by the number of CPU cores of each host.'
    ),
  }),
  hostSignal({
    id: 'host.memory.used',
    title: 'Memory used',
    description: 'Memory in use (total minus available), as a share of the total.',
    unit: 'percentunit',
    render: (p) =>
      `1 - ${selector('node_memory_MemAvailable_bytes', hostMatchers(p))} / ${selector('node_memory_MemTotal_bytes', hostMatchers(p))}`,
    explain: msg('signals.host.memory.used.explain', 'Total memory minus available memory (MemAvailable), per host.'),
  }),
  // Its own signal rather than a mode of the share: a signal has one unit, and bytes are not a share.
  hostSignal({
    id: 'host.memory.used-bytes',
    title: 'Memory used (bytes)',
    description: 'Memory in use (total minus available), in bytes.',
    unit: 'bytes',
    render: (p) =>
      `${selector('node_memory_MemTotal_bytes', hostMatchers(p))} - ${selector('node_memory_MemAvailable_bytes', hostMatchers(p))}`,
    explain: msg(
      'signals.host.memory.used-bytes.explain',
      'Total memory minus available memory (MemAvailable), in bytes, per host.'
    ),
  }),
  hostSignal({
    id: 'host.memory.total',
    title: 'Memory total',
    description: 'Installed memory per host.',
    unit: 'bytes',
    render: (p) => selector('node_memory_MemTotal_bytes', hostMatchers(p)),
    explain: msg('signals.host.memory.total.explain', 'The total memory of each host.'),
  }),
  hostSignal({
    id: 'host.swap.used',
    title: 'Swap used',
    description: 'Share of swap space in use; hosts without swap show no series.',
    unit: 'percentunit',
    render: (p) =>
      `1 - ${selector('node_memory_SwapFree_bytes', hostMatchers(p))} / (${selector('node_memory_SwapTotal_bytes', hostMatchers(p))} > 0)`,
    explain: msg('signals.host.swap.used.explain', 'One minus free swap divided by total swap, per host with swap.'),
  }),
  hostSignal({
    id: 'host.filesystem.used',
    title: 'Filesystem used',
    description: 'Share of each mounted filesystem in use.',
    unit: 'percentunit',
    legend: '{{instance}} {{mountpoint}}',
    modes: {
      name: 'mounts',
      label: 'Mount points',
      choices: { all: 'All', root: 'Root (/)' },
      default: 'all',
    },
    render: (p) => {
      const filesystems = stringParam(p, 'mounts') === 'root' ? ROOT_FILESYSTEM : FILESYSTEMS;
      return `1 - ${selector('node_filesystem_avail_bytes', hostMatchers(p, filesystems))} / ${selector('node_filesystem_size_bytes', hostMatchers(p, filesystems))}`;
    },
    explain: msg(
      'signals.host.filesystem.used.explain',
      'One minus the space available to unprivileged users divided by the size, per host and mount point.'
    ),
  }),
  hostSignal({
    id: 'host.disk.throughput',
    title: 'Disk throughput',
    description: 'Bytes read from or written to each disk per second.',
    unit: 'Bps',
    legend: '{{instance}} {{device}}',
    modes: { name: 'direction', label: 'Direction', choices: { read: 'Read', written: 'Written' }, default: 'read' },
    render: (p) => rate(`node_disk_${stringParam(p, 'direction')}_bytes_total`, hostMatchers(p, [DISK_DEVICES])),
    explain: msg(
      'signals.host.disk.throughput.explain',
      'Bytes per second per host and disk, averaged over the rate window.'
    ),
  }),
  hostSignal({
    id: 'host.disk.iops',
    title: 'Disk operations',
    description: 'Completed reads or writes per second for each disk.',
    unit: 'iops',
    legend: '{{instance}} {{device}}',
    modes: { name: 'direction', label: 'Direction', choices: { reads: 'Reads', writes: 'Writes' }, default: 'reads' },
    render: (p) => rate(`node_disk_${stringParam(p, 'direction')}_completed_total`, hostMatchers(p, [DISK_DEVICES])),
    explain: msg('signals.host.disk.iops.explain', 'Completed operations per second per host and disk.'),
  }),
  hostSignal({
    id: 'host.disk.utilisation',
    title: 'Disk utilisation',
    description: 'Share of time each disk was busy with I/O.',
    unit: 'percentunit',
    legend: '{{instance}} {{device}}',
    render: (p) => rate('node_disk_io_time_seconds_total', hostMatchers(p, [DISK_DEVICES])),
    explain: msg(
      'signals.host.disk.utilisation.explain',
      'Seconds spent doing I/O per second, per host and disk: 100% means always busy.'
    ),
  }),
  hostSignal({
    id: 'host.network.traffic',
    title: 'Network traffic',
    description: 'Bytes received or sent per second on each interface (loopback excluded).',
    unit: 'Bps',
    legend: '{{instance}} {{device}}',
    modes: {
      name: 'direction',
      label: 'Direction',
      choices: { receive: 'Received', transmit: 'Sent' },
      default: 'receive',
    },
    render: (p) => rate(`node_network_${stringParam(p, 'direction')}_bytes_total`, hostMatchers(p, [NOT_LOOPBACK])),
    explain: msg('signals.host.network.traffic.explain', 'Bytes per second per host and network interface.'),
  }),
  hostSignal({
    id: 'host.network.errors',
    title: 'Network errors and drops',
    description: 'Packets per second that failed or were dropped on each interface.',
    unit: 'pps',
    legend: '{{instance}} {{device}}',
    modes: {
      name: 'kind',
      label: 'Kind',
      choices: {
        receive_errs: 'Receive errors',
        transmit_errs: 'Send errors',
        receive_drop: 'Receive drops',
        transmit_drop: 'Send drops',
      },
      default: 'receive_errs',
    },
    render: (p) => rate(`node_network_${stringParam(p, 'kind')}_total`, hostMatchers(p, [NOT_LOOPBACK])),
    explain: msg('signals.host.network.errors.explain', 'Packets per second per host and network interface.'),
  }),
  hostSignal({
    id: 'host.uptime',
    title: 'Host uptime',
    description: 'Time since each host booted.',
    unit: 's',
    render: (p) => `time() - ${selector('node_boot_time_seconds', hostMatchers(p))}`,
    explain: msg('signals.host.uptime.explain', 'Seconds since the host booted.'),
  }),
  hostSignal({
    id: 'host.memory.oom-kills',
    title: 'Out-of-memory kills',
    description: 'Processes the kernel killed for lack of memory.',
    unit: 'short',
    render: (p) =>
      sumBy(['instance'], `increase(${selector('node_vmstat_oom_kill', hostMatchers(p))}[${RATE_INTERVAL}])`),
    explain: msg(
      'signals.host.memory.oom-kills.explain',
      'Processes killed by the kernel OOM killer per rate window, per host.'
    ),
  }),
  hostsUpSignal,
  hostInfoSignal,
];
