import { t } from '@grafana/i18n';

import { INVALID_PROMQL, type Unrepresentable } from '../../../promql/parse';

// The values are query text shown as text (React escapes it); i18next must not HTML-escape it as well.
const raw = { escapeValue: false };

/**
 * Why the Builder refuses a query, in the user's language: what the construct is (`subject` is the part of the
 * query concerned) and where. Refusals come in three kinds: what PromQL allows but the Builder cannot hold,
 * what Prometheus itself would refuse, and comments.
 */
export function unrepresentableText(error: Unrepresentable, expr: string): string {
  const text = expr.slice(error.from, error.to).replace(/\s+/g, ' ').trim();
  const subject = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  const at = { line: error.line, column: error.column };
  if (error.code === 'comment') {
    return t(
      'query-editor.switch.comment',
      'The Builder does not hold comments: the comment at line {{line}}, column {{column}} would be lost. Remove it in Code to use the Builder.',
      at
    );
  }
  const invalid = (() => {
    switch (error.code) {
      case 'syntax':
        return t('query-editor.switch.what.syntax', 'a syntax error');
      case 'unknown-function':
        return error.detail === 'double_exponential_smoothing'
          ? t(
              'query-editor.construct.switch.holt-winters',
              'the function holt_winters, which Prometheus 3 names double_exponential_smoothing'
            )
          : error.detail
            ? t(
                'query-editor.switch.what.unknown-function-case',
                'an unknown function {{subject}} (function names are case-sensitive: {{meant}})',
                { subject, meant: error.detail, interpolation: raw }
              )
            : t('query-editor.switch.what.unknown-function', 'an unknown function {{subject}}', {
                subject,
                interpolation: raw,
              });
      case 'bool-modifier':
        return t('query-editor.switch.what.bool-modifier', 'bool with {{op}} (bool only applies to comparisons)', {
          op: error.detail ?? '',
          interpolation: raw,
        });
      case 'group-modifier':
        return t(
          'query-editor.switch.what.group-modifier',
          '{{subject}} with {{op}} (and, or and unless take no group_left or group_right)',
          { subject, op: error.detail ?? '', interpolation: raw }
        );
      case 'matching-label':
        return t(
          'query-editor.switch.what.matching-label',
          'the label {{label}} both in on (…) and in group_left or group_right (…) ({{subject}})',
          { label: error.detail ?? '', subject, interpolation: raw }
        );
      case 'number-range':
        return t('query-editor.switch.what.number-range', 'the number {{subject}}, beyond what PromQL can hold', {
          subject,
          interpolation: raw,
        });
      case 'duration-range':
        return t(
          'query-editor.switch.what.duration-range',
          'the duration {{duration}}, longer than PromQL can hold (about 292 years)',
          { duration: error.detail ?? subject, interpolation: raw }
        );
      case 'metric-name-twice':
        return t(
          'query-editor.switch.what.metric-name-twice',
          'the metric name set twice ({{subject}} after the name before the braces)',
          { subject, interpolation: raw }
        );
      case 'modifier-target':
        return t(
          'query-editor.construct.switch.modifier-target',
          '{{subject}} after {{target}} (offset and @ apply to a metric, a range or a subquery)',
          { subject, target: error.detail ?? '', interpolation: raw }
        );
      case 'modifier-twice':
        return t('query-editor.construct.switch.modifier-twice', '{{subject}} set twice', {
          subject,
          interpolation: raw,
        });
      case 'at-timestamp':
        return t('query-editor.construct.switch.at-timestamp', 'the @ timestamp {{subject}}', {
          subject,
          interpolation: raw,
        });
      case 'subquery-operand':
        return t(
          'query-editor.construct.switch.subquery-operand',
          'a subquery of the last operand only of {{target}} (put parentheses around what it ranges over)',
          { target: error.detail ?? subject, interpolation: raw }
        );
      case 'type':
        return error.detail === 'bool'
          ? t('query-editor.construct.switch.type-bool', '{{subject}} between two numbers without bool', {
              subject,
              interpolation: raw,
            })
          : error.detail === 'set'
            ? t(
                'query-editor.construct.switch.type-set',
                '{{subject}}: a single number where series are needed on both sides',
                {
                  subject,
                  interpolation: raw,
                }
              )
            : t('query-editor.construct.switch.type-series', '{{subject}}, a single number where series are needed', {
                subject,
                interpolation: raw,
              });
      case 'selector-empty':
        return t(
          'query-editor.switch.what.selector-empty',
          'a selector that would select every series ({{subject}}); add a metric or a label filter that matches a value',
          { subject, interpolation: raw }
        );
      default:
        return undefined;
    }
  })();
  if (INVALID_PROMQL.has(error.code) && invalid !== undefined) {
    return t(
      'query-editor.switch.invalid',
      'Prometheus would refuse this query: {{what}}, at line {{line}}, column {{column}}.',
      { what: invalid, ...at, interpolation: raw }
    );
  }
  const what = (() => {
    switch (error.code) {
      case 'function':
        return t('query-editor.switch.what.function', 'the function {{subject}}', { subject, interpolation: raw });
      case 'aggregation':
        return t('query-editor.switch.what.aggregation', 'the aggregation {{subject}}', {
          subject,
          interpolation: raw,
        });
      case 'range-without-function':
        return t('query-editor.switch.what.range', 'a range selector without a range function ({{subject}})', {
          subject,
          interpolation: raw,
        });
      case 'subquery':
        return t(
          'query-editor.switch.what.subquery',
          'a subquery {{subject}} without a function over it (such as max_over_time)',
          { subject, interpolation: raw }
        );
      case 'offset':
        return t('query-editor.switch.what.offset', 'the offset modifier ({{subject}})', {
          subject,
          interpolation: raw,
        });
      case 'at-modifier':
        return t('query-editor.switch.what.at-modifier', 'the @ modifier ({{subject}})', {
          subject,
          interpolation: raw,
        });
      case 'modifier':
        return t('query-editor.switch.what.modifier', 'the modifier {{subject}}', { subject, interpolation: raw });
      case 'duration-expression':
        return t('query-editor.switch.what.duration', 'the duration expression {{subject}}', {
          subject,
          interpolation: raw,
        });
      case 'vector-matching':
        return t('query-editor.switch.what.vector-matching', 'vector matching ({{subject}})', {
          subject,
          interpolation: raw,
        });
      case 'operator':
        return t('query-editor.switch.what.operator', 'the operator {{subject}}', { subject, interpolation: raw });
      case 'number-only':
        return t('query-editor.switch.what.number', 'a number it cannot place ({{subject}})', {
          subject,
          interpolation: raw,
        });
      case 'string':
        return t('query-editor.switch.what.string', 'a string without a metric ({{subject}})', {
          subject,
          interpolation: raw,
        });
      case 'unary':
        return t('query-editor.switch.what.unary', 'a sign in front of a query ({{subject}}); use * -1', {
          subject,
          interpolation: raw,
        });
      case 'arguments':
        return t('query-editor.switch.what.arguments', 'these arguments: {{subject}}', {
          subject,
          interpolation: raw,
        });
      case 'variable':
        return t('query-editor.switch.what.variable', 'the variable {{subject}} here', {
          subject,
          interpolation: raw,
        });
      case 'variable-name':
        return t(
          'query-editor.switch.what.variable-name',
          'the variable {{subject}} inside the name {{name}} (a variable can stand for a whole label value, number or range)',
          { subject, name: error.detail ?? subject, interpolation: raw }
        );
      case 'variable-metric':
        return t('query-editor.switch.what.variable-metric', 'the variable {{subject}} in place of a metric', {
          subject,
          interpolation: raw,
        });
      case 'metric-name':
        return t('query-editor.switch.what.metric-name', 'a second metric name ({{subject}})', {
          subject,
          interpolation: raw,
        });
      case 'empty':
        return t('query-editor.switch.what.empty', 'an empty query');
      default:
        return t('query-editor.switch.what.internal', 'this query (an error in Pulse: please report it)');
    }
  })();
  return t(
    'query-editor.switch.cannot-represent',
    'The Builder cannot represent {{what}}, at line {{line}}, column {{column}}.',
    { what, ...at, interpolation: raw }
  );
}
