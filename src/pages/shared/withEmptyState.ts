import type { VizPanel } from '@grafana/scenes';

/**
 * Replaces a panel's generic empty state ("the exporter is missing") where the page knows a likelier reason:
 * no swap configured, no container left after the filter, metrics an exporter only reports for some setups.
 * A stat shows `short` as its value and the full text in its description, as signalPanel does.
 */
export function withEmptyState(panel: VizPanel, text: string, short?: string): VizPanel {
  const { fieldConfig } = panel.state;
  panel.setState({
    fieldConfig: { ...fieldConfig, defaults: { ...fieldConfig.defaults, noValue: short ?? text } },
    ...(short !== undefined && { description: text }),
  });
  return panel;
}
