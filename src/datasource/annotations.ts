import {
  type AnnotationEvent,
  type AnnotationQuery,
  type AnnotationSupport,
  type DataFrame,
  type Field,
  FieldType,
  type Labels,
} from '@grafana/data';
import { of } from 'rxjs';

import type { PulseQuery } from './types';

/** A Prometheus-style annotation as the core Prometheus data source stores it: the query on the annotation itself. */
interface StoredAnnotation extends Partial<AnnotationQuery<PulseQuery>> {
  expr?: string;
  legendFormat?: string;
}

/**
 * The annotation with its query as `target`. Annotations made with Pulse keep theirs as they are; one moved
 * from the core Prometheus data source keeps `expr` (and its legend) on the annotation, so it becomes the target.
 */
function prepareAnnotation(json: StoredAnnotation): AnnotationQuery<PulseQuery> {
  if (json.target || typeof json.expr !== 'string') {
    return json as AnnotationQuery<PulseQuery>;
  }
  const { expr, legendFormat, ...rest } = json;
  return {
    ...rest,
    target: { refId: 'Anno', expr, ...(legendFormat && { legendFormat }) },
  } as AnnotationQuery<PulseQuery>;
}

/**
 * The query an annotation runs: always a range query in time-series format, because every sample of it is
 * one event at the sample's time (a table or an instant query would have one timestamp for everything).
 */
function prepareQuery(annotation: AnnotationQuery<PulseQuery>): PulseQuery | undefined {
  const target = annotation.target;
  if (!target?.expr?.trim()) {
    return undefined;
  }
  return { ...target, range: true, instant: false, format: 'time_series' };
}

/** `name=value` per label, the metric name left out (the annotation's name says what the series is). */
function labelTags(labels: Labels | undefined): string[] {
  return Object.entries(labels ?? {})
    .filter(([name]) => name !== '__name__')
    .map(([name, value]) => `${name}=${value}`);
}

/** The series' legend as the backend rendered it (e.g. `shop.orders 2.0.1`), else its labels. */
function seriesText(field: Field): string {
  return field.config.displayNameFromDS || labelTags(field.labels).join(', ') || field.name;
}

/**
 * One event per sample of each returned time series, at the sample's time: the queries behind annotations
 * (deploys, restarts) return a sample only at the steps where something happened. The text is the series'
 * legend and the tags are its labels, so a deploy marker reads "shop.orders 2.0.1" and can be filtered by tag.
 */
export function eventsFromFrames(frames: DataFrame[]): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    if (!time) {
      continue;
    }
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) {
        continue;
      }
      const text = seriesText(field);
      const tags = labelTags(field.labels);
      field.values.forEach((value, i) => {
        if (value === null || value === undefined || Number.isNaN(value)) {
          return;
        }
        events.push({ time: time.values[i], text, tags });
      });
    }
  }
  return events.sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
}

/** Annotation support of the Pulse data source: dashboards' annotation queries and the pages' event layers. */
export const pulseAnnotations: AnnotationSupport<PulseQuery> = {
  prepareAnnotation,
  prepareQuery,
  processEvents: (_annotation, frames) => of(eventsFromFrames(frames)),
};
