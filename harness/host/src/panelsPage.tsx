import { config } from '@grafana/runtime';
import {
  EmbeddedScene,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneTimeRange,
  VizPanel,
} from '@grafana/scenes';
import { useMemo } from 'react';
import { useLocation } from 'react-router-dom';

import { dataPanelIds } from './panels';

// /harness/panels: one VizPanel per harness stand-in, each fed by one query through the real data source (the
// plugin's DataSourceWithBackend → /api/ds/query → the backend binary → Prometheus), laid out by the host's
// @grafana/scenes — the same path a scenes-based app page takes to a core panel. A spec checks each draws its frames.

// Two targets, whatever else the stack scrapes: with a service per instrumentation profile, up has a dozen series,
// and which of them a legend or a table shows in its box depended on the ports they were given.
const UP = 'up{job=~"node|prometheus"}';
const HISTOGRAM = 'sum by (le) (increase(prometheus_http_request_duration_seconds_bucket[$__rate_interval]))';

/** The query each stand-in gets (exported so the page and the spec agree on what is shown). */
export const panelQueries: Record<
  string,
  { expr: string; format: 'time_series' | 'table' | 'heatmap'; instant?: boolean }
> = {
  timeseries: { expr: UP, format: 'time_series' },
  stat: { expr: UP, format: 'time_series' },
  gauge: { expr: UP, format: 'time_series' },
  bargauge: { expr: UP, format: 'time_series' },
  table: { expr: UP, format: 'table', instant: true },
  heatmap: { expr: HISTOGRAM, format: 'heatmap' },
};

function buildScene(from: string) {
  const ds = config.datasources[config.defaultDatasource];
  const datasource = { uid: ds.uid, type: ds.type };
  const missing = dataPanelIds.filter((id) => !panelQueries[id]);
  if (missing.length) {
    // A stand-in added without a query here would go unchecked.
    throw new Error(`harness: /harness/panels has no query for the stand-in(s) ${missing.join(', ')}`);
  }
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from, to: 'now' }),
    body: new SceneFlexLayout({
      direction: 'row',
      wrap: 'wrap',
      children: dataPanelIds.map((id) => {
        const q = panelQueries[id];
        return new SceneFlexItem({
          minWidth: 420,
          height: 300,
          body: new VizPanel({
            pluginId: id,
            title: `${id} · ${q.expr.length > 40 ? q.expr.slice(0, 40) + '…' : q.expr} (${q.format})`,
            $data: new SceneQueryRunner({
              datasource,
              maxDataPoints: 200,
              queries: [
                {
                  refId: 'A',
                  datasource,
                  expr: q.expr,
                  format: q.format,
                  range: !q.instant,
                  instant: !!q.instant,
                  editorMode: 'code',
                },
              ],
            }),
          }),
        });
      }),
    }),
  });
}

export function PanelsPage() {
  const from = new URLSearchParams(useLocation().search).get('from') ?? 'now-5m';
  const scene = useMemo(() => buildScene(from), [from]);
  return (
    <div data-testid="harness-panels">
      <h1 style={{ fontSize: 22, marginBottom: 16 }}>Stand-in panels · one query each through the real data source</h1>
      <scene.Component model={scene} />
    </div>
  );
}
