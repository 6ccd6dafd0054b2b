import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';
import { SceneApp } from '@grafana/scenes';

import { ROUTES } from '../../constants';
import { getAlertsPage } from '../../pages/Alerts';
import { getContainersPage } from '../../pages/Containers';
import { getHostsPage } from '../../pages/Hosts';
import { getOverviewPage } from '../../pages/Overview';
import { getPostgresPage } from '../../pages/Postgres';
import { getServicesPage } from '../../pages/Services';
import { getTargetsPage } from '../../pages/Targets';
import { AppSettings } from '../../settings';
import { PluginPropsContext } from '../../utils/utils.plugin';
import { prefixRoute } from '../../utils/utils.routing';

/** What the pages are built from: the app settings' default data source. */
export interface PageSettings {
  defaultDataSourceUid?: string;
}

function createSceneApp(settings: PageSettings) {
  return new SceneApp({
    // One line per page, in the order of the app's navigation (plugin.json includes).
    pages: [
      getOverviewPage(settings),
      getServicesPage(settings),
      getHostsPage(settings),
      getContainersPage(settings),
      getPostgresPage(settings),
      getTargetsPage(settings),
      getAlertsPage(settings),
    ],
    urlSyncOptions: {
      updateUrlOnInit: true,
      createBrowserHistorySteps: true,
    },
  });
}

// One SceneApp per default data source for the lifetime of the page (as useSceneApp caches one per factory),
// so leaving the app and coming back keeps its state.
const sceneApps = new Map<string, SceneApp>();

function getSceneApp(settings: PageSettings): SceneApp {
  const key = settings.defaultDataSourceUid ?? '';
  let app = sceneApps.get(key);
  if (!app) {
    app = createSceneApp(settings);
    sceneApps.set(key, app);
  }
  return app;
}

function AppWithScenes({ settings }: { settings: PageSettings }) {
  const scene = getSceneApp(settings);

  return (
    <>
      <Routes>
        <Route index element={<Navigate to={prefixRoute(ROUTES.Overview)} replace />} />
      </Routes>
      <scene.Component model={scene} />
    </>
  );
}

function App(props: AppRootProps<AppSettings>) {
  return (
    <PluginPropsContext.Provider value={props}>
      <AppWithScenes settings={{ defaultDataSourceUid: props.meta.jsonData?.defaultDatasourceUid }} />
    </PluginPropsContext.Provider>
  );
}

export default App;
