import { VariableQuery, parseVariableQuery, renderVariableQuery, variableQueryText } from './variableQuery';

describe('variable queries', () => {
  it.each<[string, VariableQuery]>([
    ['label_names()', { type: 'label_names' }],
    ['label_names(up{job="node"})', { type: 'label_names', match: 'up{job="node"}' }],
    ['label_values(job)', { type: 'label_values', label: 'job' }],
    ['label_values( $label )', { type: 'label_values', label: '$label' }],
    [
      'label_values(nestjs_info{name=~"$service"}, instance)',
      { type: 'label_values', label: 'instance', match: 'nestjs_info{name=~"$service"}' },
    ],
    [
      // A comma inside the selector's string stays with the selector.
      'label_values(up{job=~"a,b"},${label})',
      { type: 'label_values', label: '${label}', match: 'up{job=~"a,b"}' },
    ],
    ['metrics(nestjs_.*)', { type: 'metrics', regex: 'nestjs_.*' }],
    ['query_result(topk(3, sum by (job) (up)))', { type: 'query_result', expr: 'topk(3, sum by (job) (up))' }],
  ])('parses %s', (text, expected) => {
    expect(parseVariableQuery(text)).toEqual(expected);
    expect(parseVariableQuery(renderVariableQuery(expected))).toEqual(expected);
  });

  it.each(['', 'up', 'label_values()', 'label_values(up, )', 'metrics()', 'series(up)', 'label_values(up, a-b)'])(
    'rejects %j',
    (text) => {
      expect(parseVariableQuery(text)).toBeUndefined();
    }
  );

  it('reads the query text of strings and { query } objects', () => {
    expect(variableQueryText('label_names()')).toBe('label_names()');
    expect(variableQueryText({ query: 'metrics(up)', refId: 'A' })).toBe('metrics(up)');
    expect(variableQueryText(undefined)).toBe('');
    expect(variableQueryText({ expr: 'up' })).toBe('');
  });
});
