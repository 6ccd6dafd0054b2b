import { type BuilderQuery, builderProblems, renderBuilderQuery } from './builder';
import { parsePromQL } from './parse';

function parsed(expr: string): BuilderQuery {
  const result = parsePromQL(expr);
  if (!result.ok) {
    throw new Error(result.error.reason);
  }
  return result.query;
}

function reason(expr: string): string {
  const result = parsePromQL(expr);
  if (result.ok) {
    throw new Error(`${expr} was accepted as ${JSON.stringify(result.query)}`);
  }
  return result.error.reason;
}

describe('parsePromQL: representable queries', () => {
  // [query as a user may write it, the Builder's rendering of it]
  it.each([
    ['up', 'up'],
    ['up{job="node"}', 'up{job="node"}'],
    ['up{job=\'node\',instance=~"h:.*"}', 'up{job="node", instance=~"h:.*"}'],
    ['rate(http_requests_total[5m])', 'rate(http_requests_total[5m])'],
    ['sum(rate(x[$__rate_interval])) by (le)', 'sum by (le) (rate(x[$__rate_interval]))'],
    [
      'histogram_quantile(0.95, sum by (le, controller) (rate(nestjs_success_requests_bucket{controller="A"}[$__rate_interval])))',
      'histogram_quantile(0.95, sum by (le, controller) (rate(nestjs_success_requests_bucket{controller="A"}[$__rate_interval])))',
    ],
    ['topk(5, sum by (handler) (increase(c[1h])))', 'topk(5, sum by (handler) (increase(c[1h])))'],
    ['bottomk by (job) (3, up)', 'bottomk by (job) (3, up)'],
    [
      'avg without (cpu) (rate(node_cpu_seconds_total{mode="idle"}[1m]))',
      'avg without (cpu) (rate(node_cpu_seconds_total{mode="idle"}[1m]))',
    ],
    [
      '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
      '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
    ],
    ['rate(process_cpu_seconds_total[1m]) * 100', 'rate(process_cpu_seconds_total[1m]) * 100'],
    ['(sum(x) + 1) * 2', '(sum(x) + 1) * 2'],
    ['up == bool 0', 'up == bool 0'],
    ['x > -1', 'x > -1'],
    ['max_over_time(pg_up[$__range])', 'max_over_time(pg_up[$__range])'],
    ['{"my.metric", "label.name"="v"}', '{"my.metric", "label.name"="v"}'],
    ['{__name__="http.server.duration"}', '{"http.server.duration"}'],
    ['{__name__=~"nestjs_(success|fail)_requests_bucket"}', '{__name__=~"nestjs_(success|fail)_requests_bucket"}'],
    ['up{job="a\\"b\\\\c\\n"}', 'up{job="a\\"b\\\\c\\n"}'],
    ['up{job=~"$job", instance=~"${instance:regex}"}', 'up{job=~"$job", instance=~"${instance:regex}"}'],
    ['topk($n, up)', 'topk($n, up)'],
  ])('%s', (expr, rendered) => {
    const query = parsed(expr);
    expect(builderProblems(query)).toEqual([]);
    expect(renderBuilderQuery(query)).toBe(rendered);
    // stable: render -> parse -> render
    expect(renderBuilderQuery(parsed(rendered))).toBe(rendered);
  });

  it('builds the expected model', () => {
    expect(parsed('histogram_quantile(0.9, sum by (le) (rate(h_bucket{a!="b"}[5m]))) * 1000')).toEqual({
      metric: 'h_bucket',
      matchers: [{ label: 'a', op: '!=', value: 'b' }],
      operations: [
        { kind: 'range', fn: 'rate', range: '5m' },
        { kind: 'aggregation', fn: 'sum', grouping: { mode: 'by', labels: ['le'] } },
        { kind: 'histogramQuantile', quantile: 0.9 },
        { kind: 'binaryScalar', op: '*', scalar: 1000 },
      ],
    });
  });

  it('decodes escapes in label values', () => {
    expect(parsed('up{x="\\x41\\u00fc\\t"}').matchers[0].value).toBe('Aü\t');
  });
});

