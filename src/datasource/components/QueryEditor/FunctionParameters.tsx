import React from 'react';
import { t } from '@grafana/i18n';
import { ComboboxOption, InlineField, MultiCombobox } from '@grafana/ui';

import type { Parameter } from '../../../promql/builder';
import {
  functionSpec,
  parameterKinds,
  type RangeFunctionName,
  type VectorFunctionName,
} from '../../../promql/functions';
import { builderNumber } from '../../../promql/numbers';
import { BlurInput } from './BlurInput';

interface Props {
  fn: RangeFunctionName | VectorFunctionName;
  params: Parameter[];
  /** Element id of a parameter. */
  id: (part: string) => string;
  /** Label names, for the parameters that name labels. */
  loadLabels: (input: string) => Promise<Array<ComboboxOption<string>>>;
  onChange: (params: Parameter[]) => void;
}

/** What a parameter is, in the user's words; n counts from 1. */
function parameterLabel(fn: string, n: number): string {
  switch (`${fn}:${n}`) {
    case 'quantile_over_time:1':
    case 'histogram_quantile:1':
      return t('query-editor.construct.param.quantile', 'Quantile');
    case 'predict_linear:1':
      return t('query-editor.construct.param.seconds-ahead', 'Seconds ahead');
    case 'double_exponential_smoothing:1':
      return t('query-editor.construct.param.smoothing', 'Smoothing factor');
    case 'double_exponential_smoothing:2':
      return t('query-editor.construct.param.trend', 'Trend factor');
    case 'round:1':
      return t('query-editor.construct.param.nearest', 'To nearest');
    case 'clamp:1':
    case 'clamp_min:1':
      return t('query-editor.construct.param.min', 'Min');
    case 'clamp:2':
    case 'clamp_max:1':
      return t('query-editor.construct.param.max', 'Max');
    case 'histogram_fraction:1':
      return t('query-editor.construct.param.lower', 'Lower bound');
    case 'histogram_fraction:2':
      return t('query-editor.construct.param.upper', 'Upper bound');
    case 'label_replace:1':
    case 'label_join:1':
      return t('query-editor.construct.param.destination', 'Destination label');
    case 'label_replace:2':
      return t('query-editor.construct.param.replacement', 'Replacement');
    case 'label_replace:3':
      return t('query-editor.construct.param.source', 'Source label');
    case 'label_replace:4':
      return t('query-editor.construct.param.regex', 'Regex');
    case 'label_join:2':
      return t('query-editor.construct.param.separator', 'Separator');
    default:
      return t('query-editor.construct.param.nth', 'Parameter {{n}}', { n });
  }
}

/**
 * The parameters of a function besides the query it applies to: a text field each (numbers keep their spelling), a
 * label list for the labels a function repeats (`label_join`'s sources, `sort_by_label`'s labels). An optional one
 * (`round`'s) is left out while empty.
 */
export function FunctionParameters({ fn, params, id, loadLabels, onChange }: Props) {
  const spec = functionSpec(fn);
  const fixed = spec.before.length + spec.after.length - (spec.variadic ? 1 : 0);
  const kinds = parameterKinds(spec, Math.max(params.length, fixed)) ?? [...spec.before, ...spec.after];
  const set = (index: number, text: string) => {
    const next = [...params];
    while (next.length < index) {
      next.push(kinds[next.length] === 'number' ? 0 : '');
    }
    const optional = index >= fixed - (spec.optional ?? 0);
    if (optional && text.trim() === '') {
      onChange(next.slice(0, index));
      return;
    }
    next[index] = kinds[index] === 'number' ? (builderNumber(text) ?? text.trim()) : text;
    onChange(next);
  };
  const fields = [];
  for (let i = 0; i < fixed; i++) {
    const n = i + 1;
    fields.push(
      <InlineField key={i} label={parameterLabel(fn, n)} htmlFor={id(`param-${n}`)}>
        <BlurInput
          id={id(`param-${n}`)}
          width={kinds[i] === 'number' ? 10 : 16}
          value={params[i] === undefined ? '' : String(params[i])}
          onCommit={(text) => set(i, text)}
        />
      </InlineField>
    );
  }
  if (spec.variadic) {
    fields.push(
      <InlineField
        key="labels"
        label={
          fn === 'label_join'
            ? t('query-editor.construct.param.source-labels', 'Source labels')
            : t('query-editor.construct.param.labels', 'Labels')
        }
        htmlFor={id('param-labels')}
      >
        <MultiCombobox<string>
          id={id('param-labels')}
          width="auto"
          minWidth={20}
          maxWidth={60}
          options={loadLabels}
          value={params.slice(fixed).map(String)}
          createCustomValue
          onChange={(chosen) => onChange([...params.slice(0, fixed), ...chosen.map((c) => c.value)])}
        />
      </InlineField>
    );
  }
  return <>{fields}</>;
}
