import React, { Suspense, lazy } from 'react';
import { AppPlugin, type AppRootProps } from '@grafana/data';
import { initPluginTranslations, t } from '@grafana/i18n';
import { loadResources as loadScenesResources } from '@grafana/scenes';
import { LoadingPlaceholder } from '@grafana/ui';

import type { AppConfigProps } from './components/AppConfig/AppConfig';
import pluginJson from './plugin.json';
import { AppSettings } from './settings';

// Grafana (>= 12.1) loads our own resources, named by "languages" in plugin.json, from
// locales/<lang>/pulse-monitoring-app.json before this module runs. Scenes is bundled with us and shares our
// copy of @grafana/i18n, so its strings are looked up in our namespace: the loader adds them there.
// The nested data source has its own bundle and namespace and initialises itself (datasource/module.ts).
await initPluginTranslations(pluginJson.id, [loadScenesResources]);

// Pages and settings load on demand so module.js, which Grafana fetches on every page, stays small.
const LazyApp = lazy(() => import(/* webpackChunkName: "pages" */ './components/App/App'));
const LazyAppConfig = lazy(() => import(/* webpackChunkName: "app-config" */ './components/AppConfig/AppConfig'));

const App = (props: AppRootProps<AppSettings>) => (
  <Suspense fallback={<LoadingPlaceholder text="" />}>
    <LazyApp {...props} />
  </Suspense>
);

const AppConfig = (props: AppConfigProps) => (
  <Suspense fallback={<LoadingPlaceholder text="" />}>
    <LazyAppConfig {...props} />
  </Suspense>
);

export const plugin = new AppPlugin<AppSettings>().setRootPage(App).addConfigPage({
  // Safe at module scope: translations were initialised above.
  // eslint-disable-next-line @grafana/i18n/no-translation-top-level
  title: t('app-config.tab', 'Configuration'),
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
