// Specs of the app pages against the local stack: every page and drill-down in English and Korean, the links
// between layers, and what the pages say when an exporter is gone.
import { mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

import { assert, openPage, pidListeningOn, rootDir, screenshot, waitForQuery } from './lib.mjs';

const APP = 'pulse-monitoring-app';
const LANGS = ['en-US', 'ko-KR'];
/** Screenshots of the pages, shown by the README (English) and kept for Korean review. */
const DOCS_IMG = join(rootDir, 'docs', 'img');
const HANGUL = /[\uac00-\ud7a3]/;
/** How the pages say an exporter is gone (the checks look for it on a line naming the exporter). */
const MISSING = /missing|not (running|found|scraped)|no data|down/i;

/** A page's panels: stand-ins that drew data, and those that had none (with the text they showed instead). */
async function panelStates(page) {
  const standIns = page.locator('[data-testid^="harness-standin-"][data-frames]');
  const states = [];
  for (let i = 0; i < (await standIns.count()); i++) {
    const el = standIns.nth(i);
    const id = (await el.getAttribute('data-testid')).replace('harness-standin-', '');
    const empty = el.getByTestId('harness-standin-no-data');
    const emptyText = (await empty.count()) ? (await empty.first().innerText()).trim() : undefined;
    states.push({ id, emptyText });
  }
  return states;
}

/** Panel errors as Grafana's PanelChrome shows them (the status icon of a panel whose query failed). */
async function panelErrorCount(page) {
  return page.getByTestId('data-testid Panel status error').count();
}

/** Waits until the page's queries are done: no loading bar and no request in flight for a moment. */
export async function settle(page) {
  await page.waitForLoadState('networkidle');
  for (let i = 0; i < 40; i++) {
    const loading = await page.locator('[aria-label="Panel loading bar"], [data-testid="Spinner"]').count();
    if (!loading) {
      break;
    }
    await page.waitForTimeout(250);
  }
  await page.waitForTimeout(1000);
}

/** The node_exporter instance of the stack (the host the demo services run on). */
async function nodeInstance(prometheusUrl) {
  const [series] = await waitForQuery(prometheusUrl, 'node_uname_info', (r) => r.length > 0, 'node_exporter');
  return series.metric.instance;
}

export async function pagePaths(prometheusUrl) {
  const host = await nodeInstance(prometheusUrl);
  return [
    ['overview', 'overview'],
    ['services', 'services'],
    ['service-detail', `services/${encodeURIComponent('shop.orders')}`],
    ['hosts', 'hosts'],
    ['host-detail', `hosts/${encodeURIComponent(host)}`],
    ['containers', 'containers'],
    ['postgresql', 'postgresql'],
    ['targets', 'targets'],
  ];
}

export const pageSpecs = [
  {
    name: 'Pages: every page and drill-down in en-US and ko-KR renders with no error, and every panel shows data or says what is missing',
    async run({ browser, server, prometheusUrl, host }) {
      const paths = await pagePaths(prometheusUrl);
      const summary = [];
      for (const lang of LANGS) {
        for (const [name, path] of paths) {
          const p = await openPage({ browser }, server, `/a/${APP}/${path}`, { lang });
          await settle(p.page);
          const file = await screenshot(p.page, `${host}-page-${name}-${lang}`);
          if (host === 'host') {
            mkdirSync(DOCS_IMG, { recursive: true });
            copyFileSync(file, join(DOCS_IMG, `${name}.${lang}.png`));
          }
          const what = `${path} (${lang})`;
          p.assertClean(what);
          const body = await p.page.locator('body').innerText();
          assert(!/Page not found|An unexpected error happened/i.test(body), `${what}: ${body.slice(0, 300)}`);
          if (lang === 'ko-KR') {
            assert(HANGUL.test(body), `${what}: no Korean text on the page`);
          }
          const errors = await panelErrorCount(p.page);
          assert(!errors, `${what}: ${errors} panel(s) show a query error`);
          const states = await panelStates(p.page);
          assert(states.length > 0, `${what}: no panel on the page`);
          const bare = states.filter((s) => s.emptyText === 'No data');
          assert(!bare.length, `${what}: ${bare.length} panel(s) say only "No data" instead of what is missing`);
          const empty = states.filter((s) => s.emptyText !== undefined);
          summary.push(`${name} ${lang}: ${states.length} panels, ${empty.length} empty with a reason`);
          await p.page.close();
        }
      }
      return summary.join('; ');
    },
  },
];

pageSpecs.push(
  {
    name: 'Pages: a panel goes into a new dashboard with its Pulse query (the page variables filled in) and its options, in en-US and ko-KR',
    async run({ browser, server, host }) {
      const done = [];
      for (const lang of LANGS) {
        const p = await openPage({ browser }, server, `/a/${APP}/services/shop.orders`, { lang });
        await settle(p.page);
        const action = lang === 'en-US' ? 'Add to dashboard' : '대시보드에 추가';
        await p.page.getByRole('button', { name: action }).first().click();
        const dialog = p.page.getByRole('dialog');
        await dialog.waitFor({ timeout: 20000 });
        const title = `Pulse harness ${lang} ${Date.now()}`;
        await dialog.getByRole('textbox').fill(title);
        await screenshot(p.page, `${host}-add-to-dashboard-${lang}`);
        await dialog.getByRole('button', { name: lang === 'en-US' ? 'Create dashboard' : '대시보드 만들기' }).click();
        const open = dialog.getByRole('link', { name: lang === 'en-US' ? 'Open dashboard' : '대시보드 열기' });
        await open.waitFor({ timeout: 20000 });
        const href = await open.getAttribute('href');
        const { dashboards } = await (await fetch(`${server.url}harness/dashboards`)).json();
        const saved = dashboards.find((d) => d.title === title);
        assert(
          saved,
          `no dashboard "${title}" reached the dashboard API: ${JSON.stringify(dashboards.map((d) => d.title))}`
        );
        assert(
          href.endsWith(`/d/${saved.uid}/${href.split('/').pop()}`),
          `the link ${href} is not the saved dashboard ${saved.uid}`
        );
        const [panel] = saved.panels;
        const [target] = panel.targets;
        assert(
          panel.datasource?.uid && !panel.datasource.uid.includes('$'),
          `data source left as ${JSON.stringify(panel.datasource)}`
        );
        assert(
          target.expr && !/\$(ds|service|instance|controller|handler)\b/.test(target.expr),
          `page variables left in ${target.expr}`
        );
        assert(/shop\\*\.orders/.test(target.expr), `the service is not in ${target.expr}`);
        assert(target.guided?.signalId, `the Guided state was lost: ${JSON.stringify(target)}`);
        assert(
          panel.type && panel.options && panel.fieldConfig?.defaults,
          `panel without type or options: ${JSON.stringify(panel).slice(0, 300)}`
        );
        p.assertClean(`add to dashboard (${lang})`);
        await p.page.close();
        done.push(`${lang}: "${panel.title}" (${panel.type}, ${target.guided.signalId})`);
      }
      return done.join('; ');
    },
  },
  {
    name: 'Pages: a service row leads to its service page, and the service page leads to the host it runs on',
    async run({ browser, server }) {
      const p = await openPage({ browser }, server, `/a/${APP}/services`);
      await settle(p.page);
      const row = p.page.locator(`a[href*="/a/${APP}/services/shop.orders"]`).first();
      await row.waitFor({ timeout: 20000 });
      await row.click();
      await p.page.waitForURL(/\/services\/shop\.orders/, { timeout: 20000 });
      await settle(p.page);
      const title = await p.page.getByRole('heading', { level: 1 }).first().innerText();
      assert(/shop\.orders/.test(title), `the service page is titled ${JSON.stringify(title)}, not the service`);
      const hostLink = p.page.locator(`a[href*="/a/${APP}/hosts/"]`).first();
      await hostLink.waitFor({ timeout: 20000 });
      const href = await hostLink.getAttribute('href');
      await hostLink.click();
      await p.page.waitForURL(/\/hosts\/[^/?]+/, { timeout: 20000 });
      await settle(p.page);
      const hostTitle = await p.page.getByRole('heading', { level: 1 }).first().innerText();
      const instance = decodeURIComponent(new URL(p.page.url()).pathname.split('/hosts/')[1]);
      assert(hostTitle.includes(instance), `the host page is titled ${JSON.stringify(hostTitle)}, not ${instance}`);
      p.assertClean('services → service → host');
      await p.page.close();
      return `services → shop.orders → ${href}`;
    },
  },
  {
    name: 'Pages: with postgres_exporter stopped, the PostgreSQL page and the Overview checklist name it as missing',
    async run({ browser, server, prometheusUrl, stack }) {
      assert(
        stack?.postgresExporterUrl,
        'this spec stops the stack’s postgres_exporter: run it on the harness’ own stack (without --prometheus-url)'
      );
      const pid = pidListeningOn(stack.postgresExporterUrl);
      // SIGSTOP: the exporter stops answering (its scrapes time out, pg_* goes stale) and is resumed afterwards,
      // so the stack runner, which watches its processes, keeps running.
      process.kill(pid, 'SIGSTOP');
      try {
        await waitForQuery(prometheusUrl, 'pg_up', (r) => r.length === 0, 'pg_* gone once postgres_exporter stopped');
        const checks = [];
        // The pages read the backend's exporter diagnosis, which the backend caches for 30 s: look again until then.
        const until = Date.now() + 45000;
        const retry = async (what, check) => {
          for (;;) {
            try {
              return await check();
            } catch (e) {
              if (Date.now() > until) {
                throw new Error(`${what}: ${e.message}`);
              }
              await new Promise((r) => setTimeout(r, 5000));
            }
          }
        };
        // The PostgreSQL page: a line that names the exporter as missing.
        checks.push(
          await retry('PostgreSQL page', async () => {
            const pg = await openPage({ browser }, server, `/a/${APP}/postgresql`);
            try {
              await settle(pg.page);
              const text = await pg.page.locator('body').innerText();
              const said = text.split('\n').find((line) => /postgres_exporter/.test(line) && MISSING.test(line));
              assert(said, `no line names postgres_exporter as missing:\n${text.slice(0, 1500)}`);
              pg.assertClean('PostgreSQL page');
              return `PostgreSQL page: “${said.trim().slice(0, 120)}”`;
            } finally {
              await pg.page.close();
            }
          })
        );
        // The Overview: the checklist's postgres_exporter item is marked missing and says how to add it.
        checks.push(
          await retry('Overview checklist', async () => {
            const ov = await openPage({ browser }, server, `/a/${APP}/overview`);
            try {
              await settle(ov.page);
              const item = ov.page.locator('[data-testid^="checklist-"]', { hasText: 'postgres_exporter' }).first();
              await item.waitFor({ timeout: 20000 });
              const condition = await item.getAttribute('data-condition');
              const itemText = (await item.innerText()).replace(/\s+/g, ' ').trim();
              assert(condition === 'missing', `postgres_exporter is "${condition}": ${itemText}`);
              ov.assertClean('Overview checklist');
              return `Overview checklist: “${itemText.slice(0, 160)}”`;
            } finally {
              await ov.page.close();
            }
          })
        );
        return checks.join('; ');
      } finally {
        process.kill(pid, 'SIGCONT');
        await waitForQuery(prometheusUrl, 'pg_up == 1', (r) => r.length > 0, 'postgres_exporter back', 90000);
      }
    },
  }
);
