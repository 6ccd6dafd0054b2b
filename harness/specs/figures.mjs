// Specs of the figures a page shows twice (a fleet stat and its rows) and of the pages' layout at the widths users
// have: the figures are taken at one moment over one rate window, so they agree; no panel title is cut off.
import { openPage, assert, screenshot } from './lib.mjs';
import { settle } from './pages.mjs';

const APP = 'pulse-monitoring-app';
const LANGS = ['en-US', 'ko-KR'];
/** The widths the layouts are made for: a laptop and a desktop screen. */
export const WIDTHS = [1280, 1920];
/** The queries the Services page asks: its four stats and the inventory's six columns, however many services. */
export const SERVICES_PAGE_QUERIES = 10;
/** discovery.MaxCatalogItems: no list of the catalog resource grows past it. */
const MAX_CATALOG_ITEMS = 5000;

/**
 * Records every /api/ds/query of the browser from now on (the pages it opens next, from their first request):
 * each query of the request with the request's time range and interval, and its answer's frames.
 */
function recordQueries(browser) {
  const records = [];
  const pending = [];
  const onResponse = (r) => {
    if (r.request().method() !== 'POST' || !new URL(r.url()).pathname.endsWith('/api/ds/query')) {
      return;
    }
    pending.push(
      (async () => {
        const body = r.request().postDataJSON();
        const answer = await r.json().catch(() => ({}));
        for (const q of body.queries ?? []) {
          records.push({
            from: body.from,
            to: body.to,
            intervalMs: q.intervalMs,
            maxDataPoints: q.maxDataPoints,
            query: q,
            frames: answer.results?.[q.refId]?.frames ?? [],
            at: Date.now(),
          });
        }
      })()
    );
  };
  browser.on('response', onResponse);
  // Requests asked, so that all() waits for every answer (a settled page may still wait for a slow one).
  let asked = 0;
  const onRequest = (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/api/ds/query')) {
      asked++;
    }
  };
  browser.on('request', onRequest);
  return {
    /**
     * Every query asked so far with its answer (waiting up to a minute for those on their way, and for at least
     * `atLeast` queries: a page may still be laying out panels that have not asked yet).
     */
    async all({ atLeast = 0 } = {}) {
      const until = Date.now() + 60000;
      // Done once every query asked has its answer and no new one was asked for a moment and a half.
      for (let before = -1; Date.now() < until;) {
        if (pending.length >= asked && records.length >= atLeast && before === asked) {
          break;
        }
        before = pending.length >= asked ? asked : -1;
        await new Promise((r) => setTimeout(r, pending.length >= asked ? 1500 : 200));
      }
      assert(pending.length >= asked, `${asked - pending.length} of ${asked} queries unanswered after a minute`);
      await Promise.all(pending);
      return [...records];
    },
    stop() {
      browser.off('response', onResponse);
      browser.off('request', onRequest);
    },
  };
}

/** The queries of a signal: a fleet figure (no group-by) or its rows (grouped by `groupBy`). */
export function bySignal(records, signalId, { groupBy, instant } = {}) {
  return records.filter((r) => {
    const g = r.query.guided;
    if (!g || g.signalId !== signalId) {
      return false;
    }
    if (instant !== undefined && Boolean(r.query.instant) !== instant) {
      return false;
    }
    const groups = g.params?.groupBy ?? [];
    return groupBy === undefined ? groups.length === 0 : groups.join(',') === groupBy.join(',');
  });
}

/** The numbers of a query's answer (every numeric field but time), with the row's `name` label where it has one. */
export function values(record) {
  const out = [];
  for (const frame of record.frames) {
    const fields = frame.schema?.fields ?? [];
    const columns = frame.data?.values ?? [];
    const nameAt = fields.findIndex((f) => f.name === 'name');
    fields.forEach((f, i) => {
      if (f.type !== 'number') {
        return;
      }
      (columns[i] ?? []).forEach((v, row) => {
        if (typeof v === 'number' && Number.isFinite(v)) {
          out.push({ value: v, name: nameAt >= 0 ? columns[nameAt][row] : f.labels?.name });
        }
      });
    });
  }
  return out;
}

