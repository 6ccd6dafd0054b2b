import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setPluginComponentHook } from '@grafana/runtime';
import {
  CustomVariable,
  EmbeddedScene,
  SceneFlexItem,
  SceneFlexLayout,
  SceneTimeRange,
  SceneVariableSet,
  type VizPanel,
} from '@grafana/scenes';

import type { PulseQuery } from '../../datasource/types';
import { AddToDashboardButton } from './AddToDashboard';
import { dashboardPanel, dashboardWithPanel } from './dashboardPanel';
import { signalPanel } from './signalPanel';
import { ADMIN, serveUnder, signInWith, VIEWER } from './testing/grafana';
import { registerStandardTransformers } from './testing/transformers';

const post = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ post }),
  getDataSourceSrv: () => ({
    getList: () => [],
    getInstanceSettings: () => undefined,
    get: () => new Promise(() => undefined),
  }),
}));

beforeAll(registerStandardTransformers);

// A page as Pulse builds one: its data source and service variables, and a panel of a signal on them.
function page(services: string[]) {
  const panel = signalPanel(
    'service.latency.quantile',
    { service: '$service', instance: '$instance' },
    { title: 'p95 of $service', overrides: { datasource: { type: 'pulse-prometheus-datasource', uid: '${ds}' } } }
  );
  const scene = new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-3h', to: 'now' }),
    $variables: new SceneVariableSet({
      variables: [
        new CustomVariable({ name: 'ds', query: 'pulse-a', value: 'pulse-a', text: 'pulse-a' }),
        new CustomVariable({
          name: 'service',
          query: services.join(','),
          isMulti: true,
          value: services,
          text: services,
        }),
        new CustomVariable({ name: 'instance', query: '10.0.0.1:3000', value: '10.0.0.1:3000', text: '' }),
      ],
    }),
    body: new SceneFlexLayout({ children: [new SceneFlexItem({ body: panel })] }),
  });
  scene.activate();
  return { scene, panel };
}

const buttonOf = (panel: VizPanel) =>
  (panel.state.headerActions as unknown[]).find((a) => a instanceof AddToDashboardButton) as AddToDashboardButton;

describe('a page panel as a dashboard panel', () => {
  it('keeps the visualisation, options and Pulse query, the page variables filled in, macros kept', () => {
    const { panel } = page(['shop.orders']);
    const out = dashboardPanel(panel);
    expect(out).toMatchObject({
      type: 'timeseries',
      title: 'p95 of shop.orders',
      pluginVersion: panel.state.pluginVersion,
      options: panel.state.options,
    });
    const [target] = out.targets as unknown as PulseQuery[];
    // The values as the data source escapes them where they stand (regex matchers here).
    expect(target.expr).toContain('name=~"shop\\\\.orders"');
    expect(target.expr).toContain('instance=~"10\\\\.0\\\\.0\\\\.1:3000"');
    expect(target.expr).toContain('$__rate_interval');
    expect(target.expr).not.toMatch(/\$(service|instance|ds)\b/);
    expect(target.datasource).toEqual({ type: 'pulse-prometheus-datasource', uid: 'pulse-a' });
    // The Guided state survives with values, so the panel editor re-renders the same query.
    expect(target.guided).toMatchObject({
      signalId: 'service.latency.quantile',
      params: { service: 'shop.orders', instance: '10.0.0.1:3000' },
    });
    expect(out.fieldConfig?.defaults.unit).toBe(panel.state.fieldConfig.defaults.unit);
  });

  it('turns a multi-value variable into a regex in the expr and a list in the Guided state', () => {
    const { panel } = page(['shop.orders', 'shop.gateway']);
    const [target] = dashboardPanel(panel).targets as unknown as PulseQuery[];
    expect(target.guided?.params.service).toEqual(['shop.orders', 'shop.gateway']);
    expect(target.expr).not.toContain('$service');
  });

  it('goes on a new dashboard over the page time range, as relative as it was', () => {
    const { scene, panel } = page(['shop.orders']);
    const range = scene.state.$timeRange!.state.value;
    const dashboard = dashboardWithPanel('Mine', dashboardPanel(panel), range);
    expect(dashboard).toMatchObject({ title: 'Mine', time: { from: 'now-3h', to: 'now' } });
    expect((dashboard.panels as Array<Record<string, unknown>>)[0]).toMatchObject({ id: 1, type: 'timeseries' });
  });
});

describe('the Add to dashboard action', () => {
  beforeEach(() => {
    post.mockReset();
    serveUnder('');
  });

  it('is on every signal panel, and not offered to a Viewer', () => {
    signInWith(VIEWER);
    const { panel } = page(['shop.orders']);
    const button = buttonOf(panel);
    expect(button).toBeDefined();
    render(<button.Component model={button} />);
    expect(screen.queryByRole('button', { name: 'Add to dashboard' })).not.toBeInTheDocument();
  });

  it("without Grafana's form, creates a new dashboard with the panel and links to it under the sub-path", async () => {
    signInWith(ADMIN);
    serveUnder('/grafana');
    post.mockResolvedValue({ uid: 'abc', url: '/d/abc/p95' });
    const { panel } = page(['shop.orders']);
    const button = buttonOf(panel);
    render(<button.Component model={button} />);
    await userEvent.click(screen.getByRole('button', { name: 'Add to dashboard' }));
    const title = screen.getByLabelText('New dashboard title');
    await userEvent.clear(title);
    await userEvent.type(title, 'Orders latency');
    await userEvent.click(screen.getByRole('button', { name: 'Create dashboard' }));
    await waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    const [url, body] = post.mock.calls[0];
    expect(url).toBe('/api/dashboards/db');
    expect(body).toMatchObject({ overwrite: false, dashboard: { title: 'Orders latency' } });
    expect(body.dashboard.panels[0].targets[0].expr).toContain('name=~"shop\\\\.orders"');
    expect(await screen.findByRole('link', { name: 'Open dashboard' })).toHaveAttribute('href', '/grafana/d/abc/p95');
  });

  it('names the missing permission when Grafana refuses', async () => {
    signInWith(ADMIN);
    post.mockRejectedValue({ status: 403, data: { message: 'Access denied' } });
    const { panel } = page(['shop.orders']);
    const button = buttonOf(panel);
    render(<button.Component model={button} />);
    await userEvent.click(screen.getByRole('button', { name: 'Add to dashboard' }));
    await userEvent.click(screen.getByRole('button', { name: 'Create dashboard' }));
    expect(await screen.findByText(/dashboards:create/)).toBeInTheDocument();
  });

  it("uses Grafana's own form where Grafana exposes it, with the panel built on demand", async () => {
    signInWith(ADMIN);
    const seen: unknown[] = [];
    const Form = ({ buildPanel }: { buildPanel: () => unknown }) => {
      seen.push(buildPanel());
      return <div>grafana form</div>;
    };
    setPluginComponentHook(((id: string) => ({
      isLoading: false,
      component: id === 'grafana/add-to-dashboard-form/v1' ? Form : null,
    })) as never);
    const { panel } = page(['shop.orders']);
    const button = buttonOf(panel);
    render(<button.Component model={button} />);
    await userEvent.click(screen.getByRole('button', { name: 'Add to dashboard' }));
    expect(await screen.findByText('grafana form')).toBeInTheDocument();
    expect(seen[0]).toMatchObject({ type: 'timeseries', title: 'p95 of shop.orders' });
    expect(post).not.toHaveBeenCalled();
  });
});
