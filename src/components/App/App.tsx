import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';
import { SceneApp, useSceneApp } from '@grafana/scenes';

import { ROUTES } from '../../constants';
import { getOverviewPage } from '../../pages/Overview/overviewPage';
import { AppSettings } from '../../settings';
import { PluginPropsContext } from '../../utils/utils.plugin';
import { prefixRoute } from '../../utils/utils.routing';

// Module-level so useSceneApp caches one SceneApp for the lifetime of the page.
function getSceneApp() {
  return new SceneApp({
    pages: [getOverviewPage()],
    urlSyncOptions: {
      updateUrlOnInit: true,
      createBrowserHistorySteps: true,
    },
  });
}

function AppWithScenes() {
  const scene = useSceneApp(getSceneApp);

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
      <AppWithScenes />
    </PluginPropsContext.Provider>
  );
}

export default App;