/** The rows' names of a table answer (the `name` column of the backend's table frame). */
export function rowNames(record) {
  const names = new Set();
  for (const frame of record.frames) {
    const fields = frame.schema?.fields ?? [];
    const at = fields.findIndex((f) => f.name === 'name');
    for (const n of at >= 0 ? (frame.data?.values?.[at] ?? []) : []) {
      names.add(n);
    }
  }
  return names;
}

function one(records, what) {
  assert(records.length === 1, `${what}: ${records.length} queries (expected one)`);
  return records[0];
}

/** Every figure (instant query) of the page is taken at one moment and over one interval (so one rate window). */
function sameMomentAndWindow(records, what) {
  const figures = records.filter((r) => r.query.instant && !r.query.range);
  assert(figures.length > 0, `${what}: no instant query on the page`);
  const moments = new Set(figures.map((r) => r.to));
  const intervals = new Set(figures.map((r) => r.intervalMs));
  assert(moments.size === 1, `${what}: figures evaluated at ${moments.size} moments: ${[...moments].join(', ')}`);
  assert(intervals.size === 1, `${what}: figures over ${intervals.size} intervals (rate windows): ${[...intervals]}`);
  return { figures: figures.length, intervalMs: [...intervals][0] };
}

/** `fleet` within [min, max] of the rows, give or take float rounding. */
function within(fleet, rows, what) {
  const lo = Math.min(...rows);
  const hi = Math.max(...rows);
  const eps = 1e-9 * Math.max(1, Math.abs(hi));
  assert(rows.length > 0, `${what}: no rows`);
  assert(fleet >= lo - eps && fleet <= hi + eps, `${what}: the fleet's ${fleet} lies outside its rows [${lo}, ${hi}]`);
  return `${what} ${fmt(fleet)} in [${fmt(lo)}, ${fmt(hi)}]`;
}

const fmt = (v) => (Math.abs(v) < 1 ? v.toPrecision(3) : v.toFixed(2));

export async function openAndRecord(browser, server, path, { atLeast = 0, ...options } = {}) {
  const recorder = recordQueries(browser);
  try {
    const p = await openPage({ browser }, server, `/a/${APP}/${path}`, options);
    await settle(p.page);
    return { p, records: await recorder.all({ atLeast }) };
  } finally {
    recorder.stop();
  }
}

/**
 * Panel titles (Grafana's PanelChrome h2, as the harness renders it) whose text is wider than their box. With
 * `squeeze`, the first title is first narrowed to 24 px in the same task (a re-render in between could undo it):
 * the check must then report it.
 */
async function truncatedTitles(page, { squeeze = false } = {}) {
  return page.evaluate((squeezeFirst) => {
    const titles = [...document.querySelectorAll('[data-testid^="data-testid Panel header"] h2')];
    if (squeezeFirst && titles[0]) {
      titles[0].style.maxWidth = '24px';
    }
    return titles
      .filter((h) => h.scrollWidth > h.clientWidth + 1)
      .map((h) => `${h.textContent} (${h.scrollWidth} > ${h.clientWidth} px)`);
  }, squeeze);
}

