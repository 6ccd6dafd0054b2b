import {
  applyFieldOverrides,
  CoreApp,
  dateMath,
  FieldType,
  LoadingState,
  PluginContextProvider,
  rangeUtil,
  type DataFrame,
  type DataQueryRequest,
  type DataSourceApi,
  type PanelData,
  type TimeRange,
} from '@grafana/data';
import { config, getBackendSrv, getDataSourceSrv, locationService } from '@grafana/runtime';
import { Alert, Button, LoadingPlaceholder, Stack, useTheme2 } from '@grafana/ui';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useParams } from 'react-router-dom';
import type { Subscription } from 'rxjs';

import { ErrorBoundary } from './HostApp';
import { TimeSeriesStandIn } from './panels';
import { importAppPlugin, importDataSourcePlugin } from './pluginLoader';
import { harnessRunRequest } from './runRequest';
import { dataSourceSrv } from './services';

function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): { value?: T; error?: any } {
  const [state, setState] = useState<{ value?: T; error?: any }>({});
  useEffect(() => {
    let live = true;
    setState({});
    fn().then(
      (value) => live && setState({ value }),
      (error) => {
        console.error('harness:', error);
        live && setState({ error });
      }
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

function LoadError({ error }: { error: any }) {
  return (
    <Alert severity="error" title="harness: loading failed" data-testid="harness-load-error">
      {String(error?.message ?? error?.data?.message ?? error)}
    </Alert>
  );
}

function Title({ children }: { children: ReactNode }) {
  return <h1 style={{ fontSize: 22, marginBottom: 16 }}>{children}</h1>;
}

export function HomePage() {
  return (
    <div>
      <Title>Pulse harness</Title>
      <p>The real dist/ of the plugin, in a host page that plays Grafana's part. Panels are harness stand-ins.</p>
    </div>
  );
}

// Grafana's AppRootPage: the app's root component under /a/<id>/*, in the app's plugin context.
export function AppRootPage() {
  const { pluginId } = useParams();
  const location = useLocation();
  const { value: plugin, error } = useAsync(async () => {
    const meta = await getBackendSrv().get(`/api/plugins/${pluginId}/settings`);
    return importAppPlugin(meta);
  }, [pluginId]);
  if (error) {
    return <LoadError error={error} />;
  }
  if (!plugin) {
    return <LoadingPlaceholder text="Loading plugin..." />;
  }
  if (!plugin.root) {
    console.error(`harness: app ${pluginId} has no root page`);
    return <Alert severity="error" title="No root app page component found" data-testid="harness-no-root" />;
  }
  const Root = plugin.root;
  return (
    <PluginContextProvider meta={plugin.meta}>
      <ErrorBoundary name={`app ${pluginId}`}>
        <Root
          meta={plugin.meta}
          basename={`/a/${pluginId}`}
          onNavChanged={() => {}}
          query={Object.fromEntries(new URLSearchParams(location.search))}
          path={location.pathname}
        />
      </ErrorBoundary>
    </PluginContextProvider>
  );
}

// Grafana's plugin page (/plugins/<id>) for an app: its config pages (tabs).
export function AppConfigPage() {
  const { pluginId } = useParams();
  const { value: plugin, error } = useAsync(async () => {
    const meta = await getBackendSrv().get(`/api/plugins/${pluginId}/settings`);
    return importAppPlugin(meta);
  }, [pluginId]);
  const [tab, setTab] = useState(0);
  if (error) {
    return <LoadError error={error} />;
  }
  if (!plugin) {
    return <LoadingPlaceholder text="Loading plugin..." />;
  }
  const pages: any[] = plugin.configPages ?? [];
  if (!pages.length) {
    console.error(`harness: app ${pluginId} has no config page`);
    return <Alert severity="error" title="This app has no config page" />;
  }
  const Body = pages[tab].body;
  return (
    <PluginContextProvider meta={plugin.meta}>
      <Title>{plugin.meta.name}</Title>
      <Stack gap={1}>
        {pages.map((p, i) => (
          <Button
            key={p.id}
            variant={i === tab ? 'primary' : 'secondary'}
            size="sm"
            icon={p.icon}
            onClick={() => setTab(i)}
          >
            {p.title}
          </Button>
        ))}
      </Stack>
      <div style={{ marginTop: 16 }}>
        <ErrorBoundary name={`config page ${pages[tab].id}`}>
          <Body plugin={plugin} query={{}} />
        </ErrorBoundary>
      </div>
    </PluginContextProvider>
  );
}

type TestStatus = { severity: 'success' | 'error'; message: string; details?: any };

// Grafana's data source settings page: the ConfigEditor, then "Save & test" = PUT the settings, reload the data
// source service, call testDatasource() (→ /health) and show the message.
export function DataSourcePage() {
  const { uid } = useParams();
  const [settings, setSettings] = useState<any>();
  const [testing, setTesting] = useState(false);
  const [status, setStatus] = useState<TestStatus>();
  const { value: plugin, error } = useAsync(async () => {
    const ds = await getBackendSrv().get(`/api/datasources/uid/${uid}`);
    const meta = await getBackendSrv().get(`/api/plugins/${ds.type}/settings`);
    setSettings({ ...ds, secureJsonData: {} });
    return importDataSourcePlugin(meta);
  }, [uid]);
  if (error) {
    return <LoadError error={error} />;
  }
  if (!plugin || !settings) {
    return <LoadingPlaceholder text="Loading data source..." />;
  }
  const ConfigEditor = plugin.components.ConfigEditor;
  const saveAndTest = async () => {
    setTesting(true);
    setStatus(undefined);
    try {
      const saved = await getBackendSrv().put(`/api/datasources/uid/${uid}`, settings);
      setSettings({ ...saved.datasource, secureJsonData: {} });
      await dataSourceSrv.reload();
      const ds = await getDataSourceSrv().get(uid);
      const result: any = await ds.testDatasource();
      setStatus({
        severity: result.status === 'error' ? 'error' : 'success',
        message: result.message,
        details: result.details,
      });
    } catch (err: any) {
      // Grafana's parseHealthCheckError
      const message =
        err?.message ?? err?.data?.message ?? (err?.statusText ? `HTTP error ${err.statusText}` : String(err));
      setStatus({ severity: 'error', message, details: err?.details ?? err?.data?.details });
    } finally {
      setTesting(false);
    }
  };
  return (
    <PluginContextProvider meta={plugin.meta}>
      <Title>{settings.name}</Title>
      <ErrorBoundary name="ConfigEditor">
        <ConfigEditor options={settings} onOptionsChange={setSettings} />
      </ErrorBoundary>
      <div style={{ marginTop: 16 }} data-testid="harness-test-status">
        {status && (
          <Alert severity={status.severity} title={status.message}>
            {status.details?.message && <div>{status.details.message}</div>}
            {status.details?.verboseMessage && (
              <details>
                <summary>Details</summary>
                <pre style={{ whiteSpace: 'pre-wrap' }}>{status.details.verboseMessage}</pre>
              </details>
            )}
          </Alert>
        )}
      </div>
      <Stack gap={1}>
        <Button onClick={saveAndTest} disabled={testing || settings.readOnly}>
          {testing ? 'Testing...' : 'Save & test'}
        </Button>
      </Stack>
    </PluginContextProvider>
  );
}

function fieldTitle(f: DataFrame['fields'][number]) {
  const labels = f.labels ? Object.entries(f.labels).map(([k, v]) => `${k}="${v}"`) : [];
  return labels.length ? `${f.name} {${labels.join(', ')}}` : f.name;
}

function formatValue(f: DataFrame['fields'][number], v: any) {
  if (v === null || v === undefined) {
    return '';
  }
  if (f.type === FieldType.time) {
    return new Date(v).toISOString();
  }
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function FramesTable({ frames }: { frames: DataFrame[] }) {
  const theme = useTheme2();
  const cell = { border: `1px solid ${theme.colors.border.weak}`, padding: '2px 6px', fontSize: 12 };
  if (!frames.length) {
    return (
      <div data-testid="harness-frames" data-frames="0">
        No frames
      </div>
    );
  }
  return (
    <div data-testid="harness-frames" data-frames={frames.length}>
      {frames.map((frame, i) => (
        <div key={i} style={{ marginBottom: 12 }} data-testid="harness-frame" data-rows={frame.length}>
          <div style={{ fontWeight: 500 }}>
            Frame {i + 1}: {frame.name ?? '(no name)'} · refId {frame.refId} · {frame.length} rows ·{' '}
            {frame.meta?.type ?? ''} {frame.meta?.executedQueryString ? `· ${frame.meta.executedQueryString}` : ''}
          </div>
          <table style={{ borderCollapse: 'collapse' }}>
            <thead>
              <tr>
                {frame.fields.map((f, j) => (
                  <th key={j} style={cell}>
                    {fieldTitle(f)} <span style={{ opacity: 0.6 }}>({f.type})</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: Math.min(frame.length, 5) }, (_, r) => frame.length - 1 - r).map((r) => (
                <tr key={r}>
                  {frame.fields.map((f, j) => (
                    <td key={j} style={cell}>
                      {formatValue(f, f.values[r])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

// Explore-like editing page: the data source's QueryEditor over a stand-in time series panel and the frames.
export function ExplorePage() {
  const params = new URLSearchParams(useLocation().search);
  const fromRaw = params.get('from') ?? 'now-1h';
  const { value: ds, error } = useAsync(() => getDataSourceSrv().get(params.get('ds') ?? undefined), []);
  const [query, setQueryState] = useState<any>();
  // Grafana keeps the queries in its store, updated synchronously by onChange; onRunQuery and the Run button read
  // the latest from there. A ref does the same here (a closure over state would run the query of the last render,
  // e.g. an editor that commits its text on blur right before the Run click).
  const latest = useRef<any>();
  const setQuery = (q: any) => {
    latest.current = q;
    setQueryState(q);
  };
  const [data, setData] = useState<PanelData>();
  const sub = useRef<Subscription>();
  const theme = useTheme2();
  const range: TimeRange = useMemo(() => {
    const from = dateMath.parse(fromRaw, false)!;
    const to = dateMath.parse('now', true)!;
    return { from, to, raw: { from: fromRaw, to: 'now' } };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fromRaw, data === undefined]);

  useEffect(() => {
    if (ds && !query) {
      setQuery({
        refId: 'A',
        datasource: { uid: ds.uid, type: ds.type },
        ...(ds.getDefaultQuery?.(CoreApp.Explore) ?? {}),
      });
    }
  }, [ds, query]);
  useEffect(() => () => sub.current?.unsubscribe(), []);

  if (error) {
    return <LoadError error={error} />;
  }
  if (!ds || !query) {
    return <LoadingPlaceholder text="Loading data source..." />;
  }
  const QueryEditor = (ds as DataSourceApi).components?.QueryEditor as any;
  if (!QueryEditor) {
    console.error('harness: the data source has no QueryEditor');
    return <Alert severity="error" title="The data source has no QueryEditor" />;
  }
  const run = (q = latest.current ?? query) => {
    const now = {
      from: dateMath.parse(fromRaw, false)!,
      to: dateMath.parse('now', true)!,
      raw: { from: fromRaw, to: 'now' },
    };
    const maxDataPoints = 800;
    const { interval, intervalMs } = rangeUtil.calculateInterval(now, maxDataPoints, (ds as any).interval);
    const request: DataQueryRequest<any> = {
      app: CoreApp.Explore,
      requestId: `explore_${Date.now()}`,
      interval,
      intervalMs,
      maxDataPoints,
      range: now,
      targets: [q],
      scopedVars: {
        __interval: { text: interval, value: interval },
        __interval_ms: { text: String(intervalMs), value: intervalMs },
      },
      timezone: 'browser',
      startTime: Date.now(),
    };
    sub.current?.unsubscribe();
    sub.current = harnessRunRequest(ds, request).subscribe(setData);
  };
  const series = data
    ? applyFieldOverrides({
        data: data.series,
        fieldConfig: { defaults: {}, overrides: [] },
        replaceVariables: (s: string) => s,
        theme,
        timeZone: 'browser',
      })
    : [];
  return (
    <PluginContextProvider meta={ds.meta}>
      <Title>Editor · {ds.name}</Title>
      <ErrorBoundary name="QueryEditor">
        <QueryEditor
          datasource={ds}
          query={query}
          queries={[query]}
          onChange={setQuery}
          onRunQuery={() => run()}
          range={range}
          data={data}
          app={CoreApp.Explore}
        />
      </ErrorBoundary>
      <div style={{ margin: '12px 0' }}>
        <Button icon="sync" onClick={() => run()} data-testid="harness-run">
          Run query
        </Button>{' '}
        <span data-testid="harness-state">{data?.state ?? 'not run'}</span>
      </div>
      {data?.errors?.map((e, i) => (
        <Alert key={i} severity="error" title={e.message ?? 'Query error'} data-testid="harness-query-error" />
      ))}
      {data && data.state !== LoadingState.Loading && (
        <>
          <div style={{ border: `1px solid ${theme.colors.border.weak}`, marginBottom: 16 }}>
            <ErrorBoundary name="time series stand-in">
              <TimeSeriesStandIn
                {...({} as any)}
                data={{ ...data, series }}
                width={Math.min(1100, window.innerWidth - 60)}
                height={280}
                timeRange={data.timeRange}
                timeZone="browser"
              />
            </ErrorBoundary>
          </div>
          <FramesTable frames={data.series} />
        </>
      )}
    </PluginContextProvider>
  );
}
