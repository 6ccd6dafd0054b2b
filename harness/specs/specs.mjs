// The harness specs. Each takes { browser, server, prometheusUrl, host } and throws on failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { assert, openPage, rootDir, screenshot } from './lib.mjs';

const DS = 'pulse-prometheus';
const APP = 'pulse-monitoring-app';

/**
 * Every page of the app: its root, the pages its built plugin.json includes, and every route of the ROUTES enum of
 * src/constants.ts (the SceneApp's pages), so a page added there is opened here without editing this file.
 */
export function appPages() {
  const pages = new Set([`/a/${APP}/`]);
  const meta = JSON.parse(readFileSync(join(rootDir, 'dist', 'plugin.json'), 'utf8'));
  for (const inc of meta.includes ?? []) {
    if (inc.type === 'page' && inc.path) {
      pages.add(inc.path.replace('%PLUGIN_ID%', APP));
    }
  }
  const constants = readFileSync(join(rootDir, 'src', 'constants.ts'), 'utf8');
  const routes = constants.match(/export enum ROUTES\s*{([^}]*)}/);
  assert(routes, 'src/constants.ts has no `export enum ROUTES { ... }`: update appPages() in harness/specs/specs.mjs');
  for (const [, route] of routes[1].matchAll(/=\s*'([^']*)'/g)) {
    pages.add(`/a/${APP}/${route}`);
  }
  return [...pages];
}

/** app-root, app-overview, app-config, … */
function shotName(path) {
  if (path.startsWith('/plugins/')) {
    return 'app-config';
  }
  const rest = path
    .replace(/^\/a\/[^/]+\/?/, '')
    .replace(/\W+/g, '-')
    .replace(/^-|-$/g, '');
  return `app-${rest || 'root'}`;
}

/**
 * What a canvas drew in colour (series lines), not the grey of grid, axes and background: the coloured pixels and
 * the number of pixel columns they span (a line across the plot spans many; a few points or nothing, few).
 */
async function colouredPixels(canvas) {
  return canvas.evaluate((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let pixels = 0;
    const columns = new Set();
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 80) {
        pixels++;
        columns.add((i / 4) % c.width);
      }
    }
    return { pixels, columns: columns.size };
  });
}

/** Fails unless the canvas shows a coloured line at least `min` pixel columns wide. */
async function assertLine(canvas, what, min = 40) {
  const { pixels, columns } = await colouredPixels(canvas);
  assert(
    columns >= min,
    `${what}: no series line drawn (${pixels} coloured pixels over ${columns} columns; want a line over ${min}+)`
  );
}

