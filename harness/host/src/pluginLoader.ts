import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import { AppPlugin } from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';

import * as grafanaRuntimeUnstable from '@grafana/runtime/unstable';
import * as grafanaDataUnstable from '@grafana/data/unstable';
import * as grafanaUiUnstable from '@grafana/ui/unstable';
import * as grafanaUi from '@grafana/ui';
import * as i18nextNs from 'i18next';
import i18next from 'i18next';
import lodash from 'lodash';
import moment from 'moment';
import prismjs from 'prismjs';
import React from 'react';
import ReactDOM from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import * as jsxDevRuntime from 'react/jsx-dev-runtime';
import * as reactRedux from 'react-redux';
import * as reactRouter from 'react-router';
import * as reactRouterDom from 'react-router-dom';
import * as redux from 'redux';
import * as rxjs from 'rxjs';

import { HarnessPluginPage } from './pluginPage';

// What Grafana shares with plugins (the externals of create-plugin's webpack config, .config/bundler/externals.ts),
// from the real npm packages. CommonJS modules are handed over as they are (AMD receives `default` through
// __useDefault); ESM packages as namespaces, as Grafana does.
const cjs = (m: unknown) => ({ __useDefault: true, default: m });
const shared: Record<string, unknown> = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  emotion: emotionCss,
  '@grafana/data': grafanaData,
  // PluginPage is Grafana's, not the package's bare default (see pluginPage.tsx).
  '@grafana/runtime': { ...grafanaRuntime, PluginPage: HarnessPluginPage },
  '@grafana/ui': grafanaUi,
  // Grafana shares the packages' `unstable` entries too (scenes reaches them through @grafana/plugin-compat).
  '@grafana/data/unstable': grafanaDataUnstable,
  '@grafana/runtime/unstable': grafanaRuntimeUnstable,
  '@grafana/ui/unstable': grafanaUiUnstable,
  i18next: i18nextNs,
  lodash: cjs(lodash),
  moment: cjs(moment),
  prismjs: cjs(prismjs),
  react: cjs(React),
  'react-dom': cjs(ReactDOM),
  'react/jsx-runtime': jsxRuntime,
  'react/jsx-dev-runtime': jsxDevRuntime,
  'react-redux': reactRedux,
  'react-router': reactRouter,
  'react-router-dom': reactRouterDom,
  redux,
  rxjs,
};
// Externals of the webpack config that this host does not provide (Grafana does): a plugin that starts to
// import one fails loudly here rather than silently.
const notProvided = ['jquery', 'slate', 'slate-plain-serializer', '@grafana/slate-react', 'd3', 'angular'];

let systemPromise: Promise<any> | undefined;

// SystemJS is loaded lazily: its global AMD `define` changes how other scripts behave.
function getSystem(): Promise<any> {
  if (!systemPromise) {
    systemPromise = (async () => {
      await import('systemjs/dist/system.js');
      await import('systemjs/dist/extras/amd.js');
      const System = (window as any).System;
      const imports: Record<string, string> = {};
      for (const [name, mod] of Object.entries(shared)) {
        System.set(`app:${name}`, mod);
        imports[name] = `app:${name}`;
      }
      for (const name of notProvided) {
        imports[name] = `app:not-provided/${name}`;
      }
      System.addImportMap({ imports });
      const origInstantiate = System.constructor.prototype.instantiate;
      System.constructor.prototype.instantiate = function (url: string, parent: string) {
        if (url.startsWith('app:not-provided/')) {
          throw new Error(
            `harness: ${parent} imports the shared module "${url.slice(17)}", which Grafana provides but this harness does not (add it to harness/host/src/pluginLoader.ts)`
          );
        }
        return origInstantiate.call(this, url, parent);
      };
      return System;
    })();
  }
  return systemPromise;
}

/** Grafana (>= 12.1) adds a plugin's own translations to i18next before its module runs. */
async function addTranslations(meta: any) {
  const translations: Record<string, string> = meta.translations ?? {};
  const language = i18next.resolvedLanguage ?? 'en-US';
  const path = translations[language] ?? translations['en-US'];
  if (!path) {
    return;
  }
  const res = await fetch(path);
  if (!res.ok) {
    throw new Error(`harness: translations of ${meta.id} for ${language} not found at ${path} (${res.status})`);
  }
  i18next.addResourceBundle(language, meta.id, await res.json(), true, false);
}

const modules = new Map<string, Promise<any>>();

/** Loads a plugin's module.js through SystemJS as Grafana does; resolves to its exports. */
export function importPluginModule(meta: any): Promise<any> {
  const key = meta.module;
  if (!modules.has(key)) {
    modules.set(
      key,
      (async () => {
        const System = await getSystem();
        await addTranslations(meta);
        const url = new URL(meta.module, document.baseURI).href;
        const m = await System.import(url);
        // create-plugin's i18n init uses top-level await, so the AMD module's value is a Promise of its exports.
        return m.__useDefault ? await m.default : m;
      })()
    );
  }
  return modules.get(key)!;
}

export async function importDataSourcePlugin(meta: any): Promise<any> {
  const exports = await importPluginModule(meta);
  if (!exports?.plugin) {
    // Grafana's own message for this case.
    throw new Error(`Plugin module is missing DataSourcePlugin or Datasource constructor export (${meta.module})`);
  }
  exports.plugin.meta = meta;
  return exports.plugin;
}

export async function importAppPlugin(meta: any): Promise<any> {
  const exports = await importPluginModule(meta);
  let plugin = exports?.plugin;
  if (!plugin) {
    // Grafana falls back to an empty AppPlugin and then shows "No root app page component found"; the harness says
    // so loudly too, so that a spec fails on it.
    console.error(
      `harness: ${meta.module} has no export named "plugin" (exports: ${Object.keys(exports ?? {}).join(', ') || 'none'})`
    );
    plugin = new AppPlugin();
  }
  plugin.init(meta);
  plugin.meta = meta;
  return plugin;
}
