import React from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, locationUtil } from '@grafana/data';
import { t } from '@grafana/i18n';
import type { SceneComponentProps } from '@grafana/scenes';
import { Alert, Icon, type IconName, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';

import { ROUTES } from '../../constants';
import type { Exporter, Target } from '../../datasource/catalog';
import type { PulseDataSource } from '../../datasource/datasource';
import { prefixRoute } from '../../utils/utils.routing';
import { type ExporterCondition, exporterCondition } from '../shared/exporterStatus';
import { ResourceObject, type ResourceObjectState } from '../shared/resourceObject';
import { diagnosisHint } from '../shared/targetDiagnosis';
import { NESTJS_SNIPPET } from './nestjsSnippet';

export interface SetupFindings {
  exporters: Exporter[];
  /** Targets whose last scrape failed, with the backend's diagnosis. */
  failing: Target[];
}

/**
 * What Pulse found behind the data source, as a checklist: each exporter it builds on (present with counts, or
 * missing with how to add it) and each scrape that fails with its diagnosis (e.g. a metrics path wrapped in a
 * JSON envelope by a response interceptor). Read from the structured `exporters` and `targets` resources.
 */
export class SetupChecklist extends ResourceObject<SetupFindings, ResourceObjectState<SetupFindings>> {
  static Component = SetupChecklistRenderer;

  constructor() {
    super({ loaded: { phase: 'loading' } });
  }

  protected async read(dataSource: PulseDataSource): Promise<SetupFindings> {
    const [{ exporters }, targets] = await Promise.all([
      dataSource.getExporters(true),
      // Some Prometheus-compatible engines list no targets; the exporters still tell most of the story.
      dataSource.getTargets(true).catch(() => undefined),
    ]);
    const failing = (targets?.targets ?? []).filter((target) => target.health === 'down' && target.diagnosis);
    return { exporters, failing };
  }
}

const PAGE_OF: Record<string, ROUTES> = {
  nestjs: ROUTES.Services,
  node: ROUTES.Hosts,
  cadvisor: ROUTES.Containers,
  postgres: ROUTES.Postgres,
};

/**
 * An app page's href. Plain anchors (they need no router context): Grafana routes a click on one itself, but a
 * link opened in a new tab goes where the href says, so it carries the sub-path Grafana may be served under.
 */
const pageHref = (route: ROUTES) => locationUtil.assureBaseUrl(prefixRoute(route));

const ICONS: Record<ExporterCondition, { name: IconName; color: 'success' | 'error' | 'warning' }> = {
  present: { name: 'check-circle', color: 'success' },
  missing: { name: 'times-circle', color: 'error' },
  degraded: { name: 'exclamation-triangle', color: 'warning' },
  unknown: { name: 'question-circle', color: 'warning' },
};

/** How to add a missing exporter; the backend's English hint for an exporter this version does not know. */
function howToAdd(exporter: Exporter): string {
  switch (exporter.key) {
    case 'nestjs':
      return t(
        'pages.overview.checklist.add.nestjs',
        'Register PrometheusModule (@willsoto/nestjs-prometheus) and the Pulse request interceptor in your NestJS app, and add a scrape job for its metrics path. If the job exists but its target is down, see the failing scrapes below.'
      );
    case 'node':
      return t(
        'pages.overview.checklist.add.node',
        'Run node_exporter on each host (Debian: prometheus-node-exporter, port 9100) and add a scrape job for it.'
      );
    case 'cadvisor':
      return t(
        'pages.overview.checklist.add.cadvisor',
        'Run cAdvisor on each Docker host (port 8080) and add a scrape job for it.'
      );
    case 'postgres':
      return t(
        'pages.overview.checklist.add.postgres',
        'Run postgres_exporter (port 9187) with DATA_SOURCE_NAME pointing at your database and add a scrape job for it.'
      );
    default:
      return exporter.hint ?? '';
  }
}

/** What the exporter reports, counted; the unit comes from the exporter's key so it can be translated. */
function countLine({ key, count, targets, unit }: Exporter): string {
  switch (key) {
    case 'nestjs':
      return t('pages.overview.checklist.count.nestjs', 'services: {{found}}, scrape targets: {{targets}}', {
        found: count,
        targets,
      });
    case 'node':
      return t('pages.overview.checklist.count.node', 'hosts: {{found}}, scrape targets: {{targets}}', {
        found: count,
        targets,
      });
    case 'cadvisor':
      return t('pages.overview.checklist.count.cadvisor', 'containers: {{found}}, scrape targets: {{targets}}', {
        found: count,
        targets,
      });
    case 'postgres':
      return t(
        'pages.overview.checklist.count.postgres',
        'database servers up: {{found}}, scrape targets: {{targets}}',
        { found: count, targets }
      );
    default:
      return `${unit}: ${count}`;
  }
}

function statusLine(exporter: Exporter, condition: ExporterCondition): string {
  switch (condition) {
    case 'present':
      return countLine(exporter);
    case 'missing':
      return t('pages.overview.checklist.missing', 'Missing');
    case 'degraded':
      return t('pages.overview.checklist.degraded', '{{found}} of {{targets}} targets healthy', {
        found: exporter.count,
        targets: exporter.targets,
      });
    case 'unknown':
      // The error is free text: kept out of t(), whose interpolation would HTML-escape it.
      return `${t('pages.overview.checklist.unknown', 'Could not be checked:')} ${exporter.error ?? ''}`;
  }
}

function ExporterItem({ exporter }: { exporter: Exporter }) {
  const styles = useStyles2(getStyles);
  const condition = exporterCondition(exporter);
  const icon = ICONS[condition];
  const page = PAGE_OF[exporter.key];
  return (
    <li className={styles.item} data-testid={`checklist-${exporter.key}`} data-condition={condition}>
      <Icon name={icon.name} className={styles[icon.color]} size="lg" />
      <Stack direction="column" gap={0}>
        <Text weight="medium">
          {page ? (
            <a className={styles.link} href={pageHref(page)}>
              {exporter.title}
            </a>
          ) : (
            exporter.title
          )}
          {' — '}
          {statusLine(exporter, condition)}
        </Text>
        {condition === 'missing' && <Text color="secondary">{howToAdd(exporter)}</Text>}
        {condition === 'degraded' && exporter.hint && <Text color="secondary">{exporter.hint}</Text>}
        {exporter.key === 'nestjs' && <Instrumentations exporter={exporter} condition={condition} />}
      </Stack>
    </li>
  );
}

/** An instrumentation profile's name for the checklist (the profile ids of src/signals/profiles.ts). */
function profileName(id: string): string {
  switch (id) {
    case 'seed':
      return t('pages.overview.checklist.profile.seed', 'NestJS interceptor, success and fail histograms (seed)');
    case 'nestjs-requests':
      return t(
        'pages.overview.checklist.profile.nestjs-requests',
        'NestJS interceptor, one histogram (nestjs-requests)'
      );
    case 'prom-client-http':
      return t('pages.overview.checklist.profile.prom-client-http', 'prom-client HTTP metrics (prom-client-http)');
    case 'otel-http':
      return t('pages.overview.checklist.profile.otel-http', 'OpenTelemetry HTTP metrics (otel-http)');
    case 'otel-http-legacy':
      return t(
        'pages.overview.checklist.profile.otel-http-legacy',
        'OpenTelemetry HTTP metrics, older SDKs (otel-http-legacy)'
      );
    default:
      return id;
  }
}

/**
 * Which instrumentations the NestJS services export (the backend counts each profile's targets): where none is
 * the one the data source is set to, which to choose instead; where there is none at all, the code to add.
 */
function Instrumentations({ exporter, condition }: { exporter: Exporter; condition: ExporterCondition }) {
  const styles = useStyles2(getStyles);
  const found = exporter.profiles ?? [];
  if (found.length > 0) {
    const list = found
      .map(({ profile, targets }) =>
        t('pages.overview.checklist.profile-targets', '{{profile}}: {{count}} targets', {
          profile: profileName(profile),
          count: targets,
        })
      )
      .join(', ');
    return condition === 'missing' ? (
      <Text color="secondary" data-testid="checklist-profiles">
        {t(
          'pages.overview.checklist.profiles-other',
          'Your services export another instrumentation: {{list}}. Choose it under NestJS metric names in the Pulse data source settings.',
          { list }
        )}
      </Text>
    ) : (
      <Text color="secondary" data-testid="checklist-profiles">
        {t('pages.overview.checklist.profiles', 'Instrumentation found: {{list}}', { list })}
      </Text>
    );
  }
  if (condition !== 'missing') {
    return null;
  }
  return (
    <details data-testid="checklist-nestjs-snippet">
      <summary className={styles.link}>{t('pages.overview.checklist.snippet', 'Show the NestJS code to add')}</summary>
      <pre className={styles.snippet}>{NESTJS_SNIPPET}</pre>
    </details>
  );
}

function FailingTarget({ target }: { target: Target }) {
  const styles = useStyles2(getStyles);
  return (
    <li className={styles.item} data-testid="checklist-failing-target">
      <Icon name="exclamation-triangle" className={styles.error} size="lg" />
      <Stack direction="column" gap={0}>
        <Text weight="medium">
          {t('pages.overview.checklist.scrape-fails', 'Scrape fails:')} {target.job} {target.instance}
        </Text>
        <Text color="secondary">{target.diagnosis ? diagnosisHint(target.diagnosis) : (target.lastError ?? '')}</Text>
      </Stack>
    </li>
  );
}

function SetupChecklistRenderer({ model }: SceneComponentProps<SetupChecklist>) {
  const { loaded } = model.useState();
  const styles = useStyles2(getStyles);
  if (loaded.phase === 'loading') {
    return <LoadingPlaceholder text={t('pages.overview.checklist.loading', 'Looking for exporters…')} />;
  }
  if (loaded.phase === 'failed') {
    return (
      <Alert severity="error" title={t('pages.overview.checklist.failed', 'Could not check the exporters')}>
        {loaded.message}
      </Alert>
    );
  }
  const { exporters, failing } = loaded.value;
  return (
    <section aria-labelledby="pulse-setup-checklist">
      <Text element="h2" variant="h4" id="pulse-setup-checklist">
        {t('pages.overview.checklist.title', 'Setup checklist')}
      </Text>
      <ul className={styles.list}>
        {exporters.map((exporter) => (
          <ExporterItem key={exporter.key} exporter={exporter} />
        ))}
        {failing.map((target) => (
          <FailingTarget key={`${target.scrapePool} ${target.instance}`} target={target} />
        ))}
      </ul>
      {failing.length > 0 && (
        <a className={styles.link} href={pageHref(ROUTES.Targets)}>
          {t('pages.overview.checklist.all-targets', 'All scrape targets')}
        </a>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // Plain links (see pageHref).
  link: css({ color: theme.colors.text.link, '&:hover': { textDecoration: 'underline' } }),
  list: css({ listStyle: 'none', margin: theme.spacing(1, 0), padding: 0 }),
  item: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'flex-start', padding: theme.spacing(0.5, 0) }),
  success: css({ color: theme.colors.success.text, flexShrink: 0 }),
  error: css({ color: theme.colors.error.text, flexShrink: 0 }),
  warning: css({ color: theme.colors.warning.text, flexShrink: 0 }),
  snippet: css({ fontSize: theme.typography.bodySmall.fontSize, maxHeight: 360, overflow: 'auto' }),
});