describe('parsePromQL: what the Builder cannot represent', () => {
  it.each([
    ['', 'cannot represent: an empty query, at line 1, column 1'],
    ['sum(rate(x[5m])', 'cannot parse: invalid PromQL, at line 1, column 16'],
    ['label_replace(up, "a", "$1", "b", "(.*)")', 'cannot represent: the function label_replace, at line 1, column 1'],
    ['up or vector(0)', 'cannot represent: the function vector, at line 1, column 7'],
    ['x atan2 y', 'cannot represent: the operator atan2, at line 1, column 3'],
    ['x and 1', 'cannot represent: and with a number, at line 1, column 1'],
    ['x * on (a) 2', 'cannot represent: vector matching with a number (on (a)), at line 1, column 5'],
    ['x + fill(0) y', 'cannot represent: vector matching (fill(0)), at line 1, column 5'],
    ['rate(x[5m:1m])', 'cannot represent: a subquery, at line 1, column 6'],
    ['x offset 5m', 'cannot represent: the offset modifier, at line 1, column 1'],
    ['x @ 1700000000', 'cannot represent: the @ modifier, at line 1, column 1'],
    ['x[5m]', 'cannot represent: a range selector without a range function, at line 1, column 1'],
    ['quantile(0.9, x)', 'cannot represent: the aggregation quantile, at line 1, column 1'],
    ['count_values("v", x)', 'cannot represent: the aggregation count_values, at line 1, column 1'],
    ['-x', 'cannot represent: a sign in front of a query (use "* -1"), at line 1, column 1'],
    ['42', 'cannot represent: a number without a metric, at line 1, column 1'],
    ['1 + 2', 'cannot represent: arithmetic between numbers only, at line 1, column 1'],
    ['"text"', 'cannot represent: a string without a metric, at line 1, column 1'],
    ['sum(x) + 1 * 2', 'cannot represent: arithmetic between numbers only, at line 1, column 10'],
    ['time() - process_start_time_seconds', 'cannot represent: the function time, at line 1, column 1'],
    [
      'sum(\n  rate(x[5m])\n) / label_replace(y, "a", "$1", "b", "")',
      'cannot represent: the function label_replace, at line 3, column 5',
    ],
    ['histogram_quantile(q, x)', 'cannot represent: a quantile that is not a number, at line 1, column 20'],
    ['rate(x[1m] )[5m:]', 'cannot represent: a subquery, at line 1, column 1'],
    ['$metric', 'cannot represent: a number without a metric, at line 1, column 1'],
  ])('%j', (expr, expected) => {
    expect(reason(expr)).toBe(expected);
  });

  it('reports offsets for the editor to mark', () => {
    const result = parsePromQL('sum(x) * label_join(y, "a", ",", "b")');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({
        code: 'function',
        what: 'the function label_join',
        from: 9,
        to: 19,
        line: 1,
        column: 10,
      });
    }
  });
});

describe('renderBuilderQuery', () => {
  it('refuses a range function after another operation', () => {
    const query: BuilderQuery = {
      metric: 'x',
      matchers: [],
      operations: [
        { kind: 'aggregation', fn: 'sum' },
        { kind: 'range', fn: 'rate', range: '5m' },
      ],
    };
    expect(builderProblems(query)).toEqual(['rate needs the raw metric: move it to the first operation']);
    expect(() => renderBuilderQuery(query)).toThrow('rate needs the raw metric');
  });

  it('refuses a query without metric or filter', () => {
    expect(() => renderBuilderQuery({ metric: '', matchers: [], operations: [] })).toThrow('choose a metric');
  });
});

