import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { of } from 'rxjs';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSourceInstanceSettings, PluginType } from '@grafana/data';
import { DataSourcePickerProps } from '@grafana/runtime';

import { reloadPage } from '../../utils/reloadPage';
import AppConfig, { AppConfigProps } from './AppConfig';

const fetch = jest.fn();
let pulseDataSources: Array<Partial<DataSourceInstanceSettings>> = [];
let pickerProps: DataSourcePickerProps | undefined;

jest.mock('../../utils/reloadPage', () => ({ reloadPage: jest.fn() }));

// The real picker reads Grafana's data source list; this one shows what it was asked for and lets the test choose.
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
  getDataSourceSrv: () => ({ getList: () => pulseDataSources }),
  DataSourcePicker: (props: DataSourcePickerProps) => {
    pickerProps = props;
    return (
      <button
        type="button"
        id={props.inputId}
        onClick={() => props.onChange({ uid: 'pulse-b' } as DataSourceInstanceSettings)}
      >
        picker: {String(props.current)}
      </button>
    );
  },
}));

function renderConfig(jsonData: Record<string, unknown> = {}) {
  const props = {
    plugin: {
      meta: {
        id: 'pulse-monitoring-app',
        name: 'Pulse',
        type: PluginType.app,
        enabled: true,
        pinned: true,
        jsonData,
      },
    },
    query: {},
  } as unknown as AppConfigProps;
  // Grafana renders the config page inside its router; internal links need one.
  return render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <AppConfig {...props} />
    </MemoryRouter>
  );
}

describe('AppConfig', () => {
  beforeEach(() => {
    fetch.mockReset().mockReturnValue(of({ ok: true }));
    jest.mocked(reloadPage).mockClear();
    pulseDataSources = [{ uid: 'pulse-a', name: 'Pulse A' }];
    pickerProps = undefined;
  });

  it('offers only Pulse data sources, starting from the saved default', () => {
    renderConfig({ defaultDatasourceUid: 'pulse-a' });

    expect(screen.getByRole('group', { name: 'Pulse settings' })).toBeInTheDocument();
    expect(screen.getByText('Default data source')).toBeInTheDocument();
    expect(pickerProps?.pluginId).toBe('pulse-prometheus-datasource');
    expect(pickerProps?.current).toBe('pulse-a');
  });

  it('saves the chosen data source in the app jsonData and reloads', async () => {
    const user = userEvent.setup();
    renderConfig({ defaultDatasourceUid: 'pulse-a', other: 'kept' });

    await user.click(screen.getByRole('button', { name: /^Default data source/ }));
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    await waitFor(() => expect(reloadPage).toHaveBeenCalled());
    expect(fetch).toHaveBeenCalledWith(
      expect.objectContaining({
        url: '/api/plugins/pulse-monitoring-app/settings',
        method: 'POST',
        data: { enabled: true, pinned: true, jsonData: { defaultDatasourceUid: 'pulse-b', other: 'kept' } },
      })
    );
  });

  it('shows why saving failed', async () => {
    const user = userEvent.setup();
    fetch.mockImplementation(() => {
      throw new Error('permission denied');
    });
    renderConfig();

    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    expect(await screen.findByText('permission denied')).toBeInTheDocument();
    expect(reloadPage).not.toHaveBeenCalled();
  });

  it('explains how to add a Pulse data source when there is none', () => {
    pulseDataSources = [];
    renderConfig();
    expect(screen.getByText('No Pulse data source yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Add a data source/ })).toHaveAttribute(
      'href',
      '/connections/datasources/new'
    );
  });
});
