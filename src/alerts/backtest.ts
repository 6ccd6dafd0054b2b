/**
 * Previewing a rule before it is installed: its current value per series, and a backtest — how often it would
 * have fired over a past window, from a range query of the rule's query at a fixed step. A point breaches when its
 * value meets the condition (the guard is part of the query, so a series it filters out has no point there); a run
 * of consecutive breaching points fires once it has lasted the rule's `for`, as Grafana keeps an instance Pending
 * that long. Between points the rule is not evaluated: a breach shorter than the step can be missed, and a run is
 * measured in whole steps. Pure: frames in, figures out.
 */
import { type DataFrame, FieldType } from '@grafana/data';

import type { Comparison } from '../signals';

export interface SeriesPoints {
  labels: Record<string, string>;
  /** Epoch milliseconds, ascending. */
  times: number[];
  values: Array<number | null>;
}

/** Each number field of each frame beside a time field, as one series (time series frames, wide or multi). */
export function seriesFromFrames(frames: DataFrame[]): SeriesPoints[] {
  const out: SeriesPoints[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) {
        continue;
      }
      const values = Array.from({ length: frame.length }, (_, i) => {
        const v = field.values[i];
        return typeof v === 'number' && !Number.isNaN(v) ? v : null;
      });
      const times = time ? Array.from({ length: frame.length }, (_, i) => Number(time.values[i])) : values.map(() => 0);
      out.push({ labels: { ...field.labels }, times, values });
    }
  }
  return out;
}

export function meets(value: number, op: Comparison, threshold: number): boolean {
  return op === '>' ? value > threshold : value < threshold;
}

export interface CurrentValue {
  labels: Record<string, string>;
  value: number | null;
  fires: boolean;
}

/** The last value of each series of an instant query, and whether it meets the condition now. */
export function currentValues(series: SeriesPoints[], op: Comparison, threshold: number): CurrentValue[] {
  return series.map((s) => {
    const value = s.values.length > 0 ? s.values[s.values.length - 1] : null;
    return { labels: s.labels, value, fires: value !== null && meets(value, op, threshold) };
  });
}

export interface BacktestOptions {
  op: Comparison;
  threshold: number;
  stepSeconds: number;
  forSeconds: number;
}

export interface BacktestResult {
  /** Series the query returned at least one point for. */
  series: number;
  /** Evaluation points that met the condition, over all series. */
  breachPoints: number;
  /** Times an alert instance would have started firing. */
  firings: number;
  /** Series that would have fired at least once. */
  seriesFired: number;
  /** Total time instances would have been firing, in seconds. */
  firingSeconds: number;
}

export function backtest(
  series: SeriesPoints[],
  { op, threshold, stepSeconds, forSeconds }: BacktestOptions
): BacktestResult {
  const stepMs = stepSeconds * 1000;
  const result: BacktestResult = { series: 0, breachPoints: 0, firings: 0, seriesFired: 0, firingSeconds: 0 };
  for (const s of series) {
    if (!s.values.some((v) => v !== null)) {
      continue;
    }
    result.series++;
    let fired = false;
    let runStart: number | undefined;
    let last: number | undefined;
    const closeRun = () => {
      if (runStart !== undefined && last !== undefined) {
        // A run of n points lasts (n - 1) steps; it fires when that reaches `for`, and fires until one step after.
        const lasted = (last - runStart) / 1000;
        if (lasted >= forSeconds) {
          result.firings++;
          result.firingSeconds += lasted - forSeconds + stepSeconds;
          fired = true;
        }
      }
      runStart = undefined;
    };
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      const t = s.times[i];
      const breach = v !== null && meets(v, op, threshold);
      if (!breach) {
        closeRun();
        continue;
      }
      result.breachPoints++;
      // A gap in the points (the series was filtered out or absent) ends the run.
      if (runStart !== undefined && last !== undefined && t - last > stepMs * 1.5) {
        closeRun();
      }
      if (runStart === undefined) {
        runStart = t;
      }
      last = t;
    }
    closeRun();
    if (fired) {
      result.seriesFired++;
    }
  }
  return result;
}

/** The step of the backtest's range query: the rule group's interval, coarsened to stay under `maxPoints` points. */
export function backtestStepSeconds(windowSeconds: number, intervalSeconds: number, maxPoints = 2100): number {
  const minimum = Math.ceil(windowSeconds / maxPoints);
  return Math.max(intervalSeconds, Math.ceil(minimum / 60) * 60);
}
