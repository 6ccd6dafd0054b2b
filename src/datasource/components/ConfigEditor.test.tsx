import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { PulseSettings } from '../settings';

const getExporters = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ get: async () => ({ getExporters }) }),
}));
import { ConfigEditor } from './ConfigEditor';

function settings(overrides: Partial<PulseSettings> = {}): PulseSettings {
  return {
    id: 1,
    uid: 'pulse',
    orgId: 1,
    name: 'Pulse',
    type: 'pulse-prometheus-datasource',
    typeName: 'Pulse Prometheus',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    readOnly: false,
    withCredentials: false,
    jsonData: {},
    secureJsonFields: {},
    ...overrides,
  } as PulseSettings;
}

// Grafana passes the changed settings back in as `options`; the host does the same.
function setup(initial: PulseSettings = settings()) {
  const onOptionsChange = jest.fn();
  function Host() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          onOptionsChange(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Host />);
  const last = (): PulseSettings => onOptionsChange.mock.lastCall[0];
  const user = userEvent.setup({ delay: null });
  // Pasting enters a whole value with one change event: the form re-renders once instead of per keystroke.
  const fill = async (element: HTMLElement, text: string) => {
    await user.click(element);
    await user.paste(text);
  };
  return { onOptionsChange, last, user, fill };
}

