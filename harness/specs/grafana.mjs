// Specs of what Grafana does around the plugin that a plain host would not: dashboard variables interpolated by
// Grafana's own scenes, where Grafana loads the nested data source from, Grafana under a sub-path, and a Viewer.
import { assert, linksOutsideSubPath, openPage, screenshot } from './lib.mjs';
import { pagePaths, settle } from './pages.mjs';
import { appPages } from './specs.mjs';

const APP = 'pulse-monitoring-app';
const DS = 'pulse-prometheus';
const DASHBOARD = '/d/harness-variables?from=now-5m';
// The host dashboard's variables (harness/host/src/dashboardPage.tsx).
const SERVICES = ['shop.gateway', 'shop.orders'];

/** A label value in a PromQL regex matcher, escaped as the data source escapes it (src/promql/escape.ts). */
const inRegex = (v) => v.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&').replace(/[\\"]/g, '\\$&');

/** The expr of the next /api/ds/query request whose expr passes `match`. */
function nextQuery(page, match) {
  return page
    .waitForRequest(
      (r) => {
        if (r.method() !== 'POST' || !new URL(r.url()).pathname.endsWith('/api/ds/query')) {
          return false;
        }
        const body = JSON.parse(r.postData() ?? '{}');
        return (body.queries ?? []).some((q) => match(q.expr ?? ''));
      },
      { timeout: 30000 }
    )
    .then((r) => JSON.parse(r.postData()).queries.find((q) => match(q.expr ?? '')).expr);
}

/** Opens the host dashboard and waits for its variables and the panel editor. */
async function openDashboard(ctx, server) {
  const p = await openPage(ctx, server, DASHBOARD);
  const editor = p.page.getByTestId('harness-panel-editor');
  await editor.waitFor({ timeout: 30000 });
  return { ...p, editor };
}

