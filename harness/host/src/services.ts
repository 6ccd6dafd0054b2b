import { EventBusSrv } from '@grafana/data';
import {
  config,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setPluginImportUtils,
  setRunRequest,
  setTemplateSrv,
} from '@grafana/runtime';
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
  await dataSourceSrv.init();
  setDataSourceSrv(dataSourceSrv);
}
