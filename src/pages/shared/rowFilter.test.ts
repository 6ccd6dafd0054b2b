import { type DataFrame, FieldType, toDataFrame } from '@grafana/data';
import { SceneDataTransformer } from '@grafana/scenes';
import { lastValueFrom, of } from 'rxjs';

import { filterRows, ROW_FILTER_VARIABLE, rowFilterTransformation } from './rowFilter';

const services = (): DataFrame =>
  toDataFrame({
    fields: [
      { name: 'name', type: FieldType.string, values: ['shop.gateway', 'shop.orders', 'fleet.svc-01'] },
      { name: 'version (uniqueValues)', type: FieldType.other, values: [['1.4.2'], ['2.0.1'], ['1.0.0', '1.1.0']] },
      { name: 'Value #C (lastNotNull)', type: FieldType.number, values: [10, 12.5, 3] },
    ],
  });

const column = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)?.values;
const SHOWN = ['name', 'version (uniqueValues)'];

describe('filterRows', () => {
  it('keeps the rows whose shown fields contain the text, whatever its case, with every column', () => {
    const [out] = filterRows([services()], ' SHOP ', SHOWN);
    expect(out.length).toBe(2);
    expect(column(out, 'name')).toEqual(['shop.gateway', 'shop.orders']);
    expect(column(out, 'Value #C (lastNotNull)')).toEqual([10, 12.5]);
  });

  it('searches a list cell (a service running two versions) and never a number', () => {
    expect(column(filterRows([services()], '1.1.0', SHOWN)[0], 'name')).toEqual(['fleet.svc-01']);
    expect(filterRows([services()], '12.5', SHOWN)[0].length).toBe(0);
  });

  it('matches the text literally: a dot is a dot and a bracket is no pattern', () => {
    expect(column(filterRows([services()], 'p.o', SHOWN)[0], 'name')).toEqual(['shop.orders']);
    expect(filterRows([services()], 'shop[', SHOWN)[0].length).toBe(0);
    expect(filterRows([services()], '.*', SHOWN)[0].length).toBe(0);
  });

  it('leaves the frames alone for an empty text, and searches only the named fields', () => {
    const frames = [services()];
    expect(filterRows(frames, '   ', SHOWN)).toBe(frames);
    expect(filterRows(frames, 'shop', ['version (uniqueValues)'])[0].length).toBe(0);
  });

  it('finds a field by its display name too (after organize retitled it)', () => {
    const frame = services();
    frame.fields[0].config.displayName = 'Service';
    expect(filterRows([frame], 'gateway', ['Service'])[0].length).toBe(1);
  });
});

describe('rowFilterTransformation', () => {
  /** The operator as scenes calls it: interpolate knows the page's variables (none: the reference stays). */
  async function transformed(value: string | undefined) {
    const transformation = rowFilterTransformation(SHOWN);
    if (typeof transformation === 'function') {
      throw new Error('the filter is a definition with its variable named in it');
    }
    const interpolate = (s: string) => (value === undefined ? s : s.replace(`\${${ROW_FILTER_VARIABLE}}`, value));
    return lastValueFrom(transformation.operator({ interpolate })(of([services()])));
  }

  it('names the variable in its state, so scenes re-runs it (and only it) when the text changes', () => {
    const transformer = new SceneDataTransformer({ transformations: [rowFilterTransformation(SHOWN)] });
    expect(transformer.variableDependency?.getNames()).toEqual(new Set([ROW_FILTER_VARIABLE]));
  });

  it('filters by the variable’s text, and by nothing on a page without the variable', async () => {
    expect((await transformed('orders'))[0].length).toBe(1);
    expect((await transformed(undefined))[0].length).toBe(3);
  });
});
