// Specs of the Alerts page with the harness playing Grafana's alerting: install a pack through the provisioning
// API (stored by the harness server), install it again (updated, not duplicated), and with a demo service stopped
// see its "service down" rule fire in the harness' evaluator (the stored rule's saved query straight to the backend
// binary, then reduce and threshold, as Grafana evaluates it). A Viewer previews and cannot install.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { assert, openPage, rootDir, screenshot, waitForQuery } from './lib.mjs';
import { settle } from './pages.mjs';

const APP = 'pulse-monitoring-app';
const ALERTS = `/a/${APP}/alerts`;
const DOCS_IMG = join(rootDir, 'docs', 'img');
const HANGUL = /[\uac00-\ud7a3]/;
/** The demo service the spec stops (SIGSTOP: its scrapes time out, as a hung process'; SIGCONT resumes it). */
const STOPPED = 'shop.orders';
/** The data source the harness serves (the uid a rule's query must name). */
const DS = 'pulse-prometheus';
/** Grafana's new alert rule form, which a panel's "Create alert" opens with its `defaults`. */
const RULE_FORM = '/alerting/new/alerting';

async function storedRules(server) {
  return (await fetch(`${server.url}harness/alerting/rules`)).json();
}

async function evaluate(server, uid) {
  return (await fetch(`${server.url}harness/alerting/evaluate/${uid}`)).json();
}

/** The pid of the demo service listening on host:port: a node process started with PORT=<port> in its environment. */
function demoServicePid(instance) {
  const port = instance.split(':').pop();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (cmdline.includes('dist/main.js') && environ.includes(`PORT=${port}`) && !cmdline.startsWith('/bin/sh')) {
        return Number(entry);
      }
    } catch {
      continue;
    }
  }
  throw new Error(`no demo service process listens on ${instance}`);
}

async function installServicePack(page) {
  const pack = page.getByTestId('alert-pack-service');
  await pack.waitFor({ timeout: 30000 });
  const button = page.getByTestId('alert-pack-service-install');
  await button.waitFor({ timeout: 30000 });
  // The installed state is read first; the button is enabled once the rules render.
  await page.waitForFunction(
    () => document.querySelector('[data-testid="alert-service-ServiceDown"]')?.getAttribute('data-state') !== 'unknown',
    undefined,
    { timeout: 30000 }
  );
  await button.click();
  await pack
    .getByText(/pulse-service/)
    .first()
    .waitFor({ timeout: 30000 });
}

