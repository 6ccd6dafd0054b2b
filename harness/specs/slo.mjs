// The Service page's error-budget section (src/pages/Services/serviceSlo.ts) against the local stack's demo load, in
// English and Korean: every SLO panel draws data, and a screenshot of the section to look at.
import { assert, openPage, screenshot } from './lib.mjs';
import { settle } from './pages.mjs';

const APP = 'pulse-monitoring-app';

/** The section's panel titles, in the page's language (src/locales). */
const TITLES = {
  'en-US': [
    'Availability SLI',
    'Availability budget',
    'Availability burn rate',
    'Availability budget over time',
    'Latency SLI',
    'Latency budget',
    'Latency burn rate',
    'Latency budget over time',
  ],
  'ko-KR': [
    '가용성 SLI',
    '가용성 예산',
    '가용성 예산 소진 속도',
    '시간에 따른 가용성 예산',
    '지연 시간 SLI',
    '지연 시간 예산',
    '지연 시간 예산 소진 속도',
    '시간에 따른 지연 시간 예산',
  ],
};

export const sloSpecs = [
  {
    name: 'Service page: the error budget section draws the SLI, budget and burn rate of both objectives in en-US and ko-KR',
    async run({ browser, server, host }) {
      const summary = [];
      for (const [lang, titles] of Object.entries(TITLES)) {
        const p = await openPage({ browser }, server, `/a/${APP}/services/${encodeURIComponent('shop.orders')}`, {
          lang,
        });
        await settle(p.page);
        const boxes = [];
        const values = [];
        for (const title of titles) {
          const header = p.page.getByTestId(`data-testid Panel header ${title}`);
          assert((await header.count()) === 1, `${lang}: no panel "${title}" on the service page`);
          // The panel: the header's nearest ancestor that holds a stand-in.
          const panel = header.locator('xpath=ancestor::*[.//*[starts-with(@data-testid, "harness-standin-")]][1]');
          const standIn = panel.locator('[data-testid^="harness-standin-"][data-frames]');
          assert((await standIn.count()) === 1, `${lang}: "${title}" has no stand-in panel`);
          const frames = Number(await standIn.getAttribute('data-frames'));
          const empty = await standIn.getByTestId('harness-standin-no-data').count();
          assert(frames > 0 && !empty, `${lang}: "${title}" drew no data (${frames} frames)`);
          await panel.scrollIntoViewIfNeeded();
          boxes.push(await panel.boundingBox());
          if (!title.includes('over time') && !title.includes('시간에 따른')) {
            values.push(`${title}: ${(await standIn.innerText()).replace(/\s+/g, ' ').slice(0, 40)}`);
          }
        }
        // The section, for a person to look at: both rows of panels.
        const top = Math.min(...boxes.map((b) => b.y));
        const bottom = Math.max(...boxes.map((b) => b.y + b.height));
        await p.page.evaluate((y) => window.scrollTo(0, y - 80), top);
        await screenshot(p.page, `${host}-service-slo-${lang}`);
        const variables = await p.page.locator('body').innerText();
        for (const label of lang === 'en-US'
          ? ['SLO window', 'Availability objective', 'Latency objective']
          : ['SLO 기간', '가용성 목표', '지연 시간 목표']) {
          assert(variables.includes(label), `${lang}: no variable "${label}" on the page`);
        }
        p.assertClean(`service page, error budget (${lang})`);
        summary.push(`${lang}: 8 panels with data (section ${Math.round(bottom - top)} px high); ${values.join('; ')}`);
        await p.page.close();
      }
      return summary.join('\n      ');
    },
  },
];
