import {
  FieldColorModeId,
  GAUGE_DEFAULT_MAXIMUM,
  GAUGE_DEFAULT_MINIMUM,
  getDisplayProcessor,
  ThresholdsMode,
  formattedValueToString,
  FieldType,
  getFieldDisplayValues,
  PanelPlugin,
  PluginType,
  type DataFrame,
  type PanelProps,
} from '@grafana/data';
import { BarGauge, BigValue, Table, TimeSeries, useTheme2 } from '@grafana/ui';
import {
  AxisColorMode,
  AxisPlacement,
  BarAlignment,
  BarGaugeDisplayMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphDrawStyle,
  GraphGradientMode,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LineInterpolation,
  ScaleDistribution,
  StackingMode,
  VisibilityMode,
  VizOrientation,
  type GraphFieldConfig,
} from '@grafana/schema';
import { useMemo, type ReactNode } from 'react';

// Stand-ins for Grafana's core panels, built from @grafana/ui components. Grafana's real panels are not on npm;
// a stand-in shows that a panel gets the right data in the right shape, not how Grafana draws it (options and
// overrides are not exercised). Each is visibly labelled.

function StandIn({
  id,
  width,
  height,
  frames,
  children,
}: {
  id: string;
  width: number;
  height: number;
  /** How many frames the panel got (data-frames, for the specs). */
  frames: number;
  children: (w: number, h: number) => ReactNode;
}) {
  const theme = useTheme2();
  const label = 18;
  return (
    <div
      data-testid={`harness-standin-${id}`}
      data-frames={frames}
      style={{ width, height, position: 'relative', overflow: 'hidden' }}
    >
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

/** As Grafana's PanelDataErrorView: the panel's own no-value text (fieldConfig.defaults.noValue), else "No data". */
function NoData({ fieldConfig }: { fieldConfig?: PanelProps['fieldConfig'] }) {
  return (
    <div data-testid="harness-standin-no-data" style={{ padding: 8, opacity: 0.7, whiteSpace: 'pre-wrap' }}>
      {fieldConfig?.defaults.noValue ?? 'No data'}
    </div>
  );
}

const graphable = (frames: DataFrame[]) =>
  frames.filter(
    (f) => f.fields.some((x) => x.type === FieldType.time) && f.fields.some((x) => x.type === FieldType.number)
  );

/**
 * The field config defaults of Grafana's timeseries panel (its `defaultGraphConfig` and the palette-classic colour
 * of its standard options). Grafana fills them in from the panel plugin's field config registry; the stand-in has
 * no such registry, and @grafana/ui's TimeSeries draws nothing without a draw style, so it fills in whatever the
 * panel's own field config leaves unset.
 */
export const timeSeriesCustomDefaults: GraphFieldConfig = {
  drawStyle: GraphDrawStyle.Line,
  lineInterpolation: LineInterpolation.Linear,
  lineWidth: 1,
  fillOpacity: 0,
  gradientMode: GraphGradientMode.None,
  barAlignment: BarAlignment.Center,
  barWidthFactor: 0.6,
  stacking: { mode: StackingMode.None, group: 'A' },
  axisPlacement: AxisPlacement.Auto,
  axisColorMode: AxisColorMode.Text,
  axisBorderShow: false,
  axisCenteredZero: false,
  showPoints: VisibilityMode.Auto,
  pointSize: 5,
  scaleDistribution: { type: ScaleDistribution.Linear },
  spanNulls: false,
  insertNulls: false,
  lineStyle: { fill: 'solid' },
  thresholdsStyle: { mode: GraphThresholdsStyleMode.Off },
  hideFrom: { legend: false, tooltip: false, viz: false },
};

export function withTimeSeriesDefaults(frames: DataFrame[]): DataFrame[] {
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) => ({
      ...field,
      config: {
        ...field.config,
        color: field.config.color ?? { mode: FieldColorModeId.PaletteClassic },
        custom: { ...timeSeriesCustomDefaults, ...field.config.custom },
      },
    })),
  }));
}