export const figureSpecs = [
  {
    name: 'Figures: on Services, Overview and Hosts every figure is taken at one moment over one rate window; fleet error % and p95 lie within the rows, totals sum',
    async run({ browser, server }) {
      const summary = [];

      // Each page's figures, counted on the stack (a page that has not asked them all yet is waited for).
      const services = await openAndRecord(browser, server, 'services', { atLeast: SERVICES_PAGE_QUERIES });
      try {
        const r = services.records;
        const page = sameMomentAndWindow(r, 'Services');
        const rowsOf = (signalId, extra = {}) =>
          one(bySignal(r, signalId, { groupBy: ['service'], ...extra }), `${signalId} rows`);
        // A fleet stat is a figure: an instant query (the last point of a range query is another moment).
        const fleetOf = (signalId) => one(bySignal(r, signalId, { instant: true }), `${signalId} fleet stat (instant)`);
        const ratioRows = values(rowsOf('service.errors.ratio')).map((v) => v.value);
        const [ratio] = values(fleetOf('service.errors.ratio'));
        assert(ratio, 'Services: the fleet error ratio has no value');
        const p95Rows = values(rowsOf('service.latency.quantile')).map((v) => v.value);
        const [p95] = values(fleetOf('service.latency.quantile'));
        assert(p95, 'Services: the fleet p95 has no value');
        const instanceQueries = bySignal(r, 'service.instances', { groupBy: undefined });
        assert(instanceQueries.length === 2, `Services: ${instanceQueries.length} instance queries (stat and column)`);
        const [instancesA, instancesB] = instanceQueries.map((q) => values(q));
        const sum = (list) => list.reduce((a, v) => a + v.value, 0);
        assert(sum(instancesA) === sum(instancesB), `Services: instances ${sum(instancesA)} ≠ ${sum(instancesB)}`);
        const names = rowNames(one(bySignal(r, 'service.versions', {}), 'service.versions column'));
        const [count] = values(fleetOf('service.count'));
        assert(
          count?.value === names.size,
          `Services: the stat counts ${count?.value} services, the table ${names.size}`
        );
        summary.push(
          `Services: ${page.figures} figures at one moment, interval ${page.intervalMs} ms; ${within(ratio.value, ratioRows, 'error ratio')}; ${within(p95.value, p95Rows, 'p95')} s; ${count.value} services = ${names.size} rows; ${sum(instancesA)} instances = the column's sum`
        );
        services.p.assertClean('Services figures');
      } finally {
        await services.p.page.close();
      }

      const overview = await openAndRecord(browser, server, 'overview', { atLeast: 7 });
      try {
        const r = overview.records;
        const page = sameMomentAndWindow(r, 'Overview');
        const names = rowNames(one(bySignal(r, 'service.versions', {}), 'Overview versions table'));
        const [count] = values(one(bySignal(r, 'service.count', {}), 'Overview services stat'));
        assert(
          count?.value === names.size,
          `Overview: the stat counts ${count?.value} services, the versions table ${names.size}`
        );
        const [ratio] = values(one(bySignal(r, 'service.errors.ratio', {}), 'Overview error stat'));
        assert(ratio && ratio.value >= 0 && ratio.value <= 1, `Overview: error ratio ${ratio?.value} is not a share`);
        summary.push(
          `Overview: ${page.figures} figures at one moment, interval ${page.intervalMs} ms; ${count.value} services = ${names.size} in the versions table`
        );
        overview.p.assertClean('Overview figures');
      } finally {
        await overview.p.page.close();
      }

      const hosts = await openAndRecord(browser, server, 'hosts', { atLeast: 10 });
      try {
        const r = hosts.records;
        const page = sameMomentAndWindow(r, 'Hosts');
        const up = bySignal(r, 'host.up', {}).find((q) => q.query.guided.params.state === 'up');
        assert(up, 'Hosts: no hosts-up stat');
        const [upCount] = values(up);
        const rows = values(one(bySignal(r, 'host.uptime', {}), 'Hosts uptime column'));
        assert(upCount?.value === rows.length, `Hosts: ${upCount?.value} hosts up, ${rows.length} rows with an uptime`);
        summary.push(`Hosts: ${page.figures} figures at one moment; ${upCount.value} up = ${rows.length} rows`);
        hosts.p.assertClean('Hosts figures');
      } finally {
        await hosts.p.page.close();
      }
      return summary.join('; ');
    },
  },
  {
    name: 'Layout: at 1,280 and 1,920 px, in en-US and ko-KR, no panel title on the Overview, Services, Hosts and Containers is truncated',
    async run({ browser, server, host }) {
      const summary = [];
      for (const width of WIDTHS) {
        for (const lang of LANGS) {
          for (const path of ['overview', 'services', 'hosts', 'containers']) {
            const p = await openPage({ browser }, server, `/a/${APP}/${path}`, { lang, width });
            try {
              await settle(p.page);
              await screenshot(p.page, `${host}-layout-${path}-${width}-${lang}`);
              const cut = await truncatedTitles(p.page);
              const titles = await p.page.locator('[data-testid^="data-testid Panel header"] h2').count();
              assert(titles > 0, `${path} ${width}px ${lang}: no panel title found`);
              assert(!cut.length, `${path} at ${width} px (${lang}): truncated titles: ${cut.join('; ')}`);
              if (width === WIDTHS[0] && lang === LANGS[0] && path === 'overview') {
                // The check sees a cut title: squeeze one and it must be reported.
                const squeezed = await truncatedTitles(p.page, { squeeze: true });
                assert(squeezed.length === 1, `a title squeezed to 24 px is not reported as truncated: ${squeezed}`);
              }
              p.assertClean(`${path} ${width}px ${lang}`);
              summary.push(`${path} ${width} ${lang}: ${titles} titles whole`);
            } finally {
              await p.page.close();
            }
          }
        }
      }
      return summary.join('; ');
    },
  },
];

