/** Target pack: scrape health of every Prometheus target. */
import { defineAlert } from './define';

export const TARGET_ALERTS = [
  defineAlert({
    pack: 'target',
    rule: 'TargetDown',
    signal: 'target.up',
    params: {},
    condition: { op: '<', threshold: 1, unit: 'short' },
    for: '5m',
    severity: 'warning',
    instanceLabels: ['job', 'instance'],
    labelValues: { job: 'job', instance: 'instance' },
    page: 'targets',
    texts: {
      summary: 'Target {{instance}} of job {{job}} is down',
      description: 'Prometheus has failed to scrape {{instance}} (job {{job}}) for {{for}}.',
      runbook:
        'The Targets page shows the scrape error and a diagnosis (connection refused, timeout, wrong path, not Prometheus text). Fix the exporter or the scrape configuration.',
    },
  }),
];
