import { CoreApp, PluginContextProvider, type DataSourceApi, type PanelData } from '@grafana/data';
import { config, getDataSourceSrv } from '@grafana/runtime';
// Grafana core's scenes: a dashboard is built by Grafana, not by the plugin.
import {
  CustomVariable,
  EmbeddedScene,
  QueryVariable,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneTimeRange,
  SceneVariableSet,
  VariableValueSelectors,
  VizPanel,
} from '@grafana/scenes';
import { Alert, Button, LoadingPlaceholder } from '@grafana/ui';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useParams } from 'react-router-dom';

import { ErrorBoundary } from './HostApp';
import { FramesTable } from './pages';

/** The dashboard's variables (exported for the spec's sake: it checks what reaches the query). */
export const DASHBOARD_VARIABLES = {
  // A multi-value variable with two values selected: services of the local stack.
  service: { values: ['shop.gateway', 'shop.orders'] },
  // A query variable on the Pulse data source, "All" selected, no custom all value: every job.
  job: { query: 'label_values(up, job)' },
};

function buildDashboard(from: string) {
  const ds = config.datasources[config.defaultDatasource];
  const datasource = { uid: ds.uid, type: ds.type };
  const runner = new SceneQueryRunner({ datasource, maxDataPoints: 500, queries: [] });
  const scene = new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from, to: 'now' }),
    $variables: new SceneVariableSet({
      variables: [
        new CustomVariable({
          name: 'service',
          label: 'Service',
          query: DASHBOARD_VARIABLES.service.values.join(','),
          isMulti: true,
          value: DASHBOARD_VARIABLES.service.values,
          text: DASHBOARD_VARIABLES.service.values,
        }),
        new QueryVariable({
          name: 'job',
          label: 'Job',
          datasource,
          query: DASHBOARD_VARIABLES.job.query,
          isMulti: true,
          includeAll: true,
          defaultToAll: true,
        }),
      ],
    }),
    controls: [new VariableValueSelectors({})],
    body: new SceneFlexLayout({
      children: [
        new SceneFlexItem({
          height: 300,
          body: new VizPanel({ pluginId: 'timeseries', title: 'Panel (harness stand-in)', $data: runner }),
        }),
      ],
    }),
  });
  return { scene, runner };
}

/**
 * /d/harness-variables: a dashboard as Grafana has one, built with Grafana core's scenes (the host's, not the
 * plugin's): dashboard variables, a panel whose query runs through a SceneQueryRunner, and below it the data
 * source's QueryEditor on that panel's query, as Grafana's panel editor shows it. The dashboard scene is
 * window.__grafanaSceneContext while shown, so templateSrv.getVariables() lists its variables and the panel's
 * requests are interpolated from it through templateSrv.replace().
 */
export function DashboardPage() {
  const { uid } = useParams();
  const fromRaw = new URLSearchParams(useLocation().search).get('from') ?? 'now-5m';
  const { scene, runner } = useMemo(() => buildDashboard(fromRaw), [fromRaw]);
  const [active, setActive] = useState(false);
  const [ds, setDs] = useState<DataSourceApi>();
  const [query, setQueryState] = useState<any>();
  const latest = useRef<any>();
  const [data, setData] = useState<PanelData>();

  useEffect(() => {
    // Effects run child first: by now the dashboard's EmbeddedScene is active and is window.__grafanaSceneContext,
    // as it is in Grafana before a panel editor opens.
    setActive(window.__grafanaSceneContext === scene);
    const sub = runner.subscribeToState((state) => setData(state.data));
    getDataSourceSrv()
      .get(runner.state.datasource)
      .then(
        (instance) => {
          setDs(instance);
          const q = {
            refId: 'A',
            datasource: runner.state.datasource,
            ...(instance.getDefaultQuery?.(CoreApp.PanelEditor) ?? {}),
          };
          latest.current = q;
          setQueryState(q);
        },
        (err) => console.error('harness: dashboard data source', err)
      );
    return () => sub.unsubscribe();
  }, [scene, runner]);

  if (uid !== 'harness-variables') {
    console.error(`harness: no dashboard ${uid}`);
    return <Alert severity="error" title={`harness: no dashboard ${uid} (there is harness-variables)`} />;
  }
  const setQuery = (q: any) => {
    latest.current = q;
    setQueryState(q);
  };
  const run = () => {
    runner.setState({ queries: [latest.current] });
    runner.runQueries();
  };
  const QueryEditor = (ds?.components as any)?.QueryEditor;
  return (
    <div data-testid="harness-dashboard">
      <h1 style={{ fontSize: 22, marginBottom: 16 }}>Dashboard · harness-variables</h1>
      <scene.Component model={scene} />
      {!active || !ds || !query ? (
        <LoadingPlaceholder text="Loading the panel editor..." />
      ) : (
        <PluginContextProvider meta={ds.meta}>
          <div style={{ marginTop: 16 }} data-testid="harness-panel-editor">
            <ErrorBoundary name="QueryEditor">
              <QueryEditor
                datasource={ds}
                query={query}
                queries={[query]}
                onChange={setQuery}
                onRunQuery={run}
                range={data?.timeRange}
                data={data}
                app={CoreApp.PanelEditor}
              />
            </ErrorBoundary>
          </div>
          <div style={{ margin: '12px 0' }}>
            <Button icon="sync" onClick={run} data-testid="harness-run">
              Run query
            </Button>{' '}
            <span data-testid="harness-state">{data?.state ?? 'not run'}</span>
          </div>
          {data?.errors?.map((e, i) => (
            <Alert key={i} severity="error" title={e.message ?? 'Query error'} data-testid="harness-query-error" />
          ))}
          {data && data.state === 'Done' && <FramesTable frames={data.series} />}
        </PluginContextProvider>
      )}
    </div>
  );
}