export function TimeSeriesStandIn({ data, width, height, timeRange, timeZone, fieldConfig }: PanelProps) {
  const frames = useMemo(() => withTimeSeriesDefaults(graphable(data.series)), [data.series]);
  return (
    <StandIn id="timeseries" width={width} height={height} frames={data.series.length}>
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
          <NoData fieldConfig={fieldConfig} />
        )
      }
    </StandIn>
  );
}

export function TableStandIn({ data, width, height, fieldConfig }: PanelProps) {
  // As Grafana: frames without rows are no data, and the panel says its no-value text.
  const frame = data.series.find((f) => f.length > 0);
  return (
    <StandIn id="table" width={width} height={height} frames={data.series.length}>
      {(w, h) => (frame ? <Table data={frame} width={w} height={h} /> : <NoData fieldConfig={fieldConfig} />)}
    </StandIn>
  );
}

/**
 * The defaults of Grafana's standard field options (its core registers them at startup; they are not on npm):
 * thresholds base green / red at 80, colour by thresholds. BarGauge cannot draw without thresholds.
 */
const standardDefaults = {
  thresholds: {
    mode: ThresholdsMode.Absolute,
    steps: [
      { value: -Infinity, color: 'green' },
      { value: 80, color: 'red' },
    ],
  },
  color: { mode: FieldColorModeId.Thresholds },
};

function useDisplayValues(props: PanelProps) {
  const theme = useTheme2();
  const data = props.data.series.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) => {
      if (field.type !== FieldType.number || (field.config.thresholds && field.config.color)) {
        return field;
      }
      const config = {
        ...field.config,
        thresholds: field.config.thresholds ?? standardDefaults.thresholds,
        color: field.config.color ?? standardDefaults.color,
      };
      const withDefaults = { ...field, config };
      return {
        ...withDefaults,
        display: getDisplayProcessor({ field: withDefaults, theme, timeZone: props.timeZone }),
      };
    }),
  }));
  return getFieldDisplayValues({
    fieldConfig: props.fieldConfig,
    reduceOptions: { calcs: ['lastNotNull'], values: false },
    replaceVariables: props.replaceVariables,
    theme,
    data,
    timeZone: props.timeZone,
  }).filter((v) => v.field.type !== FieldType.time);
}

function Grid({
  count,
  width,
  height,
  children,
}: {
  count: number;
  width: number;
  height: number;
  children: (i: number, w: number, h: number) => ReactNode;
}) {
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

/** As Grafana's stat: `auto` shows the series name only when there are several values. */
function statTextMode(mode: BigValueTextMode | undefined, count: number): BigValueTextMode {
  if (!mode || mode === BigValueTextMode.Auto) {
    return count > 1 ? BigValueTextMode.ValueAndName : BigValueTextMode.Value;
  }
  return mode;
}

export function StatStandIn(props: PanelProps<{ textMode?: BigValueTextMode }>) {
  const values = useDisplayValues(props);
  const theme = useTheme2();
  return (
    <StandIn id="stat" width={props.width} height={props.height} frames={props.data.series.length}>
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
                textMode={statTextMode(props.options?.textMode, values.length)}
              />
            )}
          </Grid>
        ) : (
          <NoData fieldConfig={props.fieldConfig} />
        )
      }
    </StandIn>
  );
}

// @grafana/ui's Gauge draws through jQuery flot and Grafana's vendored flot gauge plugin (public/vendor/flot), which
// are not on npm; this stand-in draws the arc itself (SVG) from the same display values (value, min/max, colour).
function Arc({ fraction, color, size, text }: { fraction: number; color: string; size: number; text: string }) {
  const theme = useTheme2();
  const r = size / 2 - 10;
  const c = size / 2;
  const start = Math.PI * 0.75;
  const sweep = Math.PI * 1.5;
  const point = (a: number) => `${c + r * Math.cos(a)} ${c + r * Math.sin(a)}`;
  const arc = (from: number, to: number) =>
    `M ${point(from)} A ${r} ${r} 0 ${to - from > Math.PI ? 1 : 0} 1 ${point(to)}`;
  const f = Math.min(1, Math.max(0, fraction));
  return (
    <svg width={size} height={size} data-testid="harness-gauge-arc" data-fraction={f.toFixed(3)}>
      <path d={arc(start, start + sweep)} stroke={theme.colors.background.secondary} strokeWidth={12} fill="none" />
      {f > 0 && <path d={arc(start, start + sweep * Math.max(f, 0.001))} stroke={color} strokeWidth={12} fill="none" />}
      <text x={c} y={c + 8} textAnchor="middle" fontSize={Math.max(14, size / 6)} fill={color}>
        {text}
      </text>
    </svg>
  );
}

