import React from 'react';
import { t } from '@grafana/i18n';
import { ComboboxOption, InlineField, InlineFieldRow, MultiCombobox, RadioButtonGroup } from '@grafana/ui';

import { isSetOperator, type Operation, type VectorMatching } from '../../../promql/builder';

type BinaryQueryOperation = Extract<Operation, { kind: 'binaryQuery' }>;

type MatchingMode = 'all' | VectorMatching['mode'];
type GroupSide = 'none' | 'left' | 'right';

interface Props {
  op: BinaryQueryOperation;
  /** Element id of a part of this operation. */
  id: (part: string) => string;
  /** Label names for the dropdowns (typing others stays possible). */
  loadLabels: (input: string) => Promise<Array<ComboboxOption<string>>>;
  onChange: (op: BinaryQueryOperation) => void;
}

/**
 * How the series of the two queries pair up: on all labels (PromQL's default), `on (…)` or `ignoring (…)`; and for
 * arithmetic and comparisons, one-to-one or many-to-one (`group_left`/`group_right`, copying labels across).
 */
export function VectorMatchingField({ op, id, loadLabels, onChange }: Props) {
  const matching = op.matching;
  const mode: MatchingMode = matching?.mode ?? 'all';
  const side: GroupSide = matching?.group?.side ?? 'none';
  const setMatching = (next: VectorMatching | undefined) => {
    const { matching: _, ...rest } = op;
    onChange(next ? { ...rest, matching: next } : rest);
  };

  return (
    <InlineFieldRow>
      <InlineField
        label={t('query-editor.builder.matching.label', 'Match series')}
        tooltip={t(
          'query-editor.builder.matching.tooltip',
          'Which labels pair a series on the left with one on the right: all of them, only the listed ones (on), or all but the listed ones (ignoring).'
        )}
      >
        <RadioButtonGroup<MatchingMode>
          size="sm"
          aria-label={t('query-editor.builder.matching.mode', 'Match series')}
          options={[
            { value: 'all', label: t('query-editor.builder.matching.all', 'on all labels') },
            { value: 'on', label: t('query-editor.builder.matching.on', 'on') },
            { value: 'ignoring', label: t('query-editor.builder.matching.ignoring', 'ignoring') },
          ]}
          value={mode}
          onChange={(next) =>
            setMatching(
              next === 'all'
                ? undefined
                : { mode: next, labels: matching?.labels ?? [], ...(matching?.group && { group: matching.group }) }
            )
          }
        />
      </InlineField>
      {matching && (
        <InlineField label={t('query-editor.builder.matching.labels', 'Labels')} htmlFor={id('matching-labels')}>
          <MultiCombobox<string>
            id={id('matching-labels')}
            width="auto"
            minWidth={20}
            maxWidth={50}
            options={loadLabels}
            value={matching.labels}
            createCustomValue
            onChange={(chosen) => setMatching({ ...matching, labels: chosen.map((c) => c.value) })}
          />
        </InlineField>
      )}
      {matching && !isSetOperator(op.op) && (
        <InlineField
          label={t('query-editor.builder.matching.group', 'Cardinality')}
          tooltip={t(
            'query-editor.builder.matching.group-tooltip',
            'Many-to-one when several series on one side match one series on the other (requests per handler with their instance’s version, say); the listed labels are copied from the side with one series.'
          )}
        >
          <RadioButtonGroup<GroupSide>
            size="sm"
            aria-label={t('query-editor.builder.matching.group', 'Cardinality')}
            options={[
              { value: 'none', label: t('query-editor.builder.matching.one-to-one', 'one-to-one') },
              { value: 'left', label: t('query-editor.builder.matching.group-left', 'group_left') },
              { value: 'right', label: t('query-editor.builder.matching.group-right', 'group_right') },
            ]}
            value={side}
            onChange={(next) => {
              const { group: _, ...rest } = matching;
              setMatching(
                next === 'none' ? rest : { ...rest, group: { side: next, labels: matching.group?.labels ?? [] } }
              );
            }}
          />
        </InlineField>
      )}
      {matching?.group && !isSetOperator(op.op) && (
        <InlineField label={t('query-editor.builder.matching.copy', 'Copy labels')} htmlFor={id('group-labels')}>
          <MultiCombobox<string>
            id={id('group-labels')}
            width="auto"
            minWidth={16}
            maxWidth={40}
            options={loadLabels}
            value={matching.group.labels}
            createCustomValue
            onChange={(chosen) =>
              setMatching({ ...matching, group: { side: matching.group!.side, labels: chosen.map((c) => c.value) } })
            }
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