/** The values of the dashboard's job variable: every job of `up`, as label_values(up, job) gives them. */
async function jobs(prometheusUrl) {
  const r = await (
    await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent('count by (job) (up)')}`)
  ).json();
  return r.data.result.map((s) => s.metric.job).sort();
}

export const grafanaSpecs = [
  {
    name: 'Dashboard variables: Guided mode offers the dashboard’s variables, and a multi-value $service reaches the query as an escaped alternation',
    async run({ browser, server, host }) {
      const p = await openDashboard({ browser }, server);
      const { editor, page } = p;
      const signal = editor.getByRole('combobox').nth(1);
      await signal.click();
      await signal.fill('Errors per second');
      await page.getByRole('option', { name: 'Errors per second' }).first().click();
      const service = editor.getByLabel('Service', { exact: true });
      await service.waitFor({ timeout: 20000 });
      await service.click();
      // templateSrv.getVariables(): the dashboard's variables, from the active scene (window.__grafanaSceneContext).
      const offered = page.getByRole('option', { name: /^\$service/ });
      await offered.first().waitFor({ timeout: 20000 });
      const variables = await page.getByRole('option', { name: /^\$/ }).allInnerTexts();
      assert(
        variables.some((v) => v.startsWith('$job')) && variables.some((v) => /^\$service[\s\S]*several values/.test(v)),
        `the Service dropdown does not offer the dashboard's variables ($service with several values, $job): ${JSON.stringify(variables)}`
      );
      const sent = nextQuery(page, (expr) => /nestjs_info\{name=~/.test(expr));
      await offered.first().click();
      const expr = await sent;
      const want = `name=~"(${SERVICES.map(inRegex).join('|')})"`;
      assert(expr.includes(want), `the query sent does not match both services escaped (${want}):\n${expr}`);
      assert(!expr.includes('$service'), `the query sent still holds $service:\n${expr}`);
      const frames = page.getByTestId('harness-frame');
      await frames.first().waitFor({ timeout: 20000 });
      await screenshot(page, `${host}-dashboard-variables-guided`);
      p.assertClean('dashboard, Guided mode with $service');
      await page.close();
      return expr;
    },
  },
  {
    name: 'Dashboard variables: in Code mode $job with All selected reaches the query as every job, escaped, $service in a plain string as its values string-escaped, and returns a series per job',
    async run({ browser, server, host, prometheusUrl }) {
      const p = await openDashboard({ browser }, server);
      const { editor, page } = p;
      await editor.getByRole('radio', { name: 'Code', exact: true }).click();
      const field = editor.getByLabel('PromQL query', { exact: true });
      await field.waitFor({ timeout: 20000 });
      // $job in a regex matcher; $service (two values) in a plain string, where the data source keeps Grafana's
      // visible (a|b) shape, string-escaped only. No job is named so: every job stays.
      await field.fill('count by (job) (up{job=~"$job", job!="$service"})');
      await field.press('Shift+Enter');
      const sent = nextQuery(page, (expr) => expr.startsWith('count by (job)'));
      await page.getByTestId('harness-run').click();
      const expr = await sent;
      const all = await jobs(prometheusUrl);
      const m = expr.match(/^count by \(job\) \(up\{job=~"\((.*)\)", job!="(.*)"\}\)$/);
      assert(m, `the query sent is not the expression with an alternation for $job: ${expr}`);
      assert(
        m[2] === `(${SERVICES.join('|')})`,
        `$service in a plain string reached the query as ${m[2]}, want (${SERVICES.join('|')})`
      );
      const got = m[1].split('|').sort();
      const want = all.map(inRegex).sort();
      assert(
        JSON.stringify(got) === JSON.stringify(want),
        `All of $job reached the query as ${JSON.stringify(got)}, want every job escaped: ${JSON.stringify(want)}`
      );
      const frames = page.getByTestId('harness-frame');
      await frames.first().waitFor({ timeout: 20000 });
      const n = await frames.count();
      await screenshot(page, `${host}-dashboard-variables-code`);
      assert(n === all.length, `want a series per job (${all.length}), got ${n} frames`);
      p.assertClean('dashboard, Code mode with $job = All');
      await page.close();
      return expr;
    },
  },
  {
    name: 'Nested data source: its module.js and translations load from the app’s folder, as Grafana serves them',
    async run({ browser, server }) {
      const p = await openPage({ browser }, server, '/explore', { lang: 'ko-KR' });
      await p.page.getByRole('radio', { name: '코드', exact: true }).waitFor({ timeout: 20000 });
      const loaded = await p.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
      const base = `${server.url}public/plugins/${APP}/datasource/`;
      const module = loaded.filter((u) => /\/module\.js(\?|$)/.test(u));
      assert(
        module.some((u) => u.startsWith(`${base}module.js`)),
        `the data source module was not loaded from ${base}module.js; modules loaded: ${module.join(', ')}`
      );
      const translations = loaded.filter((u) => u.includes('pulse-prometheus-datasource.json'));
      assert(
        translations.some((u) => u.startsWith(`${base}locales/ko-KR/`)),
        `the data source's translations were not loaded from ${base}locales/: ${translations.join(', ')}`
      );
      const byId = loaded.filter((u) => u.includes('/public/plugins/pulse-prometheus-datasource/'));
      assert(!byId.length, `files were loaded from the data source's own id path: ${byId.join(', ')}`);
      p.assertClean('/explore');
      await p.page.close();
      return `module ${module.find((u) => u.startsWith(base))}`;
    },
  },
  {
    name: 'Sub-path: Grafana under /grafana/ — every page loads within it, and every link a user can open in a new tab keeps it',
    server: { subPath: '/grafana' },
    async run({ browser, server, host, prometheusUrl }) {
      assert(server.url.endsWith('/grafana/'), `the server is not under /grafana/: ${server.url}`);
      const drill = (await pagePaths(prometheusUrl)).map(([, path]) => `/a/${APP}/${path}`);
      const paths = [
        ...new Set([
          ...appPages(),
          ...drill,
          `/plugins/${APP}`,
          `/connections/datasources/edit/${DS}`,
          '/explore',
          DASHBOARD,
        ]),
      ];
      const targets = new Map(); // link target path → the page it was found on
      let explore = '';
      for (const path of paths) {
        const p = await openPage({ browser }, server, path);
        await settle(p.page);
        const body = await p.page.locator('body').innerText();
        assert(
          !/no host page|Page not found|harness-crash/.test(body),
          `${path} under /grafana/: ${body.slice(0, 300)}`
        );
        const lost = await linksOutsideSubPath(p.page, server);
        if (lost.length) {
          await screenshot(p.page, `${host}-subpath-lost-links`);
        }
        assert(
          !lost.length,
          `${path}: ${lost.length} link(s) leave /grafana/ (a new tab would reach no Grafana): ${lost.map((l) => `“${l.text}” → ${l.href.length > 90 ? `${l.href.slice(0, 90)}…` : l.href}`).join(', ')}`
        );
        for (const href of await p.page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href))) {
          const u = new URL(href);
          if (u.origin === new URL(server.url).origin) {
            targets.set(u.pathname, targets.get(u.pathname) ?? path);
            explore ||= u.pathname === '/grafana/explore' ? href : '';
          }
        }
        p.assertClean(`${path} under /grafana/`);
        await p.page.close();
      }
      assert(explore, 'no panel offered an Explore link to check');
      // Open what the links lead to, as a new tab would: each must be a page of Grafana under the sub-path.
      const opened = [];
      for (const [pathname] of [...targets].slice(0, 25)) {
        const res = await (await fetch(new URL(pathname, server.url))).text();
        assert(/grafanaBootData/.test(res), `${pathname} is not a Grafana page`);
        opened.push(pathname);
      }
      const tab = await browser.newPage();
      await tab.goto(explore);
      await tab
        .getByLabel('PromQL query', { exact: true })
        .or(tab.getByRole('radio', { name: 'Code' }))
        .first()
        .waitFor({ timeout: 20000 });
      await screenshot(tab, `${host}-subpath-explore-tab`);
      await tab.close();
      const outside = await (await fetch(`${server.url}harness/outside-sub-path`)).json();
      assert(!outside.paths.length, `requests reached the server outside /grafana/: ${outside.paths.join(', ')}`);
      return `${paths.length} pages, ${targets.size} link targets under /grafana/ (${opened.length} opened), Explore opened in a new tab`;
    },
  },
  {
    name: 'Viewer: the pages and the query editor work; admin-only actions are hidden; writes are refused with 403',
    server: { role: 'Viewer' },
    async run({ browser, server, host }) {
      const pages = appPages();
      for (const path of pages) {
        const p = await openPage({ browser }, server, path);
        await settle(p.page);
        const body = await p.page.locator('body').innerText();
        assert(
          !/Page not found|An unexpected error happened/i.test(body),
          `${path} as a Viewer: ${body.slice(0, 300)}`
        );
        const explore = await p.page.getByRole('link', { name: 'Explore' }).count();
        assert(!explore, `${path}: a Viewer is offered ${explore} Explore link(s) (needs datasources:explore)`);
        const createAlert = await p.page.getByRole('button', { name: 'Create alert' }).count();
        assert(
          !createAlert,
          `${path}: a Viewer is offered ${createAlert} Create alert link(s) (needs alert.rules:create)`
        );
        if (path.endsWith('/overview')) {
          await p.page.getByText('Connected').first().waitFor({ timeout: 20000 });
          const settings = await p.page.getByRole('link', { name: /Data source settings/ }).count();
          await screenshot(p.page, `${host}-viewer-overview`);
          assert(!settings, 'the Overview offers a Viewer the data source settings (needs datasources:write)');
        }
        p.assertClean(`${path} as a Viewer`);
        await p.page.close();
      }

      // The query editor: its catalog and its queries are open to a Viewer (datasources:query).
      const d = await openDashboard({ browser }, server);
      const signal = d.editor.getByRole('combobox').nth(1);
      await signal.click();
      await signal.fill('CPU busy');
      const sent = nextQuery(d.page, (expr) => expr.includes('node_cpu_seconds_total'));
      await d.page.getByRole('option', { name: 'CPU busy' }).first().click();
      await sent;
      await d.page.getByTestId('harness-frame').first().waitFor({ timeout: 20000 });
      d.assertClean('the query editor as a Viewer');

      // Writes a Viewer may not make are refused as Grafana refuses them.
      const refused = await d.page.evaluate(async (uid) => {
        const send = async (method, url, body) => {
          const r = await fetch(url, { method, headers: { 'Content-Type': 'application/json' }, body });
          return { what: `${method} ${url}`, status: r.status, title: (await r.json()).title };
        };
        return [
          await send('PUT', `api/datasources/uid/${uid}`, JSON.stringify({ url: 'http://127.0.0.1:1', version: 1 })),
          await send('POST', 'api/plugins/pulse-monitoring-app/settings', JSON.stringify({ jsonData: {} })),
          await send('POST', 'api/v1/provisioning/alert-rules', JSON.stringify({ title: 'x' })),
        ];
      }, DS);
      const allowed = refused.filter((r) => r.status !== 403 || r.title !== 'Access denied');
      assert(!allowed.length, `writes not refused for a Viewer: ${JSON.stringify(allowed)}`);
      await d.page.close();
      return `${pages.length} pages; refused: ${refused.map((r) => `${r.what} ${r.status}`).join(', ')}`;
    },
  },
];
