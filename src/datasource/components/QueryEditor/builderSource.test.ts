import { parsePromQL } from '../../../promql/parse';
import type { PulseQuery } from '../../types';
import { builderSourceOf, keepSourceText } from './builderSource';

const TEXT = 'sum by (job) (\n  rate(up[5m])\n)  > 0';
const RENDERED = 'sum by (job) (rate(up[5m])) > 0';
const model = () => {
  const parsed = parsePromQL(TEXT);
  if (!parsed.ok) {
    throw new Error(parsed.error.reason);
  }
  return parsed.query;
};

describe('builderSourceOf', () => {
  it('finds the text a query saved in Builder mode was read from', () => {
    const query: PulseQuery = { refId: 'A', expr: TEXT, editorMode: 'builder', builder: model() };
    expect(builderSourceOf(query)).toEqual({ text: TEXT, rendered: RENDERED });
  });

  it('has none when the text is the rendering, is empty, or reads as another model', () => {
    const builder = model();
    expect(builderSourceOf({ refId: 'A', expr: RENDERED, builder })).toBeUndefined();
    expect(builderSourceOf({ refId: 'A', expr: '', builder })).toBeUndefined();
    expect(builderSourceOf({ refId: 'A', expr: 'sum(up) > 0', builder })).toBeUndefined();
    expect(builderSourceOf({ refId: 'A', expr: TEXT })).toBeUndefined();
  });
});

describe('keepSourceText', () => {
  const source = { text: TEXT, rendered: RENDERED };

  it.each<[string, PulseQuery, string]>([
    ['an unchanged model keeps the text', { refId: 'A', expr: RENDERED, editorMode: 'builder' }, TEXT],
    ['an edited model is rendered', { refId: 'A', expr: 'sum(up) > 0', editorMode: 'builder' }, 'sum(up) > 0'],
    ['a model that cannot render has no PromQL', { refId: 'A', expr: '', editorMode: 'builder' }, ''],
    ['Code is left alone', { refId: 'A', expr: RENDERED, editorMode: 'code' }, RENDERED],
  ])('%s', (_name, next, expr) => {
    expect(keepSourceText(next, source).expr).toBe(expr);
  });

  it('without a source, passes the change on', () => {
    const next: PulseQuery = { refId: 'A', expr: RENDERED, editorMode: 'builder' };
    expect(keepSourceText(next, undefined)).toBe(next);
  });
});
