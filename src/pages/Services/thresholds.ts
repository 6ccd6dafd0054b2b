import { type ThresholdsConfig, ThresholdsMode } from '@grafana/data';

/**
 * Error ratio: the alerting anchors page at 5 % of requests failing (the Nginx/Traefik error-ratio rules); 1 %
 * is our early warning.
 */
export const ERROR_RATIO_THRESHOLDS: ThresholdsConfig = {
  mode: ThresholdsMode.Absolute,
  steps: [
    { value: -Infinity, color: 'green' },
    { value: 0.01, color: 'orange' },
    { value: 0.05, color: 'red' },
  ],
};

/** Restarts in the time range: any restart deserves a look, several suggest a crash loop. */
export const RESTART_THRESHOLDS: ThresholdsConfig = {
  mode: ThresholdsMode.Absolute,
  steps: [
    { value: -Infinity, color: 'green' },
    { value: 1, color: 'orange' },
    { value: 3, color: 'red' },
  ],
};

/** Event-loop lag: the boringstack alerts warn at 200 ms (p99, 5 min) and page at 1 s. */
export const EVENT_LOOP_THRESHOLDS: ThresholdsConfig = {
  mode: ThresholdsMode.Absolute,
  steps: [
    { value: -Infinity, color: 'green' },
    { value: 0.2, color: 'orange' },
    { value: 1, color: 'red' },
  ],
};
