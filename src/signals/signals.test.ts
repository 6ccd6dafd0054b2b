import { renderBuilderQuery } from '../promql/builder';
import { parsePromQL } from '../promql/parse';
import { SIGNALS, SIGNAL_FAMILIES, english, getSignal, renderContext, signalsOf, withDefaults } from '.';
import type { SignalParams } from './types';

const ctx = renderContext({ profile: 'seed' });

// Every signal's exact PromQL for fixed parameters. Checked against a real Prometheus for syntax when written;
// the demo-stack integration suite runs them against data.
const CASES: Array<[string, string, SignalParams, string]> = [
  [
    'Service → Latency percentile, service orders, p95, group by controller',
    'service.latency.quantile',
    { service: 'shop.orders', quantile: '0.95', groupBy: ['controller'] },
    'histogram_quantile(0.95, sum by (le, controller) (rate(nestjs_success_requests_bucket[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}))',
  ],
  [
    'latency p99 of failed requests, one controller, two methods',
    'service.latency.quantile',
    { outcome: 'fail', quantile: 0.99, controller: 'OrdersController', method: ['GET', 'POST'] },
    'histogram_quantile(0.99, sum by (le) (rate(nestjs_fail_requests_bucket{controller="OrdersController", method=~"(GET|POST)"}[$__rate_interval])))',
  ],
  [
    'latency p50 of all requests, $service variable, by instance',
    'service.latency.quantile',
    { outcome: 'all', quantile: '0.5', service: '$service', groupBy: ['instance'] },
    'histogram_quantile(0.5, sum by (le, instance) (label_replace(rate(nestjs_success_requests_bucket[$__rate_interval]) and on (instance, job) nestjs_info{name=~"$service"}, "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_bucket[$__rate_interval]) and on (instance, job) nestjs_info{name=~"$service"}, "outcome", "fail", "", "")))',
  ],
  [
    'latency p95 of all requests, by service',
    'service.latency.quantile',
    { outcome: 'all', quantile: '0.95', groupBy: ['service'] },
    'histogram_quantile(0.95, sum by (le, name) ((label_replace(rate(nestjs_success_requests_bucket[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_bucket[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)))',
  ],
  [
    'latency p99 of successful requests, chosen services, by service and controller',
    'service.latency.quantile',
    { quantile: '0.99', service: ['shop.orders', 'shop.users'], groupBy: ['service', 'controller'] },
    'histogram_quantile(0.99, sum by (le, name, controller) (rate(nestjs_success_requests_bucket[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info{name=~"(shop\\\\.orders|shop\\\\.users)"})))',
  ],
  [
    'request rate by outcome, no grouping',
    'service.requests.rate',
    { service: 'shop.orders' },
    'sum by (outcome) (label_replace(rate(nestjs_success_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}, "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}, "outcome", "fail", "", "") or label_replace(vector(0), "outcome", "fail", "", ""))',
  ],
  [
    'request rate by outcome, by controller and handler',
    'service.requests.rate',
    { groupBy: ['controller', 'handler'] },
    'sum by (outcome, controller, handler) (label_replace(rate(nestjs_success_requests_count[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_count[$__rate_interval]), "outcome", "fail", "", ""))',
  ],
  [
    'request rate by outcome, one service, by service',
    'service.requests.rate',
    { service: 'shop.orders', groupBy: ['service'] },
    'sum by (outcome, name) ((label_replace(rate(nestjs_success_requests_count[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_count[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info{name="shop.orders"}))',
  ],
  [
    'request rate, total by service',
    'service.requests.total',
    { groupBy: ['service'] },
    'sum by (name) ((label_replace(rate(nestjs_success_requests_count[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_count[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info))',
  ],
  [
    'request rate, total',
    'service.requests.total',
    { service: ['shop.orders', 'shop.users'] },
    'sum(label_replace(rate(nestjs_success_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name=~"(shop\\\\.orders|shop\\\\.users)"}, "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name=~"(shop\\\\.orders|shop\\\\.users)"}, "outcome", "fail", "", ""))',
  ],
  [
    'errors per second per controller (default)',
    'service.errors.rate',
    { service: 'shop.orders' },
    'sum by (controller) (rate(nestjs_requests_failed_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"})',
  ],
  [
    'errors per second, one total',
    'service.errors.rate',
    { groupBy: [], handler: 'create' },
    'sum(rate(nestjs_requests_failed_count{handler="create"}[$__rate_interval])) or vector(0)',
  ],
  [
    'error count per error class',
    'service.errors.count',
    { groupBy: ['error'] },
    'sum by (error) (increase(nestjs_requests_failed_count[$__range]))',
  ],
  [
    'error ratio',
    'service.errors.ratio',
    { service: 'shop.orders' },
    '(sum(rate(nestjs_fail_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) or sum(rate(nestjs_success_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) * 0) / ((sum(rate(nestjs_success_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) or sum(rate(nestjs_fail_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) * 0) + (sum(rate(nestjs_fail_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) or sum(rate(nestjs_success_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) * 0))',
  ],
  [
    'hostile values are escaped',
    'service.errors.rate',
    { service: '"} or vector(1) or up{x="', controller: ['a.b', 'C:\\ Label'], handler: 'line1\nline2' },
    'sum by (controller) (rate(nestjs_requests_failed_count{controller=~"(a\\\\.b|C:\\\\\\\\ Label)", handler="line1\\nline2"}[$__rate_interval]) and on (instance, job) nestjs_info{name="\\"} or vector(1) or up{x=\\""})',
  ],
  [
    'error ratio per controller',
    'service.errors.ratio',
    { groupBy: ['controller'] },
    '(sum by (controller) (rate(nestjs_fail_requests_count[$__rate_interval])) or sum by (controller) (rate(nestjs_success_requests_count[$__rate_interval])) * 0) / ((sum by (controller) (rate(nestjs_success_requests_count[$__rate_interval])) or sum by (controller) (rate(nestjs_fail_requests_count[$__rate_interval])) * 0) + (sum by (controller) (rate(nestjs_fail_requests_count[$__rate_interval])) or sum by (controller) (rate(nestjs_success_requests_count[$__rate_interval])) * 0))',
  ],
  [
    'error ratio per service',
    'service.errors.ratio',
    { groupBy: ['service'] },
    '(sum by (name) (rate(nestjs_fail_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) or sum by (name) (rate(nestjs_success_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) * 0) / ((sum by (name) (rate(nestjs_success_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) or sum by (name) (rate(nestjs_fail_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) * 0) + (sum by (name) (rate(nestjs_fail_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) or sum by (name) (rate(nestjs_success_requests_count[$__rate_interval]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) * 0))',
  ],
  [
    'average latency of successful requests per handler',
    'service.latency.average',
    { groupBy: ['handler'], instance: 'h:3001' },
    'sum by (handler) (rate(nestjs_success_requests_sum{instance="h:3001"}[$__rate_interval])) / sum by (handler) (rate(nestjs_success_requests_count{instance="h:3001"}[$__rate_interval]))',
  ],
  [
    'average latency of all requests, one service',
    'service.latency.average',
    { outcome: 'all', service: 'shop.orders' },
    'sum(label_replace(rate(nestjs_success_requests_sum[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}, "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_sum[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}, "outcome", "fail", "", "")) / sum(label_replace(rate(nestjs_success_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}, "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}, "outcome", "fail", "", ""))',
  ],
  [
    'average latency of all requests, by service',
    'service.latency.average',
    { outcome: 'all', groupBy: ['service'] },
    'sum by (name) ((label_replace(rate(nestjs_success_requests_sum[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_sum[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)) / sum by (name) ((label_replace(rate(nestjs_success_requests_count[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_count[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info))',
  ],
  [
    'latency heatmap of failed requests',
    'service.latency.heatmap',
    { outcome: 'fail', service: 'shop.orders' },
    'sum by (le) (increase(nestjs_fail_requests_bucket[$__interval]) and on (instance, job) nestjs_info{name="shop.orders"})',
  ],
  [
    'latency heatmap of all requests',
    'service.latency.heatmap',
    { outcome: 'all' },
    'sum by (le) (label_replace(increase(nestjs_success_requests_bucket[$__interval]), "outcome", "success", "", "") or label_replace(increase(nestjs_fail_requests_bucket[$__interval]), "outcome", "fail", "", ""))',
  ],
  [
    'share under 100 ms',
    'service.latency.share-under',
    { service: 'shop.orders' },
    'sum(rate(nestjs_success_requests_bucket{le="0.1"}[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}) / sum(rate(nestjs_success_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"})',
  ],
  [
    'share under 1 s, all requests',
    'service.latency.share-under',
    { threshold: '1', outcome: 'all' },
    'sum(label_replace(rate(nestjs_success_requests_bucket{le=~"1(\\\\.0)?"}[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_bucket{le=~"1(\\\\.0)?"}[$__rate_interval]), "outcome", "fail", "", "")) / sum(label_replace(rate(nestjs_success_requests_count[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_count[$__rate_interval]), "outcome", "fail", "", ""))',
  ],
  [
    'top 5 slowest operations, p99',
    'service.operations.slowest',
    { topN: '5', quantile: '0.99', service: 'shop.orders' },
    'topk(5, histogram_quantile(0.99, sum by (le, controller, handler, method) (rate(nestjs_success_requests_bucket[$__range]) and on (instance, job) nestjs_info{name="shop.orders"})))',
  ],
  [
    'top 10 slowest operations, all requests',
    'service.operations.slowest',
    { outcome: 'all', service: 'shop.orders' },
    'topk(10, histogram_quantile(0.95, sum by (le, controller, handler, method) (label_replace(rate(nestjs_success_requests_bucket[$__range]) and on (instance, job) nestjs_info{name="shop.orders"}, "outcome", "success", "", "") or label_replace(rate(nestjs_fail_requests_bucket[$__range]) and on (instance, job) nestjs_info{name="shop.orders"}, "outcome", "fail", "", ""))))',
  ],
  [
    'top 10 most failing operations',
    'service.operations.failing',
    { service: 'shop.orders' },
    'topk(10, sum by (controller, handler, method) (increase(nestjs_requests_failed_count[$__range]) and on (instance, job) nestjs_info{name="shop.orders"}))',
  ],
  [
    'versions',
    'service.versions',
    { service: 'shop.orders' },
    'count by (name, version) (nestjs_info{name="shop.orders"})',
  ],
  ['running instances', 'service.instances', {}, 'count by (name) (group by (instance, job, name) (nestjs_info))'],
  [
    'running instances of one service',
    'service.instances',
    { service: 'shop.orders' },
    'count by (name) (group by (instance, job, name) (nestjs_info{name="shop.orders"}))',
  ],
  ['number of services', 'service.count', {}, 'count(group by (name) (nestjs_info))'],
  [
    'number of services on chosen instances',
    'service.count',
    { instance: ['a:3000', 'b:3000'] },
    'count(group by (name) (nestjs_info{instance=~"(a:3000|b:3000)"}))',
  ],
  [
    'deploys of one service',
    'service.deploys',
    { service: 'shop.orders' },
    'count by (name, version) (nestjs_info{name="shop.orders"}) unless count by (name, version) (last_over_time(nestjs_info{name="shop.orders"}[$__rate_interval] offset $__interval))',
  ],
  [
    'process CPU',
    'runtime.cpu',
    { service: 'shop.orders' },
    'rate(process_cpu_seconds_total[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}',
  ],
  [
    'process CPU, system, one instance',
    'runtime.cpu',
    { mode: 'system', instance: 'h:3001' },
    'rate(process_cpu_system_seconds_total{instance="h:3001"}[$__rate_interval]) and on (instance, job) nestjs_info',
  ],
  [
    'heap used',
    'runtime.memory',
    { mode: 'heapUsed' },
    'nodejs_heap_size_used_bytes and on (instance, job) nestjs_info',
  ],
  [
    'event-loop lag p99',
    'runtime.eventloop.lag',
    { service: '$service' },
    'nodejs_eventloop_lag_p99_seconds and on (instance, job) nestjs_info{name=~"$service"}',
  ],
  [
    'GC time',
    'runtime.gc',
    { service: 'shop.orders' },
    'sum by (instance, kind) (rate(nodejs_gc_duration_seconds_sum[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"})',
  ],
  [
    'active requests',
    'runtime.handles',
    { mode: 'requests' },
    'nodejs_active_requests_total and on (instance, job) nestjs_info',
  ],
  ['open fds', 'runtime.fds', {}, '(process_open_fds / process_max_fds) and on (instance, job) nestjs_info'],
  [
    'restarts',
    'runtime.restarts',
    { service: 'shop.orders' },
    'changes(process_start_time_seconds[$__range]) and on (instance, job) nestjs_info{name="shop.orders"}',
  ],
  [
    'restarts by service',
    'runtime.restarts',
    { groupBy: ['service'] },
    'sum by (name) (changes(process_start_time_seconds[$__range]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info))',
  ],
  [
    'restarts of one service on one instance, by service',
    'runtime.restarts',
    { service: 'shop.orders', instance: 'h:3001', groupBy: ['service'] },
    'sum by (name) (changes(process_start_time_seconds{instance="h:3001"}[$__range]) * on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info{name="shop.orders"}))',
  ],
  [
    'restarts, one total',
    'runtime.restarts',
    { groupBy: [] },
    'sum(changes(process_start_time_seconds[$__range]) and on (instance, job) nestjs_info)',
  ],
  [
    'restart markers of one service, $instance variable',
    'runtime.restarts.events',
    { service: 'shop.orders', instance: '$instance' },
    'changes(process_start_time_seconds{instance=~"$instance"}[$__interval]) > 0 and last_over_time(process_start_time_seconds{instance=~"$instance"}[$__rate_interval] offset $__interval) and on (instance, job) nestjs_info{name="shop.orders"}',
  ],
  ['process uptime', 'runtime.uptime', {}, '(time() - process_start_time_seconds) and on (instance, job) nestjs_info'],
  [
    'Node.js versions',
    'runtime.version',
    {},
    'count by (version) (nodejs_version_info and on (instance, job) nestjs_info)',
  ],
  [
    'host CPU busy',
    'host.cpu.busy',
    { host: 'h:9100' },
    '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle", instance="h:9100"}[$__rate_interval]))',
  ],
  [
    'host CPU by mode',
    'host.cpu.by-mode',
    { host: ['a:9100', 'b:9100'] },
    'avg by (instance, mode) (rate(node_cpu_seconds_total{instance=~"(a:9100|b:9100)"}[$__rate_interval]))',
  ],
  ['CPU cores', 'host.cpu.cores', {}, 'count by (instance) (node_cpu_seconds_total{mode="idle"})'],
  [
    'load per core, 5 minutes',
    'host.load.per-core',
    { window: 'load5', host: 'h:9100' },
    'node_load5{instance="h:9100"} / on (instance) count by (instance) (node_cpu_seconds_total{mode="idle", instance="h:9100"})',
  ],
  [
    'memory used share',
    'host.memory.used',
    { host: 'h:9100' },
    '1 - node_memory_MemAvailable_bytes{instance="h:9100"} / node_memory_MemTotal_bytes{instance="h:9100"}',
  ],
  ['memory used bytes', 'host.memory.used-bytes', {}, 'node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes'],
  ['memory total', 'host.memory.total', {}, 'node_memory_MemTotal_bytes'],
  ['swap used', 'host.swap.used', {}, '1 - node_memory_SwapFree_bytes / (node_memory_SwapTotal_bytes > 0)'],
  [
    'filesystem used',
    'host.filesystem.used',
    { host: 'h:9100' },
    '1 - node_filesystem_avail_bytes{fstype!="", fstype!~"tmpfs|ramfs|squashfs|nsfs", mountpoint!="", instance="h:9100"} / node_filesystem_size_bytes{fstype!="", fstype!~"tmpfs|ramfs|squashfs|nsfs", mountpoint!="", instance="h:9100"}',
  ],
  [
    'disk written',
    'host.disk.throughput',
    { direction: 'written' },
    'rate(node_disk_written_bytes_total{device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"}[$__rate_interval])',
  ],
  [
    'disk writes per second',
    'host.disk.iops',
    { direction: 'writes' },
    'rate(node_disk_writes_completed_total{device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"}[$__rate_interval])',
  ],
  [
    'disk utilisation',
    'host.disk.utilisation',
    {},
    'rate(node_disk_io_time_seconds_total{device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"}[$__rate_interval])',
  ],
  [
    'network sent',
    'host.network.traffic',
    { direction: 'transmit', host: '$host' },
    'rate(node_network_transmit_bytes_total{device!="lo", instance=~"$host"}[$__rate_interval])',
  ],
  [
    'network receive drops',
    'host.network.errors',
    { kind: 'receive_drop' },
    'rate(node_network_receive_drop_total{device!="lo"}[$__rate_interval])',
  ],
  [
    'root filesystem used',
    'host.filesystem.used',
    { mounts: 'root', host: 'h:9100' },
    '1 - node_filesystem_avail_bytes{fstype!="", fstype!="rootfs", mountpoint="/", instance="h:9100"} / node_filesystem_size_bytes{fstype!="", fstype!="rootfs", mountpoint="/", instance="h:9100"}',
  ],
  ['host uptime', 'host.uptime', {}, 'time() - node_boot_time_seconds'],
  ['host names', 'host.info', {}, 'max by (instance, nodename, release) (node_uname_info)'],
  [
    'host names, chosen hosts',
    'host.info',
    { host: '$host' },
    'max by (instance, nodename, release) (node_uname_info{instance=~"$host"})',
  ],
  ['OOM kills', 'host.memory.oom-kills', {}, 'sum by (instance) (increase(node_vmstat_oom_kill[$__rate_interval]))'],
  ['hosts up', 'host.up', {}, 'count(node_uname_info)'],
  [
    'hosts down',
    'host.up',
    { state: 'down' },
    'count((up == 0) and on (instance, job) last_over_time(node_uname_info[1h])) or count(last_over_time(node_uname_info[1h])) * 0',
  ],
  [
    'hosts down, chosen hosts',
    'host.up',
    { state: 'down', host: '$host' },
    'count((up{instance=~"$host"} == 0) and on (instance, job) last_over_time(node_uname_info{instance=~"$host"}[1h])) or count(last_over_time(node_uname_info{instance=~"$host"}[1h])) * 0',
  ],
  [
    'running containers on one cAdvisor',
    'container.running',
    { host: 'h:8080' },
    'count(container_last_seen{image!="", instance="h:8080"})',
  ],
  [
    'container CPU, by name',
    'container.cpu',
    { container: 'orders' },
    'sum by (name, id) (rate(container_cpu_usage_seconds_total{name="orders"}[$__rate_interval]))',
  ],
  [
    'container CPU, unnamed container by id',
    'container.cpu',
    { container: '/docker/abc' },
    'sum by (name, id) (rate(container_cpu_usage_seconds_total{id="/docker/abc"}[$__rate_interval]))',
  ],
  [
    'container CPU, named and unnamed',
    'container.cpu',
    { container: ['orders', 'users', '/docker/abc'] },
    '(sum by (name, id) (rate(container_cpu_usage_seconds_total{name=~"(orders|users)"}[$__rate_interval]))) or (sum by (name, id) (rate(container_cpu_usage_seconds_total{id="/docker/abc"}[$__rate_interval])))',
  ],
  [
    'running containers, named and unnamed',
    'container.running',
    { container: ['orders', '/docker/abc'] },
    'count((container_last_seen{name="orders"}) or (container_last_seen{id="/docker/abc"}))',
  ],
  [
    'container CPU, $container variable (names and cgroup ids)',
    'container.cpu',
    { container: '$container' },
    '(sum by (name, id) (rate(container_cpu_usage_seconds_total{name=~"$container", name!=""}[$__rate_interval]))) or (sum by (name, id) (rate(container_cpu_usage_seconds_total{id=~"$container"}[$__rate_interval])))',
  ],
  [
    'running containers, $container variable on one cAdvisor',
    'container.running',
    { container: '$container', host: 'h:8080' },
    'count((container_last_seen{instance="h:8080", name=~"$container", name!=""}) or (container_last_seen{instance="h:8080", id=~"$container"}))',
  ],
  [
    'memory against limit, named and unnamed',
    'container.memory.vs-limit',
    { container: ['orders', '/docker/abc'] },
    '(sum by (name, id) (container_memory_working_set_bytes{name="orders"}) / sum by (name, id) (container_spec_memory_limit_bytes{name="orders"} > 0)) or (sum by (name, id) (container_memory_working_set_bytes{id="/docker/abc"}) / sum by (name, id) (container_spec_memory_limit_bytes{id="/docker/abc"} > 0))',
  ],
  [
    'CPU throttling',
    'container.cpu.throttling',
    {},
    'sum by (name, id) (rate(container_cpu_cfs_throttled_periods_total{image!=""}[$__rate_interval])) / sum by (name, id) (rate(container_cpu_cfs_periods_total{image!=""}[$__rate_interval]))',
  ],
  [
    'working set',
    'container.memory',
    { container: 'orders' },
    'sum by (name, id) (container_memory_working_set_bytes{name="orders"})',
  ],
  ['container RSS', 'container.memory', { mode: 'rss' }, 'sum by (name, id) (container_memory_rss{image!=""})'],
  [
    'memory against limit',
    'container.memory.vs-limit',
    { container: 'orders' },
    'sum by (name, id) (container_memory_working_set_bytes{name="orders"}) / sum by (name, id) (container_spec_memory_limit_bytes{name="orders"} > 0)',
  ],
  [
    'container network sent',
    'container.network',
    { mode: 'transmit' },
    'sum by (name, id) (rate(container_network_transmit_bytes_total{image!=""}[$__rate_interval]))',
  ],
  ['container fs usage', 'container.filesystem.usage', {}, 'sum by (name, id) (container_fs_usage_bytes{image!=""})'],
  [
    'container disk writes',
    'container.filesystem.io',
    { mode: 'writes' },
    'sum by (name, id) (rate(container_fs_writes_bytes_total{image!=""}[$__rate_interval]))',
  ],
  ['container uptime', 'container.uptime', {}, 'time() - max by (name, id) (container_start_time_seconds{image!=""})'],
  [
    'container restarts',
    'container.restarts',
    {},
    'sum by (name, id) (changes(container_start_time_seconds{image!=""}[$__range]))',
  ],
  [
    'gone containers, 5 minutes',
    'container.gone',
    { threshold: '300' },
    'time() - max by (name, id) (max_over_time(container_last_seen{image!=""}[$__range])) > 300',
  ],
  ['PostgreSQL up', 'postgres.up', { instance: 'h:9187' }, 'pg_up{instance="h:9187"}'],
  [
    'connections used',
    'postgres.connections.used',
    {},
    'sum by (instance) (pg_stat_activity_count) / (sum by (instance) (pg_settings_max_connections) - sum by (instance) (pg_settings_superuser_reserved_connections))',
  ],
  [
    'connections by state, one database',
    'postgres.connections.by-state',
    { database: 'shop' },
    'sum by (instance, datname, state) (pg_stat_activity_count{datname="shop"})',
  ],
  [
    'TPS, all',
    'postgres.transactions.rate',
    { database: 'shop' },
    'sum by (instance, datname) (rate(pg_stat_database_xact_commit{datname="shop"}[$__rate_interval])) + sum by (instance, datname) (rate(pg_stat_database_xact_rollback{datname="shop"}[$__rate_interval]))',
  ],
  [
    'TPS, commits',
    'postgres.transactions.rate',
    { mode: 'commit' },
    'sum by (instance, datname) (rate(pg_stat_database_xact_commit{datname!~"template.*"}[$__rate_interval]))',
  ],
  [
    'rollback ratio',
    'postgres.transactions.rollback-ratio',
    {},
    'sum by (instance, datname) (rate(pg_stat_database_xact_rollback{datname!~"template.*"}[$__rate_interval])) / (sum by (instance, datname) (rate(pg_stat_database_xact_commit{datname!~"template.*"}[$__rate_interval])) + sum by (instance, datname) (rate(pg_stat_database_xact_rollback{datname!~"template.*"}[$__rate_interval])))',
  ],
  [
    'rows inserted',
    'postgres.rows',
    { mode: 'inserted', database: ['shop', 'audit'] },
    'sum by (instance, datname) (rate(pg_stat_database_tup_inserted{datname=~"(shop|audit)"}[$__rate_interval]))',
  ],
  [
    'cache hit ratio',
    'postgres.cache.hit-ratio',
    {},
    'sum by (instance, datname) (rate(pg_stat_database_blks_hit{datname!~"template.*"}[$__rate_interval])) / (sum by (instance, datname) (rate(pg_stat_database_blks_hit{datname!~"template.*"}[$__rate_interval])) + sum by (instance, datname) (rate(pg_stat_database_blks_read{datname!~"template.*"}[$__rate_interval])))',
  ],
  [
    'deadlocks',
    'postgres.deadlocks',
    {},
    'sum by (instance, datname) (increase(pg_stat_database_deadlocks{datname!~"template.*"}[$__rate_interval]))',
  ],
  [
    'database size',
    'postgres.database.size',
    { database: '$database' },
    'sum by (instance, datname) (pg_database_size_bytes{datname=~"$database"})',
  ],
  ['locks', 'postgres.locks', {}, 'sum by (instance, datname, mode) (pg_locks_count{datname!~"template.*"})'],
  [
    'longest transaction',
    'postgres.transactions.longest',
    {},
    'max by (instance, datname) (pg_stat_activity_max_tx_duration{datname!~"template.*"})',
  ],
  [
    'temp bytes',
    'postgres.temp-bytes',
    {},
    'sum by (instance, datname) (rate(pg_stat_database_temp_bytes{datname!~"template.*"}[$__rate_interval]))',
  ],
  ['exporter errors', 'postgres.exporter.errors', {}, 'pg_exporter_last_scrape_error'],
  [
    'exporter scrape duration',
    'postgres.exporter.duration',
    { instance: '$instance' },
    'pg_exporter_last_scrape_duration_seconds{instance=~"$instance"}',
  ],
  ['PostgreSQL version', 'postgres.version', { instance: 'h:9187' }, 'pg_static{instance="h:9187"}'],
  [
    'exporter version',
    'postgres.exporter.version',
    { instance: '$instance' },
    'postgres_exporter_build_info{instance=~"$instance"} or pg_exporter_build_info{instance=~"$instance"}',
  ],
  ['PostgreSQL uptime', 'postgres.uptime', {}, 'time() - pg_postmaster_start_time_seconds'],
  [
    'replica lag',
    'postgres.replication.lag',
    { instance: '$instance' },
    'pg_replication_lag_seconds{instance=~"$instance"}',
  ],
  ['target up', 'target.up', { job: 'nestjs' }, 'up{job="nestjs"}'],
  ['targets down', 'target.down', {}, 'sum by (job) (1 - up)'],
  [
    'scrape duration',
    'target.scrape.duration',
    { job: 'node', instance: 'h:9100' },
    'scrape_duration_seconds{job="node", instance="h:9100"}',
  ],
  ['samples per scrape', 'target.scrape.samples', {}, 'scrape_samples_scraped'],
  [
    'SLO \u2192 availability SLI of a service over 30 days',
    'service.slo.sli',
    { service: 'shop.orders', slo: 'availability' },
    '1 - ((sum(rate(nestjs_fail_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_success_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0) / ((sum(rate(nestjs_success_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_fail_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0) + (sum(rate(nestjs_fail_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_success_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0)))',
  ],
  [
    'SLO \u2192 latency SLI of a service (500 ms) over 30 days',
    'service.slo.sli',
    { service: 'shop.orders', slo: 'latency' },
    '((sum(rate(nestjs_success_requests_bucket{le="0.5"}[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_fail_requests_bucket{le="0.5"}[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0) + (sum(rate(nestjs_fail_requests_bucket{le="0.5"}[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_success_requests_bucket{le="0.5"}[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0)) / ((sum(rate(nestjs_success_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_fail_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0) + (sum(rate(nestjs_fail_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) or sum(rate(nestjs_success_requests_count[30d]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[30d]))) * 0))',
  ],
  [
    "SLO \u2192 availability budget remaining, the Service page's variables",
    'service.slo.budget-remaining',
    {
      service: 'shop.orders',
      instance: '$instance',
      slo: 'availability',
      objective: '$slo_availability',
      window: '$slo_window',
    },
    '1 - ((sum(rate(nestjs_fail_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) or sum(rate(nestjs_success_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) * 0) / ((sum(rate(nestjs_success_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) or sum(rate(nestjs_fail_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) * 0) + (sum(rate(nestjs_fail_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) or sum(rate(nestjs_success_requests_count{instance=~"$instance"}[$slo_window]) and on (instance, job) group by (instance, job, name) (last_over_time(nestjs_info{name="shop.orders"}[$slo_window]))) * 0))) / (1 - $slo_availability / 100)',
  ],
  [
    'SLO \u2192 latency burn rate over 5 minutes per service',
    'service.slo.burn-rate',
    { groupBy: ['service'], slo: 'latency', window: '5m' },
    '(1 - (((sum by (name) (rate(nestjs_success_requests_bucket{le="0.5"}[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) or sum by (name) (rate(nestjs_fail_requests_bucket{le="0.5"}[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) * 0) + (sum by (name) (rate(nestjs_fail_requests_bucket{le="0.5"}[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) or sum by (name) (rate(nestjs_success_requests_bucket{le="0.5"}[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) * 0)) / ((sum by (name) (rate(nestjs_success_requests_count[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) or sum by (name) (rate(nestjs_fail_requests_count[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) * 0) + (sum by (name) (rate(nestjs_fail_requests_count[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) or sum by (name) (rate(nestjs_success_requests_count[5m]) * on (instance, job) group_left (name) group by (instance, job, name) (last_over_time(nestjs_info[5m]))) * 0)))) / 0.05',
  ],
];

