import React from 'react';
import { t } from '@grafana/i18n';
import { InlineField } from '@grafana/ui';

import { BlurInput } from './BlurInput';

interface Props {
  /** Element id of a part (`offset`, `at`). */
  id: (part: string) => string;
  offset?: string;
  at?: string;
  onChange: (modifiers: { offset?: string; at?: string }) => void;
}

/** `offset` and `@` of a selector or a subquery; an empty field means none. */
export function ModifierFields({ id, offset, at, onChange }: Props) {
  const set = (field: 'offset' | 'at', text: string) => {
    const value = text.trim();
    const next = { offset, at, [field]: value === '' ? undefined : value };
    onChange({
      ...(next.offset !== undefined && { offset: next.offset }),
      ...(next.at !== undefined && { at: next.at }),
    });
  };
  return (
    <>
      <InlineField
        label={t('query-editor.construct.offset.label', 'Offset')}
        tooltip={t(
          'query-editor.construct.offset.tooltip',
          'Shift the time looked at: 1d is the same moment a day earlier, -5m five minutes later. Empty for none.'
        )}
        htmlFor={id('offset')}
      >
        <BlurInput
          id={id('offset')}
          width={12}
          placeholder={t('query-editor.construct.offset.placeholder', 'e.g. 1d')}
          value={offset ?? ''}
          onCommit={(text) => set('offset', text)}
        />
      </InlineField>
      <InlineField
        label={t('query-editor.construct.at.label', '@')}
        tooltip={t(
          'query-editor.construct.at.tooltip',
          'Evaluate at a fixed time: start() or end() of the dashboard range, or a Unix timestamp in seconds. Empty for each step of the range.'
        )}
        htmlFor={id('at')}
      >
        <BlurInput
          id={id('at')}
          width={22}
          placeholder={t('query-editor.construct.at.placeholder', 'end(), start(), 1700000000')}
          value={at ?? ''}
          onCommit={(text) => set('at', text)}
        />
      </InlineField>
    </>
  );
}
