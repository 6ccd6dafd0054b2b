import { test, expect, grafanaIsReachable, NO_GRAFANA } from './fixtures';

test.skip(!grafanaIsReachable(), NO_GRAFANA);

// The example dashboard of provisioning/dashboards/: a multi-value service variable on "All" (a label_values
// query of the Pulse data source) and a panel whose Code-mode query filters on it.
const DASHBOARD = 'pulse-variables.json';

test.describe('a dashboard on the Pulse data source', () => {
  test('its service variable lists the services and reaches the query as a regex of their names', async ({
    readProvisionedDashboard,
    gotoDashboardPage,
    page,
  }) => {
    const dashboard = await readProvisionedDashboard({ fileName: DASHBOARD });
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/ds/query') && request.method() === 'POST') {
        sent.push(request.postData() ?? '');
      }
    });
    const answered = page.waitForResponse((r) => r.url().includes('/api/ds/query'));
    const dashboardPage = await gotoDashboardPage({ uid: dashboard.uid });
    await expect(answered).toBeOK();
    const panel = dashboardPage.getPanelByTitle('Successful requests per second by service');
    await expect(panel.locator).toBeVisible();
    await expect(page.getByTestId('data-testid Panel status error')).toHaveCount(0);

    // "All" without a custom all value: every service the variable found, joined as Grafana joins them for a regex.
    const exprs = sent.flatMap((body) => (JSON.parse(body).queries ?? []).map((q: { expr?: string }) => q.expr ?? ''));
    const expr = exprs.find((e) => e.includes('nestjs_success_requests_count'));
    expect(expr, `queries sent: ${exprs.join(' | ')}`).toBeDefined();
    expect(expr).not.toContain('$service');
    expect(expr).toMatch(/service=~"\(?[^"]*shop\.gateway/);
    expect(expr).toMatch(/shop\.orders/);
  });

  test("the panel's query opens in the Pulse query editor and runs from there", async ({
    readProvisionedDashboard,
    gotoPanelEditPage,
  }) => {
    const dashboard = await readProvisionedDashboard({ fileName: DASHBOARD });
    const panelEditPage = await gotoPanelEditPage({ dashboard, id: '1' });
    const row = panelEditPage.getQueryEditorRow('A');
    // Code mode keeps the text as saved, the variable unexpanded.
    await expect(row.getByText('$service').first()).toBeVisible();
    await expect(panelEditPage.refreshPanel()).toBeOK();
  });
});
