import { MappingType, ThresholdsMode } from '@grafana/data';
import { t } from '@grafana/i18n';
import type { VizPanel } from '@grafana/scenes';
import { BigValueGraphMode } from '@grafana/schema';

import type { SignalParams } from '../../signals';
import { signalPanel, type SignalPanelOptions } from '../shared';
import { withPanelOptions, withValueMappings } from '../shared/panelTweaks';

/**
 * PostgreSQL up as a stat that tells the three cases apart: pg_up 1 "Up", 0 "Database down" (the exporter
 * answers but cannot connect), and no value at all, where the stat's empty state says postgres_exporter is
 * missing. The Overview uses it too.
 */
export function postgresUpStat(params: SignalParams, options: Omit<SignalPanelOptions, 'title' | 'viz'>): VizPanel {
  const panel = signalPanel('postgres.up', params, {
    title: t('pages.postgres.panels.up', 'PostgreSQL'),
    description: t(
      'pages.postgres.panels.up-description',
      'pg_up: 1 when postgres_exporter could connect to PostgreSQL, 0 when it could not (the database is down or refuses the exporter). No value at all means no postgres_exporter is scraped.'
    ),
    thresholds: {
      mode: ThresholdsMode.Absolute,
      steps: [
        { value: -Infinity, color: 'red' },
        { value: 1, color: 'green' },
      ],
    },
    ...options,
    viz: 'stat',
  });
  withPanelOptions(panel, { graphMode: BigValueGraphMode.None, colorMode: 'background' });
  return withValueMappings(panel, [
    {
      type: MappingType.ValueToText,
      options: {
        '0': { text: t('pages.postgres.panels.down-value', 'Database down'), color: 'red', index: 0 },
        '1': { text: t('pages.postgres.panels.up-value', 'Up'), color: 'green', index: 1 },
      },
    },
  ]);
}
