import { test, expect, APP_ID, grafanaIsReachable, NO_GRAFANA } from './fixtures';

test.skip(!grafanaIsReachable(), NO_GRAFANA);

test.describe('Explore from a page panel', () => {
  test("a Services page panel's Explore action opens its query in Grafana's Explore, variables filled in", async ({
    gotoAppPage,
    page,
  }) => {
    await gotoAppPage({ pluginId: APP_ID, path: '/services' });
    const explore = page.getByRole('link', { name: 'Explore' }).first();
    await expect(explore).toBeVisible({ timeout: 30000 });
    const href = (await explore.getAttribute('href')) ?? '';
    expect(href).toMatch(/\/explore\?/);

    const answered = page.waitForResponse((r) => r.url().includes('/api/ds/query'));
    await explore.click();
    await expect(page).toHaveURL(/\/explore/);
    await expect(answered).toBeOK();
    // Explore has none of the page's variables: the query it got must not hold any.
    const left = new URL(page.url()).searchParams.get('panes') ?? new URL(page.url()).searchParams.get('left') ?? '';
    expect(left).not.toMatch(/\$(ds|service|instance)\b/);
    await expect(page.getByText(/an unexpected error happened|error loading plugin/i)).toHaveCount(0);
    await expect(page.getByTestId('data-testid Panel status error')).toHaveCount(0);
  });
});