export const alertSpecs = [
  {
    name: 'Alerts: install the service pack (en-US, ko-KR), stored once by uid with its labels and no provenance; a stopped demo service fires ServiceDown in the evaluator',
    async run({ browser, server, prometheusUrl, stack, host }) {
      assert(
        stack?.postgresExporterUrl,
        'this spec stops a demo service of the stack: run it on the harness’ own stack (without --prometheus-url)'
      );
      const said = [];
      // en-US: preview a rule, install the pack, install it again.
      const p = await openPage({ browser }, server, ALERTS, { lang: 'en-US' });
      await settle(p.page);
      const ratio = p.page.getByTestId('alert-service-ServiceErrorRatioHigh');
      await ratio.getByRole('button', { name: 'Preview' }).click();
      const backtest = ratio.getByTestId('alert-preview-backtest');
      await backtest.waitFor({ timeout: 60000 });
      const now = (await ratio.getByTestId('alert-preview-now').innerText()).trim();
      said.push(`preview: “${now}”, “${(await backtest.innerText()).trim().slice(0, 90)}…”`);
      await installServicePack(p.page);
      const first = await storedRules(server);
      const service = first.rules.filter((r) => r.labels?.pulse_pack === 'service');
      // As many as the page offers in the service pack (its rows), all selected by default.
      const offered = await p.page.locator('[data-testid^="alert-service-"]').count();
      assert(
        offered > 0 && service.length === offered,
        `${service.length} service rules stored, want ${offered}: ${JSON.stringify(first.rules.map((r) => r.title))}`
      );
      for (const r of service) {
        assert(
          r.folderUID === 'pulse' && r.ruleGroup === 'pulse-service',
          `${r.title} stored in ${r.folderUID}/${r.ruleGroup}`
        );
        assert(/^pulse-service-[a-z0-9-]+$/.test(r.uid) && r.uid.length <= 40, `${r.title}: uid ${r.uid}`);
        assert(
          r.labels.pulse_rule === r.title && ['critical', 'warning', 'info'].includes(r.labels.severity),
          `${r.title}: labels ${JSON.stringify(r.labels)}`
        );
        assert(!r.provenance, `${r.title} stored with provenance ${r.provenance}: Grafana's UI would lock it`);
        assert(
          r.data[0].model.expr && !/\$\{?ds\b/.test(r.data[0].model.expr),
          `${r.title}: query ${r.data[0].model.expr}`
        );
      }
      assert(
        first.folders.some((f) => f.uid === 'pulse' && f.title === 'Pulse'),
        `folders: ${JSON.stringify(first.folders)}`
      );
      await p.page
        .getByTestId('alert-service-ServiceDown')
        .and(p.page.locator('[data-state="installed"]'))
        .waitFor({ timeout: 20000 });
      // A second install updates the same rules.
      await installServicePack(p.page);
      const second = await storedRules(server);
      const again = second.rules.filter((r) => r.labels?.pulse_pack === 'service');
      assert(
        again.length === offered && again.every((r, i) => r.uid === service[i].uid),
        `after a second install: ${again.map((r) => r.uid).join(', ')}`
      );
      assert(second.writes > first.writes, 'the second install wrote nothing');
      said.push(
        `installed ${offered} rules twice: ${again.length} stored (uids ${again.map((r) => r.uid).join(', ')})`
      );
      const file = await screenshot(p.page, `${host}-page-alerts-en-US`);
      if (host === 'host') {
        mkdirSync(DOCS_IMG, { recursive: true });
        copyFileSync(file, join(DOCS_IMG, 'alerts.en-US.png'));
      }
      p.assertClean('Alerts page (en-US)');
      await p.page.close();

      // ko-KR: the page speaks Korean, the installed state shows.
      const k = await openPage({ browser }, server, ALERTS, { lang: 'ko-KR' });
      await settle(k.page);
      await k.page
        .getByTestId('alert-service-ServiceDown')
        .and(k.page.locator('[data-state="installed"]'))
        .waitFor({ timeout: 20000 });
      const body = await k.page.locator('body').innerText();
      assert(HANGUL.test(body) && body.includes('설치됨'), `the Alerts page in ko-KR: ${body.slice(0, 300)}`);
      const kfile = await screenshot(k.page, `${host}-page-alerts-ko-KR`);
      if (host === 'host') {
        copyFileSync(kfile, join(DOCS_IMG, 'alerts.ko-KR.png'));
      }
      k.assertClean('Alerts page (ko-KR)');
      await k.page.close();

      // Stop a demo service: ServiceDown holds for it in the evaluator, and not before.
      const down = again.find((r) => r.title === 'ServiceDown');
      const before = await evaluate(server, down.uid);
      assert(before.state === 'Normal', `ServiceDown before the stop: ${JSON.stringify(before)}`);
      const [info] = await waitForQuery(prometheusUrl, `nestjs_info{name="${STOPPED}"}`, (r) => r.length > 0, STOPPED);
      const pid = demoServicePid(info.metric.instance);
      process.kill(pid, 'SIGSTOP');
      try {
        await waitForQuery(
          prometheusUrl,
          `up{instance="${info.metric.instance}"} == 0`,
          (r) => r.length > 0,
          `${STOPPED} scrape failing`,
          60000
        );
        let ev;
        for (let i = 0; i < 20; i++) {
          ev = await evaluate(server, down.uid);
          if (ev.state === 'Alerting') {
            break;
          }
          await new Promise((r) => setTimeout(r, 1000));
        }
        assert(ev.state === 'Alerting', `ServiceDown with ${STOPPED} stopped: ${JSON.stringify(ev)}`);
        const firing = ev.firing.map((f) => f.labels);
        assert(
          firing.length === 1 && firing[0].name === STOPPED && firing[0].instance === info.metric.instance,
          `firing: ${JSON.stringify(firing)}`
        );
        said.push(`${STOPPED} stopped: ServiceDown ${ev.state} for ${JSON.stringify(firing[0])} (Normal before)`);
        // The Services inventory names the alert on the stopped service's row (Pending: its "for" is 2m).
        const inventory = await openPage({ browser }, server, `/a/${APP}/services`);
        await settle(inventory.page);
        const row = inventory.page.getByRole('row').filter({ hasText: STOPPED }).filter({ hasText: 'ServiceDown' });
        await row.first().waitFor({ timeout: 30000 });
        const rowText = (await row.first().innerText()).replace(/\s+/g, ' ');
        assert(/ServiceDown \(pending\)/.test(rowText), `the inventory row: ${rowText}`);
        await screenshot(inventory.page, `${host}-services-alerts-column`);
        inventory.assertClean('Services with an alert on a row');
        await inventory.page.close();
        said.push(`inventory row: “${rowText.slice(0, 160)}”`);
      } finally {
        process.kill(pid, 'SIGCONT');
        await waitForQuery(
          prometheusUrl,
          `up{instance="${info.metric.instance}"} == 1`,
          (r) => r.length > 0,
          `${STOPPED} back`,
          90000
        );
      }
      return said.join('; ');
    },
  },
  {
    name: 'Alerts: a Service page panel’s Create alert opens Grafana’s rule form with its queries filled in (variables replaced, $__ macros kept); each rule, stored as written, evaluates through the backend',
    async run({ browser, server, host }) {
      const path = `/a/${APP}/services/${encodeURIComponent(STOPPED)}`;
      const p = await openPage({ browser }, server, path);
      await settle(p.page);
      const buttons = p.page.getByRole('button', { name: 'Create alert' });
      await buttons.first().waitFor({ timeout: 30000 });
      const hrefs = (await buttons.evaluateAll((bs) => bs.map((b) => b.getAttribute('data-rule-form-url')))).map(
        (u) => new URL(u, server.url).href
      );
      await buttons.first().hover();
      await p.page.getByRole('tooltip').filter({ hasText: 'Create alert' }).waitFor({ timeout: 10000 });
      await screenshot(p.page, `${host}-create-alert-action`);
      p.assertClean(`${path} with its Create alert actions`);
      // A click goes where the action says, its query intact (an href would be decoded once by Grafana 13's
      // LinkButton, a `+` becoming a space).
      await buttons.first().click();
      await p.page.waitForURL(/\/alerting\/new\/alerting/, { timeout: 10000 });
      const landed = new URL(p.page.url());
      assert(
        landed.searchParams.get('defaults') === new URL(hrefs[0]).searchParams.get('defaults'),
        `the first Create alert led to ${p.page.url().slice(0, 300)}, not ${hrefs[0].slice(0, 300)}`
      );
      await p.page.close();
      const ensureFolder = await fetch(`${server.url}api/folders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ uid: 'pulse', title: 'Pulse' }),
      });
      assert([200, 409, 412].includes(ensureFolder.status), `folder pulse: ${ensureFolder.status}`);
      const said = [];
      const rules = [];
      for (const [i, href] of hrefs.entries()) {
        const url = new URL(href);
        assert(url.pathname === RULE_FORM, `Create alert leads to ${url.pathname}, not the rule form`);
        assert(url.searchParams.get('returnTo')?.startsWith(path), `returnTo: ${url.searchParams.get('returnTo')}`);
        const form = JSON.parse(url.searchParams.get('defaults') ?? 'null');
        assert(form?.type === 'grafana-alerting' && form.name, `defaults: ${url.searchParams.get('defaults')}`);
        const queries = form.queries.filter((q) => q.datasourceUid !== '__expr__');
        assert(queries.length > 0, `${form.name}: no data source query`);
        for (const q of queries) {
          assert(
            q.datasourceUid === DS && q.model.datasource?.uid === DS,
            `${form.name}: data source ${q.datasourceUid}`
          );
          assert(q.model.expr && !/\$(?!__)/.test(q.model.expr), `${form.name}: a variable left in ${q.model.expr}`);
          assert(q.model.instant === true && q.model.range === false, `${form.name}: not an instant query`);
        }
        assert(
          form.queries.some((q) => q.refId === form.condition),
          `${form.name}: condition ${form.condition} is none of ${form.queries.map((q) => q.refId)}`
        );
        rules.push({
          uid: `pulse-panel-${i}`,
          title: form.name,
          condition: form.condition,
          data: form.queries.map(({ refId, relativeTimeRange, datasourceUid, model }) => ({
            refId,
            relativeTimeRange,
            datasourceUid,
            model,
          })),
          noDataState: 'NoData',
          execErrState: 'Error',
          for: '0s',
        });
      }
      // Stored as the rule form would save them, then evaluated as Grafana does: the saved query JSON, no browser.
      const put = await fetch(`${server.url}api/v1/provisioning/folder/pulse/rule-groups/pulse-panels`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'X-Disable-Provenance': 'true' },
        body: JSON.stringify({ title: 'pulse-panels', folderUid: 'pulse', interval: 60, rules }),
      });
      assert(put.ok, `storing the panels' rules: ${put.status} ${await put.text()}`);
      for (const rule of rules) {
        const ev = await evaluate(server, rule.uid);
        assert(
          ['Normal', 'Alerting'].includes(ev.state) && ev.series.length > 0,
          `“${rule.title}” evaluated ${ev.state} ${ev.error ?? ''} with ${ev.series?.length ?? 0} series: ${rule.data[0].model.expr}`
        );
        said.push(`${rule.title}: ${ev.state}, ${ev.series.length} series`);
      }
      return `${hrefs.length} panels: ${said.join('; ')}`;
    },
  },
  {
    name: 'Alerts: with the postgres pack installed (a threshold edited so that a rule holds), the PostgreSQL page lists its pending alert on the server; uninstalled, nothing',
    async run({ browser, server, host }) {
      const p = await openPage({ browser }, server, ALERTS);
      await settle(p.page);
      const pack = p.page.getByTestId('alert-pack-postgres');
      const rule = pack.getByTestId('alert-postgres-PostgresConnectionsHigh');
      await rule.waitFor({ timeout: 30000 });
      // Any connection at all: the rule holds on every server, and waits out its "for" (5m) as Pending.
      const threshold = rule.getByLabel(/^Threshold/);
      await threshold.fill('0');
      await p.page.getByTestId('alert-pack-postgres-install').click();
      await pack
        .getByText(/pulse-postgres/)
        .first()
        .waitFor({ timeout: 30000 });
      p.assertClean('Alerts page, postgres pack installed');
      const said = [];
      try {
        const pg = await openPage({ browser }, server, `/a/${APP}/postgresql`);
        await settle(pg.page);
        const box = pg.page.getByTestId('pack-alerts-postgres');
        await box.waitFor({ timeout: 30000 });
        const text = (await box.innerText()).replace(/\s+/g, ' ');
        assert(/PostgresConnectionsHigh \(pending\)/.test(text), `the PostgreSQL page's alerts: ${text}`);
        await screenshot(pg.page, `${host}-postgres-alerts`);
        pg.assertClean('PostgreSQL page with an alert');
        await pg.page.close();
        said.push(`PostgreSQL page: “${text.slice(0, 160)}”`);
      } finally {
        await p.page.getByTestId('alert-pack-postgres-uninstall').click();
        await pack
          .getByText(/Rules removed from Grafana/)
          .first()
          .waitFor({ timeout: 30000 });
        await p.page.close();
      }
      const after = await openPage({ browser }, server, `/a/${APP}/postgresql`);
      await settle(after.page);
      const left = await after.page.getByTestId('pack-alerts-postgres').count();
      await after.page.close();
      assert(!left, 'the PostgreSQL page still lists alerts after the pack was uninstalled');
      return said.join('; ');
    },
  },
  {
    name: 'Alerts: a Viewer previews the packs, is not offered install and is told which permission it needs; the API refuses the write',
    server: { role: 'Viewer' },
    async run({ browser, server, host }) {
      const p = await openPage({ browser }, server, ALERTS);
      await settle(p.page);
      await p.page.getByText('You can preview the rules, not install them').waitFor({ timeout: 20000 });
      const notice = await p.page
        .getByText(/alert\.provisioning:write/)
        .first()
        .innerText();
      const installs = await p.page.locator('[data-testid$="-install"]').count();
      assert(!installs, `a Viewer is offered ${installs} install button(s)`);
      // A Viewer downloads what the page shows: both files of the service pack, the Prometheus one checked by promtool.
      const downloaded = {};
      for (const format of ['grafana', 'prometheus']) {
        const [file] = await Promise.all([
          p.page.waitForEvent('download', { timeout: 20000 }),
          p.page.getByTestId(`alert-pack-service-download-${format}`).click(),
        ]);
        const path = join(mkdtempSync(join(tmpdir(), 'pulse-download-')), file.suggestedFilename());
        await file.saveAs(path);
        downloaded[format] = { name: file.suggestedFilename(), path, text: readFileSync(path, 'utf8') };
      }
      const offered = await p.page.locator('[data-testid^="alert-service-"]').count();
      const provisioning = downloaded.grafana.text;
      assert(
        downloaded.grafana.name === 'pulse-service.grafana-alerting.yaml' &&
          /^apiVersion: 1$/m.test(provisioning) &&
          (provisioning.match(/^ {6}- uid: /gm) ?? []).length === offered &&
          provisioning.includes(`datasourceUid: ${DS}`),
        `the provisioning file ${downloaded.grafana.name}: ${provisioning.slice(0, 400)}`
      );
      const check = spawnSync('promtool', ['check', 'rules', downloaded.prometheus.path], { encoding: 'utf8' });
      assert(
        downloaded.prometheus.name === 'pulse-service.rules.yml' && check.status === 0,
        `promtool check rules ${downloaded.prometheus.name}: ${check.stdout} ${check.stderr}`
      );
      await screenshot(p.page, `${host}-viewer-alerts`);
      p.assertClean('Alerts page as a Viewer'); // before the refused write below, which the browser logs
      const refused = await p.page.evaluate(async () => {
        const r = await fetch('api/v1/provisioning/folder/pulse/rule-groups/pulse-service', {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json', 'X-Disable-Provenance': 'true' },
          body: JSON.stringify({ title: 'pulse-service', interval: 60, rules: [] }),
        });
        return { status: r.status, message: (await r.json()).message };
      });
      assert(
        refused.status === 403 && /alert\.provisioning:write/.test(refused.message),
        `the write: ${JSON.stringify(refused)}`
      );
      await p.page.close();
      return `notice: “${notice.slice(0, 100)}…”; PUT rule group → ${refused.status}; downloaded ${downloaded.grafana.name} (${offered} rules) and ${downloaded.prometheus.name} (${check.stdout.trim().split('\n').pop()})`;
    },
  },
];
