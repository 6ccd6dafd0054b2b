/**
 * Scrape targets, from the series Prometheus records for every scrape (`up`, `scrape_*`).
 */
import { type LabelMatcher, matchAny, selector, sumBy } from '../promql/render';
import { defineSignal } from './define';
import { msg } from './messages';
import { jobParam, listParam, targetInstanceParam } from './params';
import type { Signal, SignalParams } from './types';

function targetMatchers(p: SignalParams): LabelMatcher[] {
  const matchers: LabelMatcher[] = [];
  for (const label of ['job', 'instance']) {
    const values = listParam(p, label);
    if (values.length > 0) {
      matchers.push(matchAny(label, values));
    }
  }
  return matchers;
}

const parameters = () => [jobParam(), targetInstanceParam()];

export const TARGET_SIGNALS: Signal[] = [
  defineSignal({
    id: 'target.up',
    family: 'target',
    title: 'Target up',
    description: 'Whether Prometheus could scrape each target (1 up, 0 down).',
    parameters: parameters(),
    unit: 'short',
    legend: '{{job}} {{instance}}',
    render: (p) => selector('up', targetMatchers(p)),
    explain: msg('signals.target.up.explain', '1 when the last scrape of the target succeeded, 0 when it failed.'),
  }),
  defineSignal({
    id: 'target.down',
    family: 'target',
    title: 'Targets down',
    description: 'How many targets of each job Prometheus cannot scrape.',
    parameters: parameters(),
    unit: 'short',
    legend: '{{job}}',
    render: (p) => sumBy(['job'], `1 - ${selector('up', targetMatchers(p))}`),
    explain: msg(
      'signals.target.down.explain',
      'The number of targets per job whose last scrape failed; 0 when all are up.'
    ),
  }),
  defineSignal({
    id: 'target.scrape.duration',
    family: 'target',
    title: 'Scrape duration',
    description: 'How long each scrape takes; close to the scrape timeout means scrapes are about to fail.',
    parameters: parameters(),
    unit: 's',
    legend: '{{job}} {{instance}}',
    render: (p) => selector('scrape_duration_seconds', targetMatchers(p)),
    explain: msg('signals.target.scrape.duration.explain', 'Seconds the last scrape of each target took.'),
  }),
  defineSignal({
    id: 'target.scrape.samples',
    family: 'target',
    title: 'Samples per scrape',
    description: 'How many samples each scrape returns; a jump often means a label with too many values.',
    parameters: parameters(),
    unit: 'short',
    legend: '{{job}} {{instance}}',
    render: (p) => selector('scrape_samples_scraped', targetMatchers(p)),
    explain: msg(
      'signals.target.scrape.samples.explain',
      'The number of samples the last scrape of each target returned.'
    ),
  }),
];

/** `label_values(up, job)`: every scrape job, for a page's job variable. */
export function targetJobVariableQuery(): string {
  return `label_values(up, job)`;
}
