import React, { ReactNode, useLayoutEffect, useState } from 'react';
import { Route, Router, Routes, useLocation } from 'react-router-dom';
import { render, screen } from '@testing-library/react';
import { AppRootProps, PluginType } from '@grafana/data';
import { LocationServiceProvider, locationService } from '@grafana/runtime';

import { ADMIN, signInWith } from '../../pages/shared/testing/grafana';
import { AppSettings } from '../../settings';
import App from './App';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ getList: () => [] }),
}));

const props = {
  basename: 'a/pulse-monitoring-app',
  meta: { id: 'pulse-monitoring-app', name: 'Pulse', type: PluginType.app, enabled: true, jsonData: {} },
  query: {},
  path: '',
  onNavChanged: jest.fn(),
} as unknown as AppRootProps<AppSettings>;

function Location() {
  return <output aria-label="location">{useLocation().pathname}</output>;
}

// Like Grafana: one history shared by the location service (scenes use it) and react-router.
function HistoryRouter({ children }: { children: ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((next: typeof history.location) => setLocation(next)), [history]);
  return (
    <Router location={location} navigator={history}>
      {children}
    </Router>
  );
}

// Grafana mounts an app root under /a/<plugin id>/*.
function renderAt(path: string) {
  locationService.push(path);
  return render(
    <LocationServiceProvider service={locationService}>
      <HistoryRouter>
        <Routes>
          <Route path="/a/pulse-monitoring-app/*" element={<App {...props} />} />
        </Routes>
        <Location />
      </HistoryRouter>
    </LocationServiceProvider>
  );
}

describe('App', () => {
  // An org Admin, who may add the data source the empty state asks for.
  beforeEach(() => signInWith(ADMIN));

  it('renders the Overview page, with the empty state when there is no Pulse data source', async () => {
    renderAt('/a/pulse-monitoring-app/overview');
    expect(await screen.findByText('No Pulse data source yet')).toBeInTheDocument();
  });

  it.each(['services', 'hosts', 'containers', 'postgresql', 'targets'])(
    'shows the %s page as the same empty state, without panels, when there is no Pulse data source',
    async (route) => {
      renderAt(`/a/pulse-monitoring-app/${route}`);
      expect(await screen.findByText('No Pulse data source yet')).toBeInTheDocument();
      expect(screen.getByRole('link', { name: /Add a data source/ })).toHaveAttribute(
        'href',
        '/connections/datasources/new'
      );
    }
  );

  it('sends the app root to the Overview page', async () => {
    renderAt('/a/pulse-monitoring-app');
    expect(await screen.findByText('No Pulse data source yet')).toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'location' })).toHaveTextContent('/a/pulse-monitoring-app/overview');
  });
});
