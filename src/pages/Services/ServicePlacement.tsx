import React from 'react';
import { type TimeRange, type UrlQueryMap, urlUtil } from '@grafana/data';
import { t } from '@grafana/i18n';
import { MultiValueVariable, sceneGraph, type SceneComponentProps, type SceneObject } from '@grafana/scenes';
import { Alert, Stack, Text, TextLink } from '@grafana/ui';

import { ROUTES } from '../../constants';
import { type PulseDataSource, resourceRange } from '../../datasource/datasource';
import type { CatalogResponse } from '../../datasource/catalog';
import { prefixRoute } from '../../utils/utils.routing';
import { hostDetailUrl } from '../Hosts/hostLink';
import { DATA_SOURCE_VARIABLE } from '../shared';
import { ResourceObject, type ResourceObjectState } from '../shared/resourceObject';
import { placements, type Placement } from './placement';

export const INSTANCE_VARIABLE = 'instance';

interface ServicePlacementState extends ResourceObjectState<CatalogResponse> {
  service: string;
}

/** The chosen instances of the page's instance variable; none for All (every instance of the service). */
function chosenInstances(scene: SceneObject): string[] {
  const variable = sceneGraph.lookupVariable(INSTANCE_VARIABLE, scene);
  if (!(variable instanceof MultiValueVariable)) {
    return [];
  }
  if (variable.hasAllValue()) {
    return [];
  }
  const value = variable.getValue();
  return (Array.isArray(value) ? value : [value]).map(String).filter((v) => v !== '');
}

/** Query parameters that keep the page's data source and time range on the linked page. */
function keptParams(scene: SceneObject): UrlQueryMap {
  const { from, to } = sceneGraph.getTimeRange(scene).urlSync?.getUrlState() ?? {};
  return { [`var-${DATA_SOURCE_VARIABLE}`]: sceneGraph.interpolate(scene, `\${${DATA_SOURCE_VARIABLE}}`), from, to };
}

/**
 * Links from the chosen instances of a service to the host and the container that run them, matched from the
 * data source's catalog (see placements for what is matched). Reads the catalog of the page's time range.
 */
export class ServicePlacement extends ResourceObject<CatalogResponse, ServicePlacementState> {
  static Component = ServicePlacementRenderer;

  constructor(state: Pick<ServicePlacementState, 'service'>) {
    super({ ...state, loaded: { phase: 'loading' } });
  }

  protected read(dataSource: PulseDataSource, range: TimeRange): Promise<CatalogResponse> {
    return dataSource.getCatalog(resourceRange(range));
  }
}

function PlacementLine({ placement, params }: { placement: Placement; params: UrlQueryMap }) {
  const containersUrl = prefixRoute(ROUTES.Containers);
  return (
    <Stack direction="row" gap={2} wrap="wrap" alignItems="center">
      <Text weight="medium">{placement.instance}</Text>
      {placement.hosts.map((host) => (
        <TextLink key={host.instance} href={urlUtil.renderUrl(hostDetailUrl(host.instance), params)} inline={false}>
          {t('pages.service.placement.host', 'Host {{host}}', { host: host.nodename || host.instance })}
        </TextLink>
      ))}
      {placement.hosts.length === 0 && (
        <Text color="secondary">
          {t('pages.service.placement.no-host', 'No node_exporter target on this host address')}
        </Text>
      )}
      {placement.containers.map((container) => (
        <TextLink
          key={container.id}
          href={urlUtil.renderUrl(containersUrl, { ...params, 'var-container': container.name })}
          inline={false}
        >
          {t('pages.service.placement.container', 'Container {{container}}', { container: container.name })}
        </TextLink>
      ))}
      {placement.containers.length === 0 &&
        placement.cadvisors.map((cadvisor) => (
          <TextLink key={cadvisor} href={urlUtil.renderUrl(containersUrl, params)} inline={false}>
            {t('pages.service.placement.cadvisor', 'Containers on this host (cAdvisor {{cadvisor}})', { cadvisor })}
          </TextLink>
        ))}
    </Stack>
  );
}

function ServicePlacementRenderer({ model }: SceneComponentProps<ServicePlacement>) {
  const { loaded, service } = model.useState();
  // Re-render when the instance selection changes; the catalog itself does not depend on it.
  sceneGraph.lookupVariable(INSTANCE_VARIABLE, model)?.useState();
  if (loaded.phase === 'loading') {
    return null;
  }
  if (loaded.phase === 'failed') {
    return (
      <Alert severity="warning" title={t('pages.service.placement.failed', 'Could not read the catalog')}>
        {loaded.message}
      </Alert>
    );
  }
  const found = placements(loaded.value, service, chosenInstances(model));
  const params = keptParams(model);
  return (
    <Stack direction="column" gap={1}>
      <Text variant="h6">{t('pages.service.placement.title', 'Runs on')}</Text>
      {found.length === 0 && (
        <Text color="secondary">
          {t('pages.service.placement.none', 'The catalog lists no instance of this service in the time range.')}
        </Text>
      )}
      {found.map((placement) => (
        <PlacementLine key={placement.instance} placement={placement} params={params} />
      ))}
    </Stack>
  );
}
