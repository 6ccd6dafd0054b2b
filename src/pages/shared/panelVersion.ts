import type { VizPanel } from '@grafana/scenes';

/**
 * The Grafana version whose core panels' option shapes the pages write: the `@grafana/schema` the plugin builds
 * against (a test keeps the two equal and checks every page's options against that schema).
 *
 * A panel's `pluginVersion` tells Grafana which shape its options are in: when it differs from the running panel's
 * version, scenes runs the core panel's migration handler from that version on, as for a dashboard saved then.
 * Scenes' PanelBuilders say 10.0.0, so Grafana would migrate the pages' current-shape options as if they were
 * 10.0.0's; with this version no migration runs on 12.4.2 and a newer Grafana runs exactly those written since.
 */
export const PANEL_SCHEMA_VERSION = '12.4.2';

/** The panel, marked as carrying options in PANEL_SCHEMA_VERSION's shape (before it is activated). */
export function withSchemaVersion(panel: VizPanel): VizPanel {
  panel.setState({ pluginVersion: PANEL_SCHEMA_VERSION });
  return panel;
}