figureSpecs.push({
  name: 'Fleet: the Services page asks as many queries for a fleet as for 2 services, loads (time printed), filters in the browser; the catalog stays capped',
  async run({ browser, server }) {
    const recorder = recordQueries(browser);
    const started = Date.now();
    const p = await openPage({ browser }, server, `/a/${APP}/services`);
    try {
      await settle(p.page);
      await recorder.all({ atLeast: SERVICES_PAGE_QUERIES });
      // A moment more: a page that asked more than it should would do so now.
      await p.page.waitForTimeout(2000);
      const records = await recorder.all();
      const loadedMs = Math.max(...records.map((r) => r.at)) - started;
      const names = rowNames(one(bySignal(records, 'service.versions', {}), 'service.versions column'));
      assert(
        records.length === SERVICES_PAGE_QUERIES,
        `the Services page asked ${records.length} queries for ${names.size} services; it asks ${SERVICES_PAGE_QUERIES} whatever their number`
      );
      const empty = records.filter((r) => values(r).length === 0 && r.query.guided?.signalId !== 'service.versions');
      assert(!empty.length, `panels without a value: ${empty.map((r) => r.query.guided?.signalId).join(', ')}`);
      const canaries = [];
      for (const frame of one(bySignal(records, 'service.versions', {}), 'versions').frames) {
        const fields = frame.schema?.fields ?? [];
        const at = fields.findIndex((f) => f.name === 'name');
        const seen = new Map();
        for (const n of frame.data?.values?.[at] ?? []) {
          seen.set(n, (seen.get(n) ?? 0) + 1);
        }
        canaries.push(...[...seen].filter(([, count]) => count > 1).map(([n]) => n));
      }
      await screenshot(p.page, `fleet-services-${names.size}`);

      // The filter box narrows the rows in the browser: no query.
      const before = (await recorder.all()).length;
      const sample = [...names].sort()[Math.floor(names.size / 2)];
      await p.page.getByPlaceholder('Enter value').first().fill(sample);
      await p.page.keyboard.press('Enter');
      await p.page.waitForTimeout(1500);
      const tableText = await p.page.locator('[data-testid="harness-standin-table"]').first().innerText();
      const others = [...names].filter((n) => n !== sample && !n.includes(sample) && tableText.includes(n));
      assert(tableText.includes(sample), `filtered by ${sample}, the table does not show it`);
      assert(!others.length, `filtered by ${sample}, the table still shows ${others.slice(0, 3).join(', ')}`);
      const after = (await recorder.all()).length;
      assert(after === before, `filtering asked ${after - before} queries; it filters the rows already loaded`);
      await screenshot(p.page, `fleet-services-${names.size}-filtered`);

      const catalog = await p.page.request.get(`${server.url}api/datasources/uid/pulse-prometheus/resources/catalog`);
      assert(catalog.ok(), `catalog: HTTP ${catalog.status()}`);
      const body = await catalog.body();
      const parsed = JSON.parse(body.toString());
      const longest = Math.max(...['services', 'hosts', 'containers', 'databases'].map((k) => parsed[k]?.length ?? 0));
      assert(
        longest <= MAX_CATALOG_ITEMS,
        `a catalog list holds ${longest} items, over the cap of ${MAX_CATALOG_ITEMS}`
      );
      p.assertClean('Services at fleet size');
      return `${names.size} services (${canaries.length} running two versions): ${records.length} queries, all answered ${loadedMs} ms after opening the page; filter "${sample}" → no query; catalog ${parsed.services?.length} services in ${(body.length / 1024).toFixed(1)} KiB`;
    } finally {
      recorder.stop();
      await p.page.close();
    }
  },
});
