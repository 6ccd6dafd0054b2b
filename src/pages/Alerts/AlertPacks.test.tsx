import React from 'react';
import { of, throwError } from 'rxjs';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FieldType, toDataFrame } from '@grafana/data';

import { provisionedRule } from '../../alerts/install';
import { ALERT_TEMPLATES, alertTemplatesOf, renderAlert, renderContext } from '../../signals';
import { signInWith } from '../shared/testing/grafana';
import { AlertPacks } from './AlertPacks';
import { saveFile } from './saveFile';

jest.mock('./saveFile', () => ({ saveFile: jest.fn() }));

const fetch = jest.fn();
const query = jest.fn();
const dataSource = {
  uid: 'pulse-ds',
  type: 'pulse-prometheus-datasource',
  meta: { baseUrl: 'public/plugins/pulse-monitoring-app/datasource' },
  metricNames: undefined,
  getExporters: jest.fn(async () => ({
    exporters: [
      { key: 'nestjs', title: 'NestJS services', present: true, count: 2, targets: 2, unit: 'services' },
      { key: 'node', title: 'node_exporter', present: true, count: 1, targets: 1, unit: 'hosts' },
      {
        key: 'cadvisor',
        title: 'cAdvisor',
        present: false,
        count: 0,
        targets: 0,
        unit: 'containers',
        hint: 'Add a scrape job for cAdvisor (:8080).',
      },
      { key: 'postgres', title: 'postgres_exporter', present: true, count: 1, targets: 1, unit: 'databases' },
    ],
  })),
  getCatalog: jest.fn(async () => ({
    services: [{ name: 'shop.orders' }, { name: 'shop.users' }],
    hosts: [{ instance: 'h:9100', nodename: 'web-1' }],
    containers: [],
    databases: [{ name: 'shop', instance: 'pg:9187' }],
  })),
  query,
};

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
  getDataSourceSrv: () => ({ get: async () => dataSource }),
}));

/** Grafana's provisioning API: the Pulse rules it holds, the folder, the group, what was written. */
let stored: unknown[] = [];
const writes: Array<{ method: string; url: string; data?: unknown; headers?: Record<string, string> }> = [];
function grafana({ forbidden = false } = {}) {
  fetch.mockImplementation((req: { method: string; url: string; data?: unknown; headers?: Record<string, string> }) => {
    if (req.method !== 'GET') {
      writes.push(req);
    }
    if (forbidden && req.method !== 'GET') {
      return throwError(() => ({
        status: 403,
        data: { message: 'Permissions needed: alert.provisioning:write' },
      }));
    }
    if (req.method === 'GET' && req.url === '/api/v1/provisioning/alert-rules') {
      return of({ status: 200, data: stored });
    }
    if (req.method === 'GET' && req.url === '/api/folders') {
      return of({ status: 200, data: [{ uid: 'other', title: 'Other' }] });
    }
    if (req.method === 'PUT' && req.url.includes('/rule-groups/')) {
      stored = (req.data as { rules: unknown[] }).rules;
    }
    return of({ status: 200, data: req.data ?? {} });
  });
}

beforeEach(() => {
  stored = [];
  writes.length = 0;
  fetch.mockReset();
  query.mockReset();
});

const pack = async (name: string) => screen.findByTestId(`alert-pack-${name}`);

