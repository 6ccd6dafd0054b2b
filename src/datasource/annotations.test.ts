import { type AnnotationQuery, type DataFrame, FieldType, PluginType, toDataFrame } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { eventsFromFrames, pulseAnnotations } from './annotations';
import { PulseDataSource } from './datasource';
import type { PulseQuery } from './types';

/** A series as the backend frames a range query: one frame per series, labels and legend on the value field. */
function series(labels: Record<string, string>, points: Array<[number, number | null]>, legend?: string): DataFrame {
  return toDataFrame({
    fields: [
      { name: 'Time', type: FieldType.time, values: points.map(([time]) => time) },
      {
        name: 'Value',
        type: FieldType.number,
        values: points.map(([, value]) => value),
        labels,
        config: legend ? { displayNameFromDS: legend } : {},
      },
    ],
  });
}

const deploys: AnnotationQuery<PulseQuery> = {
  name: 'Deploys',
  enable: true,
  iconColor: 'blue',
  target: { refId: 'A', expr: 'count by (name, version) (nestjs_info)', format: 'table', instant: true, range: false },
};

describe('pulseAnnotations', () => {
  it('keeps an annotation that has its query as target', () => {
    expect(pulseAnnotations.prepareAnnotation!(deploys)).toBe(deploys);
  });

  it('moves the expr of an annotation stored by the core Prometheus data source into the target', () => {
    const stored = {
      name: 'Starts',
      enable: true,
      iconColor: 'red',
      expr: 'process_start_time_seconds',
      legendFormat: '{{instance}}',
    };
    expect(pulseAnnotations.prepareAnnotation!(stored)).toEqual({
      name: 'Starts',
      enable: true,
      iconColor: 'red',
      target: { refId: 'Anno', expr: 'process_start_time_seconds', legendFormat: '{{instance}}' },
    });
  });

  it('runs the target as a range query in time-series format, and nothing without PromQL', () => {
    expect(pulseAnnotations.prepareQuery!(deploys)).toEqual({
      refId: 'A',
      expr: 'count by (name, version) (nestjs_info)',
      format: 'time_series',
      instant: false,
      range: true,
    });
    expect(pulseAnnotations.prepareQuery!({ ...deploys, target: { refId: 'A', expr: '  ' } })).toBeUndefined();
    expect(pulseAnnotations.prepareQuery!({ name: 'x', enable: true, iconColor: 'red' })).toBeUndefined();
  });

  it('makes one event per sample, with the legend as text and the labels as tags, in time order', async () => {
    const frames = [
      series({ name: 'shop.orders', version: '2.0.2' }, [[3000, 1]], 'shop.orders 2.0.2'),
      series(
        { name: 'shop.orders', version: '2.0.1' },
        [
          [1000, 1],
          [2000, null],
        ],
        'shop.orders 2.0.1'
      ),
    ];
    const events = await lastValueFrom(pulseAnnotations.processEvents!(deploys, frames));
    expect(events).toEqual([
      { time: 1000, text: 'shop.orders 2.0.1', tags: ['name=shop.orders', 'version=2.0.1'] },
      { time: 3000, text: 'shop.orders 2.0.2', tags: ['name=shop.orders', 'version=2.0.2'] },
    ]);
  });

  it('falls back to the labels without a legend, and skips NaN samples and frames without time', () => {
    const restart = series({ __name__: 'process_start_time_seconds', instance: 'h:3000', job: 'nestjs' }, [
      [5000, NaN],
      [6000, 1],
    ]);
    const table = toDataFrame({ fields: [{ name: 'Value', type: FieldType.number, values: [1] }] });
    expect(eventsFromFrames([restart, table])).toEqual([
      { time: 6000, text: 'instance=h:3000, job=nestjs', tags: ['instance=h:3000', 'job=nestjs'] },
    ]);
  });

  it('is the annotation support of the Pulse data source', () => {
    const ds = new PulseDataSource({
      uid: 'pulse',
      type: 'pulse-prometheus-datasource',
      name: 'Pulse',
      access: 'proxy',
      readOnly: false,
      jsonData: {},
      meta: {
        id: 'pulse-prometheus-datasource',
        name: 'Pulse',
        type: PluginType.datasource,
        info: {} as never,
        module: '',
        baseUrl: '',
      },
    });
    expect(ds.annotations).toBe(pulseAnnotations);
  });
});
