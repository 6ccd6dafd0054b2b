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
  const setMatching = (next: VectorMatching | undefined) => {
    const { matching: _, ...rest } = op;
    onChange(next ? { ...rest, matching: next } : rest);
  };
  const grouping = matching && !isSetOperator(op.op);

  return (
    <InlineFieldRow>
      <Choice<MatchingMode>
        label={t('query-editor.builder.matching.label', 'Match series')}
        tooltip={t(
          'query-editor.builder.matching.tooltip',
          'Which labels pair a series on the left with one on the right: all of them, only the listed ones (on), or all but the listed ones (ignoring).'
        )}
        options={[
          { value: 'all', label: t('query-editor.builder.matching.all', 'on all labels') },
          { value: 'on', label: t('query-editor.builder.matching.on', 'on') },
          { value: 'ignoring', label: t('query-editor.builder.matching.ignoring', 'ignoring') },
        ]}
        value={matching?.mode ?? 'all'}
        onChange={(mode) =>
          setMatching(
            mode === 'all'
              ? undefined
              : { mode, labels: matching?.labels ?? [], ...(matching?.group && { group: matching.group }) }
          )
        }
      />
      {matching && (
        <Labels
          id={id('matching-labels')}
          label={t('query-editor.builder.matching.labels', 'Labels')}
          loadLabels={loadLabels}
          value={matching.labels}
          onChange={(labels) => setMatching({ ...matching, labels })}
        />
      )}
      {grouping && (
        <Choice<GroupSide>
          label={t('query-editor.builder.matching.group', 'Cardinality')}
          tooltip={t(
            'query-editor.builder.matching.group-tooltip',
            'Many-to-one when several series on one side match one series on the other (requests per handler with their instance’s version, say); the listed labels are copied from the side with one series.'
          )}
          options={[
            { value: 'none', label: t('query-editor.builder.matching.one-to-one', 'one-to-one') },
            { value: 'left', label: t('query-editor.builder.matching.group-left', 'group_left') },
            { value: 'right', label: t('query-editor.builder.matching.group-right', 'group_right') },
          ]}
          value={matching.group?.side ?? 'none'}
          onChange={(side) => {
            const { group, ...rest } = matching;
            setMatching(side === 'none' ? rest : { ...rest, group: { side, labels: group?.labels ?? [] } });
          }}
        />
      )}
      {grouping && matching.group && (
        <Labels
          id={id('group-labels')}
          label={t('query-editor.builder.matching.copy', 'Copy labels')}
          loadLabels={loadLabels}
          value={matching.group.labels}
          onChange={(labels) => setMatching({ ...matching, group: { side: matching.group!.side, labels } })}
        />
      )}
    </InlineFieldRow>
  );
}

/** A labelled row of radio buttons; the label also names the group for assistive technology. */
function Choice<T extends string>(props: {
  label: string;
  tooltip: string;
  options: Array<{ value: T; label: string }>;
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <InlineField label={props.label} tooltip={props.tooltip}>
      <RadioButtonGroup<T>
        size="sm"
        aria-label={props.label}
        options={props.options}
        value={props.value}
        onChange={props.onChange}
      />
    </InlineField>
  );
}

/** Label names from the dropdown, or typed. */
function Labels(props: {
  id: string;
  label: string;
  loadLabels: Props['loadLabels'];
  value: string[];
  onChange: (labels: string[]) => void;
}) {
  return (
    <InlineField label={props.label} htmlFor={props.id}>
      <MultiCombobox<string>
        id={props.id}
        width="auto"
        minWidth={16}
        maxWidth={50}
        options={props.loadLabels}
        value={props.value}
        createCustomValue
        onChange={(chosen) => props.onChange(chosen.map((c) => c.value))}
      />
    </InlineField>
  );
}