const JOIN = '* on (instance, job) group_left (name) group by (instance, job, name) (nestjs_info)';

describe('signal PromQL', () => {
  it.each(CASES)('%s', (_name, id, params, expected) => {
    expect(getSignal(id)?.render(params, ctx)).toBe(expected);
  });

  it('covers every signal', () => {
    const covered = new Set(CASES.map(([, id]) => id));
    expect(SIGNALS.map((s) => s.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('takes metric names from the settings, never from constants', () => {
    const renamed = renderContext({
      profile: 'seed',
      successHistogram: 'api_ok',
      failHistogram: 'api_err',
      failedCounter: 'api_failures_total',
      info: 'api_info',
    });
    const quantile = getSignal('service.latency.quantile')!;
    expect(quantile.render({ service: 'shop.orders', outcome: 'fail' }, renamed)).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(api_err_bucket[$__rate_interval]) and on (instance, job) api_info{name="shop.orders"}))'
    );
    for (const signal of signalsOf('service')) {
      const text = signal.render({ service: 'x' }, renamed);
      expect({ id: signal.id, leaks: /nestjs_/.test(text) }).toEqual({ id: signal.id, leaks: false });
    }
    expect(getSignal('service.latency.quantile')!.render({ outcome: 'all', groupBy: ['service'] }, renamed)).toBe(
      'histogram_quantile(0.95, sum by (le, name) ((label_replace(rate(api_ok_bucket[$__rate_interval]), "outcome", "success", "", "") or label_replace(rate(api_err_bucket[$__rate_interval]), "outcome", "fail", "", "")) * on (instance, job) group_left (name) group by (instance, job, name) (api_info)))'
    );
    for (const signal of [...signalsOf('service'), getSignal('runtime.restarts')!]) {
      const text = signal.render({ service: 'x', outcome: 'all', groupBy: ['service'] }, renamed);
      expect({ id: signal.id, leaks: /nestjs_/.test(text) }).toEqual({ id: signal.id, leaks: false });
    }
  });

  it('combines both histograms for all requests without a __name__ regex', () => {
    // rate() drops the metric name, so a success and a fail series of one operation would collide
    // ("vector cannot contain metrics with the same labelset"); each is tagged with its outcome first.
    const withOutcome = SIGNALS.filter((s) => s.parameters.some((p) => p.name === 'outcome'));
    expect(withOutcome.map((s) => s.id).sort()).toEqual([
      'service.latency.average',
      'service.latency.heatmap',
      'service.latency.quantile',
      'service.latency.share-under',
      'service.operations.slowest',
    ]);
    for (const signal of withOutcome) {
      for (const groupBy of [[], ['service']]) {
        const text = signal.render({ outcome: 'all', service: 'shop.orders', groupBy }, ctx);
        expect({ id: signal.id, groupBy, nameRegex: text.includes('__name__') }).toEqual({
          id: signal.id,
          groupBy,
          nameRegex: false,
        });
        expect(text).toContain('"outcome", "success", "", "") or label_replace(');
      }
    }
  });

  it('offers grouping by service where the service join applies', () => {
    const offering = SIGNALS.filter((s) =>
      s.parameters.some((p) => p.name === 'groupBy' && p.choices?.some((c) => c.value === 'service'))
    );
    expect(offering.map((s) => s.id)).toEqual([
      'service.requests.rate',
      'service.requests.total',
      'service.errors.ratio',
      'service.latency.quantile',
      'service.latency.average',
      'service.slo.sli',
      'service.slo.budget-remaining',
      'service.slo.burn-rate',
      'runtime.restarts',
    ]);
    for (const signal of offering.filter((s) => !s.id.startsWith('service.slo.'))) {
      const text = signal.render({ groupBy: ['service'] }, ctx);
      expect({ id: signal.id, join: text.includes(JOIN), filter: text.includes('and on') }).toEqual({
        id: signal.id,
        join: true,
        filter: false,
      });
    }
  });

  it('falls back to the default name for an empty setting', () => {
    const ctx = renderContext({ profile: 'seed', successHistogram: ' ', info: 'svc_info' });
    expect(ctx).toEqual(
      expect.objectContaining({
        successHistogram: 'nestjs_success_requests',
        failHistogram: 'nestjs_fail_requests',
        failedCounter: 'nestjs_requests_failed_count',
        info: 'svc_info',
      })
    );
    // The profile renders with the same names (the seed's by default).
    expect(ctx.profile.requests).toEqual({
      kind: 'by-outcome',
      success: 'nestjs_success_requests',
      fail: 'nestjs_fail_requests',
    });
    expect(ctx.profile.service).toEqual(expect.objectContaining({ kind: 'info', metric: 'svc_info' }));
  });
});

describe('signals and the Builder', () => {
  // Every signal must survive render -> parse -> render unchanged: since the Builder holds label_replace, `or`,
  // vector() and time(), the whole catalog opens in it.

  const withoutParentheses = (expr: string) => expr.replace(/[()]/g, '');

  it.each(CASES)('%s', (_name, id, params) => {
    const expr = getSignal(id)!.render(params, ctx);
    const result = parsePromQL(expr);
    if (result.ok) {
      // The Builder holds the query as written: its PromQL differs at most by parentheses that carry nothing
      // (around a selector or an aggregation), parses back to the same model and renders the same again.
      const rendered = renderBuilderQuery(result.query);
      expect(withoutParentheses(rendered)).toBe(withoutParentheses(expr));
      const again = parsePromQL(rendered);
      expect(again).toEqual(result);
      expect(again.ok && renderBuilderQuery(again.query)).toBe(rendered);
    } else {
      expect(result.error.reason).toMatch(/^cannot represent: /);
    }
  });

  it('holds every signal of the catalog with default parameters', () => {
    const refused = SIGNALS.flatMap((s) => {
      const result = parsePromQL(s.render({}, ctx));
      return result.ok ? [] : [`${s.id}: ${result.error.reason}`];
    });
    expect(refused).toEqual([]);
  });

  it('holds the service join in the Builder: and on (instance, job) the service’s nestjs_info', () => {
    const expr = getSignal('service.latency.quantile')!.render({ service: 'shop.orders' }, ctx);
    const result = parsePromQL(expr);
    expect(result.ok && result.query.operations.find((op) => op.kind === 'binaryQuery')).toEqual({
      kind: 'binaryQuery',
      op: 'and',
      matching: { mode: 'on', labels: ['instance', 'job'] },
      query: { metric: 'nestjs_info', matchers: [{ label: 'name', op: '=', value: 'shop.orders' }], operations: [] },
    });
  });
});

describe('signal definitions', () => {
  it('know which of them are about failed requests only', () => {
    const failures = SIGNALS.filter((s) => s.failuresOnly({})).map((s) => s.id);
    expect(failures).toEqual(['service.errors.rate', 'service.errors.count', 'service.operations.failing']);
    expect(getSignal('service.latency.heatmap')!.failuresOnly({ outcome: 'fail' })).toBe(true);
    expect(getSignal('service.latency.heatmap')!.failuresOnly({ outcome: 'success' })).toBe(false);
    expect(getSignal('service.requests.total')!.failuresOnly({})).toBe(false);
  });

  it('has unique ids and every family', () => {
    expect(new Set(SIGNALS.map((s) => s.id)).size).toBe(SIGNALS.length);
    expect(SIGNAL_FAMILIES.filter((f) => signalsOf(f).length === 0)).toEqual([]);
  });

  it.each(SIGNALS.map((s) => [s.id, s]))(
    '%s: parameters are complete and defaults are valid choices',
    (_id, signal) => {
      for (const parameter of signal.parameters) {
        expect({ name: parameter.name, hasValues: Boolean(parameter.source || parameter.choices) }).toEqual({
          name: parameter.name,
          hasValues: true,
        });
        if (parameter.choices && parameter.default !== undefined) {
          const values = parameter.choices.map((c) => c.value);
          const defaults = Array.isArray(parameter.default) ? parameter.default : [String(parameter.default)];
          expect(defaults.filter((d) => !values.includes(d))).toEqual([]);
        }
      }
      const names = signal.parameters.map((p) => p.name);
      expect(new Set(names).size).toBe(names.length);
      expect(signal.render({}, ctx)).not.toMatch(/undefined|NaN|\[object/);
    }
  );

  it('presents the guided example in seconds', () => {
    const quantile = getSignal('service.latency.quantile')!;
    expect({
      unit: quantile.unit,
      format: quantile.format,
      legend: quantile.legend({ groupBy: ['controller'] }),
    }).toEqual({
      unit: 's',
      format: 'time_series',
      legend: '{{controller}}',
    });
    expect(quantile.legend({})).toBe('p95');
  });

  it('labels series grouped by service with the service name', () => {
    expect({
      quantile: getSignal('service.latency.quantile')!.legend({ groupBy: ['service', 'controller'] }),
      rate: getSignal('service.requests.rate')!.legend({ groupBy: ['service'] }),
      total: getSignal('service.requests.total')!.legend({ groupBy: ['service'] }),
      ratio: getSignal('service.errors.ratio')!.legend({ groupBy: ['service'] }),
      average: getSignal('service.latency.average')!.legend({ groupBy: ['service'] }),
      restarts: getSignal('runtime.restarts')!.legend({ groupBy: ['service'] }),
      restartsDefault: getSignal('runtime.restarts')!.legend({}),
    }).toEqual({
      quantile: '{{name}} {{controller}}',
      rate: '{{outcome}} {{name}}',
      total: '{{name}}',
      ratio: '{{name}}',
      average: '{{name}}',
      restarts: '{{name}}',
      restartsDefault: '{{instance}}',
    });
  });

  it('builds heatmaps from increase per cell, in heatmap format', () => {
    const heatmap = getSignal('service.latency.heatmap')!;
    expect({ format: heatmap.format, legend: heatmap.legend({}) }).toEqual({ format: 'heatmap', legend: '{{le}}' });
    expect(heatmap.render({}, ctx)).toContain('increase(nestjs_success_requests_bucket[$__interval])');
  });

  it('marks whole-range questions as instant tables', () => {
    expect(SIGNALS.filter((s) => s.instant).map((s) => `${s.id}:${s.format}`)).toEqual([
      'service.errors.count:table',
      'service.operations.slowest:table',
      'service.operations.failing:table',
      'service.versions:table',
      'runtime.restarts:table',
      'runtime.version:table',
      'host.info:table',
      'container.restarts:table',
      'container.gone:table',
    ]);
  });

  it('fills defaults only where a parameter is empty', () => {
    const quantile = getSignal('service.latency.quantile')!;
    expect(withDefaults(quantile.parameters, { quantile: '0.99', groupBy: [] })).toEqual({
      quantile: '0.99',
      outcome: 'success',
      groupBy: [],
    });
  });
});

describe('describe', () => {
  it('explains the guided example in plain language', () => {
    const quantile = getSignal('service.latency.quantile')!;
    expect(
      quantile.describe({ service: 'shop.orders', quantile: '0.95', groupBy: ['controller'] }).map(english)
    ).toEqual([
      'The p95 latency of successful requests: that share of them finished faster. Estimated from histogram buckets over the rate window.',
      'Only the service shop.orders.',
      'One series per controller.',
    ]);
  });

  it('uses translatable keys with the values as interpolation', () => {
    const failing = getSignal('service.operations.failing')!;
    expect(failing.describe({ topN: '5', controller: ['A', 'B'] })).toEqual([
      {
        key: 'signals.service.operations.failing.explain',
        en: 'The {{n}} operations with the most failed requests in the selected time range.',
        values: { n: '5' },
      },
    ]);
    const errors = getSignal('service.errors.rate')!;
    expect(errors.describe({ controller: ['A', 'B'], groupBy: [] }).map(english)).toEqual([
      'Failed requests per second, averaged over the rate window.',
      'Only the controller A, B.',
      'One total for everything selected.',
    ]);
  });

  it('explains grouping by service and the fleet stats', () => {
    expect(
      getSignal('service.requests.total')!
        .describe({ groupBy: ['service'] })
        .map(english)
    ).toEqual([
      'Requests handled per second, successful plus failed, averaged over the rate window.',
      'One series per service.',
    ]);
    expect(getSignal('runtime.restarts')!.describe({}).map(english)).toEqual([
      'How many times the process start time changed in the selected time range: each change is a restart.',
      'One series per instance.',
    ]);
    expect(getSignal('host.up')!.describe({ state: 'down' }).map(english)).toEqual([
      'The number of node_exporter targets whose last scrape failed, counting those that reported within the last hour; 0 when none failed.',
    ]);
  });

  it('describes every signal with its defaults', () => {
    for (const signal of SIGNALS) {
      const text = signal.describe({}).map(english).join(' ');
      expect({ id: signal.id, unfilled: /\{\{/.test(text) }).toEqual({ id: signal.id, unfilled: false });
    }
  });
});