export function GaugeStandIn(props: PanelProps) {
  const values = useDisplayValues(props);
  return (
    <StandIn id="gauge" width={props.width} height={props.height} frames={props.data.series.length}>
      {(w, h) =>
        values.length ? (
          <Grid count={values.length} width={w} height={h}>
            {(i, cw, ch) => {
              const v = values[i];
              // As @grafana/ui's Gauge: 0–100 unless the field (or the data's range) says otherwise.
              const min = v.field.min ?? GAUGE_DEFAULT_MINIMUM;
              const max = v.field.max ?? GAUGE_DEFAULT_MAXIMUM;
              const numeric = v.display.numeric;
              return (
                <div style={{ textAlign: 'center', fontSize: 11 }}>
                  <Arc
                    fraction={max > min ? (numeric - min) / (max - min) : numeric >= max ? 1 : 0}
                    color={v.display.color ?? 'gray'}
                    size={Math.max(40, Math.min(cw, ch - 16))}
                    text={formattedValueToString(v.display)}
                  />
                  <div>{v.display.title}</div>
                </div>
              );
            }}
          </Grid>
        ) : (
          <NoData fieldConfig={props.fieldConfig} />
        )
      }
    </StandIn>
  );
}

export function BarGaugeStandIn(props: PanelProps) {
  const values = useDisplayValues(props);
  const theme = useTheme2();
  return (
    <StandIn id="bargauge" width={props.width} height={props.height} frames={props.data.series.length}>
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
          <NoData fieldConfig={props.fieldConfig} />
        )
      }
    </StandIn>
  );
}

// A simple grid of bucket cells with counts: one row per numeric field (bucket, named by its `le` label or name),
// one column per time step (the last ones that fit).
export function HeatmapStandIn({ data, width, height, fieldConfig }: PanelProps) {
  const theme = useTheme2();
  const buckets: Array<{ name: string; values: number[]; times: number[] }> = [];
  for (const frame of data.series) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) {
        continue;
      }
      const name = field.labels?.le ?? field.config.displayNameFromDS ?? field.name;
      buckets.push({
        name,
        values: Array.from(field.values as number[]),
        times: time ? Array.from(time.values as number[]) : [],
      });
    }
  }
  const num = (s: string) => (s === '+Inf' ? Infinity : parseFloat(s));
  buckets.sort((a, b) => num(b.name) - num(a.name));
  const max = Math.max(1, ...buckets.flatMap((b) => b.values.filter((v) => Number.isFinite(v))));
  return (
    <StandIn id="heatmap" width={width} height={height} frames={data.series.length}>
      {(w, h) => {
        if (!buckets.length) {
          return <NoData fieldConfig={fieldConfig} />;
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
                    data-testid="harness-heatmap-cell"
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

/** Grafana's text panel renders `options.content` as markdown; the stand-in shows the text as written. */
export function TextStandIn({ options, width, height }: PanelProps<{ content?: string }>) {
  return (
    <StandIn id="text" width={width} height={height} frames={0}>
      {() => (
        <div data-testid="harness-standin-text" style={{ padding: 8, whiteSpace: 'pre-wrap' }}>
          {options.content ?? ''}
        </div>
      )}
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
  text: { name: 'Text', component: TextStandIn },
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
/** The stand-ins that draw query data (the text panel takes none). */
export const dataPanelIds = panelIds.filter((id) => id !== 'text');
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
  // Like Grafana's core panels, the stand-ins take the standard field options (units, thresholds, links, …).
  const plugin = new PanelPlugin(standIn.component).useFieldConfig();

  plugin.meta = panelMeta(id);
  cache.set(id, plugin);
  return plugin;
}
