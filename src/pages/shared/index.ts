export { DATA_SOURCE_VARIABLE, PULSE_DATA_SOURCE, metricNamesOf, pulseDataSourceVariable } from './dataSource';
export { emptyStateText, shortEmptyStateText } from './emptyState';
export { exploreAction, exploreQuery } from './explore';
export { initialMetricNames, pulsePageScene, renderWithDataSourceMetricNames } from './pageScene';
export { panelQueries, signalPanel, type PanelQuery, type SignalPanelOptions, type SignalViz } from './signalPanel';
export { requireSignal, rerenderSignalQuery, signalQuery, type SignalQueryOverrides } from './signalQuery';
export { panelRow } from './panelRow';
