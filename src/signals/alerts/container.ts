/** Container pack: cAdvisor alerts per container. */
import { defineAlert } from './define';

const CONTAINER = {
  instanceLabels: ['name', 'id'],
  labelValues: { container: 'name', id: 'id' },
  page: 'containers',
};

export const CONTAINER_ALERTS = [
  defineAlert({
    pack: 'container',
    rule: 'ContainerMemoryNearLimit',
    // The signal divides by the limit only where one is set (`container_spec_memory_limit_bytes > 0`).
    signal: 'container.memory.vs-limit',
    params: {},
    condition: { op: '>', threshold: 0.9, unit: 'percentunit' },
    for: '5m',
    severity: 'warning',
    ...CONTAINER,
    texts: {
      summary: 'Container {{container}} {{id}}: memory {{value}} of its limit',
      description:
        'The working set of container {{container}} {{id}} stayed above {{threshold}} of its memory limit for {{for}}; at the limit the kernel kills it.',
      runbook:
        'On the Containers page see whether its memory climbs steadily (a leak: look at the heap of the service inside) or follows load; raise the limit only once you know which.',
    },
  }),
  defineAlert({
    pack: 'container',
    rule: 'ContainerCpuThrottled',
    // Throttling periods exist only for containers with a CPU quota.
    signal: 'container.cpu.throttling',
    params: {},
    condition: { op: '>', threshold: 0.25, unit: 'percentunit' },
    for: '15m',
    severity: 'warning',
    ...CONTAINER,
    texts: {
      summary: 'Container {{container}} {{id}}: {{value}} of CPU periods throttled',
      description:
        'More than {{threshold}} of the CPU periods of container {{container}} {{id}} were throttled by its CPU quota for {{for}}: its work is delayed even if the host has idle CPUs.',
      runbook:
        'Compare its CPU use with its quota on the Containers page; a service with latency spikes and throttling needs a larger quota (or fewer worker threads), not more instances.',
    },
  }),
  defineAlert({
    pack: 'container',
    rule: 'ContainerGone',
    signal: 'container.last-seen.age',
    params: {},
    condition: { op: '>', threshold: 60, unit: 's' },
    for: '0m',
    severity: 'warning',
    range: '1h',
    instanceLabels: ['instance', 'name'],
    labelValues: { container: 'name', host: 'instance' },
    page: 'containers',
    texts: {
      summary: 'Container {{container}} on {{host}} is gone',
      description:
        'cAdvisor on {{host}} has not reported container {{container}} for {{value}}; it ran within the last hour. A container recreated under the same name does not fire (the rule follows names, not ids); after an hour without it the alert resolves.',
      runbook:
        'Check whether it was stopped on purpose, exited (docker ps -a, its exit code and last logs) or was killed for memory (OOM kills on the host page).',
    },
  }),
];
