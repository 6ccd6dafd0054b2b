import { test, expect, APP_ID, grafanaIsReachable, NO_GRAFANA } from '../fixtures';

test.skip(!grafanaIsReachable(), NO_GRAFANA);

// Signed in as a Viewer (the `viewer` project of playwright.config.ts creates the user): who may read and query
// data sources but not edit them nor use Explore.
const PAGES = ['/overview', '/services', '/hosts', '/containers', '/postgresql', '/targets'];

test.describe('Pulse as a Viewer', () => {
  for (const path of PAGES) {
    test(`${path} renders for a Viewer, without Explore`, async ({ gotoAppPage, page }) => {
      await gotoAppPage({ pluginId: APP_ID, path });
      await page.waitForLoadState('networkidle');
      await expect(page.getByText(/an unexpected error happened|error loading plugin|page not found/i)).toHaveCount(0);
      await expect(page.getByTestId('data-testid Panel status error')).toHaveCount(0);
      await expect(page.getByRole('link', { name: 'Explore' })).toHaveCount(0);
    });
  }

  test('the Overview does not offer a Viewer the data source settings', async ({ gotoAppPage, page }) => {
    await gotoAppPage({ pluginId: APP_ID, path: '/overview' });
    await expect(page.getByText('Connected').first()).toBeVisible({ timeout: 30000 });
    await expect(page.getByRole('link', { name: /Data source settings/ })).toHaveCount(0);
  });
});
