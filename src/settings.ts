/**
 * The app's jsonData (saved by the app settings page). Metric names live on the data source, not here.
 * A type alias, not an interface, so it satisfies Grafana's KeyValue constraint.
 */
export type AppSettings = {
  /** Pulse data source the pages open with; without it, the first Pulse data source. */
  defaultDatasourceUid?: string;
};