describe('ConfigEditor', () => {
  it('writes the URL', async () => {
    const { last, user } = setup();
    const url = screen.getByLabelText(/Prometheus server URL/);
    expect(url).toHaveAttribute('placeholder', 'http://prometheus:9090');

    await user.type(url, 'http://prometheus:9090');

    expect(last().url).toBe('http://prometheus:9090');
  });

  it('flags a URL without a scheme', async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText(/Prometheus server URL/), 'prometheus:9090');
    expect(screen.getByText('Enter a URL that starts with http:// or https://')).toBeInTheDocument();
  });

  it('keeps the bearer token in secureJsonData only', async () => {
    const { last, user, fill } = setup();

    await user.click(screen.getByRole('radio', { name: 'Bearer token' }));
    await fill(screen.getByLabelText(/^Token/), 's3cret-token');

    const saved = last();
    expect(saved.secureJsonData).toEqual({ bearerToken: 's3cret-token' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('s3cret-token');
    expect(saved.basicAuth).toBe(false);
  });

  it('shows a stored secret as configured and resets it', async () => {
    const { last, user } = setup(settings({ secureJsonFields: { bearerToken: true } }));

    const token = screen.getByLabelText(/^Token/);
    expect(token).toBeDisabled();
    expect(token).toHaveValue('configured');

    await user.click(screen.getByRole('button', { name: 'Reset' }));

    expect(last().secureJsonFields.bearerToken).toBe(false);
    expect(last().secureJsonData?.bearerToken).toBe('');
    expect(screen.getByLabelText(/^Token/)).toBeEnabled();
  });

  it('uses basic auth through the standard settings fields', async () => {
    const { last, user, fill } = setup(settings({ secureJsonFields: { bearerToken: true } }));

    await user.click(screen.getByRole('radio', { name: 'Basic authentication' }));
    await fill(screen.getByLabelText('User'), 'grafana');
    await fill(screen.getByLabelText('Password'), 'pw');

    const saved = last();
    expect(saved.basicAuth).toBe(true);
    expect(saved.basicAuthUser).toBe('grafana');
    expect(saved.secureJsonData).toEqual({ basicAuthPassword: 'pw', bearerToken: '' });
    // leaving bearer auth clears the stored token, which the backend would otherwise still send
    expect(saved.secureJsonFields.bearerToken).toBe(false);
  });

  it('maps header rows to httpHeaderNameN / httpHeaderValueN', async () => {
    const { last, user, fill } = setup();

    await user.click(screen.getByRole('button', { name: 'Add header' }));
    await fill(screen.getByLabelText('Header 1 name'), 'X-Scope-OrgID');
    await fill(screen.getByLabelText('Header 1 value'), 'tenant-a');
    await user.click(screen.getByRole('button', { name: 'Add header' }));
    await fill(screen.getByLabelText('Header 2 name'), 'X-Team');
    await fill(screen.getByLabelText('Header 2 value'), 'sre');

    expect(last().jsonData).toEqual({ httpHeaderName1: 'X-Scope-OrgID', httpHeaderName2: 'X-Team' });
    expect(last().secureJsonData).toEqual({ httpHeaderValue1: 'tenant-a', httpHeaderValue2: 'sre' });

    await user.click(screen.getByRole('button', { name: 'Remove header 1' }));

    expect(last().jsonData).toEqual({ httpHeaderName1: 'X-Team' });
    expect(last().secureJsonData).toEqual({ httpHeaderValue1: 'sre' });
    expect(screen.queryByLabelText('Header 2 name')).not.toBeInTheDocument();
  });

  it('asks again for a stored header value that had to move, and clears the slot left behind', async () => {
    const { last, user } = setup(
      settings({
        jsonData: { httpHeaderName1: 'X-Old', httpHeaderName2: 'X-Scope-OrgID' },
        secureJsonFields: { httpHeaderValue1: true, httpHeaderValue2: true },
      })
    );
    expect(screen.getByLabelText('Header 2 value')).toHaveValue('configured');

    await user.click(screen.getByRole('button', { name: 'Remove header 1' }));

    const saved = last();
    expect(saved.jsonData).toEqual({ httpHeaderName1: 'X-Scope-OrgID' });
    expect(saved.secureJsonFields).toEqual({ httpHeaderValue1: false, httpHeaderValue2: false });
    expect(saved.secureJsonData).toEqual({ httpHeaderValue1: '', httpHeaderValue2: '' });
    expect(screen.getByText('Enter the value')).toBeInTheDocument();
  });

  it('keeps TLS certificates in secureJsonData', async () => {
    const { last, user, fill } = setup();

    await user.click(screen.getByRole('switch', { name: 'TLS client authentication' }));
    await fill(screen.getByLabelText('Client certificate'), 'CERT');
    await fill(screen.getByLabelText('Client key'), 'KEY');
    await fill(screen.getByLabelText(/^Server name/), 'prom.internal');

    const saved = last();
    expect(saved.jsonData).toEqual({ tlsAuth: true, serverName: 'prom.internal' });
    expect(saved.secureJsonData).toEqual({ tlsClientCert: 'CERT', tlsClientKey: 'KEY' });
  });

  it('writes HTTP and Prometheus options and metric names to jsonData', async () => {
    const { last, user, fill } = setup();

    await user.click(screen.getByRole('radio', { name: 'GET' }));
    await fill(screen.getByLabelText(/^Timeout/), '45');
    await fill(screen.getByLabelText(/Scrape interval/), '15s');
    await fill(screen.getByLabelText(/Query timeout/), '1m');
    const failedCounter = screen.getByLabelText(/Failed requests counter/);
    expect(failedCounter).toHaveAttribute('placeholder', 'nestjs_requests_failed_count');
    await fill(failedCounter, 'api_failed_total');

    expect(last().jsonData).toEqual({
      httpMethod: 'GET',
      timeout: 45,
      timeInterval: '15s',
      queryTimeout: '1m',
      metrics: { failedCounter: 'api_failed_total' },
    });
  });

  it('shows POST as the default method and the default metric names as placeholders', () => {
    setup();
    expect(screen.getByRole('radio', { name: 'POST' })).toBeChecked();
    expect(screen.getByLabelText(/Success latency histogram/)).toHaveAttribute(
      'placeholder',
      'nestjs_success_requests'
    );
    expect(screen.getByLabelText(/Failure latency histogram/)).toHaveAttribute('placeholder', 'nestjs_fail_requests');
    expect(screen.getByLabelText(/Service info gauge/)).toHaveAttribute('placeholder', 'nestjs_info');
  });

  it('writes the memory bounds to jsonData, with the defaults as placeholders', async () => {
    const { last, user, fill } = setup();
    const requests = screen.getByLabelText(/Max concurrent requests/);
    const size = screen.getByLabelText(/Max response size/);
    expect(requests).toHaveAttribute('placeholder', '8');
    expect(size).toHaveAttribute('placeholder', '64');

    await fill(requests, '12');
    await fill(size, '128');
    expect(last().jsonData).toEqual({ maxConcurrentRequests: 12, maxResponseSizeMB: 128 });

    // Emptied (or not a positive number), a bound goes back to the backend's default.
    await user.clear(size);
    await user.clear(requests);
    await fill(requests, '0');
    expect(last().jsonData.maxResponseSizeMB).toBeUndefined();
    expect(last().jsonData.maxConcurrentRequests).toBeUndefined();
  });

  it('detects the one instrumentation the targets export and chooses it', async () => {
    getExporters.mockResolvedValue({
      exporters: [{ key: 'nestjs', profiles: [{ profile: 'otel-http', targets: 3 }] }],
    });
    const { last, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Detect from Prometheus' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Chosen: OpenTelemetry HTTP metrics, exported by 3 targets.'
    );
    expect(last().jsonData.metrics).toEqual({ profile: 'otel-http' });
    expect(getExporters).toHaveBeenCalledWith(true);
  });

  it('chooses auto when the targets export several instrumentations', async () => {
    getExporters.mockResolvedValue({
      exporters: [
        {
          key: 'nestjs',
          profiles: [
            { profile: 'seed', targets: 1 },
            { profile: 'otel-http', targets: 3 },
          ],
        },
      ],
    });
    const { last, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Detect from Prometheus' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Chosen: auto, for the 2 instrumentations found: NestJS interceptor: success and fail histograms; OpenTelemetry HTTP metrics.'
    );
    expect(last().jsonData.metrics).toEqual({});
    expect(screen.getByDisplayValue('Auto: each service with the instrumentation it exports')).toBeInTheDocument();
  });

  it('says what to do when detection cannot ask Prometheus', async () => {
    getExporters.mockRejectedValue(new Error('no such data source'));
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Detect from Prometheus' }));
    expect(await screen.findByRole('status')).toHaveTextContent(/save the data source .* and try again/);
  });

  it('allows partial responses by default and stores partialResponse: false when turned off', async () => {
    const { last, user } = setup();
    const partial = screen.getByRole('switch', { name: 'Allow partial responses' });
    expect(partial).toBeChecked();
    await user.click(partial);
    expect(last().jsonData.partialResponse).toBe(false);
    expect(screen.getByRole('switch', { name: 'Allow partial responses' })).not.toBeChecked();
    await user.click(screen.getByRole('switch', { name: 'Allow partial responses' }));
    expect(last().jsonData.partialResponse).toBe(true);
  });
});
