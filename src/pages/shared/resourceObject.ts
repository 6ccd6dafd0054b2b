import type { TimeRange } from '@grafana/data';
import { t } from '@grafana/i18n';
import { getDataSourceSrv } from '@grafana/runtime';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneObject,
  type SceneObjectState,
  VariableDependencyConfig,
} from '@grafana/scenes';

import { PULSE_DATASOURCE_TYPE } from '../../constants';
import type { PulseDataSource } from '../../datasource/datasource';
import { DATA_SOURCE_VARIABLE, PULSE_DATA_SOURCE } from './dataSource';

/** A backend resource as a scene object sees it: being read, read, or failed with the backend's message. */
export type Loaded<T> = { phase: 'loading' } | { phase: 'done'; value: T } | { phase: 'failed'; message: string };

export interface ResourceObjectState<T> extends SceneObjectState {
  loaded: Loaded<T>;
}

/** The Pulse data source the page's data source variable holds. */
export async function pulseDataSourceOf(scene: SceneObject): Promise<PulseDataSource> {
  const uid = sceneGraph.interpolate(scene, PULSE_DATA_SOURCE.uid);
  const dataSource = await getDataSourceSrv().get({ ...PULSE_DATA_SOURCE, uid });
  // Without a Pulse data source the lookup falls back to Grafana's default one, which has none of these resources.
  if (dataSource.type !== PULSE_DATASOURCE_TYPE) {
    throw new Error(
      t('pages.resources.no-datasource', 'Choose a Pulse data source: this part of the page reads its resources.')
    );
  }
  return dataSource as unknown as PulseDataSource;
}

function messageOf(error: unknown): string {
  const data = (error as { data?: { message?: string } } | undefined)?.data;
  if (data?.message) {
    return data.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * A scene object that shows something read from the Pulse data source's resources (targets, exporters, metric
 * names) rather than a query: it reads on activation, when the data source variable changes and when the time
 * range changes, which is also what the refresh picker does.
 */
export abstract class ResourceObject<T, S extends ResourceObjectState<T>> extends SceneObjectBase<S> {
  // Called when the data source variable changes, and when it finishes loading if activation had to wait.
  protected _variableDependency = new VariableDependencyConfig(this, {
    variableNames: [DATA_SOURCE_VARIABLE],
    onVariableUpdateCompleted: () => this.reload(),
  });

  // Answers can arrive out of order; only the latest request may set the state.
  private request = 0;

  constructor(state: S) {
    super(state);
    this.addActivationHandler(() => {
      // As the query runners do: while the data source variable is still loading, its completion reads.
      if (!this._variableDependency.hasDependencyInLoadingState()) {
        this.reload();
      }
      const sub = sceneGraph.getTimeRange(this).subscribeToState(() => this.reload());
      return () => sub.unsubscribe();
    });
  }

  /** Reads the resource from the chosen data source for the time range. */
  protected abstract read(dataSource: PulseDataSource, range: TimeRange): Promise<T>;

  /** Reads again; what was shown stays until the new answer comes, so a refresh does not flicker. */
  async reload(): Promise<void> {
    const request = ++this.request;
    if (this.state.loaded.phase === 'failed') {
      this.setState({ loaded: { phase: 'loading' } } as Partial<S>);
    }
    let loaded: Loaded<T>;
    try {
      const dataSource = await pulseDataSourceOf(this);
      loaded = { phase: 'done', value: await this.read(dataSource, sceneGraph.getTimeRange(this).state.value) };
    } catch (error) {
      loaded = { phase: 'failed', message: messageOf(error) };
    }
    if (request === this.request) {
      this.setState({ loaded } as Partial<S>);
    }
  }
}
