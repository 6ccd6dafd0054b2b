/**
 * offset and @, subqueries, every function with its parameters, count_values/quantile/limitk, unary minus,
 * vector(…)/time() and their refusals: Code -> Builder -> Code renders what was written (the Builder's spelling),
 * reads back to the same model, and a Builder edit renders PromQL that means what the model says.
 */
import { type BuilderQuery, builderProblems, renderBuilderQuery } from './builder';
import { RANGE_FUNCTIONS, VECTOR_FUNCTIONS, defaultParameters } from './functions';
import { parsePromQL } from './parse';
import { canonical, lezerError } from './testing/canonical';

function parsed(expr: string): BuilderQuery {
  const result = parsePromQL(expr);
  if (!result.ok) {
    throw new Error(result.error.reason);
  }
  return result.query;
}

function roundTrip(expr: string, rendered = expr) {
  const query = parsed(expr);
  expect(builderProblems(query)).toEqual([]);
  expect(renderBuilderQuery(query)).toBe(rendered);
  expect(canonical(rendered)).toBe(canonical(expr));
  expect(parsed(rendered)).toEqual(query);
}

describe('offset and @', () => {
  it.each([
    ['x offset 5m'],
    ['x offset -1h'],
    ['x offset 0s'],
    ['x offset $shift'],
    // A step back by Grafana's interval: the macro is a positive duration, so the sign is the user's own.
    ['increase(x[$__range] offset -$__interval)'],
    ['x offset -${__rate_interval}'],
    ['x @ 1700000000'],
    ['x @ -1.5e3'],
    ['x @ start()'],
    ['x @ ${__to:date:seconds}'],
    ['x offset 1d @ end()'],
    ['x @ end() offset 1d', 'x offset 1d @ end()'],
    ['x OFFSET 5m @ START()', 'x offset 5m @ start()'],
    ['rate(x[5m] offset 1h)'],
    ['increase(x{a="b"}[1h] offset 1d @ end())'],
    ['sum by (job) (rate(x[$__rate_interval] offset $__range))'],
    // offset binds to the operand next to it: x minus last week's x
    ['x - x offset 1w'],
    ['2 * x offset 1h'],
    ['-x offset 1h'],
    ['sum(x) / sum(x offset 1d) - 1'],
  ])('%s', (...row: string[]) => roundTrip(row[0], row[1]));

  it('holds them on the selector of the model', () => {
    expect(parsed('rate(x[5m] @ end() offset -1h)')).toEqual({
      metric: 'x',
      matchers: [],
      operations: [{ kind: 'range', fn: 'rate', range: '5m' }],
      offset: '-1h',
      at: 'end()',
    });
    expect(parsed('x - x offset 1w').operations).toEqual([
      { kind: 'binaryQuery', op: '-', query: { metric: 'x', matchers: [], operations: [], offset: '1w' } },
    ]);
  });
});

describe('subqueries', () => {
  it.each([
    ['max_over_time(rate(x[5m])[1h:])'],
    ['max_over_time(rate(x[5m])[1h:1m])'],
    ['max_over_time(x[1h:1m])'],
    ['max_over_time(rate(x[5m])[1h:1m] offset -1m)'],
    ['max_over_time(rate(x[5m])[1h:] @ end() offset 1d)', 'max_over_time(rate(x[5m])[1h:] offset 1d @ end())'],
    ['min_over_time(sum by (job) (rate(x[$__rate_interval]))[$__range:$__interval])'],
    ['max_over_time((a - b)[30m:])'],
    ['max_over_time((-x)[30m:])'],
    ['max_over_time((x offset 1h)[1h:])'],
    ['max_over_time(x offset 1h[1h:])', 'max_over_time((x offset 1h)[1h:])'],
    ['quantile_over_time(0.99, rate(x[1m])[10m:])'],
    ['deriv(avg(x)[10m:30s])'],
  ])('%s', (...row: string[]) => roundTrip(row[0], row[1]));

  it('holds step, offset and @ on the range operation', () => {
    expect(parsed('max_over_time(rate(x[5m])[1h:1m] offset -1m @ 100)').operations).toEqual([
      { kind: 'range', fn: 'rate', range: '5m' },
      { kind: 'range', fn: 'max_over_time', range: '1h', subquery: { step: '1m', offset: '-1m', at: '100' } },
    ]);
  });
});

