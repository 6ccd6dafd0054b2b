import i18next from 'i18next';
import { initPluginTranslations } from '@grafana/i18n';

import { parsePromQL, type Unrepresentable } from '../../../promql/parse';
import korean from '../../locales/ko-KR/pulse-prometheus-datasource.json';
import { unrepresentableText } from './unrepresentable';

function refusal(expr: string): Unrepresentable {
  const result = parsePromQL(expr);
  if (result.ok) {
    throw new Error(`${expr} was accepted`);
  }
  return result.error;
}

const text = (expr: string) => unrepresentableText(refusal(expr), expr);

// One query per refusal code: the sentence the editor shows, in English.
const SENTENCES: Array<[Unrepresentable['code'], string, string]> = [
  ['empty', '', 'The Builder cannot represent an empty query, at line 1, column 1.'],
  ['syntax', 'sum(rate(x[5m])', 'Prometheus would refuse this query: a syntax error, at line 1, column 16.'],
  [
    'unknown-function',
    'RATE(x[5m])',
    'Prometheus would refuse this query: an unknown function RATE (function names are case-sensitive: rate), at line 1, column 1.',
  ],
  [
    'comment',
    'sum(x) # total',
    'The Builder does not hold comments: the comment at line 1, column 8 would be lost. Remove it in Code to use the Builder.',
  ],
  ['function', 'info(x)', 'The Builder cannot represent the function info, at line 1, column 1.'],
  [
    'range-without-function',
    'x[5m]',
    'The Builder cannot represent a range selector without a range function (x[5m]), at line 1, column 1.',
  ],
  [
    'subquery',
    'x[1m:] offset -1m',
    'The Builder cannot represent a subquery [1m:] offset -1m without a function over it (such as max_over_time), at line 1, column 2.',
  ],
  [
    'modifier-target',
    'sum(x) offset 1h',
    'Prometheus would refuse this query: offset 1h after sum(x) (offset and @ apply to a metric, a range or a subquery), at line 1, column 8.',
  ],
  ['modifier-twice', 'x @ 1 @ 2', 'Prometheus would refuse this query: @ set twice, at line 1, column 3.'],
  ['at-timestamp', 'x @ Inf', 'Prometheus would refuse this query: the @ timestamp Inf, at line 1, column 5.'],
  [
    'subquery-operand',
    'max_over_time(a - b[5m:])',
    'Prometheus would refuse this query: a subquery of the last operand only of a - b (put parentheses around what it ranges over), at line 1, column 15.',
  ],
  [
    'type',
    'sum(scalar(x))',
    'Prometheus would refuse this query: scalar(x), a single number where series are needed, at line 1, column 5.',
  ],
  ['modifier', 'x[5m] anchored', 'The Builder cannot represent the modifier anchored, at line 1, column 7.'],
  [
    'duration-expression',
    'rate(x[5m+1m])',
    'The Builder cannot represent the duration expression 5m+1m, at line 1, column 8.',
  ],
  ['vector-matching', 'a + fill(0) b', 'The Builder cannot represent vector matching (fill(0)), at line 1, column 5.'],
  [
    'matching-label',
    'a * on (x) group_left (x) b',
    'Prometheus would refuse this query: the label x both in on (…) and in group_left or group_right (…) (on (x) group_left (x)), at line 1, column 5.',
  ],
  [
    'group-modifier',
    'a and on (x) group_left b',
    'Prometheus would refuse this query: group_left with and (and, or and unless take no group_left or group_right), at line 1, column 14.',
  ],
  [
    'bool-modifier',
    'x and bool y',
    'Prometheus would refuse this query: bool with and (bool only applies to comparisons), at line 1, column 7.',
  ],
  ['operator', 'a atan2 b', 'The Builder cannot represent the operator atan2, at line 1, column 3.'],
  ['number-only', '1 + 2', 'The Builder cannot represent a number it cannot place (1 + 2), at line 1, column 1.'],
  [
    'number-range',
    'x > 1e400',
    'Prometheus would refuse this query: the number 1e400, beyond what PromQL can hold, at line 1, column 5.',
  ],
  [
    'duration-range',
    'rate(x[293y])',
    'Prometheus would refuse this query: the duration 293y, longer than PromQL can hold (about 292 years), at line 1, column 8.',
  ],
  ['string', '"x"', 'The Builder cannot represent a string without a metric ("x"), at line 1, column 1.'],
  [
    'unary',
    '-1 ^ x',
    'The Builder cannot represent a sign in front of a query (-1 ^ x); use * -1, at line 1, column 1.',
  ],
  ['arguments', 'sum(x, y)', 'The Builder cannot represent these arguments: sum(x, y), at line 1, column 1.'],
  ['variable', 'sum by ($label) (x)', 'The Builder cannot represent the variable $label here, at line 1, column 9.'],
  [
    'variable-name',
    'x{l$abel="v"}',
    'The Builder cannot represent the variable $abel inside the name l$abel (a variable can stand for a whole label value, number or range), at line 1, column 4.',
  ],
  [
    'variable-metric',
    '$metric',
    'The Builder cannot represent the variable $metric in place of a metric, at line 1, column 1.',
  ],
  ['metric-name', '{"x", "y"}', 'The Builder cannot represent a second metric name ("y"), at line 1, column 7.'],
  [
    'metric-name-twice',
    'x{__name__="y"}',
    'Prometheus would refuse this query: the metric name set twice (__name__="y" after the name before the braces), at line 1, column 3.',
  ],
  [
    'selector-empty',
    '{job=~".*"}',
    'Prometheus would refuse this query: a selector that would select every series ({job=~".*"}); add a metric or a label filter that matches a value, at line 1, column 1.',
  ],
];

describe('unrepresentableText', () => {
  it.each(SENTENCES)('%s: %j', (code, expr, sentence) => {
    expect(refusal(expr).code).toBe(code);
    expect(text(expr)).toBe(sentence);
  });

  it('has a sentence for every code the parser gives but "internal", which the properties test keeps from happening', () => {
    const codes = new Set(SENTENCES.map(([code]) => code));
    expect(codes.size).toBe(SENTENCES.length);
    expect(
      unrepresentableText({ code: 'internal', what: '', from: 0, to: 0, line: 1, column: 1, reason: '' }, 'x')
    ).toBe('The Builder cannot represent this query (an error in Pulse: please report it), at line 1, column 1.');
  });

  describe('in Korean', () => {
    beforeAll(async () => {
      await initPluginTranslations('pulse-prometheus-datasource');
      i18next.addResourceBundle('ko-KR', 'pulse-prometheus-datasource', korean, true, true);
      await i18next.changeLanguage('ko-KR');
    });
    afterAll(async () => {
      await i18next.changeLanguage('en-US');
    });

    it.each([
      [
        '# 초당 요청\nsum(x)',
        '빌더는 주석을 담지 못합니다: 1행 1열의 주석이 사라집니다. 빌더를 쓰려면 코드에서 주석을 지우세요.',
      ],
      [
        'node_${dev}_bytes_total',
        '1행 6열: 빌더로는 표현할 수 없는 부분이 있습니다 — 이름 node_${dev}_bytes_total 안에 쓴 변수 ${dev}(변수는 레이블 값, 숫자, 범위 전체를 대신할 때만 쓸 수 있습니다).',
      ],
      [
        'x and bool y',
        '1행 7열: Prometheus가 받아들이지 않는 쿼리입니다 — and에 쓴 bool(bool은 비교 연산에만 쓸 수 있습니다).',
      ],
    ])('%j', (expr, sentence) => {
      expect(text(expr)).toBe(sentence);
    });
  });
});
