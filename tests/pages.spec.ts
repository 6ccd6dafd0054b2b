import { test, expect, APP_ID, grafanaIsReachable, NO_GRAFANA } from './fixtures';

test.skip(!grafanaIsReachable(), NO_GRAFANA);

// Every page of the app in a real Grafana (docker compose up --build), with its real panels: it renders its title,
// no plugin error, no panel with a query error; and a service row leads to the service's page.
const PAGES: Array<[string, RegExp]> = [
  ['/overview', /overview/i],
  ['/services', /services/i],
  ['/hosts', /hosts/i],
  ['/containers', /containers/i],
  ['/postgresql', /postgresql/i],
  ['/targets', /targets/i],
  ['/alerts', /alerts/i],
];

test.describe('Pulse pages', () => {
  for (const [path, title] of PAGES) {
    test(`${path} renders its panels without error`, async ({ gotoAppPage, page }) => {
      const pluginErrors: string[] = [];
      page.on('pageerror', (error) => {
        if (`${error.stack ?? ''}`.includes(`/plugins/${APP_ID}/`)) {
          pluginErrors.push(error.message);
        }
      });
      await gotoAppPage({ pluginId: APP_ID, path });
      await expect(page.getByRole('heading', { name: title }).first()).toBeVisible();
      await page.waitForLoadState('networkidle');
      await expect(page.getByText(/an unexpected error happened|error loading plugin/i)).toHaveCount(0);
      await expect(page.getByTestId('data-testid Panel status error')).toHaveCount(0);
      expect(pluginErrors).toEqual([]);
    });
  }

  test('a service row of the Services page opens that service', async ({ gotoAppPage, page }) => {
    await gotoAppPage({ pluginId: APP_ID, path: '/services' });
    const row = page.locator(`a[href*="/a/${APP_ID}/services/shop.orders"]`).first();
    await expect(row).toBeVisible({ timeout: 30000 });
    await row.click();
    await expect(page).toHaveURL(/\/services\/shop\.orders/);
    await expect(page.getByRole('heading', { name: 'shop.orders' }).first()).toBeVisible();
    await expect(page.getByText(/Latency of successful requests/)).toBeVisible();
  });

  test("a panel's Create alert opens Grafana's rule form named after the panel, with its query", async ({
    gotoAppPage,
    page,
  }) => {
    await gotoAppPage({ pluginId: APP_ID, path: '/services/shop.orders' });
    const create = page.getByRole('button', { name: 'Create alert' }).first();
    await expect(create).toBeVisible({ timeout: 30000 });
    await create.click();
    await expect(page).toHaveURL(/\/alerting\/new\/alerting/);
    const form = JSON.parse(new URL(page.url()).searchParams.get('defaults')!);
    await expect(page.locator('input[name="name"]')).toHaveValue(form.name, { timeout: 30000 });
    await expect(page.getByText(/An unexpected error happened/)).toHaveCount(0);
  });

  test('the Alerts page installs a pack into folder Pulse once, and uninstalls it', async ({ gotoAppPage, page }) => {
    const targetRules = async () => {
      const response = await page.request.get('/api/v1/provisioning/alert-rules');
      expect(response.ok()).toBe(true);
      const rules = (await response.json()) as Array<{
        uid: string;
        folderUID: string;
        ruleGroup: string;
        labels?: Record<string, string>;
      }>;
      return rules.filter((r) => r.labels?.pulse_pack === 'target');
    };
    await gotoAppPage({ pluginId: APP_ID, path: '/alerts' });
    const pack = page.getByTestId('alert-pack-target');
    for (let round = 0; round < 2; round++) {
      await pack.getByTestId('alert-pack-target-install').click();
      await expect(pack.getByText(/pulse-target/).first()).toBeVisible({ timeout: 30000 });
      const rules = await targetRules();
      expect(rules.map((r) => [r.folderUID, r.ruleGroup, r.labels?.pulse_rule])).toEqual([
        ['pulse', 'pulse-target', 'TargetDown'],
      ]);
    }
    await expect(pack.getByTestId('alert-target-TargetDown')).toHaveAttribute('data-state', 'installed');
    await pack.getByTestId('alert-pack-target-uninstall').click();
    await expect.poll(async () => (await targetRules()).length, { timeout: 30000 }).toBe(0);
  });
});