describe('parsePromQL: binary operations between two queries', () => {
  it.each([
    ['sum(x) * sum(y)', 'sum(x) * sum(y)'],
    [
      'sum by (controller) (rate(nestjs_fail_requests_count[5m])) / sum by (controller) (rate(nestjs_success_requests_count[5m]))',
      'sum by (controller) (rate(nestjs_fail_requests_count[5m])) / sum by (controller) (rate(nestjs_success_requests_count[5m]))',
    ],
    ['a + b - c', 'a + b - c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['a - (b * 2)', 'a - b * 2'],
    ['up > bool min_over_time(up[1h])', 'up > bool min_over_time(up[1h])'],
    ['(x + 1) / y{job="$job"}', '(x + 1) / y{job="$job"}'],
    // vector matching and the set operators, as the service signals write them
    [
      'rate(x[5m]) and on (instance, job) nestjs_info{name="a"}',
      'rate(x[5m]) and on (instance, job) nestjs_info{name="a"}',
    ],
    ['a / ignoring(code) b', 'a / ignoring (code) b'],
    ['a * on(instance) group_left(version, "k.v") info', 'a * on (instance) group_left (version, "k.v") info'],
    ['a / on (instance) group_right b', 'a / on (instance) group_right b'],
    ['a > bool on () b', 'a > bool on () b'],
    ['a AND b Or c UNLESS d', '(a and b) or (c unless d)'],
    ['a or b and c', 'a or (b and c)'],
    ['(a or b) and c', '(a or b) and c'],
    ['a + b and c > d', '(a + b) and (c > d)'],
    ['(a and b) * 2', '(a and b) * 2'],
    ['(up) or (sum(x))', 'up or sum(x)'],
  ])('%s', (expr, rendered) => {
    const query = parsed(expr);
    expect(builderProblems(query)).toEqual([]);
    expect(renderBuilderQuery(query)).toBe(rendered);
    expect(renderBuilderQuery(parsed(rendered))).toBe(rendered);
  });

  it('keeps the right side as a Builder query of its own', () => {
    expect(parsed('sum(rate(f[5m])) / sum(rate(s[5m]))')).toEqual({
      metric: 'f',
      matchers: [],
      operations: [
        { kind: 'range', fn: 'rate', range: '5m' },
        { kind: 'aggregation', fn: 'sum' },
        {
          kind: 'binaryQuery',
          op: '/',
          query: {
            metric: 's',
            matchers: [],
            operations: [
              { kind: 'range', fn: 'rate', range: '5m' },
              { kind: 'aggregation', fn: 'sum' },
            ],
          },
        },
      ],
    });
  });

  it('names what the Builder cannot hold on either side', () => {
    expect(reason('sum(x) / label_replace(y, "a", "$1", "b", "(.*)")')).toBe(
      'cannot represent: the function label_replace, at line 1, column 10'
    );
    expect(reason('x / on (instance) label_join(y, "a", ",", "b")')).toMatch(
      /^cannot represent: the function label_join/
    );
  });

  it('keeps how series are matched', () => {
    expect(parsed('a * on (instance) group_left (version) b').operations).toEqual([
      {
        kind: 'binaryQuery',
        op: '*',
        query: { metric: 'b', matchers: [], operations: [] },
        matching: { mode: 'on', labels: ['instance'], group: { side: 'left', labels: ['version'] } },
      },
    ]);
    expect(parsed('a unless ignoring (job) b').operations).toEqual([
      {
        kind: 'binaryQuery',
        op: 'unless',
        query: { metric: 'b', matchers: [], operations: [] },
        matching: { mode: 'ignoring', labels: ['job'] },
      },
    ]);
  });

  it('refuses group_left with a set operator and a set operator with a number', () => {
    const grouped: BuilderQuery = {
      metric: 'a',
      matchers: [],
      operations: [
        {
          kind: 'binaryQuery',
          op: 'and',
          query: { metric: 'b', matchers: [], operations: [] },
          matching: { mode: 'on', labels: ['instance'], group: { side: 'left', labels: [] } },
        },
      ],
    };
    expect(builderProblems(grouped)).toEqual(['group_left does not apply to and']);
    const withNumber = {
      metric: 'a',
      matchers: [],
      operations: [{ kind: 'binaryScalar', op: 'or', scalar: 1 }],
    } as unknown as BuilderQuery;
    expect(builderProblems(withNumber)).toEqual(['or needs a second query, not a number']);
  });

  it('names a problem of the right side as the query after the operator', () => {
    const query: BuilderQuery = {
      metric: 'x',
      matchers: [],
      operations: [{ kind: 'binaryQuery', op: '/', query: { metric: '', matchers: [], operations: [] } }],
    };
    expect(builderProblems(query)).toEqual(['the query after /: choose a metric or add a label filter']);
  });
});