describe('Alerts page', () => {
  it('offers the packs of the exporters found, scoped to what the catalog found, and says why one is not', async () => {
    signInWith(['alert.provisioning:write', 'folders:create']);
    grafana();
    render(<AlertPacks dataSourceUid="pulse-ds" />);
    const service = await pack('service');
    expect(service).toHaveAttribute('data-offered', 'true');
    expect(await within(service).findByText(/shop\.orders, shop\.users/)).toBeInTheDocument();
    for (const t of alertTemplatesOf('service')) {
      expect(within(service).getByTestId(`alert-service-${t.rule}`)).toBeInTheDocument();
    }
    const container = await pack('container');
    expect(container).toHaveAttribute('data-offered', 'false');
    expect(within(container).getByText('Not offered: cAdvisor is not scraped')).toBeInTheDocument();
    expect(within(container).getByText('Add a scrape job for cAdvisor (:8080).')).toBeInTheDocument();
  });

  it('installs a pack as one rule group in folder Pulse, without provenance, and then shows it installed', async () => {
    signInWith(['alert.provisioning:write', 'folders:create']);
    grafana();
    render(<AlertPacks dataSourceUid="pulse-ds" />);
    const service = await pack('service');
    await waitFor(() =>
      expect(within(service).getByTestId('alert-service-ServiceDown')).toHaveAttribute('data-state', 'not-installed')
    );
    await userEvent.click(within(service).getByTestId('alert-pack-service-install'));
    await within(service).findByText(
      new RegExp(`Rules written to folder Pulse, group pulse-service: ${alertTemplatesOf('service').length}`)
    );

    expect(writes.map((w) => `${w.method} ${w.url}`)).toEqual([
      'POST /api/folders',
      'PUT /api/v1/provisioning/folder/pulse/rule-groups/pulse-service',
    ]);
    expect(writes.every((w) => w.headers?.['X-Disable-Provenance'] === 'true')).toBe(true);
    const group = writes[1].data as { title: string; interval: number; rules: Array<Record<string, unknown>> };
    expect([group.title, group.interval, group.rules.length]).toEqual([
      'pulse-service',
      60,
      alertTemplatesOf('service').length,
    ]);
    const ctx = renderContext();
    const options = { ctx, appBase: '/a/pulse-monitoring-app', datasourceUid: 'pulse-ds' };
    const down = ALERT_TEMPLATES.find((t) => t.rule === 'ServiceDown')!;
    expect(group.rules.find((r) => r.title === 'ServiceDown')).toEqual(
      provisionedRule(renderAlert(down, ctx), options)
    );
    await waitFor(() =>
      expect(within(service).getByTestId('alert-service-ServiceDown')).toHaveAttribute('data-state', 'installed')
    );
  });

  it('marks a rule edited in Grafana as changed, leaves it unselected, and uninstalls the pack', async () => {
    signInWith(['alert.provisioning:write', 'folders:create']);
    const ctx = renderContext();
    const options = { ctx, appBase: '/a/pulse-monitoring-app', datasourceUid: 'pulse-ds' };
    stored = alertTemplatesOf('host').map((t) => provisionedRule(renderAlert(t, ctx), options));
    (stored[0] as { for: string }).for = '30m';
    grafana();
    render(<AlertPacks dataSourceUid="pulse-ds" />);
    const host = await pack('host');
    const first = alertTemplatesOf('host')[0].rule;
    await waitFor(() =>
      expect(within(host).getByTestId(`alert-host-${first}`)).toHaveAttribute('data-state', 'changed')
    );
    expect(within(host).getByRole('checkbox', { name: `Install ${first}` })).not.toBeChecked();
    await userEvent.click(within(host).getByTestId('alert-pack-host-uninstall'));
    await within(host).findByText(/Rules removed from Grafana: 6/);
    expect(writes.filter((w) => w.method === 'DELETE')).toHaveLength(6);
  });

  it('names the missing permission on a 403', async () => {
    signInWith(['alert.provisioning:write']);
    grafana({ forbidden: true });
    render(<AlertPacks dataSourceUid="pulse-ds" />);
    const target = await pack('target');
    await userEvent.click(within(target).getByTestId('alert-pack-target-install'));
    expect(await within(target).findByText(/alert\.provisioning:write/)).toBeInTheDocument();
  });

  it('lets anyone download the selected rules with their edits, as provisioning or a Prometheus rule file', async () => {
    signInWith(['alert.rules:read', 'folders:read']);
    grafana();
    render(<AlertPacks dataSourceUid="pulse-ds" />);
    const host = await pack('host');
    const cpu = within(host).getByTestId('alert-host-HostCpuHigh');
    // A share is written as the query compares it, and the label says so.
    const threshold = within(cpu).getByLabelText('Threshold (a ratio: 0.05 is 5 %)');
    await userEvent.clear(threshold);
    await userEvent.type(threshold, '0.8');
    await userEvent.click(within(host).getByRole('checkbox', { name: 'Include HostLoadHigh in a download' }));
    await userEvent.click(within(host).getByTestId('alert-pack-host-download-grafana'));
    await userEvent.click(within(host).getByTestId('alert-pack-host-download-prometheus'));
    const [[grafanaName, grafanaText], [promName, promText]] = jest.mocked(saveFile).mock.calls;
    expect([grafanaName, promName]).toEqual(['pulse-host.grafana-alerting.yaml', 'pulse-host.rules.yml']);
    expect(grafanaText).toContain('datasourceUid: pulse-ds');
    expect(grafanaText).not.toContain('HostLoadHigh');
    expect(promText).toMatch(/alert: HostCpuHigh\n\s+expr: .*> 0\.8\n/);
    expect(writes).toEqual([]);
  });

  it('lets a Viewer preview, not install, and says which permission installing needs', async () => {
    signInWith(['alert.rules:read', 'folders:read']);
    grafana();
    const frame = toDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [0, 300_000, 600_000] },
        {
          name: 'Value',
          type: FieldType.number,
          values: [0, 1, 1],
          labels: { name: 'shop.orders', instance: 'a:3000' },
        },
      ],
    });
    query.mockReturnValue(of({ data: [frame] }));
    render(<AlertPacks dataSourceUid="pulse-ds" />);
    expect(await screen.findByText('You can preview the rules, not install them')).toBeInTheDocument();
    expect(screen.queryByTestId('alert-pack-service-install')).not.toBeInTheDocument();
    const row = (await pack('service')).querySelector('[data-testid="alert-service-ServiceDown"]') as HTMLElement;
    await userEvent.click(within(row).getByRole('button', { name: 'Preview' }));
    expect(await within(row).findByText('1 of 1 series would fire now')).toBeInTheDocument();
    expect(within(row).getByTestId('alert-preview-backtest')).toHaveTextContent('firings: 1');
    const [now, history] = query.mock.calls.map((c) => c[0]);
    expect(now.targets[0]).toMatchObject({
      instant: true,
      expr: renderAlert(
        ALERT_TEMPLATES.find((t) => t.rule === 'ServiceDown')!,
        renderContext()
      ).query,
    });
    expect(history.targets[0]).toMatchObject({ instant: false, range: true, interval: '300s' });
    expect(history.range.to.valueOf() - history.range.from.valueOf()).toBe(7 * 86400 * 1000);
  });
});
