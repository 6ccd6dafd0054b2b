import type { ValueMapping } from '@grafana/data';
import type { VizPanel } from '@grafana/scenes';

/**
 * Changes to a panel that signalPanel builds generically, for what only one page knows: value mappings
 * (1 → "Up") and visualisation options (a stat that shows a series' name, such as a version).
 */
export function withValueMappings(panel: VizPanel, mappings: ValueMapping[]): VizPanel {
  const { fieldConfig } = panel.state;
  panel.setState({ fieldConfig: { ...fieldConfig, defaults: { ...fieldConfig.defaults, mappings } } });
  return panel;
}

export function withPanelOptions(panel: VizPanel, options: Record<string, unknown>): VizPanel {
  panel.setState({ options: { ...panel.state.options, ...options } });
  return panel;
}
