import {
  FieldType,
  getFieldDisplayValues,
  PanelPlugin,
  PluginType,
  type DataFrame,
  type PanelProps,
} from '@grafana/data';
import { BarGauge, BigValue, Gauge, Table, TimeSeries, useTheme2 } from '@grafana/ui';
import { BarGaugeDisplayMode, BigValueColorMode, BigValueGraphMode, LegendDisplayMode, VizOrientation } from '@grafana/schema';
import type { ReactNode } from 'react';

// Stand-ins for Grafana's core panels, built from @grafana/ui components. Grafana's real panels are not on npm;
// a stand-in shows that a panel gets the right data in the right shape, not how Grafana draws it (options and
// overrides are not exercised). Each is visibly labelled.

function StandIn({ id, width, height, children }: { id: string; width: number; height: number; children: (w: number, h: number) => ReactNode }) {
  const theme = useTheme2();
  const label = 18;
  return (
    <div data-testid={`harness-standin-${id}`} style={{ width, height, position: 'relative', overflow: 'hidden' }}>
      <div
        style={{
          height: label,
          fontSize: 11,
          lineHeight: `${label}px`,
          color: theme.colors.warning.text,
          borderBottom: `1px dashed ${theme.colors.warning.border}`,
        }}
      >
        harness stand-in · {id}
      </div>
      {children(width, Math.max(0, height - label))}
    </div>
  );
}

function NoData() {
  return <div style={{ padding: 8, opacity: 0.7 }}>No data</div>;
}

const graphable = (frames: DataFrame[]) =>
  frames.filter((f) => f.fields.some((x) => x.type === FieldType.time) && f.fields.some((x) => x.type === FieldType.number));

export function TimeSeriesStandIn({ data, width, height, timeRange, timeZone }: PanelProps) {
  const frames = graphable(data.series);
  return (
    <StandIn id="timeseries" width={width} height={height}>
      {(w, h) =>
        frames.length ? (
          <TimeSeries
            frames={frames}
            structureRev={data.structureRev}
            width={w}
            height={h}
            timeRange={timeRange}
            timeZone={timeZone}
            legend={{ showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] }}
            options={{ tooltip: { mode: 'single', sort: 'none' } }}
          />
        ) : (
          <NoData />
        )
      }
    </StandIn>
  );
}

export function TableStandIn({ data, width, height }: PanelProps) {
  const frame = data.series[0];
  return (
    <StandIn id="table" width={width} height={height}>
      {(w, h) => (frame ? <Table data={frame} width={w} height={h} /> : <NoData />)}
    </StandIn>
  );
}

function useDisplayValues(props: PanelProps) {
  const theme = useTheme2();
  return getFieldDisplayValues({
    fieldConfig: props.fieldConfig,
    reduceOptions: { calcs: ['lastNotNull'], values: false },
    replaceVariables: props.replaceVariables,
    theme,
    data: props.data.series,
    timeZone: props.timeZone,
  }).filter((v) => v.field.type !== FieldType.time);
}

function Grid({ count, width, height, children }: { count: number; width: number; height: number; children: (i: number, w: number, h: number) => ReactNode }) {
  const cols = Math.max(1, Math.min(count, Math.floor(width / 140) || 1));
  const rows = Math.ceil(count / cols);
  const w = Math.floor(width / cols);
  const h = Math.floor(height / Math.max(rows, 1));
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap' }}>
      {Array.from({ length: count }, (_, i) => (
        <div key={i} style={{ width: w, height: h }}>
          {children(i, w, h)}
        </div>
      ))}
    </div>
  );
}

export function StatStandIn(props: PanelProps) {
  const values = useDisplayValues(props);
  const theme = useTheme2();
  return (
    <StandIn id="stat" width={props.width} height={props.height}>
      {(w, h) =>
        values.length ? (
          <Grid count={values.length} width={w} height={h}>
            {(i, cw, ch) => (
              <BigValue
                value={values[i].display}
                width={cw}
                height={ch}
                theme={theme}
                colorMode={BigValueColorMode.Value}
                graphMode={BigValueGraphMode.None}
              />
            )}
          </Grid>
        ) : (
          <NoData />
        )
      }
    </StandIn>
  );
}

export function GaugeStandIn(props: PanelProps) {
  const values = useDisplayValues(props);
  const theme = useTheme2();
  return (
    <StandIn id="gauge" width={props.width} height={props.height}>
      {(w, h) =>
        values.length ? (
          <Grid count={values.length} width={w} height={h}>
            {(i, cw, ch) => (
              <Gauge
                value={values[i].display}
                field={values[i].field}
                width={cw}
                height={ch}
                theme={theme}
                showThresholdLabels={false}
                showThresholdMarkers={true}
              />
            )}
          </Grid>
        ) : (
          <NoData />
        )
      }
    </StandIn>
  );
}

