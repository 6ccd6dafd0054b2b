import React, { useMemo } from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { useStyles2 } from '@grafana/ui';

import { highlightPromQL } from './promqlText';

interface Props {
  expr: string;
}

/** The PromQL the query runs, read-only and highlighted; shown under the Guided and Builder editors. */
export function PromQLView({ expr }: Props) {
  const styles = useStyles2(getTokenStyles);
  const tokens = useMemo(() => highlightPromQL(expr), [expr]);
  return (
    <pre className={cx(styles.block, styles.preview)} aria-label={t('query-editor.preview.label', 'PromQL')}>
      {expr === '' ? (
        <span className={styles.empty}>{t('query-editor.preview.empty', 'No query yet')}</span>
      ) : (
        tokens.map((token, i) => (
          <span key={i} className={cx(token.classes, token.error && styles.error)}>
            {token.text}
          </span>
        ))
      )}
    </pre>
  );
}

/** Colours of Lezer's highlight classes, shared with the Code editor's overlay. */
export const getTokenStyles = (theme: GrafanaTheme2) => ({
  block: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: theme.typography.body.lineHeight,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: 0,
    '.tok-keyword': { color: theme.colors.primary.text },
    '.tok-variableName': { color: theme.colors.text.primary },
    '.tok-labelName': { color: theme.visualization.getColorByName('orange') },
    '.tok-string': { color: theme.visualization.getColorByName('green') },
    '.tok-number': { color: theme.visualization.getColorByName('purple') },
    '.tok-operator': { color: theme.colors.text.secondary },
    '.tok-comment': { color: theme.colors.text.disabled, fontStyle: 'italic' },
  }),
  preview: css({
    padding: theme.spacing(1),
    background: theme.colors.background.canvas,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.primary,
  }),
  empty: css({ color: theme.colors.text.disabled }),
  error: css({
    textDecoration: `wavy underline ${theme.colors.error.main}`,
    background: theme.colors.error.transparent,
  }),
});
