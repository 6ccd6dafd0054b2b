import { t } from '@grafana/i18n';

import { type BuilderQuery, type Parameter, isComparison, isSetOperator, resultType } from '../../../promql/builder';
import { isConstantExpression } from '../../../promql/constant';
import {
  functionSpec,
  parameterKinds,
  type RangeFunctionName,
  type VectorFunctionName,
} from '../../../promql/functions';
import { isAtModifier, isDuration, isNumberLiteral, isOffset } from '../../../promql/render';

// The values are query text shown as text (React escapes it); i18next must not HTML-escape it as well.
const raw = { escapeValue: false };

function modifierIssues(offset: string | undefined, at: string | undefined): string[] {
  const issues: string[] = [];
  if (offset !== undefined && !isOffset(offset)) {
    issues.push(
      t(
        'query-editor.construct.issue.offset',
        'The offset {{offset}} is not a duration: write 5m, 1d, -1h or a variable.',
        {
          offset,
          interpolation: raw,
        }
      )
    );
  }
  if (at !== undefined && !isAtModifier(at)) {
    issues.push(
      t('query-editor.construct.issue.at', 'The @ {{at}} is not start(), end() or a Unix timestamp in seconds.', {
        at,
        interpolation: raw,
      })
    );
  }
  return issues;
}

function parameterIssues(fn: RangeFunctionName | VectorFunctionName, params: Parameter[]): string[] {
  const kinds = parameterKinds(functionSpec(fn), params.length);
  if (!kinds) {
    return [
      t('query-editor.construct.issue.parameter-count', '{{fn}} does not take {{count}} parameters.', {
        fn,
        count: params.length,
      }),
    ];
  }
  const issues: string[] = [];
  params.forEach((param, i) => {
    const number = typeof param === 'number' || isNumberLiteral(param) || isConstantExpression(param);
    if (kinds[i] === 'number' && !number) {
      issues.push(
        t('query-editor.construct.issue.parameter-number', 'Parameter {{n}} of {{fn}}, {{value}}, is not a number.', {
          n: i + 1,
          fn,
          value: String(param),
          interpolation: raw,
        })
      );
    }
  });
  if ((fn === 'label_replace' || fn === 'label_join') && params[0] === '') {
    issues.push(t('query-editor.construct.issue.destination', '{{fn}} needs the name of the label it writes.', { fn }));
  }
  return issues;
}

/**
 * The issues of offset and @, subqueries, function parameters, count_values, vector() and time(), and of single
 * numbers where series are needed, in the user's language (they mirror those of builderProblems).
 */
export function constructIssues(builder: BuilderQuery): string[] {
  const issues: string[] = [];
  const source = builder.source;
  if (source) {
    if (builder.metric !== '' || builder.matchers.some((m) => m.label !== '')) {
      issues.push(
        t(
          'query-editor.construct.issue.source-metric',
          '{{source}}() takes the place of the metric: remove the metric and its filters.',
          { source: source.kind }
        )
      );
    }
    if (builder.offset !== undefined || builder.at !== undefined) {
      issues.push(
        t('query-editor.construct.issue.source-modifier', 'offset and @ apply to a metric, not to vector() or time().')
      );
    }
    if (source.kind === 'vector' && typeof source.value === 'string' && !isNumberLiteral(source.value)) {
      issues.push(
        t('query-editor.builder.issue.number', '{{number}} is not a number: write a number or a variable.', {
          number: source.value,
          interpolation: { escapeValue: false },
        })
      );
    }
  }
  issues.push(...modifierIssues(builder.offset, builder.at));
  builder.operations.forEach((op, i) => {
    const before = resultType({ ...builder, operations: builder.operations.slice(0, i) });
    const needsSeries = (what: string) => {
      if (before === 'scalar') {
        issues.push(
          t(
            'query-editor.construct.issue.needs-series',
            '{{what}} needs series, not a single number: use vector(…) or remove it.',
            { what, interpolation: raw }
          )
        );
      }
    };
    switch (op.kind) {
      case 'range':
        if (op.subquery) {
          needsSeries(op.fn);
          if (op.subquery.step !== '' && !isDuration(op.subquery.step)) {
            issues.push(
              t(
                'query-editor.construct.issue.step',
                'The step {{step}} is not a duration: write 1m, 30s, a variable, or leave it empty.',
                { step: op.subquery.step, interpolation: raw }
              )
            );
          }
          issues.push(...modifierIssues(op.subquery.offset, op.subquery.at));
        } else if (i === 0 && source) {
          issues.push(
            t(
              'query-editor.construct.issue.range-source',
              '{{fn}} needs the range of a metric, not {{source}}(): turn on Subquery.',
              { fn: op.fn, source: source.kind }
            )
          );
        }
        issues.push(...parameterIssues(op.fn, op.params ?? []));
        break;
      case 'function':
        needsSeries(op.fn);
        issues.push(...parameterIssues(op.fn, op.params ?? []));
        break;
      case 'aggregation':
      case 'ranking':
        needsSeries(op.fn);
        break;
      case 'histogramQuantile':
        needsSeries('histogram_quantile');
        break;
      case 'countValues':
        needsSeries('count_values');
        if (op.label === '') {
          issues.push(
            t('query-editor.construct.issue.count-values', 'count_values needs the name of the label for the values.')
          );
        }
        break;
      case 'binaryScalar':
        if (before === 'scalar' && isComparison(op.op) && !op.bool) {
          issues.push(
            t('query-editor.construct.issue.bool', 'Comparing two numbers with {{op}} needs bool.', {
              op: op.op,
              interpolation: raw,
            })
          );
        }
        break;
      case 'binaryQuery': {
        const other = resultType(op.query);
        const numbers = before === 'scalar' || other === 'scalar';
        if (numbers && (isSetOperator(op.op) || op.matching)) {
          issues.push(
            t(
              'query-editor.construct.issue.set-number',
              '{{op}} with matching or a set operator needs series on both sides, not a single number.',
              { op: op.op, interpolation: raw }
            )
          );
        }
        if (before === 'scalar' && other === 'scalar' && isComparison(op.op) && !op.bool) {
          issues.push(
            t('query-editor.construct.issue.bool', 'Comparing two numbers with {{op}} needs bool.', {
              op: op.op,
              interpolation: raw,
            })
          );
        }
        break;
      }
    }
  });
  return issues;
}
