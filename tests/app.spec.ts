import { test, expect, APP_ID, grafanaIsReachable, NO_GRAFANA } from './fixtures';

test.skip(!grafanaIsReachable(), NO_GRAFANA);

test.describe('Pulse app', () => {
  test('the overview page loads the app and renders without error', async ({ gotoAppPage, page }) => {
    const pluginErrors: string[] = [];
    page.on('pageerror', (error) => {
      if (`${error.stack ?? ''}`.includes(`/plugins/${APP_ID}/`)) {
        pluginErrors.push(error.message);
      }
    });
    const moduleResponse = page.waitForResponse((response) =>
      response.url().includes(`/public/plugins/${APP_ID}/module.js`)
    );

    await gotoAppPage({ pluginId: APP_ID, path: '/overview' });

    await expect(moduleResponse).toBeOK();
    await expect(page.getByRole('heading', { name: /overview/i }).first()).toBeVisible();
    await expect(
      page.getByText(/app not found|error loading plugin|unable to find|an unexpected error happened/i)
    ).toHaveCount(0);
    expect(pluginErrors).toEqual([]);
  });
});
