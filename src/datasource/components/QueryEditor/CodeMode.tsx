import React, { useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { TextArea, useStyles2 } from '@grafana/ui';

interface Props {
  expr: string;
  onExprChange: (expr: string) => void;
  onRunQuery: () => void;
}

/** PromQL as text. Runs on blur when changed, or on Shift+Enter. */
export function CodeMode({ expr, onExprChange, onRunQuery }: Props) {
  const styles = useStyles2(getStyles);
  const [text, setText] = useState(expr);
  const [committed, setCommitted] = useState(expr);

  // Adopt changes made outside this editor (query history, "add query", another mode).
  if (expr !== committed) {
    setCommitted(expr);
    setText(expr);
  }

  const commit = (alwaysRun: boolean) => {
    const changed = text !== expr;
    if (changed) {
      onExprChange(text);
    }
    if (changed || alwaysRun) {
      onRunQuery();
    }
  };

  return (
    <TextArea
      className={styles.editor}
      aria-label={t('query-editor.code.label', 'PromQL query')}
      placeholder={t('query-editor.code.placeholder', 'Enter a PromQL query (Shift+Enter to run)')}
      value={text}
      rows={Math.min(Math.max(text.split('\n').length, 3), 20)}
      spellCheck={false}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={() => commit(false)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.shiftKey) {
          e.preventDefault();
          commit(true);
        }
      }}
    />
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  editor: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
