/**
 * A pack's selected rules as a file to download from the Alerts page: Grafana alerting file provisioning (for
 * Grafana instances configured as code) or a Prometheus rule file (for teams that keep Prometheus + Alertmanager).
 * The same exports as scripts/alerts/export.ts, with the page's edits and the data source's profile and names.
 */
import type { AlertPack } from '../signals';
import {
  grafanaProvisioning,
  type GrafanaExportOptions,
  groupName,
  prometheusRules,
  type RuleSelection,
  type SkippedRule,
  toYaml,
} from './export';

export type DownloadFormat = 'grafana' | 'prometheus';

export interface DownloadFile {
  filename: string;
  text: string;
  /** Rules of the selection the data source's instrumentation cannot answer, left out. */
  skipped: SkippedRule[];
}

const HEADERS: Record<DownloadFormat, string> = {
  grafana:
    "Grafana alerting file provisioning written by Pulse: put it in provisioning/alerting/ (the rules are then read-only in Grafana's UI).",
  prometheus:
    'Prometheus rule file written by Pulse: list it under rule_files in prometheus.yml and check it with promtool check rules.',
};

/**
 * The file for a pack's selection. Prometheus has no `$__rate_interval`: its rate window is four scrape intervals
 * (the data source's, else 15 s), at least a minute.
 */
export function packDownload(
  format: DownloadFormat,
  pack: AlertPack,
  selection: RuleSelection[],
  options: GrafanaExportOptions & { scrapeInterval?: string }
): DownloadFile {
  const result =
    format === 'grafana'
      ? grafanaProvisioning(selection, options)
      : prometheusRules(selection, { ...options, scrapeInterval: options.scrapeInterval || undefined });
  const filename = format === 'grafana' ? `${groupName(pack)}.grafana-alerting.yaml` : `${groupName(pack)}.rules.yml`;
  return { filename, text: toYaml(result.file, HEADERS[format]), skipped: result.skipped };
}
