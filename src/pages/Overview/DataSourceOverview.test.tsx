import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppRootProps, DataSourceInstanceSettings } from '@grafana/data';

import { AppSettings } from '../../settings';
import { ADMIN, serveUnder, signInWith, VIEWER } from '../shared/testing/grafana';
import { PluginPropsContext } from '../../utils/utils.plugin';
import { DataSourceOverview } from './DataSourceOverview';

const get = jest.fn();
let pulseDataSources: Array<Partial<DataSourceInstanceSettings>> = [];
const getList = jest.fn(() => pulseDataSources);

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ get }),
  getDataSourceSrv: () => ({ getList }),
}));

function renderOverview(jsonData: AppSettings = {}) {
  const props = { meta: { id: 'pulse-monitoring-app', jsonData } } as unknown as AppRootProps<AppSettings>;
  return render(
    <PluginPropsContext.Provider value={props}>
      <DataSourceOverview />
    </PluginPropsContext.Provider>
  );
}

describe('DataSourceOverview', () => {
  beforeEach(() => {
    get.mockReset();
    getList.mockClear();
    pulseDataSources = [];
    signInWith(ADMIN);
    serveUnder('');
  });

  it('explains how to add a Pulse data source when there is none', () => {
    renderOverview();

    expect(getList).toHaveBeenCalledWith({ pluginId: 'pulse-prometheus-datasource' });
    expect(screen.getByText('No Pulse data source yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Add a data source/ })).toHaveAttribute(
      'href',
      '/connections/datasources/new'
    );
    expect(get).not.toHaveBeenCalled();
  });

  it('checks the default data source and shows the result', async () => {
    pulseDataSources = [
      { uid: 'pulse-a', name: 'Pulse A' },
      { uid: 'pulse-b', name: 'Pulse B' },
    ];
    get.mockResolvedValue({ status: 'OK', message: 'Prometheus 2.53.0; nestjs: 3 services' });
    renderOverview({ defaultDatasourceUid: 'pulse-b' });

    expect(screen.getByRole('heading', { name: 'Pulse B' })).toBeInTheDocument();
    expect(screen.getByText('Checking connection…')).toBeInTheDocument();
    expect(await screen.findByText('Connected')).toBeInTheDocument();
    expect(screen.getByText('Prometheus 2.53.0; nestjs: 3 services')).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith('/api/datasources/uid/pulse-b/health', undefined, undefined, {
      showErrorAlert: false,
    });
    expect(screen.getByRole('link', { name: /Data source settings/ })).toHaveAttribute(
      'href',
      '/connections/datasources/edit/pulse-b'
    );
  });

  it('shows the backend message when the check fails, and checks again on request', async () => {
    pulseDataSources = [{ uid: 'pulse-a', name: 'Pulse A' }];
    get.mockRejectedValueOnce({ status: 400, data: { status: 'ERROR', message: 'connection refused' } });
    renderOverview();

    expect(await screen.findByText('Connection failed')).toBeInTheDocument();
    expect(screen.getByText('connection refused')).toBeInTheDocument();

    get.mockResolvedValueOnce({ status: 'OK', message: 'ok now' });
    await userEvent.setup().click(screen.getByRole('button', { name: /Check connection/ }));

    expect(await screen.findByText('ok now')).toBeInTheDocument();
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('falls back to the first Pulse data source when the saved default is gone', async () => {
    pulseDataSources = [{ uid: 'pulse-a', name: 'Pulse A' }];
    get.mockResolvedValue({ status: 'OK', message: '' });
    renderOverview({ defaultDatasourceUid: 'deleted' });

    expect(screen.getByText('Default data source not found')).toBeInTheDocument();
    expect(screen.getByText(/no longer exists \(deleted\)\. Showing Pulse A instead\./)).toBeInTheDocument();
    await waitFor(() =>
      expect(get).toHaveBeenCalledWith('/api/datasources/uid/pulse-a/health', undefined, undefined, {
        showErrorAlert: false,
      })
    );
  });

  it('keeps the sub-path Grafana is served under in the links a user can open in a new tab', async () => {
    serveUnder('/grafana');
    get.mockResolvedValue({ status: 'OK', message: '' });
    pulseDataSources = [];
    const { unmount } = renderOverview();
    expect(screen.getByRole('link', { name: /Add a data source/ })).toHaveAttribute(
      'href',
      '/grafana/connections/datasources/new'
    );
    unmount();

    pulseDataSources = [{ uid: 'pulse-a', name: 'Pulse A' }];
    renderOverview();
    expect(screen.getByRole('link', { name: /Data source settings/ })).toHaveAttribute(
      'href',
      '/grafana/connections/datasources/edit/pulse-a'
    );
    await screen.findByText('Connected');
  });

  it('shows a viewer neither the settings link nor "Add a data source", and says whom to ask', async () => {
    signInWith(VIEWER);
    const { unmount } = renderOverview();
    expect(screen.getByText('No Pulse data source yet')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Add a data source/ })).not.toBeInTheDocument();
    expect(screen.getByText(/Adding one takes a Grafana administrator/)).toBeInTheDocument();
    unmount();

    pulseDataSources = [{ uid: 'pulse-a', name: 'Pulse A' }];
    get.mockResolvedValue({ status: 'OK', message: 'Prometheus 2.53.0' });
    renderOverview();
    // The connection check is for everyone who may query the data source.
    expect(await screen.findByText('Connected')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Data source settings/ })).not.toBeInTheDocument();
  });
});
