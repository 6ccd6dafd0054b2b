// Specs of the instrumentation profiles side by side (src/signals/profiles.ts): the harness stack runs a demo service
// of every profile beside the seed's two, all scraped by one Prometheus and read by one data source set to auto. The
// Services inventory lists each with its version, rate, error % and p95; each one's Service page has the seed
// service's panels, every one with data or a reason it has none, in English and Korean.
import { assert, openPage, screenshot } from './lib.mjs';
import { bySignal, openAndRecord, SERVICES_PAGE_QUERIES, values } from './figures.mjs';
import { settle } from './pages.mjs';

const APP = 'pulse-monitoring-app';
const LANGS = ['en-US', 'ko-KR'];
/**
 * The empty states that say metrics are missing (src/pages/shared/emptyState.ts), in both languages: where the seed
 * service's panel has data, a profile's service may not say this (its metrics exist), only why it cannot know.
 */
/** The runtime panels' empty state (prom-client's process_* and nodejs_* missing), in both languages. */
const RUNTIME_MISSING = [
  /^No Node\.js runtime metrics/,
  /Node\.js 런타임 메트릭\(process_\*, nodejs_\*\)을 찾을 수 없습니다/,
];
const METRICS_MISSING = [
  /^No data from /,
  /^No Node\.js runtime metrics/,
  /^No (node_exporter|cAdvisor|postgres_exporter) metrics/,
  /데이터가 없습니다\. /,
  /Node\.js 런타임 메트릭\(process_\*, nodejs_\*\)을 찾을 수 없습니다/,
  /^(node_exporter|cAdvisor|postgres_exporter) 메트릭이 없습니다/,
];

/** The services of the stack, one per profile (the seed's first of its two). */
function onePerProfile(services) {
  const seen = new Map();
  for (const s of services) {
    if (!seen.has(s.profile)) {
      seen.set(s.profile, s);
    }
  }
  return [...seen.values()];
}

/** The label values of a table answer's rows, by the row's `name` (the service). */
function labelByName(record, label) {
  const out = new Map();
  for (const frame of record.frames) {
    const fields = frame.schema?.fields ?? [];
    const nameAt = fields.findIndex((f) => f.name === 'name');
    const labelAt = fields.findIndex((f) => f.name === label);
    if (nameAt < 0 || labelAt < 0) {
      continue;
    }
    const names = frame.data?.values?.[nameAt] ?? [];
    names.forEach((name, row) => {
      out.set(name, [...(out.get(name) ?? []), frame.data.values[labelAt][row]]);
    });
  }
  return out;
}

/** The first value of each row of a column's answer, by service name. */
function valueByName(records, what) {
  assert(records.length === 1, `Services: ${records.length} queries for the ${what} column (expected one)`);
  return new Map(values(records[0]).map((v) => [v.name, v.value]));
}

/**
 * Every panel of the page by its title: the stand-in it draws with, whether it drew data, and the text it shows
 * instead. A panel is the nearest ancestor of its header that holds a stand-in and no other panel's header.
 */
async function titledPanels(page) {
  return page.evaluate(() => {
    const HEADER = '[data-testid^="data-testid Panel header "]';
    const STANDIN = '[data-testid^="harness-standin-"][data-frames]';
    const out = [];
    for (const header of document.querySelectorAll(HEADER)) {
      const title = header.getAttribute('data-testid').slice('data-testid Panel header '.length);
      let el = header.parentElement;
      while (el && !el.querySelector(STANDIN)) {
        el = el.parentElement;
      }
      if (!el || el.querySelectorAll(HEADER).length !== 1) {
        out.push({ title, standIn: false });
        continue;
      }
      const standIn = el.querySelector(STANDIN);
      const empty = standIn.querySelector('[data-testid="harness-standin-no-data"]');
      out.push({
        title,
        standIn: true,
        frames: Number(standIn.getAttribute('data-frames')),
        empty: empty ? empty.innerText.trim() : undefined,
      });
    }
    return out;
  });
}

