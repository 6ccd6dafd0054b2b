// The harness specs. Each takes { browser, server, prometheusUrl, host } and throws on failure.
import { assert, openPage, screenshot } from './lib.mjs';

const DS = 'pulse-prometheus';

async function saveAndTest(page) {
  await page.getByRole('button', { name: 'Save & test' }).click();
  const alert = page.getByTestId('harness-test-status').locator('[role="alert"],[role="status"]');
  await alert.waitFor({ timeout: 20000 });
  return alert;
}

export const specs = [
  {
    name: 'ConfigEditor: Save & test against the local Prometheus shows its version and the exporter diagnosis',
    async run({ browser, server, prometheusUrl, host }) {
      const p = await openPage({ browser }, server, `/connections/datasources/edit/${DS}`);
      const url = p.page.getByLabel(/Prometheus server URL/);
      await url.fill(prometheusUrl);
      const alert = await saveAndTest(p.page);
      const text = await alert.innerText();
      await screenshot(p.page, `${host}-config-editor-ok`);
      assert(/Prometheus \d+\.\d+\.\d+/.test(text), `the health message names no Prometheus version: ${text}`);
      assert(/node_exporter/.test(text), `the health message has no exporter diagnosis: ${text}`);
      assert((await alert.getAttribute('class'))?.length, 'no alert');
      assert(!/error/i.test((await alert.getAttribute('data-testid')) ?? ''), 'error alert');
      p.assertClean('ConfigEditor page');
      await p.page.close();
    },
  },
  {
    name: 'ConfigEditor: a wrong URL shows the actionable error',
    async run({ browser, server, prometheusUrl, host }) {
      const p = await openPage({ browser }, server, `/connections/datasources/edit/${DS}`);
      await p.page.getByLabel(/Prometheus server URL/).fill('http://127.0.0.1:1');
      const alert = await saveAndTest(p.page);
      const text = await alert.innerText();
      await screenshot(p.page, `${host}-config-editor-wrong-url`);
      assert(/127\.0\.0\.1:1/.test(text), `the error does not name the URL that failed: ${text}`);
      // The health call answers 400 (as Grafana does); the browser logs that as a console error — expected here.
      const rest = p.problems.filter((x) => !/status of 400/.test(x));
      p.problems.length = 0;
      p.problems.push(...rest);
      p.assertClean('ConfigEditor page (wrong URL)');
      // Put the working URL back for the specs that follow.
      await p.page.getByLabel(/Prometheus server URL/).fill(prometheusUrl);
      await saveAndTest(p.page);
      await p.page.close();
      return text;
    },
  },
  ...['en-US', 'ko-KR'].map((lang) => ({
    name: `QueryEditor (${lang}): code mode runs "up" and the frames table shows data`,
    async run({ browser, server, host }) {
      const p = await openPage({ browser }, server, '/explore', { lang });
      const label = lang === 'ko-KR' ? 'PromQL 쿼리' : 'PromQL query';
      const field = p.page.getByLabel(label, { exact: true });
      await field.waitFor({ timeout: 20000 });
      await field.fill('up');
      await field.press('Shift+Enter');
      await p.page.getByTestId('harness-run').click();
      const frames = p.page.getByTestId('harness-frame');
      await frames.first().waitFor({ timeout: 20000 });
      const n = await frames.count();
      const rows = Number(await frames.first().getAttribute('data-rows'));
      await p.page.getByTestId('harness-standin-timeseries').waitFor();
      await screenshot(p.page, `${host}-query-editor-${lang}`);
      assert(n >= 2, `expected a frame per target of "up" (at least 2), got ${n}`);
      assert(rows > 0, 'the first frame has no rows');
      const table = await p.page.getByTestId('harness-frames').innerText();
      assert(/job="prometheus"/.test(table) && /job="node"/.test(table), `the frames do not carry the job labels: ${table.slice(0, 400)}`);
      if (lang === 'ko-KR') {
        const body = await p.page.locator('body').innerText();
        assert(/범례|형식|유형/.test(body), `ko-KR shows no Korean option labels: ${body.slice(0, 400)}`);
      }
      p.assertClean(`QueryEditor page (${lang})`);
      await p.page.close();
    },
  })),
  {
    name: 'App: the root page (Overview) and the config page render with no page error, console error or unknown API call',
    async run({ browser, server, host }) {
      for (const [path, shot] of [
        ['/a/pulse-monitoring-app/', 'app-root'],
        ['/plugins/pulse-monitoring-app', 'app-config'],
      ]) {
        const p = await openPage({ browser }, server, path);
        await p.page.waitForLoadState('networkidle');
        await p.page.waitForTimeout(1500);
        await screenshot(p.page, `${host}-${shot}`);
        p.assertClean(path);
        const crashed = await p.page.getByTestId('harness-crash').count();
        const loadErr = await p.page.getByTestId('harness-load-error').count();
        const noRoot = await p.page.getByTestId('harness-no-root').count();
        assert(!crashed && !loadErr && !noRoot, `${path} did not render the plugin (crash/load error/no root page)`);
        const body = await p.page.locator('body').innerText();
        assert(!/No root app page component found|Page not found/i.test(body), `${path}: ${body.slice(0, 300)}`);
        p.assertClean(path);
        await p.page.close();
      }
      const unknown = await (await fetch(`${server.url}harness/unknown-api`)).json();
      assert(!unknown.paths.length, `the server saw requests to API paths it does not serve: ${unknown.paths.join(', ')}`);
    },
  },
];
