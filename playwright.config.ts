import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';

import { GRAFANA_URL } from './tests/grafana';

/**
 * End-to-end specs (@grafana/plugin-e2e) against a real Grafana: the one of `docker compose up --build`
 * by default, or any Grafana with Pulse installed and provisioned at GRAFANA_URL.
 * Global setup probes Grafana once; without one every spec is skipped with a message saying so.
 * Browser: CHROMIUM_PATH, else Debian's /usr/bin/chromium when present, else Playwright's own Chromium.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig<PluginOptions>({
  testDir: './tests',
  globalSetup: './tests/global-setup.ts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: GRAFANA_URL,
    trace: 'on-first-retry',
    launchOptions: chromiumPath ? { executablePath: chromiumPath } : {},
  },
  projects: [
    // 1. Log in as admin and store the session in playwright/.auth/admin.json.
    {
      name: 'auth',
      testMatch: /auth\.setup\.ts$/,
    },
    // 2. The specs, in Chromium, as the admin user.
    {
      name: 'chromium',
      testMatch: /\.spec\.ts$/,
      testIgnore: /viewer\//,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: chromiumPath ? { executablePath: chromiumPath } : {},
        storageState: 'playwright/.auth/admin.json',
      },
      dependencies: ['auth'],
    },
    // 3. A Viewer: plugin-e2e's setup creates the user through Grafana's API (as admin) and stores its session in
    // playwright/.auth/viewer.json; tests/viewer/ runs with it.
    {
      name: 'viewer-auth',
      testMatch: /auth\.setup\.ts$/,
      use: { user: { user: 'pulse-viewer', password: 'pulse-viewer', role: 'Viewer' } },
    },
    {
      name: 'viewer',
      testMatch: /viewer\/.*\.spec\.ts$/,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: chromiumPath ? { executablePath: chromiumPath } : {},
        storageState: 'playwright/.auth/pulse-viewer.json',
      },
      dependencies: ['viewer-auth'],
    },
  ],
});
