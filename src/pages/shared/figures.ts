import type { PulseQuery } from '../../datasource/types';

/**
 * One rule for every figure a page shows as a number (a stat, a table cell), so that a figure shown twice (a
 * fleet stat and its rows, the Overview and the Services page) agrees with itself:
 *
 * - it is an instant query, evaluated at the end of the page's time range: every query runner of a page reads the
 *   same evaluated time range, so every figure of the page is taken at the same moment (the last point of a range
 *   query would be the end rounded down to that panel's step, which differs with the panel's width);
 * - its rate window is the same everywhere: `$__rate_interval` follows the query interval, which Grafana derives
 *   from the time range and the runner's max data points (by default the panel's width, so a narrow stat and a
 *   wide table would get different windows); every figure's runner asks for FIGURE_POINTS instead.
 *
 * With one moment and one window, a fleet ratio is the traffic-weighted mean of its rows (so it lies within
 * them) and a fleet total is their sum.
 */
export const FIGURE_POINTS = 300;

/** The query of a figure: one value per series, at the end of the time range. */
export const FIGURE_QUERY: Partial<PulseQuery> = { instant: true, range: false };

/**
 * Decimals per unit, for every figure and column of that unit: Grafana's automatic decimals follow each value
 * (`10.0 req/s` in one row, `10.00 req/s` in the next), a fixed count keeps a column aligned.
 */
const DECIMALS_BY_UNIT: Record<string, number> = {
  reqps: 2,
  percentunit: 2,
  s: 1,
  ms: 1,
  bytes: 1,
  decbytes: 1,
  Bps: 1,
  binBps: 1,
  ops: 2,
};

/** The decimals a figure of the unit shows; undefined leaves Grafana's choice (units not listed). */
export function figureDecimals(unit: string | undefined): number | undefined {
  return unit === undefined ? undefined : DECIMALS_BY_UNIT[unit];
}