describe('functions and their parameters', () => {
  it.each([
    ['quantile_over_time(0.9, x[5m])'],
    ['quantile_over_time($q, x[5m])'],
    ['predict_linear(x[6h], 3600) < 0'],
    ['predict_linear(node_filesystem_avail_bytes[6h], 4 * 3600) < 0'],
    ['double_exponential_smoothing(x[1h], 0.3, 0.1)'],
    ['absent_over_time(up{job="a"}[5m])'],
    ['label_replace(up, "host", "$1", "instance", "([^:]+):.*")'],
    ["label_replace(up, 'a', '${1}', 'b', '(.*)')", 'label_replace(up, "a", "${1}", "b", "(.*)")'],
    ['label_join(up, "id", "-", "job", "instance")'],
    ['label_join(up, "id", "-")'],
    ['sort_by_label(up, "job", "instance")'],
    ['sort_by_label_desc(up)'],
    ['round(x)'],
    ['round(x, 0.1)'],
    ['round(x, 010)'],
    ['clamp(x, 0, 100)'],
    ['clamp_max(x, $max)'],
    ['clamp_min(x, -Inf)'],
    ['histogram_fraction(0, 0.25, sum by (le) (rate(h_bucket[5m])))'],
    ['time() - timestamp(x)'],
    ['scalar(x) * 2'],
    ['x > scalar(y)'],
    ['scalar(x) > bool 1'],
    ['day_of_week(timestamp(x))'],
    ['abs(deriv(x[10m]))'],
  ])('%s', (...row: string[]) => roundTrip(row[0], row[1]));

  it('holds parameters as numbers and strings', () => {
    expect(parsed('label_replace(up, "host", "$1", "instance", "(.*)")').operations).toEqual([
      { kind: 'function', fn: 'label_replace', params: ['host', '$1', 'instance', '(.*)'] },
    ]);
    expect(parsed('clamp(x, 0, 010)').operations).toEqual([{ kind: 'function', fn: 'clamp', params: [0, '010'] }]);
    expect(parsed('predict_linear(x[1h], 4 * 3600)').operations).toEqual([
      { kind: 'range', fn: 'predict_linear', range: '1h', params: ['4 * 3600'] },
    ]);
  });

  it.each([...VECTOR_FUNCTIONS])('%s of a metric with its default parameters renders and reads back', (fn) => {
    const query: BuilderQuery = {
      metric: 'x',
      matchers: [],
      operations: [{ kind: 'function', fn, params: defaultParameters(fn) }],
    };
    const withLabel = {
      ...query,
      operations: [
        { ...query.operations[0], params: defaultParameters(fn).map((p, i) => (i === 0 && p === '' ? 'dst' : p)) },
      ],
    } as BuilderQuery;
    expect(builderProblems(withLabel)).toEqual([]);
    const text = renderBuilderQuery(withLabel);
    expect(lezerError(text)).toBeUndefined();
    expect(renderBuilderQuery(parsed(text))).toBe(text);
  });

  it.each([...RANGE_FUNCTIONS])('%s over a range and over a subquery renders and reads back', (fn) => {
    const params = defaultParameters(fn);
    const direct: BuilderQuery = {
      metric: 'x',
      matchers: [],
      operations: [{ kind: 'range', fn, range: '5m', ...(params.length > 0 && { params }) }],
    };
    const sub: BuilderQuery = {
      metric: 'x',
      matchers: [],
      operations: [
        { kind: 'aggregation', fn: 'sum' },
        { kind: 'range', fn, range: '1h', ...(params.length > 0 && { params }), subquery: { step: '1m' } },
      ],
    };
    for (const query of [direct, sub]) {
      const text = renderBuilderQuery(query);
      expect(lezerError(text)).toBeUndefined();
      expect(parsed(text)).toEqual(query);
    }
  });
});

describe('aggregations with a parameter, unary minus, vector() and time()', () => {
  it.each([
    ['count_values("version", build_info)'],
    ['count_values by (job) ("v", x)'],
    ['quantile(0.9, x)'],
    ['quantile by (job) (0.5, rate(x[5m]))'],
    ['limitk(3, x)'],
    ['limit_ratio(0.1, x)'],
    ['-x'],
    ['-sum(x)'],
    ['-(a + b)'],
    ['- -x', '-(-x)'],
    ['-x * 2'],
    ['-x ^ 2', '-(x ^ 2)'],
    ['(-x) ^ 2'],
    ['2 ^ -x', '2 ^ (-x)'],
    ['a - -b'],
    ['+x', 'x'],
    ['sum(rate(x[5m])) or vector(0)'],
    ['(sum(rate(f[5m])) or vector(0)) / sum(rate(s[5m]))'],
    ['x or on () vector(0)'],
    ['vector(1)'],
    ['vector($n)'],
    ['vector(-1)'],
    ['time()'],
    ['time() - process_start_time_seconds'],
    ['1 - x'],
    ['time() > bool 5'],
  ])('%s', (...row: string[]) => roundTrip(row[0], row[1]));

  it('models them', () => {
    expect(parsed('count_values("v", x)').operations).toEqual([{ kind: 'countValues', label: 'v' }]);
    expect(parsed('-x').operations).toEqual([{ kind: 'negate' }]);
    expect(parsed('vector(0)')).toEqual({
      metric: '',
      matchers: [],
      operations: [],
      source: { kind: 'vector', value: 0 },
    });
    expect(parsed('time()')).toEqual({ metric: '', matchers: [], operations: [], source: { kind: 'time' } });
  });
});

