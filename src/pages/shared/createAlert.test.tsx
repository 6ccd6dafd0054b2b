import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { locationService } from '@grafana/runtime';
import {
  CustomVariable,
  EmbeddedScene,
  PanelBuilders,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneTimeRange,
  SceneVariableSet,
  type VizPanel,
} from '@grafana/scenes';

import type { PanelRuleForm } from '../../alerts/panelRule';
import { CreateAlertButton } from './createAlert';
import { signalPanel } from './signalPanel';
import { ADMIN, signInWith, VIEWER } from './testing/grafana';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    getList: () => [],
    getInstanceSettings: () => undefined,
    get: () => new Promise(() => undefined),
  }),
}));

const DS = { type: 'pulse-prometheus-datasource', uid: '${ds}' };

// A page as Pulse builds one: its data source and service variables, and a panel on them.
function page(panel: VizPanel) {
  const scene = new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-3h', to: 'now' }),
    $variables: new SceneVariableSet({
      variables: [
        new CustomVariable({ name: 'ds', query: 'pulse-a', value: 'pulse-a', text: 'pulse-a' }),
        new CustomVariable({ name: 'service', query: 'shop.orders', value: 'shop.orders', text: 'shop.orders' }),
        new CustomVariable({ name: 'instance', query: '10.0.0.1:3000', value: '10.0.0.1:3000', text: '' }),
      ],
    }),
    body: new SceneFlexLayout({ children: [new SceneFlexItem({ body: panel })] }),
  });
  scene.activate();
  return panel;
}

const latencyPanel = () =>
  page(
    signalPanel(
      'service.latency.quantile',
      { service: '$service', instance: '$instance' },
      { title: 'p95 of $service', overrides: { datasource: DS } }
    )
  );

function renderButton(panel: VizPanel) {
  const found = (panel.state.headerActions as unknown[]).find((a) => a instanceof CreateAlertButton);
  expect(found).toBeDefined();
  const button = found as CreateAlertButton;
  render(<button.Component model={button} />);
}

function formOf(href: string): { path: string; form: PanelRuleForm; returnTo: string | null } {
  const [path, query] = href.split('?');
  const params = new URLSearchParams(query);
  return { path, form: JSON.parse(params.get('defaults')!), returnTo: params.get('returnTo') };
}

describe('the panels’ Create alert action', () => {
  it('opens Grafana’s new rule form with the panel’s query, the page’s variables filled in and macros kept', async () => {
    signInWith(ADMIN);
    renderButton(latencyPanel());
    await userEvent.click(screen.getByRole('button', { name: 'Create alert' }));
    const location = locationService.getLocation();
    const { path, form, returnTo } = formOf(`${location.pathname}${location.search}`);
    expect(path).toBe('/alerting/new/alerting');
    expect(form.name).toBe('p95 of shop.orders');
    expect(form.condition).toBe('C');
    const [a, b, c] = form.queries;
    expect(a.datasourceUid).toBe('pulse-a');
    expect(a.model).toMatchObject({ instant: true, range: false, datasource: { uid: 'pulse-a' } });
    expect(a.model.expr).toContain('name=~"shop\\\\.orders"');
    expect(a.model.expr).toContain('$__rate_interval');
    expect(a.model.expr).not.toMatch(/\$(service|instance|ds)\b/);
    expect([b.model.type, c.model.type]).toEqual(['reduce', 'threshold']);
    expect(returnTo).toBe('/');
    // The query survives the URL as written (escapes, quotes, operators).
    expect(a.model.expr).toContain('"10\\\\.0\\\\.0\\\\.1:3000"');
    expect(a.model.expr).toContain(')) / 1000, "profile"');
  });

  it('is not offered to a user who may not create rules (a Viewer)', () => {
    signInWith(VIEWER);
    renderButton(latencyPanel());
    expect(screen.queryByRole('button', { name: 'Create alert' })).not.toBeInTheDocument();
  });

  it('is not offered on a heatmap, which has no one number per series to alert on', () => {
    signInWith(ADMIN);
    const heatmap = PanelBuilders.heatmap()
      .setTitle('Latency')
      .setData(
        new SceneQueryRunner({
          datasource: DS,
          queries: [{ refId: 'A', expr: 'sum by (le) (rate(x_bucket[5m]))', format: 'heatmap' }],
        })
      )
      .setHeaderActions([new CreateAlertButton({})])
      .build();
    renderButton(page(heatmap));
    expect(screen.queryByRole('button', { name: 'Create alert' })).not.toBeInTheDocument();
  });
});
