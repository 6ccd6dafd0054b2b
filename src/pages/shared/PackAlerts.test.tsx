import React from 'react';
import { of } from 'rxjs';
import { MemoryRouter } from 'react-router-dom';
import { act, render, screen } from '@testing-library/react';
import { CustomVariable, EmbeddedScene, SceneFlexItem, SceneFlexLayout, SceneVariableSet } from '@grafana/scenes';

import { forgetAlertInstances } from './firingAlerts';
import { PackAlerts, packAlertsKey } from './PackAlerts';

const fetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch }),
}));

const alert = (state: string, rule: string, labels: Record<string, string>) => ({
  state,
  labels: { pulse_pack: 'postgres', pulse_rule: rule, severity: 'warning', ...labels },
});

function page(instance: string, database: string) {
  const pack = new PackAlerts({
    pack: 'postgres',
    filters: [
      { labelName: 'instance', variable: 'instance' },
      { labelName: 'datname', variable: 'database' },
    ],
  });
  const scene = new EmbeddedScene({
    $variables: new SceneVariableSet({
      variables: [
        new CustomVariable({ name: 'instance', query: 'pg-a:9187, pg-b:9187', value: instance, text: instance }),
        new CustomVariable({ name: 'database', query: 'shop, audit', value: database, text: database }),
      ],
    }),
    body: new SceneFlexLayout({ children: [new SceneFlexItem({ body: pack })] }),
  });
  return scene;
}

describe('PackAlerts', () => {
  beforeEach(() => {
    forgetAlertInstances();
    fetch.mockReturnValue(
      of({
        data: {
          data: {
            alerts: [
              alert('Alerting', 'PostgresDown', { severity: 'critical', instance: 'pg-a:9187' }),
              alert('Pending', 'PostgresRollbackRatioHigh', { instance: 'pg-a:9187', datname: 'shop' }),
              alert('Alerting', 'PostgresDeadlocks', { instance: 'pg-a:9187', datname: 'audit' }),
              alert('Alerting', 'PostgresConnectionsHigh', { instance: 'pg-b:9187' }),
              alert('Alerting', 'HostDown', { pulse_pack: 'host', instance: 'pg-a:9187' }),
            ],
          },
        },
      })
    );
  });

  it("lists the pack's alerts on the chosen server and database, server-wide ones included", async () => {
    const scene = page('pg-a:9187', 'shop');
    scene.activate();
    render(
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <scene.Component model={scene} />
      </MemoryRouter>
    );
    const box = await screen.findByTestId('pack-alerts-postgres');
    expect(box).toHaveTextContent('Pulse alerts here: 1 firing, 1 pending');
    expect(box).toHaveTextContent('pg-a:9187: PostgresDown');
    expect(box).toHaveTextContent('pg-a:9187 · shop: PostgresRollbackRatioHigh (pending)');
    expect(box).not.toHaveTextContent('PostgresDeadlocks');
    expect(box).not.toHaveTextContent('pg-b');
    expect(box).not.toHaveTextContent('HostDown');
    expect(screen.getByRole('link', { name: 'Open these alerts in Grafana' })).toHaveAttribute(
      'href',
      '/alerting/list?search=label%3Apulse_pack%3Dpostgres'
    );
  });

  it('shows nothing when no alert of the pack is on what the page shows', async () => {
    fetch.mockReturnValue(of({ data: { data: { alerts: [] } } }));
    const scene = page('pg-b:9187', 'audit');
    scene.activate();
    const { container } = render(<scene.Component model={scene} />);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(container.querySelector('[data-testid="pack-alerts-postgres"]')).toBeNull();
  });
});

describe('packAlertsKey', () => {
  it("joins the filtered labels' values the instance has", () => {
    const filters = [
      { labelName: 'instance', variable: 'instance' },
      { labelName: 'datname', variable: 'database' },
    ];
    expect(packAlertsKey({ instance: 'a', datname: 'b' }, filters)).toBe('a · b');
    expect(packAlertsKey({ instance: 'a' }, filters)).toBe('a');
  });
});