describe('an edit in the Builder', () => {
  it('re-renders the model, modifiers and parameters included', () => {
    const query = parsed('max_over_time(rate(x[5m])[1h:] offset -1m)');
    const edited: BuilderQuery = {
      ...query,
      offset: '1d',
      operations: query.operations.map((op) =>
        op.kind === 'range' && op.subquery ? { ...op, subquery: { ...op.subquery, step: '30s', at: 'end()' } } : op
      ),
    };
    const text = renderBuilderQuery(edited);
    expect(text).toBe('max_over_time(rate(x[5m] offset 1d)[1h:30s] offset -1m @ end())');
    expect(parsed(text)).toEqual(edited);
  });

  it.each<[string, BuilderQuery, string]>([
    [
      'an offset that is no duration',
      { metric: 'x', matchers: [], operations: [], offset: '5 m' },
      'the offset 5 m is not a duration (5m, -1h, or a variable)',
    ],
    [
      'an @ that is no time',
      { metric: 'x', matchers: [], operations: [], at: 'now' },
      'the @ now is not start(), end() or a Unix timestamp',
    ],
    [
      'a step that is no duration',
      {
        metric: 'x',
        matchers: [],
        operations: [{ kind: 'range', fn: 'max_over_time', range: '1h', subquery: { step: 'x' } }],
      },
      'the step x is not a duration (1m, 30s, a variable or empty)',
    ],
    [
      'a range function after another operation, not a subquery',
      {
        metric: 'x',
        matchers: [],
        operations: [
          { kind: 'aggregation', fn: 'sum' },
          { kind: 'range', fn: 'rate', range: '5m' },
        ],
      },
      'rate needs the raw metric: move it to the first operation',
    ],
    [
      'label_replace without its destination label',
      {
        metric: 'x',
        matchers: [],
        operations: [{ kind: 'function', fn: 'label_replace', params: ['', '$1', 'a', '(.*)'] }],
      },
      'label_replace needs the name of the label it writes',
    ],
    [
      'a parameter that is no number',
      { metric: 'x', matchers: [], operations: [{ kind: 'function', fn: 'clamp_max', params: ['many'] }] },
      'many is not a number',
    ],
    [
      'sum of a single number',
      { metric: '', matchers: [], operations: [{ kind: 'aggregation', fn: 'sum' }], source: { kind: 'time' } },
      'sum needs series, not a single number: use vector(…) or remove it',
    ],
    [
      'vector() beside a metric',
      { metric: 'x', matchers: [], operations: [], source: { kind: 'vector', value: 0 } },
      'vector() takes the place of the metric: remove the metric and its filters',
    ],
  ])('names %s', (_, query, problem) => {
    expect(builderProblems(query)).toContain(problem);
  });
});

describe('refusals name the construct and where it stands', () => {
  it.each([
    [
      'x[1m:] offset -1m',
      'cannot represent: a subquery [1m:] with offset -1m without a function over it (such as max_over_time), at line 1, column 2',
    ],
    [
      'sum(x) offset 5m',
      'refused by Prometheus: offset 5m after sum(x) (offset and @ apply to a metric, a range or a subquery), at line 1, column 8',
    ],
    [
      'rate(x offset 5m [5m])',
      'refused by Prometheus: offset 5m before the range [5m] (write it after: x[5m] offset 5m), at line 1, column 8',
    ],
    ['x offset 1h offset 2h', 'refused by Prometheus: offset set twice (offset 1h and offset 2h), at line 1, column 3'],
    ['x @ Inf', 'refused by Prometheus: the @ timestamp Inf, at line 1, column 5'],
    [
      'max_over_time(a - b[30m:])',
      'refused by Prometheus: the subquery [30m:] of the last operand only of a - b (write parentheses around what it ranges over), at line 1, column 15',
    ],
    ['x offset -$shift', 'cannot represent: a sign before the variable $shift after offset, at line 1, column 10'],
    [
      'sum(scalar(x))',
      'refused by Prometheus: sum of scalar(x), a single number (sum needs series), at line 1, column 5',
    ],
    [
      'scalar(x) > 1',
      'refused by Prometheus: > between two numbers without bool (comparisons of numbers need bool), at line 1, column 11',
    ],
    [
      'holt_winters(x[1h], 0.3, 0.1)',
      'cannot parse: the function holt_winters, which Prometheus 3 names double_exponential_smoothing, at line 1, column 1',
    ],
    ['label_replace(up, "a", "$1", "b")', 'cannot represent: label_replace with 4 arguments, at line 1, column 1'],
    [
      'predict_linear(x[6h], 4 * x)',
      'cannot represent: the argument 4 * x of predict_linear (the Builder holds a number or a variable here), at line 1, column 23',
    ],
    [
      'vector(time())',
      'cannot represent: vector of (time()) (the Builder holds vector of a number), at line 1, column 1',
    ],
    [
      'hour()',
      'cannot represent: hour() of the current time (the Builder applies hour to a query), at line 1, column 1',
    ],
    ['rate(x[5m] smoothed)', 'cannot represent: the smoothed modifier, at line 1, column 12'],
  ])('%j', (expr, reason) => {
    const result = parsePromQL(expr);
    expect(result.ok ? 'accepted' : result.error.reason).toBe(reason);
  });
});
