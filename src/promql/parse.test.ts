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
    ['info(up)', 'cannot represent: the function info, at line 1, column 1'],
    [
      'up or vector(time())',
      'cannot represent: vector of (time()) (the Builder holds vector of a number), at line 1, column 7',
    ],
    ['x atan2 y', 'cannot represent: the operator atan2, at line 1, column 3'],
    ['x and 1', 'cannot represent: and with a number, at line 1, column 1'],
    ['x * on (a) 2', 'cannot represent: vector matching with a number (on (a)), at line 1, column 5'],
    ['x + fill(0) y', 'cannot represent: vector matching (fill(0)), at line 1, column 5'],
    [
      'x[5m:1m]',
      'cannot represent: a subquery [5m:1m] without a function over it (such as max_over_time), at line 1, column 2',
    ],
    ['x offset (5m + 1m)', 'cannot represent: the duration expression (5m + 1m) after offset, at line 1, column 10'],
    ['x[5m]', 'cannot represent: a range selector without a range function, at line 1, column 1'],
    ['quantile(q, x)', 'cannot represent: a quantile parameter that is not a number (q), at line 1, column 10'],
    [
      'count_values(v, x)',
      'cannot represent: the argument v of count_values, where it takes a string, at line 1, column 14',
    ],
    ['42', 'cannot represent: a number without a metric, at line 1, column 1'],
    ['1 + 2', 'cannot represent: arithmetic between numbers only, at line 1, column 1'],
    ['"text"', 'cannot represent: a string without a metric, at line 1, column 1'],
    ['sum(x) + 1 * 2', 'cannot represent: arithmetic between numbers only, at line 1, column 10'],
    [
      'hour()',
      'cannot represent: hour() of the current time (the Builder applies hour to a query), at line 1, column 1',
    ],
    ['sum(\n  rate(x[5m])\n) / info(y)', 'cannot represent: the function info, at line 3, column 5'],
    ['histogram_quantile(q, x)', 'cannot represent: a quantile that is not a number, at line 1, column 20'],
    [
      'rate(x[1m] )[5m:]',
      'cannot represent: a subquery [5m:] without a function over it (such as max_over_time), at line 1, column 13',
    ],
    ['$metric', 'cannot represent: the variable $metric in place of a metric, at line 1, column 1'],
  ])('%j', (expr, expected) => {
    expect(reason(expr)).toBe(expected);
  });

  it('reports offsets for the editor to mark', () => {
    const result = parsePromQL('sum(x) * info(y, {a="b"})');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({
        code: 'function',
        what: 'the function info',
        from: 9,
        to: 13,
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

  it('leaves out a filter row whose label is not chosen yet', () => {
    const query: BuilderQuery = { metric: 'up', matchers: [{ label: '', op: '=', value: '' }], operations: [] };
    expect(renderBuilderQuery(query)).toBe('up');
    expect(() =>
      renderBuilderQuery({ metric: '', matchers: [{ label: '', op: '=', value: '' }], operations: [] })
    ).toThrow('choose a metric');
  });

  it('refuses a query without metric or filter', () => {
    expect(() => renderBuilderQuery({ metric: '', matchers: [], operations: [] })).toThrow('choose a metric');
  });

  it('names what a user typed that is no number, no duration, or a filter that matches everything', () => {
    const query: BuilderQuery = {
      metric: '',
      matchers: [{ label: 'a', op: '=~', value: '.*' }],
      operations: [
        { kind: 'range', fn: 'rate', range: '5 minutes' },
        { kind: 'ranking', fn: 'topk', k: 'five' },
        { kind: 'histogramQuantile', quantile: '1e400' },
        { kind: 'binaryScalar', op: '*', scalar: 'abc' },
      ],
    };
    expect(builderProblems(query)).toEqual([
      'without a metric, a label filter must match a non-empty value',
      'the range 5 minutes is not a duration (5m, 1h30m, 300 or a variable)',
      'five is not a number',
      '1e400 is not a number',
      'abc is not a number',
    ]);
  });

  it('writes () after an empty group_left before a right side in parentheses, and parentheses around (-1) ^', () => {
    const right: BuilderQuery = {
      metric: 'c',
      matchers: [],
      operations: [{ kind: 'binaryQuery', op: '-', query: { metric: 'd', matchers: [], operations: [] } }],
    };
    const query: BuilderQuery = {
      metric: 'a',
      matchers: [],
      operations: [
        {
          kind: 'binaryQuery',
          op: '*',
          query: right,
          matching: { mode: 'on', labels: ['b'], group: { side: 'left', labels: [] } },
        },
      ],
    };
    expect(renderBuilderQuery(query)).toBe('a * on (b) group_left () (c - d)');
    expect(
      renderBuilderQuery({
        metric: 'x',
        matchers: [],
        operations: [{ kind: 'binaryScalar', op: '^', scalar: '-010', scalarLeft: true }],
      })
    ).toBe('(-010) ^ x');
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
    expect(reason('sum(x) / info(y)')).toBe('cannot represent: the function info, at line 1, column 10');
    expect(reason('x / on (instance) pi()')).toMatch(/^cannot represent: the function pi/);
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

/** [as written, how the Builder renders it] for accepted queries, [as written, code, reason] for refused ones. */
type Accepted = [string, string];
type Refused = [string, string, string];

function expectAccepted(expr: string, rendered: string) {
  const query = parsed(expr);
  expect(renderBuilderQuery(query)).toBe(rendered);
  expect(parsed(rendered)).toEqual(query);
}

function expectRefused(expr: string, code: string, expected: string) {
  const result = parsePromQL(expr);
  expect(result.ok ? 'accepted' : [result.error.code, result.error.reason]).toEqual([code, expected]);
}

describe('parsePromQL: Grafana variables are kept as written or refused, never replaced', () => {
  it.each<Accepted>([
    ['rate(x[$__rate_interval])', 'rate(x[$__rate_interval])'],
    ['rate(x[$__interval])', 'rate(x[$__interval])'],
    ['rate(x[${__range}])', 'rate(x[${__range}])'],
    ['rate(x[${interval:text}])', 'rate(x[${interval:text}])'],
    ['rate(x[[[window]]])', 'rate(x[[[window]]])'],
    ['x > $threshold', 'x > $threshold'],
    ['$threshold < x', '$threshold < x'],
    ['x > ${v:raw}', 'x > ${v:raw}'],
    ['x > [[t]]', 'x > [[t]]'],
    ['x / ${__range_s}', 'x / ${__range_s}'],
    ['topk($k, x)', 'topk($k, x)'],
    ['histogram_quantile($q, x)', 'histogram_quantile($q, x)'],
    ['up{job=~"[[job]]", instance="${instance}"}', 'up{job=~"[[job]]", instance="${instance}"}'],
  ])('keeps %s', expectAccepted);

  it.each<Refused>([
    [
      'node_${dev}_bytes_total',
      'variable-name',
      'cannot represent: the variable ${dev} inside the name node_${dev}_bytes_total, at line 1, column 6',
    ],
    [
      'x{l$abel="v"}',
      'variable-name',
      'cannot represent: the variable $abel inside the name l$abel, at line 1, column 4',
    ],
    ['x_$a * y_$b', 'variable-name', 'cannot represent: the variable $a inside the name x_$a, at line 1, column 3'],
    ['x * y_$b', 'variable-name', 'cannot represent: the variable $b inside the name y_$b, at line 1, column 7'],
    ['$metric', 'variable-metric', 'cannot represent: the variable $metric in place of a metric, at line 1, column 1'],
    ['$metric{job="a"}', 'variable', 'cannot represent: the variable $metric here, at line 1, column 1'],
    ['sum by ($label) (x)', 'variable', 'cannot represent: the variable $label here, at line 1, column 9'],
    ['rate(x[5$u])', 'variable', 'cannot represent: the variable $u inside 5$u, at line 1, column 8'],
    ['rate(x[${n}m])', 'variable', 'cannot represent: the variable ${n} here, at line 1, column 8'],
    ['x > -$t', 'variable', 'cannot represent: a sign before the variable $t, at line 1, column 5'],
  ])('refuses %j', expectRefused);

  it('reads a $ in a comment or a string as text', () => {
    expect(parsed('x{a="$ $$ ${"}').matchers[0].value).toBe('$ $$ ${');
    expect(reason("# it's $x\nx > $t")).toMatch(/^cannot represent: a comment/);
  });
});

describe('parsePromQL: numbers keep their value and their spelling', () => {
  it.each<Accepted>([
    ['x > 010', 'x > 010'],
    ['topk(010, x)', 'topk(010, x)'],
    ['histogram_quantile(050, x)', 'histogram_quantile(050, x)'],
    ['x > 08', 'x > 08'],
    ['x > 0x1F', 'x > 0x1F'],
    ['x > 1_000', 'x > 1_000'],
    ['x > 1_000.5', 'x > 1_000.5'],
    ['x > 1e3', 'x > 1e3'],
    ['x > 1E-3', 'x > 1E-3'],
    ['x > .5', 'x > .5'],
    ['x > 1.0', 'x > 1.0'],
    ['x > Inf', 'x > Inf'],
    ['x > inf', 'x > inf'],
    ['x < -Inf', 'x < -Inf'],
    ['x != NaN', 'x != NaN'],
    ['x > +1', 'x > +1'],
    ['x > -010', 'x > -010'],
    ['x > -(010)', 'x > -010'],
    ['x > - 1', 'x > -1'],
    ['x > -(-1)', 'x > 1'],
    ['(-1) ^ x', '(-1) ^ x'],
    ['(-010) ^ x', '(-010) ^ x'],
    ['x ^ -1', 'x ^ -1'],
  ])('%s', expectAccepted);

  it('holds the longest durations Prometheus does', () => {
    for (const expr of ['rate(x[292y24w])', 'rate(x[9223372036854ms])', 'x offset -9223372036', 'rate(x[106751d])']) {
      expect(parsePromQL(expr).ok).toBe(true);
    }
  });

  it('holds a value where Pulse would write it so, the literal otherwise', () => {
    const scalars = ['x > 0.5', 'x > 010', 'x > 0x1F', 'x > Inf', 'x > -1', 'x > 1e3'].map(
      (expr) => (parsed(expr).operations[0] as { scalar: number | string }).scalar
    );
    expect(scalars).toEqual([0.5, '010', '0x1F', Infinity, -1, '1e3']);
  });

  it.each<Refused>([
    [
      'x > 1e400',
      'number-range',
      'refused by Prometheus: the number 1e400, beyond what PromQL can hold, at line 1, column 5',
    ],
    [
      'x > -1e400',
      'number-range',
      'refused by Prometheus: the number -1e400, beyond what PromQL can hold, at line 1, column 5',
    ],
    [
      'x > 0xFFFFFFFFFFFFFFFFFF',
      'number-range',
      'refused by Prometheus: the number 0xFFFFFFFFFFFFFFFFFF, beyond what PromQL can hold, at line 1, column 5',
    ],
    ['x > 5m', 'number-only', 'cannot represent: the duration 5m as a number, at line 1, column 5'],
    // Prometheus holds a duration in an int64 of nanoseconds: 292 years and a bit, 9,223,372,036.854 s.
    [
      'rate(x[293y])',
      'duration-range',
      'refused by Prometheus: the duration 293y, longer than PromQL can hold (about 292 years), at line 1, column 8',
    ],
    [
      'rate(x[9223372036855ms])',
      'duration-range',
      'refused by Prometheus: the duration 9223372036855ms, longer than PromQL can hold (about 292 years), at line 1, column 8',
    ],
    [
      'x offset -9223372037',
      'duration-range',
      'refused by Prometheus: the duration -9223372037, longer than PromQL can hold (about 292 years), at line 1, column 10',
    ],
    [
      'max_over_time(x[5m:106752d])',
      'duration-range',
      'refused by Prometheus: the duration 106752d, longer than PromQL can hold (about 292 years), at line 1, column 20',
    ],
    // A sign binds more loosely than ^ in Prometheus: this is -(1 ^ x), whatever the grammar's tree says.
    ['-1 ^ x', 'unary', 'cannot represent: a sign in front of a query (use "* -1"), at line 1, column 1'],
  ])('refuses %j', expectRefused);
});

describe('parsePromQL: the rendering is PromQL that reads back the same', () => {
  it.each<Accepted>([
    ['a * on(b) group_left() (c - d) > 0', 'a * on (b) group_left () (c - d) > 0'],
    ['a * on (b) group_right () (c)', 'a * on (b) group_right c'],
    ['a * on (b) group_left b', 'a * on (b) group_left b'],
    ['{"x", __name__="x"}', '{"x", __name__="x"}'],
    ['{__name__="x", "x"}', '{"x", __name__="x"}'],
    ['{"x", __name__=~"x|y"}', '{"x", __name__=~"x|y"}'],
    ['{__name__="", __name__="x"}', '{"x", __name__=""}'],
    ['{__name__="offset"}', '{"offset"}'],
    ['{"Inf"}', '{"Inf"}'],
    ['{"sum"}', '{"sum"}'],
    ['x{on="1", bool="2"}', 'x{on="1", bool="2"}'],
    ['sum by () (x)', 'sum(x)'],
  ])('%s', expectAccepted);

  it.each<Refused>([
    ['x{__name__="y"}', 'metric-name-twice', 'refused by Prometheus: the metric name set twice, at line 1, column 3'],
    ['x{"y"}', 'metric-name-twice', 'refused by Prometheus: the metric name set twice, at line 1, column 3'],
    ['{"x", "y"}', 'metric-name', 'cannot represent: a second metric name, at line 1, column 7'],
    ['{}', 'selector-empty', 'refused by Prometheus: a selector that would select every series, at line 1, column 1'],
    [
      '{a=~".*"}',
      'selector-empty',
      'refused by Prometheus: a selector that would select every series, at line 1, column 1',
    ],
  ])('refuses %j', expectRefused);
});

describe('parsePromQL: a range as plain seconds (Prometheus 3)', () => {
  it.each<Accepted>([
    ['rate(x[300])', 'rate(x[300])'],
    ['rate(x[1.5])', 'rate(x[1.5])'],
    ['rate(x[0x10])', 'rate(x[0x10])'],
  ])('%s', expectAccepted);

  it('refuses a range that is no duration', () => {
    expectRefused(
      'rate(x[0])',
      'duration-expression',
      'cannot represent: the duration expression 0, at line 1, column 8'
    );
  });
});

describe('parsePromQL: comments', () => {
  it.each<Refused>([
    [
      '# requests\nsum(x)',
      'comment',
      'cannot represent: a comment (comments are not held by the Builder), at line 1, column 1',
    ],
    [
      'avg(# the mean\n x)',
      'comment',
      'cannot represent: a comment (comments are not held by the Builder), at line 1, column 5',
    ],
    [
      'a # left\n+ b',
      'comment',
      'cannot represent: a comment (comments are not held by the Builder), at line 1, column 3',
    ],
    [
      'sum by (job) (\n  # per job\n  rate(x[5m])\n)',
      'comment',
      'cannot represent: a comment (comments are not held by the Builder), at line 2, column 3',
    ],
    ['# only a comment', 'empty', 'cannot represent: an empty query, at line 1, column 1'],
  ])('%j', expectRefused);

  it('reads # inside a string as text', () => {
    expect(parsed('x{a="#not a comment"}').matchers[0].value).toBe('#not a comment');
  });
});

describe('parsePromQL: keyword case, and what Prometheus refuses', () => {
  it.each<Accepted>([
    ['SUM BY (a) (x)', 'sum by (a) (x)'],
    ['Sum without (a) (x)', 'sum without (a) (x)'],
    ['sum(x) BY (a)', 'sum by (a) (x)'],
    ['TOPK(1, x)', 'topk(1, x)'],
    ['TOPK BY (a) (1, x)', 'topk by (a) (1, x)'],
    ['x AND ON (a) y', 'x and on (a) y'],
    ['a * ON (b) GROUP_LEFT (c) d', 'a * on (b) group_left (c) d'],
    ['x == BOOL 1', 'x == bool 1'],
  ])('%s', expectAccepted);

  it.each<Refused>([
    [
      'RATE(x[5m])',
      'unknown-function',
      'cannot parse: an unknown function RATE (function names are case-sensitive: rate), at line 1, column 1',
    ],
    ['foo(x)', 'unknown-function', 'cannot parse: an unknown function foo, at line 1, column 1'],
    ['x and bool y', 'bool-modifier', 'refused by Prometheus: bool with and, at line 1, column 7'],
    ['x + bool y', 'bool-modifier', 'refused by Prometheus: bool with +, at line 1, column 5'],
    ['x + bool 1', 'bool-modifier', 'refused by Prometheus: bool with +, at line 1, column 5'],
    ['a and on (x) group_left b', 'group-modifier', 'refused by Prometheus: group_left with and, at line 1, column 14'],
    [
      'a * on (x) group_left (x) b',
      'matching-label',
      'refused by Prometheus: the label x both in on (…) and group_left (…), at line 1, column 5',
    ],
  ])('refuses %j', expectRefused);
});

describe('parsePromQL: refused constructs are named where they stand', () => {
  it.each<Refused>([
    [
      'sum(x) OFFSET 5m',
      'modifier-target',
      'refused by Prometheus: offset 5m after sum(x) (offset and @ apply to a metric, a range or a subquery), at line 1, column 8',
    ],
    [
      'rate(x offset 1m [5m])',
      'modifier-target',
      'refused by Prometheus: offset 1m before the range [5m] (write it after: x[5m] offset 1m), at line 1, column 8',
    ],
    ['x[5m] anchored', 'modifier', 'cannot represent: the anchored modifier, at line 1, column 7'],
    [
      'rate(x[5m])[1h:]',
      'subquery',
      'cannot represent: a subquery [1h:] without a function over it (such as max_over_time), at line 1, column 12',
    ],
  ])('%j', expectRefused);

  it('marks the modifier, not the whole expression', () => {
    const result = parsePromQL('sum(rate(x[5m])) offset 1h');
    expect(result.ok ? undefined : [result.error.from, result.error.to]).toEqual([17, 26]);
  });
});

describe('parsePromQL never throws', () => {
  it.each(['', ' ', '(', ')', '{', '"', '`', '\\', '#', '$', '[[', 'x{a="\\q"}', 'rate(x[', '1e400', 'x[300]'])(
    '%j',
    (expr) => {
      expect(() => parsePromQL(expr)).not.toThrow();
      expect(parsePromQL(expr).ok).toBe(false);
    }
  );
});
