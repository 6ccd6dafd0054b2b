import React, { useState } from 'react';
import { Input } from '@grafana/ui';

type Props = Omit<React.ComponentProps<typeof Input>, 'value' | 'onChange' | 'onBlur'> & {
  value: string;
  /** Called with the new text when the user leaves the field or presses Enter, only if it changed. */
  onCommit: (value: string) => void;
};

/** A text input that reports its value on blur/Enter, so typing does not run a query per keystroke. */
export function BlurInput({ value, onCommit, onKeyDown, ...rest }: Props) {
  const [text, setText] = useState(value);
  const [committed, setCommitted] = useState(value);

  // The query can change from outside (history, another editor): adopt it while the field is not being edited.
  if (value !== committed) {
    setCommitted(value);
    setText(value);
  }

  const commit = () => {
    if (text !== value) {
      onCommit(text);
    }
  };

  return (
    <Input
      {...rest}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          commit();
        }
        onKeyDown?.(e);
      }}
    />
  );
}
