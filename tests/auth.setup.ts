import { test, grafanaIsReachable, NO_GRAFANA } from './fixtures';

test.skip(!grafanaIsReachable(), NO_GRAFANA);

// Logs in and stores the session in playwright/.auth/<user>.json: admin/admin (docker-compose.yaml) for the
// `chromium` project; for the `viewer` project, the project's user, created first through Grafana's API as admin
// with its role (plugin-e2e's createUser).
test('authenticate', async ({ login, createUser, user, grafanaAPICredentials }) => {
  if (user && user.user !== grafanaAPICredentials.user) {
    await createUser();
  }
  await login();
});
