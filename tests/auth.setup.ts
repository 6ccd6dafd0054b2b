import { test, grafanaIsReachable, NO_GRAFANA } from './fixtures';

test.skip(!grafanaIsReachable(), NO_GRAFANA);

// Logs in as admin/admin (docker-compose.yaml) and stores the session in playwright/.auth/admin.json
// for the specs of the `chromium` project.
test('authenticate', async ({ login }) => {
  await login();
});
