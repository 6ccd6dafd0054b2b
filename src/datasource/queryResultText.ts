import { DataFrame, FieldType, MetricFindValue } from '@grafana/data';

import { escapeLabelValueInExactSelector } from '../promql/escape';

/**
 * The options of a `query_result(<expr>)` variable: one line per sample of the instant query, written the way
 * Grafana's Prometheus data source writes them (`name{label="value", …} <value> <unix ms>`), so the regex a
 * dashboard applies to pick a part out of the line works the same with Pulse.
 */
export function queryResultValues(frames: DataFrame[]): MetricFindValue[] {
  const values: MetricFindValue[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((field) => field.type === FieldType.time);
    for (const field of frame.fields) {
      if (field.type !== FieldType.number && field.type !== FieldType.string) {
        continue;
      }
      const { __name__: name = '', ...labels } = field.labels ?? {};
      const selector = Object.keys(labels)
        .sort()
        .map((label) => `${label}="${escapeLabelValueInExactSelector(labels[label])}"`)
        .join(', ');
      const series = selector ? `${name}{${selector}}` : name;
      for (let row = 0; row < frame.length; row++) {
        const at = time ? ` ${time.values[row]}` : '';
        const text = `${series ? `${series} ` : ''}${field.values[row]}${at}`;
        values.push({ text, value: text });
      }
    }
  }
  return values;
}