/** Panel errors as Grafana's PanelChrome shows them (the status icon of a panel whose query failed). */
async function panelErrors(page) {
  const errs = page.getByTestId('data-testid Panel status error');
  const out = [];
  for (let i = 0; i < (await errs.count()); i++) {
    await errs.nth(i).hover();
    const tip = await page
      .getByRole('tooltip')
      .innerText()
      .catch(() => '');
    out.push(tip || '(panel error without a message)');
  }
  return out;
}

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
      // A short range: the Prometheus the specs start is seconds old, so the series span this range visibly.
      const p = await openPage({ browser }, server, '/explore?from=now-1m', { lang });
      const ko = lang === 'ko-KR';
      // The editor opens in Guided mode; a user switches to Code with the mode switch.
      const mode = p.page.getByRole('radio', { name: ko ? '코드' : 'Code', exact: true });
      await mode.waitFor({ timeout: 20000 });
      await mode.click();
      const field = p.page.getByLabel(ko ? 'PromQL 쿼리' : 'PromQL query', { exact: true });
      await field.waitFor({ timeout: 20000 });
      await field.fill('up');
      await field.press('Shift+Enter');
      await p.page.getByTestId('harness-run').click();
      const frames = p.page.getByTestId('harness-frame');
      await frames.first().waitFor({ timeout: 20000 });
      const n = await frames.count();
      const rows = Number(await frames.first().getAttribute('data-rows'));
      const canvas = p.page.getByTestId('harness-standin-timeseries').locator('canvas').first();
      await canvas.waitFor();
      await p.page.waitForTimeout(300);
      await screenshot(p.page, `${host}-query-editor-${lang}`);
      await assertLine(canvas, 'the time series stand-in');
      assert(n >= 2, `expected a frame per target of "up" (at least 2), got ${n}`);
      assert(rows > 0, 'the first frame has no rows');
      const table = await p.page.getByTestId('harness-frames').innerText();
      assert(
        /job="prometheus"/.test(table) && /job="node"/.test(table),
        `the frames do not carry the job labels: ${table.slice(0, 400)}`
      );
      if (lang === 'ko-KR') {
        const body = await p.page.locator('body').innerText();
        assert(/범례|형식|유형/.test(body), `ko-KR shows no Korean option labels: ${body.slice(0, 400)}`);
      }
      p.assertClean(`QueryEditor page (${lang})`);
      await p.page.close();
    },
  })),
  ...['en-US', 'ko-KR'].map((lang) => ({
    name: `QueryEditor (${lang}): Guided mode — choose "CPU busy", see the PromQL, run it, get frames; Code keeps it`,
    async run({ browser, server, host }) {
      const ko = lang === 'ko-KR';
      const p = await openPage({ browser }, server, '/explore?from=now-1m', { lang });
      // Guided is the default mode; the second combobox is the signal picker (the first is the family).
      const signal = p.page.getByRole('combobox').nth(1);
      await signal.waitFor({ timeout: 20000 });
      await signal.click();
      await signal.fill(ko ? 'CPU 사용률' : 'CPU busy');
      await p.page
        .getByRole('option', { name: ko ? 'CPU 사용률' : 'CPU busy' })
        .first()
        .click();
      const body = () => p.page.locator('body').innerText();
      let text = '';
      for (let i = 0; i < 40 && !/node_cpu_seconds_total/.test(text); i++) {
        await p.page.waitForTimeout(250);
        text = await body();
      }
      assert(
        /node_cpu_seconds_total\{mode="idle"/.test(text),
        `no rendered PromQL for CPU busy: ${text.slice(0, 600)}`
      );
      if (ko) {
        assert(/가이드|분류|시그널/.test(text), `ko-KR guided editor shows no Korean labels: ${text.slice(0, 400)}`);
      }
      await p.page.getByTestId('harness-run').click();
      const frames = p.page.getByTestId('harness-frame');
      await frames.first().waitFor({ timeout: 20000 });
      const rows = Number(await frames.first().getAttribute('data-rows'));
      await screenshot(p.page, `${host}-guided-editor-${lang}`);
      assert(rows > 0, 'CPU busy returned a frame without rows');
      // Switching to Code keeps the query.
      await p.page.getByRole('radio', { name: ko ? '코드' : 'Code', exact: true }).click();
      const field = p.page.getByLabel(ko ? 'PromQL 쿼리' : 'PromQL query', { exact: true });
      await field.waitFor({ timeout: 20000 });
      const expr = await field.inputValue();
      assert(/node_cpu_seconds_total/.test(expr), `Code mode lost the guided query: ${expr}`);
      p.assertClean(`Guided editor (${lang})`);
      await p.page.close();
    },
  })),
  ...['en-US', 'ko-KR'].map((lang) => ({
    name: `QueryEditor (${lang}): Builder mode holds a service join (and on (instance, job)), runs it and gives it back to Code unchanged`,
    async run({ browser, server, host }) {
      const ko = lang === 'ko-KR';
      const expr =
        'sum by (handler) (rate(nestjs_success_requests_count[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"})';
      const p = await openPage({ browser }, server, '/explore?from=now-5m', { lang });
      const code = p.page.getByRole('radio', { name: ko ? '코드' : 'Code', exact: true });
      await code.waitFor({ timeout: 20000 });
      await code.click();
      const field = p.page.getByLabel(ko ? 'PromQL 쿼리' : 'PromQL query', { exact: true });
      await field.waitFor({ timeout: 20000 });
      await field.fill(expr);
      await field.press('Shift+Enter');
      await p.page.getByRole('radio', { name: ko ? '빌더' : 'Builder', exact: true }).click();
      // The join is an operation of its own: `and`, matched on instance and job, with nestjs_info as the other query.
      const on = p.page.getByRole('radio', { name: 'on', exact: true });
      await on.waitFor({ timeout: 20000 });
      assert(await on.isChecked(), 'the Builder does not show the join matched "on" labels');
      const other = p.page.getByRole('group', { name: ko ? 'and 뒤의 쿼리(연산 2)' : 'Query after and (operation 2)' });
      await other.waitFor({ timeout: 20000 });
      const text = await p.page.locator('body').innerText();
      assert(text.includes(ko ? '시리즈 짝짓기' : 'Match series'), `no vector matching field: ${text.slice(0, 600)}`);
      await p.page.getByTestId('harness-run').click();
      const frames = p.page.getByTestId('harness-frame');
      await frames.first().waitFor({ timeout: 20000 });
      const n = await frames.count();
      await screenshot(p.page, `${host}-builder-join-${lang}`);
      const table = await p.page.getByTestId('harness-frames').innerText();
      assert(
        n >= 2 && /handler=/.test(table),
        `expected a frame per handler of shop.orders, got ${n}: ${table.slice(0, 300)}`
      );
      await code.click();
      await field.waitFor({ timeout: 20000 });
      const back = await field.inputValue();
      assert(back === expr, `Code after Builder changed the query:\n${back}\nwas\n${expr}`);
      p.assertClean(`Builder editor (${lang})`);
      await p.page.close();
    },
  })),
  ...['en-US', 'ko-KR'].map((lang) => ({
    name: `QueryEditor (${lang}): Builder holds offset, a subquery with step and offset, and label_replace; Code gets it back unchanged, a Builder edit re-renders`,
    async run({ browser, server, host }) {
      const ko = lang === 'ko-KR';
      const expr =
        'max_over_time(label_replace(rate(up[30s] offset 5s), "host", "$1", "instance", "([^:]+):.*")[1m:10s] offset 5s)';
      const p = await openPage({ browser }, server, '/explore?from=now-5m', { lang });
      const code = p.page.getByRole('radio', { name: ko ? '코드' : 'Code', exact: true });
      await code.waitFor({ timeout: 20000 });
      await code.click();
      const field = p.page.getByLabel(ko ? 'PromQL 쿼리' : 'PromQL query', { exact: true });
      await field.waitFor({ timeout: 20000 });
      await field.fill(expr);
      await field.press('Shift+Enter');
      await p.page.getByRole('radio', { name: ko ? '빌더' : 'Builder', exact: true }).click();
      // The selector's offset, then: rate (1), label_replace and its four parameters (2), max_over_time over a subquery (3).
      const byId = (suffix) => p.page.locator(`[id$="${suffix}"]`).first();
      await byId('-offset').waitFor({ timeout: 20000 });
      const values = {
        'selector offset': [await byId('-A-offset').inputValue(), '5s'],
        'label_replace destination': [await byId('-op-2-param-1').inputValue(), 'host'],
        'label_replace replacement': [await byId('-op-2-param-2').inputValue(), '$1'],
        'label_replace source': [await byId('-op-2-param-3').inputValue(), 'instance'],
        'label_replace regex': [await byId('-op-2-param-4').inputValue(), '([^:]+):.*'],
        'subquery range': [await byId('-op-3-range').inputValue(), '1m'],
        'subquery step': [await byId('-op-3-step').inputValue(), '10s'],
        'subquery offset': [await byId('-op-3-offset').inputValue(), '5s'],
      };
      for (const [what, [seen, wanted]] of Object.entries(values)) {
        assert(seen === wanted, `the Builder shows ${what} ${JSON.stringify(seen)}, not ${JSON.stringify(wanted)}`);
      }
      assert(await byId('-op-3-subquery').isChecked(), 'the subquery switch of max_over_time is off');
      const text = await p.page.locator('body').innerText();
      for (const label of ko
        ? ['오프셋', '서브쿼리', '쓸 레이블', '정규식']
        : ['Offset', 'Subquery', 'Destination label', 'Regex']) {
        assert(text.includes(label), `no "${label}" in the Builder: ${text.slice(0, 600)}`);
      }
      await p.page.getByTestId('harness-run').click();
      const frames = p.page.getByTestId('harness-frame');
      await frames.first().waitFor({ timeout: 20000 });
      const table = await p.page.getByTestId('harness-frames').innerText();
      assert(/host=/.test(table), `the frames carry no host label written by label_replace: ${table.slice(0, 300)}`);
      await screenshot(p.page, `${host}-builder-constructs-${lang}`);
      await code.click();
      await field.waitFor({ timeout: 20000 });
      const back = await field.inputValue();
      assert(back === expr, `Code after Builder changed the query:\n${back}\nwas\n${expr}`);
      // An edit in the Builder re-renders: a 15s step.
      await p.page.getByRole('radio', { name: ko ? '빌더' : 'Builder', exact: true }).click();
      const step = byId('-op-3-step');
      await step.waitFor({ timeout: 20000 });
      await step.fill('15s');
      await step.press('Enter');
      await code.click();
      await field.waitFor({ timeout: 20000 });
      const edited = await field.inputValue();
      const wanted = expr.replace('[1m:10s]', '[1m:15s]');
      assert(edited === wanted, `Code after a Builder edit:\n${edited}\nexpected\n${wanted}`);
      p.assertClean(`Builder constructs (${lang})`);
      await p.page.close();
    },
  })),
  {
    name: 'App: every page (root, plugin.json pages, ROUTES) and the config page render with no page, console or panel error and no unknown API call',
    async run({ browser, server, host }) {
      const pages = [...new Set([...appPages(), `/plugins/${APP}`])];
      for (const path of pages) {
        const p = await openPage({ browser }, server, path);
        await p.page.waitForLoadState('networkidle');
        await p.page.waitForTimeout(1500);
        await screenshot(p.page, `${host}-${shotName(path)}`);
        p.assertClean(path);
        const crashed = await p.page.getByTestId('harness-crash').count();
        const loadErr = await p.page.getByTestId('harness-load-error').count();
        const noRoot = await p.page.getByTestId('harness-no-root').count();
        assert(!crashed && !loadErr && !noRoot, `${path} did not render the plugin (crash/load error/no root page)`);
        const body = await p.page.locator('body').innerText();
        assert(!/No root app page component found|Page not found/i.test(body), `${path}: ${body.slice(0, 300)}`);
        const errors = await panelErrors(p.page);
        assert(!errors.length, `${path}: ${errors.length} panel error(s): ${errors.join(' | ')}`);
        p.assertClean(path);
        await p.page.close();
      }
      const unknown = await (await fetch(`${server.url}harness/unknown-api`)).json();
      assert(
        !unknown.paths.length,
        `the server saw requests to API paths it does not serve: ${unknown.paths.join(', ')}`
      );
      return `${pages.length} pages: ${pages.join(', ')}`;
    },
  },
  {
    name: 'Stand-in panels: each (timeseries, stat, gauge, bargauge, table, heatmap) draws the frames of its query through the real data source',
    async run({ browser, server, host }) {
      const ids = ['timeseries', 'stat', 'gauge', 'bargauge', 'table', 'heatmap'];
      let p;
      let notYet = [];
      // The Prometheus the specs start is seconds old: the heatmap's increase() needs two scrapes in its window.
      for (let attempt = 0; attempt < 4; attempt++) {
        if (p) {
          await p.page.close();
          await new Promise((r) => setTimeout(r, 3000));
        }
        p = await openPage({ browser }, server, '/harness/panels?from=now-1m');
        await p.page.getByTestId('harness-panels').waitFor({ timeout: 20000 });
        await p.page.waitForLoadState('networkidle');
        const crashed = await p.page.getByText('An unexpected error happened').count();
        if (crashed || p.problems.length) {
          await screenshot(p.page, `${host}-standin-panels`);
          p.assertClean(`/harness/panels (${crashed} panel(s) crashed)`);
          assert(!crashed, `/harness/panels: ${crashed} panel(s) crashed`);
        }
        await Promise.all(ids.map((id) => p.page.getByTestId(`harness-standin-${id}`).waitFor({ timeout: 20000 })));
        await p.page.waitForLoadState('networkidle');
        await p.page.waitForTimeout(500);
        notYet = [];
        for (const id of ids) {
          if ((await p.page.getByTestId(`harness-standin-${id}`).getByTestId('harness-standin-no-data').count()) > 0) {
            notYet.push(id);
          }
        }
        if (!notYet.length) {
          break;
        }
      }
      await screenshot(p.page, `${host}-standin-panels`);
      const errors = await panelErrors(p.page);
      assert(!errors.length, `${errors.length} panel error(s): ${errors.join(' | ')}`);
      assert(!notYet.length, `stand-ins with no data: ${notYet.join(', ')}`);
      const panel = (id) => p.page.getByTestId(`harness-standin-${id}`);
      const checks = {
        async timeseries() {
          await assertLine(panel('timeseries').locator('canvas').first(), 'timeseries');
          const legend = await panel('timeseries').innerText();
          assert(
            /job="node"/.test(legend) && /job="prometheus"/.test(legend),
            `timeseries: the legend names no series: ${legend}`
          );
        },
        async stat() {
          const text = await panel('stat').innerText();
          assert(
            (text.match(/^1$/gm) ?? []).length >= 2,
            `stat: want one value "1" per target of up, got ${JSON.stringify(text)}`
          );
        },
        async gauge() {
          const text = await panel('gauge').innerText();
          assert(
            (text.match(/^1$/gm) ?? []).length >= 2,
            `gauge: want one value "1" per target of up, got ${JSON.stringify(text)}`
          );
          const fractions = await panel('gauge')
            .getByTestId('harness-gauge-arc')
            .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-fraction'))));
          // up is 1 (a full arc) for every target but the stack's deliberately failing one (an empty arc).
          assert(
            fractions.filter((f) => f === 1).length >= 2 && fractions.every((f) => f === 0 || f === 1),
            `gauge: want a full arc per target that is up and an empty one per target that is down, got fractions ${fractions}`
          );
        },
        async bargauge() {
          const text = await panel('bargauge').innerText();
          assert(
            (text.match(/^1$/gm) ?? []).length >= 2,
            `bargauge: want one value "1" per target of up, got ${JSON.stringify(text)}`
          );
        },
        async table() {
          const text = await panel('table').innerText();
          assert(
            /node/.test(text) && /prometheus/.test(text),
            `table: the rows of up's targets are missing: ${text.slice(0, 300)}`
          );
        },
        async heatmap() {
          const cells = panel('heatmap').getByTestId('harness-heatmap-cell');
          const n = await cells.count();
          const text = await panel('heatmap').innerText();
          assert(n >= 10, `heatmap: ${n} bucket cells`);
          assert(
            /\+Inf/.test(text) && /0\.1\b/.test(text),
            `heatmap: the le buckets are not the rows: ${text.slice(0, 200)}`
          );
          const counts = await cells.evaluateAll(
            (els) => els.map((e) => Number(e.getAttribute('title'))).filter((v) => v > 0).length
          );
          assert(counts > 0, 'heatmap: every bucket cell is empty');
        },
      };
      const failed = [];
      for (const id of ids) {
        try {
          await checks[id]();
        } catch (e) {
          failed.push(e.message);
        }
      }
      assert(!failed.length, failed.join('\n'));
      p.assertClean('/harness/panels');
      await p.page.close();
    },
  },
];
