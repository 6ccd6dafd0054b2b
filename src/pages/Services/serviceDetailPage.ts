import { t } from '@grafana/i18n';
import { type SceneAppPageLike, SceneAppPage, SceneFlexItem, SceneFlexLayout, type SceneObject } from '@grafana/scenes';

import type { PageSettings } from '../../components/App/App';
import { initialMetricNames, pulsePageScene } from '../shared';
import { SERVICE_URL_KEYS, serviceUrl } from './serviceLinks';
import { serviceEventLayers } from './serviceEvents';
import { errorPanels, heatmapPanels, operationsTable, redPanels, runtimePanels } from './servicePanels';
import { ServicePlacement } from './ServicePlacement';
import { renderWithServiceProfile } from './serviceProfile';
import { SLO_URL_KEYS, sloRows, sloVariables } from './serviceSlo';
import { renderVariablesWithDataSourceMetricNames, serviceVariables } from './serviceVariables';

const GRAPH_HEIGHT = 280;
const TABLE_HEIGHT = 320;

/** A row of panels side by side, each given the same share of the width. */
function row(panels: SceneObject[], height = GRAPH_HEIGHT): SceneFlexItem {
  return new SceneFlexItem({
    minHeight: height,
    body: new SceneFlexLayout({
      direction: 'row',
      children: panels.map((body) => new SceneFlexItem({ minWidth: 280, body })),
    }),
  });
}

export function serviceScene(settings: PageSettings, service: string) {
  const names = initialMetricNames(settings.defaultDataSourceUid);
  const [cpu, memory, eventLoop, gc, handles, restarts] = runtimePanels(service, names);
  const scene = pulsePageScene({
    defaultDataSourceUid: settings.defaultDataSourceUid,
    variables: [...serviceVariables(service, names), ...sloVariables(names)],
    annotations: serviceEventLayers(service, names),
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({ body: new ServicePlacement({ service }) }),
        row(redPanels(service, names)),
        ...sloRows(service, names),
        row(heatmapPanels(service, names)),
        row(errorPanels(service, names)),
        new SceneFlexItem({ minHeight: TABLE_HEIGHT, body: operationsTable(service, names) }),
        row([cpu, memory, eventLoop]),
        row([gc, handles, restarts]),
      ],
    }),
  });
  scene.setState({
    $behaviors: [
      ...(scene.state.$behaviors ?? []),
      renderVariablesWithDataSourceMetricNames(service),
      renderWithServiceProfile(service),
    ],
  });
  return scene;
}

/** The page of one service, below the services list (`services/<name>`); its title is the service name. */
export function getServiceDetailPage(settings: PageSettings, service: string, parent: SceneAppPageLike): SceneAppPage {
  return new SceneAppPage({
    title: service,
    subTitle: t(
      'pages.service.subtitle',
      'Requests, errors and latency of the service, its operations and its Node.js runtime, with deploys and restarts marked.'
    ),
    url: serviceUrl(service),
    routePath: ':service',
    getParentPage: () => parent,
    preserveUrlKeys: [...SERVICE_URL_KEYS, ...SLO_URL_KEYS],
    getScene: () => serviceScene(settings, service),
  });
}
