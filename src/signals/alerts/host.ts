/** Host pack: node_exporter alerts per host and filesystem (thresholds after node-mixin, see the README). */
import { defineAlert } from './define';

const HOST = { instanceLabels: ['instance'], labelValues: { host: 'instance' }, page: 'hosts/{{instance}}' };
const FILESYSTEM = {
  instanceLabels: ['instance', 'mountpoint'],
  labelValues: { host: 'instance', mountpoint: 'mountpoint' },
  page: 'hosts/{{instance}}',
};

export const HOST_ALERTS = [
  defineAlert({
    pack: 'host',
    rule: 'HostDown',
    signal: 'host.down',
    params: {},
    condition: { op: '>', threshold: 0, unit: 'short' },
    for: '5m',
    severity: 'critical',
    ...HOST,
    texts: {
      summary: '{{host}} is down',
      description: 'The node_exporter of {{host}} has not answered its scrapes for {{for}}.',
      runbook:
        'Open the Targets page for the scrape error (connection refused: node_exporter stopped; timeout: host or network down). Check that the host is reachable and node_exporter runs; the services and containers on it are likely down too.',
    },
  }),
  defineAlert({
    pack: 'host',
    rule: 'HostCpuHigh',
    signal: 'host.cpu.busy',
    params: {},
    condition: { op: '>', threshold: 0.9, unit: 'percentunit' },
    for: '15m',
    severity: 'warning',
    ...HOST,
    texts: {
      summary: '{{host}}: CPU {{value}} busy',
      description: 'The CPUs of {{host}} were more than {{threshold}} busy for {{for}}.',
      runbook:
        'On the host page see CPU by mode (user: the applications; system or iowait: the kernel or disks; steal: the hypervisor), then the containers and services on the host for the process using it.',
    },
  }),
  defineAlert({
    pack: 'host',
    rule: 'HostMemoryHigh',
    signal: 'host.memory.used',
    params: {},
    condition: { op: '>', threshold: 0.9, unit: 'percentunit' },
    for: '15m',
    severity: 'warning',
    ...HOST,
    texts: {
      summary: '{{host}}: memory {{value}} used',
      description: 'More than {{threshold}} of the memory of {{host}} was in use (not available) for {{for}}.',
      runbook:
        'On the host page check swap and OOM kills, then the memory of the containers and services on the host: a steady climb is a leak, a jump follows load or a deploy.',
    },
  }),
  defineAlert({
    pack: 'host',
    rule: 'HostFilesystemAlmostFull',
    signal: 'host.filesystem.used',
    params: { mounts: 'all' },
    condition: { op: '>', threshold: 0.95, unit: 'percentunit' },
    for: '30m',
    severity: 'warning',
    ...FILESYSTEM,
    texts: {
      summary: '{{host}} {{mountpoint}}: {{value}} used',
      description: 'The filesystem {{mountpoint}} of {{host}} has been more than {{threshold}} full for {{for}}.',
      runbook:
        'Find what grew (logs, database files, container images and volumes, temp files): du -xh --max-depth=1 on the mount point. Free or grow it before it fills: a full disk stops databases and services writing.',
    },
  }),
  defineAlert({
    pack: 'host',
    rule: 'HostFilesystemFillingUp',
    signal: 'host.filesystem.predicted-free',
    params: { horizon: '24h' },
    condition: { op: '<', threshold: 0, unit: 'bytes' },
    guard: { signal: 'host.filesystem.used', params: { mounts: 'all' }, op: '>', threshold: 0.6, unit: 'percentunit' },
    for: '1h',
    severity: 'warning',
    ...FILESYSTEM,
    texts: {
      summary: '{{host}} {{mountpoint}} fills up within 24 hours',
      description:
        'At the rate of the last 6 hours the writable filesystem {{mountpoint}} of {{host}} is full within 24 hours; it is already more than {{guard}} used.',
      runbook:
        'On the host page see how fast the disk space falls; find the writer (log rotation broken, a growing database or WAL, a runaway temp file) and stop or rotate it before it is full.',
    },
  }),
  defineAlert({
    pack: 'host',
    rule: 'HostLoadHigh',
    signal: 'host.load.per-core',
    params: { window: 'load5' },
    condition: { op: '>', threshold: 2, unit: 'short' },
    for: '15m',
    severity: 'warning',
    ...HOST,
    texts: {
      summary: '{{host}}: load {{value}} per core',
      description: 'The 5-minute load average of {{host}} stayed above {{threshold}} per CPU core for {{for}}.',
      runbook:
        'A high load with idle CPUs means processes wait for disks or the network (check disk utilisation and iowait on the host page); with busy CPUs, more work than cores: find the busy process.',
    },
  }),
];
