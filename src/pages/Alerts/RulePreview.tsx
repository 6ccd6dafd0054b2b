import React, { useEffect, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { CoreApp, dateTime, type DataQueryRequest, formattedValueToString, getValueFormat } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Alert, Badge, LoadingPlaceholder, Stack, Text } from '@grafana/ui';

import {
  backtest,
  backtestStepSeconds,
  type BacktestResult,
  currentValues,
  type CurrentValue,
  seriesFromFrames,
} from '../../alerts/backtest';
import { alertQueryModel, durationSeconds } from '../../alerts/export';
import { GROUP_INTERVAL_SECONDS } from '../../alerts/install';
import type { PulseDataSource } from '../../datasource/datasource';
import type { PulseQuery } from '../../datasource/types';
import { formatThreshold, type RenderedRule } from '../../signals';

/** How far back the backtest looks. */
export const BACKTEST_WINDOW_SECONDS = 7 * 86400;

type Preview =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | { phase: 'done'; current: CurrentValue[]; backtest: BacktestResult; stepSeconds: number };

async function run(ds: PulseDataSource, query: PulseQuery, fromSeconds: number, stepMs: number, points: number) {
  const now = Date.now();
  const from = dateTime(now - fromSeconds * 1000);
  const to = dateTime(now);
  const request = {
    app: CoreApp.Unknown,
    requestId: `pulse-alert-preview-${query.refId}-${now}`,
    timezone: 'browser',
    range: { from, to, raw: { from, to } },
    interval: `${stepMs / 1000}s`,
    intervalMs: stepMs,
    maxDataPoints: points,
    scopedVars: {},
    startTime: now,
    targets: [query],
  } as DataQueryRequest<PulseQuery>;
  const response = await lastValueFrom(ds.query(request));
  if (response.errors?.length) {
    throw new Error(response.errors[0].message ?? t('pages.alerts.preview.failed', 'The query failed.'));
  }
  return seriesFromFrames(response.data);
}

/** Runs the rule's query as Grafana's alerting would (now), and as a range over the backtest window. */
function usePreview(ds: PulseDataSource, rule: RenderedRule): Preview {
  const [preview, setPreview] = useState<Preview>({ phase: 'loading' });
  const { query, condition } = rule;
  const forSeconds = durationSeconds(rule.for);
  useEffect(() => {
    // The parent keys this component by the rule's query and condition, so a changed rule starts as loading.
    let current = true;
    const alerting = alertQueryModel(rule, ds.uid);
    const model = alerting as unknown as PulseQuery;
    const stepSeconds = backtestStepSeconds(BACKTEST_WINDOW_SECONDS, GROUP_INTERVAL_SECONDS);
    const points = Math.ceil(BACKTEST_WINDOW_SECONDS / stepSeconds) + 1;
    Promise.all([
      run(ds, model, durationSeconds(rule.range), alerting.intervalMs, alerting.maxDataPoints),
      run(
        ds,
        { ...model, refId: 'backtest', instant: false, range: true, interval: `${stepSeconds}s` },
        BACKTEST_WINDOW_SECONDS,
        stepSeconds * 1000,
        points
      ),
    ])
      .then(([now, history]) => {
        if (current) {
          setPreview({
            phase: 'done',
            current: currentValues(now, condition.op, condition.threshold),
            backtest: backtest(history, { op: condition.op, threshold: condition.threshold, stepSeconds, forSeconds }),
            stepSeconds,
          });
        }
      })
      .catch((error: unknown) => {
        if (current) {
          setPreview({ phase: 'failed', message: error instanceof Error ? error.message : String(error) });
        }
      });
    return () => {
      current = false;
    };
    // The rule's query, condition and `for` decide the preview; the rest of the rule object is new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ds, query, condition.op, condition.threshold, forSeconds, rule.range]);
  return preview;
}

const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ') || '{}';

export function RulePreview({ ds, rule }: { ds: PulseDataSource; rule: RenderedRule }) {
  const preview = usePreview(ds, rule);
  if (preview.phase === 'loading') {
    return (
      <LoadingPlaceholder
        text={t('pages.alerts.preview.loading', 'Running the rule’s query now and over the last 7 days…')}
      />
    );
  }
  if (preview.phase === 'failed') {
    return (
      <Alert severity="error" title={t('pages.alerts.preview.failed-title', 'The preview failed')}>
        {preview.message}
      </Alert>
    );
  }
  const format = getValueFormat(rule.condition.unit);
  const firing = preview.current.filter((c) => c.fires).length;
  const b = preview.backtest;
  const duration = formattedValueToString(getValueFormat('s')(b.firingSeconds));
  return (
    <Stack direction="column" gap={1}>
      <div data-testid="alert-preview-now">
        <Text weight="medium">
          {t('pages.alerts.preview.now', '{{firing}} of {{total}} series would fire now', {
            firing,
            total: preview.current.length,
          })}
        </Text>
      </div>
      {preview.current.length === 0 && (
        <Text color="secondary">
          {t(
            'pages.alerts.preview.no-series',
            'The query returns no series now: nothing to fire on (the rule treats no data as OK).'
          )}
        </Text>
      )}
      <ul>
        {preview.current.slice(0, 20).map((c) => (
          <li key={labelText(c.labels)}>
            <Stack direction="row" gap={1} alignItems="center">
              <Badge
                color={c.fires ? 'red' : 'green'}
                text={c.fires ? t('pages.alerts.preview.fires', 'Fires') : t('pages.alerts.preview.ok', 'OK')}
              />
              <Text variant="code">{labelText(c.labels)}</Text>
              <Text>
                {c.value === null
                  ? t('pages.alerts.preview.no-value', 'no value')
                  : formattedValueToString(format(c.value))}
              </Text>
            </Stack>
          </li>
        ))}
      </ul>
      <div data-testid="alert-preview-backtest">
        <Text weight="medium">
          {t(
            'pages.alerts.preview.backtest',
            'Last 7 days — firings: {{firings}} · series that fired: {{series}} of {{total}} · time firing: {{duration}} · evaluation points that met the condition: {{points}}',
            {
              firings: b.firings,
              series: b.seriesFired,
              total: b.series,
              duration,
              points: b.breachPoints,
            }
          )}
        </Text>
      </div>
      <Text color="secondary" variant="bodySmall">
        {t(
          'pages.alerts.preview.method',
          'Backtest: the rule’s query as a range query through this data source, one point every {{step}} over the last 7 days (as far as Prometheus keeps data). A point counts when its value meets the condition ({{condition}}); a run of such points counts as one firing once it has lasted “for” ({{for}}). Grafana evaluates every minute, so a breach shorter than a step can be missed.',
          {
            step: formattedValueToString(getValueFormat('s')(preview.stepSeconds)),
            for: rule.for,
            condition: `${rule.condition.op} ${formatThreshold(rule.condition.threshold, rule.condition.unit)}`,
            interpolation: { escapeValue: false },
          }
        )}
      </Text>
    </Stack>
  );
}
