import { ThresholdsMode, type ThresholdsConfig } from '@grafana/data';

/** Green below `warn`, orange from `warn`, red from `critical` (shares: 0.85 is 85%). */
export function usageThresholds(warn: number, critical: number): ThresholdsConfig {
  return {
    mode: ThresholdsMode.Absolute,
    steps: [
      { value: -Infinity, color: 'green' },
      { value: warn, color: 'orange' },
      { value: critical, color: 'red' },
    ],
  };
}

// Node Exporter Full (1860) quick row: CPU busy and system load 85/95 %, RAM and root FS 80/90 %, swap 10/25 %.
export const CPU_THRESHOLDS = usageThresholds(0.85, 0.95);
export const LOAD_THRESHOLDS = usageThresholds(0.85, 0.95);
export const MEMORY_THRESHOLDS = usageThresholds(0.8, 0.9);
export const FILESYSTEM_THRESHOLDS = usageThresholds(0.8, 0.9);
export const SWAP_THRESHOLDS = usageThresholds(0.1, 0.25);
