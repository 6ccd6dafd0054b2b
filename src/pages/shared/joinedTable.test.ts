import { type DataFrame, FieldType, getFieldDisplayName, toDataFrame, transformDataFrame } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { joinedTableTransformations } from './joinedTable';
import { registerStandardTransformers } from './testing/transformers';

beforeAll(registerStandardTransformers);

// Tables as the Pulse backend returns them for instant table queries: Time, the labels sorted, `Value #<refId>`.
function table(refId: string, labels: Record<string, string[]>, values: number[]): DataFrame {
  return toDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: values.map(() => 1000) },
      ...Object.entries(labels).map(([name, v]) => ({ name, type: FieldType.string, values: v })),
      { name: `Value #${refId}`, type: FieldType.number, values },
    ],
  });
}

async function rows(frames: DataFrame[], transformations: ReturnType<typeof joinedTableTransformations>) {
  const [joined, ...others] = await lastValueFrom(transformDataFrame(transformations, frames));
  expect(others).toEqual([]);
  const names = joined.fields.map((f) => getFieldDisplayName(f, joined));
  return Array.from({ length: joined.length }, (_, i) =>
    Object.fromEntries(joined.fields.map((f, j) => [names[j], f.values[i]]))
  );
}

describe('joinedTableTransformations', () => {
  it('joins one row per host, keeps a host missing from a column, drops labels that would collide', async () => {
    const frames = [
      table('A', { instance: ['a:9100', 'b:9100'], job: ['node', 'node'], nodename: ['alpha', 'beta'] }, [1, 1]),
      table('B', { instance: ['b:9100', 'a:9100'], job: ['node', 'node'] }, [0.5, 0.25]),
      table(
        'C',
        { device: ['/dev/vda'], fstype: ['ext4'], instance: ['a:9100'], job: ['node'], mountpoint: ['/'] },
        [0.75]
      ),
    ];
    const transformations = joinedTableTransformations(
      { name: 'instance', title: 'Host' },
      [{ name: 'nodename', title: 'Node name' }],
      [
        { refId: 'A', hideValue: true },
        { refId: 'B', title: 'CPU busy' },
        { refId: 'C', title: 'Root FS used' },
      ]
    );
    expect(await rows(frames, transformations)).toEqual([
      { Host: 'a:9100', 'Node name': 'alpha', 'CPU busy': 0.25, 'Root FS used': 0.75 },
      { Host: 'b:9100', 'Node name': 'beta', 'CPU busy': 0.5, 'Root FS used': undefined },
    ]);
  });

  it('shows a label that several queries carry once', async () => {
    const frames = [
      table('A', { id: ['/docker/a', '/pulse-demo-orders'], name: ['orders', ''] }, [60, 120]),
      table('B', { id: ['/pulse-demo-orders', '/docker/a'], name: ['', 'orders'] }, [0, 2]),
    ];
    const transformations = joinedTableTransformations(
      { name: 'id', title: 'cgroup id' },
      [{ name: 'name', title: 'Name' }],
      [
        { refId: 'A', title: 'Uptime' },
        { refId: 'B', title: 'Restarts' },
      ]
    );
    expect(await rows(frames, transformations)).toEqual([
      { 'cgroup id': '/docker/a', Name: 'orders', Uptime: 60, Restarts: 2 },
      { 'cgroup id': '/pulse-demo-orders', Name: '', Uptime: 120, Restarts: 0 },
    ]);
  });
});
