import { type SceneAppPage, type SceneObject, type SceneRouteMatch, sceneGraph, VizPanel } from '@grafana/scenes';

import { getAlertsPage } from '../Alerts';
import { getContainersPage } from '../Containers';
import { getHostsPage } from '../Hosts';
import { getOverviewPage } from '../Overview';
import { getPostgresPage } from '../Postgres';
import { getServicesPage } from '../Services';
import { getTargetsPage } from '../Targets';
import { PANEL_SCHEMA_VERSION } from './panelVersion';
import { readPanelSchemas, schemaVersion, unknownKeys } from './testing/panelSchema';
import { registerStandardTransformers } from './testing/transformers';

const dataSources = [{ uid: 'pulse-a', name: 'Pulse A', type: 'pulse-prometheus-datasource', jsonData: {} }];

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({
    getList: () => dataSources,
    getInstanceSettings: (uid: string) => dataSources.find((ds) => ds.uid === uid),
    get: () => new Promise(() => undefined),
  }),
}));

beforeAll(registerStandardTransformers);

// A value for every route parameter a drill-down takes.
const PARAMS: Record<string, string> = { service: 'shop.orders', instance: '127.0.0.1:9100' };

function match(url: string, routePath: string): SceneRouteMatch {
  const params = Object.fromEntries(
    routePath
      .split('/')
      .filter((part) => part.startsWith(':'))
      .map((part) => [part.slice(1), PARAMS[part.slice(1)] ?? 'x'])
  );
  return { url, path: url, isExact: true, params };
}

/** Every scene a user can reach from a page: the page's own, its tabs' and its drill-downs' (one level each). */
function scenesOf(page: SceneAppPage, depth = 0): Array<{ route: string; scene: SceneObject }> {
  const { url, routePath = '', getScene, tabs = [], drilldowns = [] } = page.state;
  const scenes = getScene ? [{ route: url, scene: getScene(match(url, routePath)) as SceneObject }] : [];
  for (const tab of tabs) {
    scenes.push(...scenesOf(tab as SceneAppPage, depth + 1));
  }
  if (depth < 2) {
    for (const drilldown of drilldowns) {
      const drillUrl = `${url}/${drilldown.routePath.replace(/:(\w+)/g, (_, name) => PARAMS[name] ?? 'x')}`;
      const child = drilldown.getPage(match(drillUrl, drilldown.routePath), page) as SceneAppPage;
      scenes.push(...scenesOf(child, depth + 1));
    }
  }
  return scenes;
}

const settings = { defaultDataSourceUid: 'pulse-a' };
const pages = [
  getOverviewPage(settings),
  getServicesPage(settings),
  getHostsPage(settings),
  getContainersPage(settings),
  getPostgresPage(settings),
  getTargetsPage(settings),
  getAlertsPage(settings),
];

const panels = pages
  .flatMap((page) => scenesOf(page))
  .flatMap(({ route, scene }) =>
    (sceneGraph.findAllObjects(scene, (o) => o instanceof VizPanel) as VizPanel[]).map((panel) => ({
      route,
      panel,
    }))
  );
// Read once: the page panels' types and the two the reader's own tests use.
const schemas = readPanelSchemas([
  ...new Set(['timeseries', 'stat', ...panels.map(({ panel }) => panel.state.pluginId)]),
]);

describe("every page panel's options are the ones Grafana's core panel reads", () => {
  it('reaches the panels of every page and drill-down', () => {
    const routes = new Set(panels.map(({ route }) => route));
    // Every page with panels (the Alerts page has none) and the two drill-downs.
    expect(routes.size).toBeGreaterThanOrEqual(pages.length - 1 + 2);
    expect([...schemas.keys()].sort()).toEqual(expect.arrayContaining(['heatmap', 'stat', 'table', 'timeseries']));
  });

  it('pins the schema version the plugin builds against, so Grafana migrates from it and no further back', () => {
    expect(PANEL_SCHEMA_VERSION).toBe(schemaVersion());
    const unpinned = panels.filter(({ panel }) => panel.state.pluginVersion !== PANEL_SCHEMA_VERSION);
    expect(unpinned.map(({ route, panel }) => `${route}: ${panel.state.title} (${panel.state.pluginVersion})`)).toEqual(
      []
    );
  });

  it.each(panels.map(({ route, panel }) => [`${route}: ${panel.state.pluginId} "${panel.state.title}"`, panel]))(
    '%s',
    (_name, panel) => {
      const schema = schemas.get(panel.state.pluginId)!;
      expect(unknownKeys(panel.state.options, schema.options)).toEqual([]);
      const { defaults, overrides } = panel.state.fieldConfig;
      expect(unknownKeys(defaults.custom ?? {}, schema.custom)).toEqual([]);
      // An override's custom.* property names a key of the same field config.
      const customOverrides = overrides
        .flatMap((o) => o.properties.map((p) => p.id))
        .filter((id) => id.startsWith('custom.'))
        .map((id) => id.slice('custom.'.length).split('.')[0])
        .filter((key) => !schema.custom.open && !schema.custom.properties.has(key));
      expect(customOverrides).toEqual([]);
    }
  );
});

describe('the schema reader', () => {
  const timeseries = schemas.get('timeseries')!;
  const stat = schemas.get('stat')!;

  it('sees inherited and nested properties', () => {
    expect(
      unknownKeys(
        { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'single' } },
        timeseries.options
      )
    ).toEqual([]);
    expect(unknownKeys({ reduceOptions: { calcs: ['lastNotNull'], values: false } }, stat.options)).toEqual([]);
    expect(unknownKeys({ fillOpacity: 10, lineWidth: 1 }, timeseries.custom)).toEqual([]);
  });

  it('names what a panel does not read', () => {
    expect(unknownKeys({ legend: { placemnt: 'bottom' }, colour: 'red' }, timeseries.options)).toEqual([
      'legend.placemnt',
      'colour',
    ]);
    expect(unknownKeys({ fillOpacity: 10 }, stat.custom)).toEqual(['fillOpacity']);
  });
});
