import { css } from '@emotion/css';
import { locationUtil, ThemeContext } from '@grafana/data';
import { config, locationService, LocationServiceProvider } from '@grafana/runtime';
import { Alert, GlobalStyles } from '@grafana/ui';
import { Component, useLayoutEffect, useState, type ReactNode } from 'react';
import { version as reactVersion } from 'react';
import { Route, Router, Routes } from 'react-router-dom';

import { DashboardPage } from './dashboardPage';
import { AppConfigPage, AppRootPage, DataSourcePage, ExplorePage, HomePage } from './pages';
import { PanelsPage } from './panelsPage';

/** Production builds strip React's messages: log the stack so a spec sees what broke. */
export class ErrorBoundary extends Component<{ name: string; children: ReactNode }, { error?: Error }> {
  state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidCatch(error: Error, info: { componentStack?: string | null }) {
    console.error(`harness: ${this.props.name} crashed: ${error?.stack ?? error}\n${info.componentStack ?? ''}`);
  }
  render() {
    if (this.state.error) {
      return (
        <Alert severity="error" title={`${this.props.name} crashed`} data-testid="harness-crash">
          <pre>{String(this.state.error?.stack ?? this.state.error)}</pre>
        </Alert>
      );
    }
    return this.props.children;
  }
}

function HostRouter({ children }: { children: ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((loc: any) => setLocation(loc)), [history]);
  return (
    <Router navigator={history as any} location={location}>
      {children}
    </Router>
  );
}

function keepParams(path: string) {
  const q = new URLSearchParams(window.location.search);
  const keep = new URLSearchParams();
  for (const k of ['theme', 'lang']) {
    if (q.get(k)) {
      keep.set(k, q.get(k)!);
    }
  }
  const s = keep.toString();
  // Plain anchors, as Grafana's own: the sub-path must be in the href for a new tab to find Grafana.
  return locationUtil.assureBaseUrl(s ? `${path}?${s}` : path);
}

function Shell({ children }: { children: ReactNode }) {
  const theme = config.theme2;
  const user = config.bootData.user as any;
  const bar = css({
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'center',
    padding: theme.spacing(1, 2),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    background: theme.colors.background.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    a: { color: theme.colors.text.link },
  });
  return (
    <div style={{ minHeight: '100vh', background: theme.colors.background.canvas }}>
      <div className={bar} data-testid="harness-bar">
        <strong>Pulse harness — not Grafana</strong>
        <span>
          React {reactVersion} · @grafana/* {__GRAFANA_PACKAGES__} · Grafana's scenes {__GRAFANA_SCENES__} ·{' '}
          {user.theme} · {user.language} · {user.orgRole}
          {config.appSubUrl ? ` · under ${config.appSubUrl}/` : ''}
        </span>
        <a href={keepParams('/a/pulse-monitoring-app/')}>App</a>
        <a href={keepParams('/plugins/pulse-monitoring-app')}>App config</a>
        <a
          href={keepParams(`/connections/datasources/edit/${config.datasources[config.defaultDatasource]?.uid ?? ''}`)}
        >
          Data source
        </a>
        <a href={keepParams('/explore')}>Editor</a>
        <a href={keepParams('/d/harness-variables')}>Dashboard</a>
        <a href={keepParams('/harness/panels')}>Stand-in panels</a>
      </div>
      <div style={{ padding: theme.spacing(2) }}>{children}</div>
    </div>
  );
}

function NotFound() {
  console.error(`harness: no host page for ${window.location.pathname}`);
  return <Alert severity="error" title={`harness: no host page for ${window.location.pathname}`} />;
}

export function HostApp() {
  return (
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <LocationServiceProvider service={locationService}>
        <HostRouter>
          <Shell>
            <ErrorBoundary name="page">
              <Routes>
                <Route path="/" element={<HomePage />} />
                <Route path="/a/:pluginId/*" element={<AppRootPage />} />
                <Route path="/plugins/:pluginId" element={<AppConfigPage />} />
                <Route path="/connections/datasources/edit/:uid" element={<DataSourcePage />} />
                <Route path="/explore" element={<ExplorePage />} />
                <Route path="/d/:uid" element={<DashboardPage />} />
                <Route path="/harness/panels" element={<PanelsPage />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </ErrorBoundary>
          </Shell>
        </HostRouter>
      </LocationServiceProvider>
    </ThemeContext.Provider>
  );
}