export function BarGaugeStandIn(props: PanelProps) {
  const values = useDisplayValues(props);
  const theme = useTheme2();
  return (
    <StandIn id="bargauge" width={props.width} height={props.height}>
      {(w, h) =>
        values.length ? (
          <div>
            {values.map((v, i) => (
              <BarGauge
                key={i}
                value={v.display}
                field={v.field}
                width={w}
                height={Math.max(24, Math.min(48, Math.floor(h / values.length)))}
                theme={theme}
                orientation={VizOrientation.Horizontal}
                displayMode={BarGaugeDisplayMode.Gradient}
                isOverflow={false}
              />
            ))}
          </div>
        ) : (
          <NoData />
        )
      }
    </StandIn>
  );
}

// A simple grid of bucket cells with counts: one row per numeric field (bucket, named by its `le` label or name),
// one column per time step (the last ones that fit).
export function HeatmapStandIn({ data, width, height }: PanelProps) {
  const theme = useTheme2();
  const buckets: Array<{ name: string; values: number[]; times: number[] }> = [];
  for (const frame of data.series) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) {
        continue;
      }
      const name = field.labels?.le ?? field.config.displayNameFromDS ?? field.name;
      buckets.push({ name, values: Array.from(field.values as number[]), times: time ? Array.from(time.values as number[]) : [] });
    }
  }
  const num = (s: string) => (s === '+Inf' ? Infinity : parseFloat(s));
  buckets.sort((a, b) => num(b.name) - num(a.name));
  const max = Math.max(1, ...buckets.flatMap((b) => b.values.filter((v) => Number.isFinite(v))));
  return (
    <StandIn id="heatmap" width={width} height={height}>
      {(w, h) => {
        if (!buckets.length) {
          return <NoData />;
        }
        const labelW = 60;
        const cols = Math.max(1, Math.min(40, Math.floor((w - labelW) / 28)));
        const cellH = Math.max(12, Math.floor(h / buckets.length) - 1);
        return (
          <div style={{ fontSize: 10 }}>
            {buckets.map((b) => (
              <div key={b.name} style={{ display: 'flex', height: cellH }}>
                <div style={{ width: labelW, textAlign: 'right', paddingRight: 4 }}>{b.name}</div>
                {b.values.slice(-cols).map((v, i) => (
                  <div
                    key={i}
                    title={String(v)}
                    style={{
                      flex: 1,
                      margin: '0 1px 1px 0',
                      background: theme.visualization.getColorByName('orange'),
                      opacity: Number.isFinite(v) ? 0.15 + (0.85 * v) / max : 0.05,
                      textAlign: 'center',
                      overflow: 'hidden',
                    }}
                  >
                    {Number.isFinite(v) ? Math.round(v) : ''}
                  </div>
                ))}
              </div>
            ))}
          </div>
        );
      }}
    </StandIn>
  );
}

const standIns: Record<string, { name: string; component: any }> = {
  timeseries: { name: 'Time series', component: TimeSeriesStandIn },
  stat: { name: 'Stat', component: StatStandIn },
  table: { name: 'Table', component: TableStandIn },
  bargauge: { name: 'Bar gauge', component: BarGaugeStandIn },
  gauge: { name: 'Gauge', component: GaugeStandIn },
  heatmap: { name: 'Heatmap', component: HeatmapStandIn },
};

export function panelMeta(id: string) {
  return {
    id,
    name: `${standIns[id].name} (harness stand-in)`,
    type: PluginType.panel,
    module: `core:plugin/${id}`,
    baseUrl: '',
    sort: 0,
    skipDataQuery: false,
    hideFromList: false,
    info: {
      author: { name: 'harness' },
      description: 'harness stand-in',
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: '',
    },
  } as any;
}

export const panelIds = Object.keys(standIns);
const cache = new Map<string, PanelPlugin>();

export function getPanelPluginFromCache(id: string): PanelPlugin | undefined {
  return cache.get(id);
}

export async function importPanelPlugin(id: string): Promise<PanelPlugin> {
  const cached = cache.get(id);
  if (cached) {
    return cached;
  }
  const standIn = standIns[id];
  if (!standIn) {
    const message = `harness: no stand-in for panel plugin "${id}" (stand-ins: ${panelIds.join(', ')})`;
    console.error(message);
    throw new Error(message);
  }
  const plugin = new PanelPlugin(standIn.component);
  plugin.meta = panelMeta(id);
  cache.set(id, plugin);
  return plugin;
}
