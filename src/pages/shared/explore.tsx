import React, { useEffect, useState } from 'react';
import { locationUtil, type ScopedVars } from '@grafana/data';
import { t } from '@grafana/i18n';
import {
  getExploreURL,
  sceneGraph,
  type SceneComponentProps,
  type SceneObject,
  VizPanelExploreButton,
} from '@grafana/scenes';
import type { DataQuery } from '@grafana/schema';
import { LinkButton } from '@grafana/ui';

import { interpolatePromQL } from '../../promql/interpolate';
import type { PulseQuery } from '../../datasource/types';
import { PERMISSIONS, userCan } from '../../utils/permissions';

// Macros the Pulse backend expands; Explore must receive them as written, not the panel's browser-side values.
const BACKEND_MACROS = ['__interval', '__interval_ms', '__rate_interval', '__range', '__range_s', '__range_ms'];
const KEEP_MACROS: ScopedVars = Object.fromEntries(
  BACKEND_MACROS.map((name) => [name, { text: `$${name}`, value: `$${name}` }])
);

/**
 * The query as Explore needs it: the page's variables (data source, instance, …) replaced by their values,
 * rendered the way the data source renders them, because Explore has none of the page's variables.
 */
export function exploreQuery(query: DataQuery, scene: SceneObject): DataQuery {
  const pulse = query as PulseQuery;
  const uid = pulse.datasource?.uid;
  return {
    ...pulse,
    ...(uid && { datasource: { ...pulse.datasource, uid: sceneGraph.interpolate(scene, uid) } }),
    ...(pulse.expr !== undefined && {
      expr: interpolatePromQL(pulse.expr, (text, format) =>
        sceneGraph.interpolate(scene, text, KEEP_MACROS, (value) =>
          format(Array.isArray(value) ? value.map(String) : String(value))
        )
      ),
    }),
  } as DataQuery;
}

/**
 * scenes' Explore button, with two things Grafana's own Explore actions do: its href keeps the sub-path Grafana
 * may be served under (scenes builds `/explore?left=…` and hands it to LinkButton, a plain anchor, so a new tab
 * would leave Grafana), and it is shown only to users who may use Explore (`datasources:explore`; a Viewer may
 * not, unless Grafana lets viewers edit).
 */
export class PulseExploreButton extends VizPanelExploreButton {
  static Component = PulseExploreButtonRenderer;
}

function PulseExploreButtonRenderer({ model }: SceneComponentProps<PulseExploreButton>) {
  const { options } = model.useState();
  const { data } = sceneGraph.getData(model).useState();
  const { from, to } = sceneGraph.getTimeRange(model).useState();
  const allowed = userCan(PERMISSIONS.explore);
  const [url, setUrl] = useState('');
  useEffect(() => {
    let current = true;
    if (!allowed || !data) {
      return;
    }
    getExploreURL(data, model, { from, to }, options.transform).then((next) => current && setUrl(next));
    return () => {
      current = false;
    };
  }, [allowed, data, model, from, to, options.transform]);
  if (!allowed || !data || !url) {
    return null;
  }
  return (
    <LinkButton
      icon="compass"
      size="sm"
      variant="secondary"
      href={locationUtil.assureBaseUrl(url)}
      onClick={() => options.onClick?.()}
    >
      {/* scenes' own label and its translation ("탐색" in scenes' ko-KR), in the app's namespace */}
      {t('pages.shared.explore', 'Explore')}
    </LinkButton>
  );
}

/** The panel's "Explore" action: opens the panel's queries, variables filled in, in Explore. */
export function exploreAction(): VizPanelExploreButton {
  const button: PulseExploreButton = new PulseExploreButton({
    transform: (query) => exploreQuery(query, button),
  });
  return button;
}
