import {
  aggregate,
  duration,
  formatNumber,
  groupingClause,
  isDuration,
  labelName,
  literalPattern,
  matchAny,
  rangeFunction,
  selector,
  sumBy,
} from './render';

describe('selector', () => {
  it.each([
    ['bare metric', 'up', [], 'up'],
    ['exact', 'up', [{ label: 'job', op: '=', value: 'node' }], 'up{job="node"}'],
    [
      'all four operators, in order',
      'http_requests_total',
      [
        { label: 'a', op: '=', value: '1' },
        { label: 'b', op: '!=', value: '2' },
        { label: 'c', op: '=~', value: 'x|y' },
        { label: 'd', op: '!~', value: '.*z' },
      ],
      'http_requests_total{a="1", b!="2", c=~"x|y", d!~".*z"}',
    ],
    ['exact value escaped', 'up', [{ label: 'job', op: '=', value: 'a"b\\c\nd' }], 'up{job="a\\"b\\\\c\\nd"}'],
    [
      'injection stays inside the string',
      'up',
      [{ label: 'job', op: '=', value: '"} or vector(1) or up{x="' }],
      'up{job="\\"} or vector(1) or up{x=\\""}',
    ],
    ['UTF-8 metric name quoted', 'http.server.duration', [], '{"http.server.duration"}'],
    [
      'UTF-8 metric and label name',
      'my.metric',
      [{ label: 'label.name', op: '=', value: 'v' }],
      '{"my.metric", "label.name"="v"}',
    ],
    ['name starting with a digit', '1abc', [], '{"1abc"}'],
    ['colon is classic in metric names', 'job:rate5m', [], 'job:rate5m'],
    ['no metric', '', [{ label: '__name__', op: '=~', value: 'a|b' }], '{__name__=~"a|b"}'],
    // Prometheus refuses `x{__name__="x"}` ("metric name must not be set twice"), not `{"x", __name__="x"}`.
    ['metric and a __name__ matcher', 'x', [{ label: '__name__', op: '=', value: 'x' }], '{"x", __name__="x"}'],
    ['a keyword as metric name', 'offset', [], '{"offset"}'],
    ['a number word as metric name', 'Inf', [], '{"Inf"}'],
    ['an aggregation name as metric name', 'sum', [{ label: 'a', op: '=', value: 'b' }], '{"sum", a="b"}'],
  ] as const)('%s', (_name, metric, matchers, expected) => {
    expect(selector(metric, [...matchers])).toBe(expected);
  });
});

describe('labelName', () => {
  it.each([
    ['controller', 'controller'],
    ['foo-bar', '"foo-bar"'],
    ['a/b', '"a/b"'],
    ['日本', '"日本"'],
    ['job:x', '"job:x"'],
  ])('%s -> %s', (name, expected) => {
    expect(labelName(name)).toBe(expected);
  });
});

describe('matchAny and literalPattern', () => {
  it('one literal value is an exact matcher', () => {
    expect(selector('m', [matchAny('controller', 'Orders.Controller')])).toBe('m{controller="Orders.Controller"}');
  });

  it('several values become a regex alternation, each value regex-escaped', () => {
    expect(selector('m', [matchAny('controller', ['A.b', 'c|d', '(x)'])])).toBe(
      'm{controller=~"(A\\\\.b|c\\\\|d|\\\\(x\\\\))"}'
    );
  });

  it('a template variable is kept for Grafana to interpolate, with =~ for multi-value', () => {
    expect(selector('m', [matchAny('name', '$service')])).toBe('m{name=~"$service"}');
    expect(selector('m', [matchAny('name', ['${service}'])])).toBe('m{name=~"${service}"}');
  });

  it('variables inside a list are not escaped, literal values are', () => {
    expect(literalPattern(['$a', 'b.c'])).toBe('($a|b\\.c)');
  });

  it('control characters of a regex value are string-escaped after regex escaping', () => {
    expect(selector('m', [matchAny('x', ['a\tb', 'c\\d'])])).toBe('m{x=~"(a\\tb|c\\\\\\\\d)"}');
  });
});

describe('duration', () => {
  it.each([
    ['5m', '5m'],
    ['1h30m', '1h30m'],
    ['$__rate_interval', '$__rate_interval'],
    [300, '300s'],
    [0.5, '500ms'],
  ])('%s -> %s', (value, expected) => {
    expect(duration(value)).toBe(expected);
  });

  it.each(['5 minutes', '', '-1m', 'm5', '5m5m', '30s1m', '0', '-5', 'Inf', '1e400'])('rejects %j', (value) => {
    expect(() => duration(value)).toThrow(RangeError);
  });

  it.each(['1y2w3d4h5m6s7ms', '500ms', '300', '1.5', '0x10', '${__range}', '[[window]]'])('accepts %j', (value) => {
    expect(isDuration(value)).toBe(true);
  });

  it('rejects non-positive seconds', () => {
    expect(() => duration(0)).toThrow(RangeError);
  });
});

describe('formatNumber', () => {
  it.each([
    [0.95, '0.95'],
    [-1, '-1'],
    [Infinity, 'Inf'],
    [NaN, 'NaN'],
    ['010', '010'],
    ['0x1F', '0x1F'],
    ['1_000', '1_000'],
    ['-Inf', '-Inf'],
    ['$n', '$n'],
  ])('%p -> %s', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  it.each(['abc', '5m', '1e400', '', '1 0'])('rejects %j', (value) => {
    expect(() => formatNumber(value)).toThrow(RangeError);
  });
});

describe('aggregations and grouping', () => {
  it.each([
    [undefined, ''],
    [{ mode: 'by', labels: [] }, ''],
    [{ mode: 'by', labels: ['le', 'controller'] }, ' by (le, controller)'],
    [{ mode: 'without', labels: ['instance'] }, ' without (instance)'],
    [{ mode: 'without', labels: [] }, ' without ()'],
    [{ mode: 'by', labels: ['service.name'] }, ' by ("service.name")'],
  ] as const)('%j -> %j', (grouping, expected) => {
    expect(groupingClause(grouping && { mode: grouping.mode, labels: [...grouping.labels] })).toBe(expected);
  });

  it('renders prefix aggregations', () => {
    expect(sumBy(['le'], 'x')).toBe('sum by (le) (x)');
    expect(sumBy([], 'x')).toBe('sum(x)');
    expect(aggregate('topk', 'x', undefined, 5)).toBe('topk(5, x)');
    expect(aggregate('bottomk', 'x', { mode: 'by', labels: ['job'] }, 3)).toBe('bottomk by (job) (3, x)');
  });

  it('renders range functions', () => {
    expect(rangeFunction('rate', 'x{a="b"}', '$__rate_interval')).toBe('rate(x{a="b"}[$__rate_interval])');
  });
});