/** Whether Prometheus has prom-client's runtime metrics from the service's target. */
async function hasRuntime(prometheusUrl, service) {
  assert(service.instance, `${service.name}: the stack printed no metrics URL for it`);
  const query = `count(process_cpu_seconds_total{instance="${service.instance}"})`;
  const answer = await (await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`)).json();
  assert(answer.status === 'success', `${query}: ${JSON.stringify(answer)}`);
  return answer.data.result.length > 0;
}

const hasData = (panel) => panel.standIn && panel.frames > 0 && panel.empty === undefined;

export const profileSpecs = [
  {
    name: 'Profiles: a service of every instrumentation profile is in the Services inventory with its version, rate, error % and p95, in en-US and ko-KR',
    async run({ browser, server, stack, host }) {
      const services = stack?.services ?? [];
      const profiles = new Set(services.map((s) => s.profile));
      assert(
        profiles.size >= 5,
        `the stack runs services of ${profiles.size} profiles (${[...profiles].join(', ')}): run the specs on the harness' own stack (without --prometheus-url), which starts one per profile`
      );
      const summary = [];
      for (const lang of LANGS) {
        const page = await openAndRecord(browser, server, 'services', { lang, atLeast: SERVICES_PAGE_QUERIES });
        try {
          const r = page.records;
          const versionQueries = bySignal(r, 'service.versions', {});
          assert(versionQueries.length === 1, `Services: ${versionQueries.length} versions queries (expected one)`);
          const versions = labelByName(versionQueries[0], 'version');
          const rate = valueByName(bySignal(r, 'service.requests.total', { groupBy: ['service'] }), 'rate');
          const errors = valueByName(bySignal(r, 'service.errors.ratio', { groupBy: ['service'] }), 'error %');
          const p95 = valueByName(bySignal(r, 'service.latency.quantile', { groupBy: ['service'] }), 'p95');
          const text = await page.p.page.locator('body').innerText();
          const rows = [];
          for (const s of services) {
            const what = `${lang}: ${s.name} (${s.profile})`;
            assert(
              (versions.get(s.name) ?? []).includes(s.version),
              `${what}: the inventory's versions are ${JSON.stringify(versions.get(s.name))}, not ${s.version}`
            );
            assert(rate.get(s.name) > 0, `${what}: request rate ${rate.get(s.name)}`);
            const ratio = errors.get(s.name);
            assert(ratio !== undefined && ratio >= 0 && ratio <= 1, `${what}: error ratio ${ratio}`);
            assert(p95.get(s.name) > 0, `${what}: p95 ${p95.get(s.name)}`);
            assert(text.includes(s.name) && text.includes(s.version), `${what}: not on the page with its version`);
            rows.push(
              `${s.name} ${s.version} (${s.profile}): ${rate.get(s.name).toFixed(2)} req/s, ${(ratio * 100).toFixed(1)} % errors, p95 ${p95.get(s.name).toFixed(3)} s`
            );
          }
          await screenshot(page.p.page, `${host}-profiles-services-${lang}`);
          page.p.assertClean(`Services with every profile (${lang})`);
          summary.push(`${lang}: ${rows.join('; ')}`);
        } finally {
          await page.p.page.close();
        }
      }
      return summary.join('\n      ');
    },
  },
  {
    name: "Profiles: each profile's Service page has the seed service's panels, each with data or why its instrumentation cannot know, in en-US and ko-KR",
    async run({ browser, server, stack, host, prometheusUrl }) {
      const services = onePerProfile(stack?.services ?? []);
      assert(services.length >= 5, `the stack runs services of ${services.length} profiles: see the spec above`);
      const [seed, ...others] = services;
      assert(seed.profile === 'seed', `the stack's first service is ${seed.name} (${seed.profile}), not the seed's`);
      const summary = [];
      for (const lang of LANGS) {
        const pages = new Map();
        for (const s of services) {
          const p = await openPage({ browser }, server, `/a/${APP}/services/${encodeURIComponent(s.name)}`, { lang });
          try {
            await settle(p.page);
            const what = `${lang}: ${s.name} (${s.profile})`;
            const title = await p.page.getByRole('heading', { level: 1 }).first().innerText();
            assert(title.includes(s.name), `${what}: the page is titled ${JSON.stringify(title)}`);
            const errors = await p.page.getByTestId('data-testid Panel status error').count();
            assert(!errors, `${what}: ${errors} panel(s) show a query error`);
            // The latency objective's threshold starts at 0.5 s in the unit of the service's own histogram.
            const threshold = new URL(p.page.url()).searchParams.get('var-slo_threshold');
            const bound = s.profile === 'otel-http-legacy' ? '500' : '0.5';
            assert(threshold === bound, `${what}: the latency threshold is ${threshold}, want ${bound} (0.5 s)`);
            const panels = await titledPanels(p.page);
            const bare = panels.filter((x) => x.empty === 'No data' || x.empty === '');
            assert(!bare.length, `${what}: ${bare.map((x) => x.title).join(', ')} say only "No data"`);
            await screenshot(p.page, `${host}-profiles-service-${s.profile}-${lang}`);
            p.assertClean(what);
            pages.set(s, panels);
          } finally {
            await p.page.close();
          }
        }
        const seedPanels = pages.get(seed);
        const withData = seedPanels.filter(hasData).map((x) => x.title);
        assert(withData.length > 10, `${lang}: the seed service's page has ${withData.length} panels with data`);
        const lines = [`${seed.name} (seed): ${withData.length} of ${seedPanels.length} panels with data`];
        for (const s of others) {
          const panels = pages.get(s);
          const what = `${lang}: ${s.name} (${s.profile})`;
          const titles = panels.map((x) => x.title);
          const missing = seedPanels.map((x) => x.title).filter((t) => !titles.includes(t));
          assert(!missing.length, `${what}: the seed's panels ${missing.join(', ')} are not on the page`);
          const cannot = [];
          const runtimeMissing = new Set();
          for (const title of withData) {
            const panel = panels.find((x) => x.title === title);
            if (hasData(panel)) {
              continue;
            }
            // The runtime metrics are prom-client's: a service without them (the OpenTelemetry demo's) is told
            // how to add them, which is right where Prometheus has none from its target.
            const noRuntime = panel.empty && RUNTIME_MISSING.some((re) => re.test(panel.empty));
            if (noRuntime && !(await hasRuntime(prometheusUrl, s))) {
              runtimeMissing.add(title);
              continue;
            }
            assert(
              panel.empty && !METRICS_MISSING.some((re) => re.test(panel.empty)),
              `${what}: "${title}" has data for the seed service but ${panel.empty ? `says "${panel.empty.slice(0, 160)}"` : `drew ${panel.frames} frames`}`
            );
            cannot.push(`${title}: “${panel.empty.slice(0, 90)}”`);
          }
          const drawn = panels.filter(hasData).length;
          assert(drawn >= withData.length / 2, `${what}: ${drawn} panels with data, the seed's ${withData.length}`);
          lines.push(
            `${s.name} (${s.profile}): ${drawn} with data${cannot.length ? `; empty with a reason: ${cannot.join('; ')}` : ''}${runtimeMissing.size ? `; ${runtimeMissing.size} runtime panels say how to add the runtime metrics its target lacks` : ''}`
          );
        }
        summary.push(`${lang}:\n        ${lines.join('\n        ')}`);
      }
      return summary.join('\n      ');
    },
  },
];
