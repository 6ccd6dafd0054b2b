import { EventBusSrv, locationUtil } from '@grafana/data';
import {
  config,
  locationService,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setPluginComponentHook,
  setPluginImportUtils,
  setRunRequest,
  setTemplateSrv,
} from '@grafana/runtime';
import { sceneGraph } from '@grafana/scenes';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

import { backendSrv } from './backendSrv';
import { HarnessDataSourceSrv } from './dataSourceSrv';
import { getPanelPluginFromCache, importPanelPlugin, panelIds, panelMeta } from './panels';
import { harnessRunRequest } from './runRequest';
import { HarnessTemplateSrv } from './templateSrv';
import { registerStandardTransformers } from './transformers';
import { registerStandardFieldConfig } from './fieldConfig';

export const dataSourceSrv = new HarnessDataSourceSrv();

/** What Grafana's app.ts sets up before any plugin code runs. */
export async function initHost() {
  const user = config.bootData.user as any;
  // Grafana initialises the shared i18next with the user's language (boot data) and its own "grafana" namespace;
  // plugins' bundled @grafana/i18n then find an initialised instance and add their namespace to it.
  // Grafana has loaded its own "grafana" namespace for the language by now, which is what makes i18next resolve it
  // (resolvedLanguage only settles on a language that has some translations). Core strings are not on npm, so the
  // host stands in with one entry of its own.
  const lang = user.language ?? 'en-US';
  await i18next.use(initReactI18next).init({
    resources: { [lang]: { grafana: { 'harness.language': lang } } },
    partialBundledLanguages: true,
    returnEmptyString: false,
    supportedLngs: ['en-US', 'ko-KR', 'de-DE', 'es-ES', 'fr-FR', 'ja-JP', 'zh-Hans', 'pt-BR'],
    fallbackLng: 'en-US',
    lng: lang,
    ns: ['grafana'],
  });
  document.documentElement.lang = i18next.resolvedLanguage ?? 'en-US';

  // Grafana's app.ts: locationUtil knows the sub-path (assureBaseUrl, stripBaseFromUrl) and the time range and
  // variables a URL carries (from the active scene, as Grafana's own helpers read them under scenes).
  locationUtil.initialize({
    config,
    getTimeRangeForUrl: () => {
      const scene = window.__grafanaSceneContext;
      const range = scene ? sceneGraph.getTimeRange(scene).state.value.raw : undefined;
      return range ? { from: String(range.from), to: String(range.to) } : {};
    },
    getVariablesUrlParams: () => ({}),
  });
  document.addEventListener('click', interceptLinkClicks);

  for (const id of panelIds) {
    (config.panels as any)[id] = panelMeta(id);
  }
  registerStandardTransformers();
  registerStandardFieldConfig();
  setBackendSrv(backendSrv);
  setTemplateSrv(new HarnessTemplateSrv());
  setAppEvents(new EventBusSrv() as any);
  setRunRequest(harnessRunRequest);
  setPluginImportUtils({ importPanelPlugin, getPanelPluginFromCache });
  // Grafana's exposed components (e.g. its "Add to dashboard" form) are Grafana's own code, not on npm: the harness
  // exposes none, so plugins take their path for a Grafana without them.
  setPluginComponentHook(() => ({ isLoading: false, component: null }));
  await dataSourceSrv.init();
  setDataSourceSrv(dataSourceSrv);
}

/**
 * Grafana's interceptLinkClicks (public/app/core/navigation/patch/interceptLinkClicks.ts): a plain click on an
 * in-app anchor without a target is a client-side navigation (its sub-path stripped, then pushed to the location
 * service, whose history adds it back). A link opened in a new tab gets no such help: its href must carry the
 * sub-path itself, which is what the sub-path spec checks.
 */
function interceptLinkClicks(e: MouseEvent) {
  if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0 || e.defaultPrevented) {
    return;
  }
  const anchor = e.target instanceof Element ? e.target.closest('a') : null;
  const href = anchor?.getAttribute('href');
  if (!anchor || !href || anchor.getAttribute('target') || anchor.hasAttribute('download')) {
    return;
  }
  const url = new URL(href, document.baseURI);
  if (url.origin !== window.location.origin || href.startsWith('#')) {
    return;
  }
  e.preventDefault();
  locationService.push(locationUtil.stripBaseFromUrl(url.pathname + url.search + url.hash));
}
