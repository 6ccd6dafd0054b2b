import React from 'react';
import type { TimeRange } from '@grafana/data';
import { t } from '@grafana/i18n';
import type { SceneComponentProps, VizPanel } from '@grafana/scenes';
import { LoadingPlaceholder, PanelChrome, Text } from '@grafana/ui';

import { type PulseDataSource, resourceRange } from '../../datasource/datasource';
import { type Loaded, type ResourceObjectState, ResourceObject } from './resourceObject';

export interface RequiredMetricState extends ResourceObjectState<boolean> {
  /** The metric the panel's query reads. */
  metric: string;
  panel: VizPanel;
  /** What to install or configure to get the metric, shown instead of the panel while it is missing. */
  howToGetIt: string;
}

/**
 * A panel that needs a metric not every exporter version has (e.g. PostgreSQL uptime). Whether Prometheus has
 * it in the time range is read from the data source's metric names: with it the panel is drawn, without it a
 * text in the panel's place says what is needed, rather than an empty graph. If the names cannot be read, the
 * panel is drawn and its own empty state speaks.
 */
export class RequiredMetricPanel extends ResourceObject<boolean, RequiredMetricState> {
  static Component = RequiredMetricRenderer;

  constructor(state: Omit<RequiredMetricState, 'loaded'>) {
    super({ ...state, loaded: { phase: 'loading' } });
  }

  protected async read(dataSource: PulseDataSource, range: TimeRange): Promise<boolean> {
    const { metrics } = await dataSource.getMetrics(resourceRange(range));
    return metrics.some((m) => m.name === this.state.metric);
  }
}

/** What takes the panel's place: nothing yet, the explanation, or the panel itself (also when unsure). */
export function requiredMetricView(loaded: Loaded<boolean>): 'checking' | 'explanation' | 'panel' {
  if (loaded.phase === 'loading') {
    return 'checking';
  }
  return loaded.phase === 'done' && !loaded.value ? 'explanation' : 'panel';
}

function RequiredMetricRenderer({ model }: SceneComponentProps<RequiredMetricPanel>) {
  const { loaded, panel, metric, howToGetIt } = model.useState();
  const view = requiredMetricView(loaded);
  if (view === 'checking') {
    return <LoadingPlaceholder text={t('pages.required-metric.checking', 'Looking for {{metric}}…', { metric })} />;
  }
  if (view === 'explanation') {
    return (
      <PanelChrome title={panel.state.title}>
        <div data-testid="required-metric-missing">
          <Text element="p" weight="medium">
            {t('pages.required-metric.missing', 'Prometheus has no {{metric}} in this time range.', { metric })}
          </Text>
          <Text element="p" color="secondary">
            {howToGetIt}
          </Text>
        </div>
      </PanelChrome>
    );
  }
  return <panel.Component model={panel} />;
}
