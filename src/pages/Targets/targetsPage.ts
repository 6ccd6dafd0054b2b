import { ThresholdsMode } from '@grafana/data';
import { t } from '@grafana/i18n';
import { QueryVariable, SceneAppPage, SceneFlexItem, SceneFlexLayout } from '@grafana/scenes';
import { VariableRefresh } from '@grafana/schema';

import type { PageSettings } from '../../components/App/App';
import { ROUTES } from '../../constants';
import { targetJobVariableQuery } from '../../signals';
import { prefixRoute } from '../../utils/utils.routing';
import { PULSE_DATA_SOURCE, panelRow, pulsePageScene, signalPanel } from '../shared';
import { TargetsTable } from './TargetsTable';

const JOB = { job: '$job' };
const GRAPH_HEIGHT = 260;

function jobVariable(): QueryVariable {
  return new QueryVariable({
    name: 'job',
    label: t('pages.targets.variables.job', 'Job'),
    datasource: PULSE_DATA_SOURCE,
    query: targetJobVariableQuery(),
    isMulti: true,
    includeAll: true,
    defaultToAll: true,
    refresh: VariableRefresh.onTimeRangeChanged,
  });
}

function graphs(): SceneFlexItem {
  const panels = [
    signalPanel('target.up', JOB, {
      title: t('pages.targets.panels.up', 'Up'),
      description: t(
        'pages.targets.panels.up-description',
        'up: 1 when the scrape of a target succeeded, 0 when it failed. A target that drops to 0 has a diagnosis in the table above.'
      ),
      thresholds: {
        mode: ThresholdsMode.Absolute,
        steps: [
          { value: -Infinity, color: 'red' },
          { value: 1, color: 'green' },
        ],
      },
      min: 0,
      max: 1,
    }),
    signalPanel('target.scrape.duration', JOB, {
      title: t('pages.targets.panels.duration', 'Scrape duration'),
      description: t(
        'pages.targets.panels.duration-description',
        'Close to the scrape timeout (10 s by default), scrapes start to fail.'
      ),
    }),
    signalPanel('target.scrape.samples', JOB, {
      title: t('pages.targets.panels.samples', 'Samples per scrape'),
      description: t(
        'pages.targets.panels.samples-description',
        'A sudden jump usually means a label with too many values (a user id or URL in a label).'
      ),
    }),
  ];
  return panelRow(panels, { height: GRAPH_HEIGHT, minWidth: 300 });
}

function targetsScene(settings: PageSettings) {
  return pulsePageScene({
    defaultDataSourceUid: settings.defaultDataSourceUid,
    variables: [jobVariable()],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body: new TargetsTable() }), graphs()],
    }),
  });
}

/** Built at render time (not module load) so its texts go through the initialised translations. */
export function getTargetsPage(settings: PageSettings): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.targets.title', 'Targets'),
    subTitle: t(
      'pages.targets.subtitle',
      'Every target Prometheus scrapes, whether the last scrape worked, and why not.'
    ),
    url: prefixRoute(ROUTES.Targets),
    routePath: `${ROUTES.Targets}/*`,
    getScene: () => targetsScene(settings),
  });
}
