import type { DataTransformerConfig } from '@grafana/data';
import { t } from '@grafana/i18n';
import type { VizPanel } from '@grafana/scenes';

import type { NestMetricNames } from '../../datasource/types';
import { renderContext, type RenderContext, type SignalParams } from '../../signals';
import { signalPanel } from '../shared';
import { joinedTable } from '../shared/joinedTable';
import { SERVICE_FILTERS } from './serviceVariables';
import { ERROR_RATIO_THRESHOLDS, EVENT_LOOP_THRESHOLDS, RESTART_THRESHOLDS } from './thresholds';

const OPERATION = ['controller', 'handler', 'method'];

/**
 * The description of a panel whose meaning depends on the instrumentation: what counts as failed (an exception or a
 * server-error status) and what the error class is (the exception's class or the status code). Under auto before
 * the service's profile is known, one text that covers both; undefined for other panels.
 */
export function profileDescription(signalId: string, params: SignalParams, ctx: RenderContext): string | undefined {
  const r = ctx.profile.requests;
  const several = ctx.profiles.length > 1;
  if (signalId === 'service.requests.rate') {
    if (several) {
      return t(
        'pages.service.panels.rate-description-auto',
        'Requests per second: fail when the handler threw or, where the instrumentation records only status codes, when the response was a server error; success otherwise.'
      );
    }
    return r.kind === 'by-status'
      ? t(
          'pages.service.panels.rate-description-status',
          'Requests per second: fail when the status code of the response matches {{statuses}} (a server error), success otherwise.',
          { statuses: r.failedStatus }
        )
      : t(
          'pages.service.panels.rate-description',
          'Requests per second: success when the handler returned, fail when it threw.'
        );
  }
  const groups = params.groupBy;
  if (signalId === 'service.errors.count' && Array.isArray(groups) && groups.includes('error')) {
    if (several) {
      return t(
        'pages.service.panels.errors-by-class-description-auto',
        'Failed requests in the time range. The error class is the exception the handler threw or, where the instrumentation records no exception, the status code of the response.'
      );
    }
    return r.kind === 'by-status'
      ? t(
          'pages.service.panels.errors-by-class-description-status',
          'Failed requests in the time range. This instrumentation records the status code of the response, not the exception thrown: the error class is the status code (the {{label}} label).',
          { label: r.statusLabel }
        )
      : t(
          'pages.service.panels.errors-by-class-description',
          'Failed requests in the time range. The error class is the exception the handler threw (the error label).'
        );
  }
  return undefined;
}

/** Rate by outcome, error ratio and latency percentiles of the service's chosen instances and operations. */
export function redPanels(service: string, metricNames?: NestMetricNames): VizPanel[] {
  const params = { service, ...SERVICE_FILTERS };
  return [
    signalPanel('service.requests.rate', params, {
      title: t('pages.service.panels.rate', 'Request rate by outcome'),
      description: profileDescription('service.requests.rate', params, renderContext(metricNames)),
      metricNames,
    }),
    signalPanel('service.errors.ratio', params, {
      title: t('pages.service.panels.error-ratio', 'Error ratio'),
      description: t(
        'pages.service.panels.error-ratio-description',
        'Share of requests that failed. Orange from 1 %, red from 5 % (the usual alerting threshold).'
      ),
      metricNames,
      // One series without labels: named by the service, or Grafana would name it by its PromQL.
      overrides: { legendFormat: service },
      thresholds: ERROR_RATIO_THRESHOLDS,
      min: 0,
      // 0 to 5 % (the alerting threshold) unless it goes higher.
      softMax: 0.05,
    }),
    signalPanel(
      'service.latency.quantile',
      { ...params, quantile: '0.5' },
      {
        title: t('pages.service.panels.latency', 'Latency p50 / p95 / p99'),
        description: t(
          'pages.service.panels.latency-description',
          'Latency percentiles of successful requests, estimated from the histogram buckets.'
        ),
        metricNames,
        more: [
          { signalId: 'service.latency.quantile', params: { ...params, quantile: '0.95' } },
          { signalId: 'service.latency.quantile', params: { ...params, quantile: '0.99' } },
        ],
      }
    ),
  ];
}

/** Success and fail latency as heatmaps: request counts per latency bucket and time slice. */
export function heatmapPanels(service: string, metricNames?: NestMetricNames): VizPanel[] {
  const params = { service, ...SERVICE_FILTERS };
  return [
    signalPanel(
      'service.latency.heatmap',
      { ...params, outcome: 'success' },
      { title: t('pages.service.panels.heatmap-success', 'Latency of successful requests'), metricNames }
    ),
    signalPanel(
      'service.latency.heatmap',
      { ...params, outcome: 'fail' },
      { title: t('pages.service.panels.heatmap-fail', 'Latency of failed requests'), metricNames }
    ),
  ];
}

/**
 * A failures table with its count first: in a third of the page the operation's labels fill the width, and a count
 * in the last column would be cut off.
 */
function failuresFirst(labels: string[]): DataTransformerConfig[] {
  const indexByName: Record<string, number> = { 'Value #A': 0 };
  labels.forEach((label, i) => (indexByName[label] = i + 1));
  return [{ id: 'organize', options: { excludeByName: { Time: true }, indexByName } }];
}

/** Where failures happen: per controller over time, per controller and error class, the most failing handlers. */
export function errorPanels(service: string, metricNames?: NestMetricNames): VizPanel[] {
  const params = { service, ...SERVICE_FILTERS };
  return [
    signalPanel(
      'service.errors.rate',
      { ...params, groupBy: ['controller'] },
      { title: t('pages.service.panels.errors-by-controller', 'Errors per controller'), metricNames }
    ),
    signalPanel(
      'service.errors.count',
      { ...params, groupBy: ['controller', 'error'] },
      {
        title: t('pages.service.panels.errors-by-class', 'Failed requests by controller and error class'),
        description: profileDescription(
          'service.errors.count',
          { groupBy: ['controller', 'error'] },
          renderContext(metricNames)
        ),
        metricNames,
        valueTitle: t('pages.service.panels.failures', 'Failures'),
        transformations: failuresFirst(['controller', 'error']),
      }
    ),
    signalPanel(
      'service.operations.failing',
      { service, instance: SERVICE_FILTERS.instance },
      {
        title: t('pages.service.panels.failing', 'Most failing operations'),
        metricNames,
        valueTitle: t('pages.service.panels.failures', 'Failures'),
        transformations: failuresFirst(OPERATION),
      }
    ),
  ];
}

/** One row per controller, handler and method: rate, error ratio and p95, the slowest first. */
export function operationsTable(service: string, metricNames?: NestMetricNames): VizPanel {
  const params = { service, ...SERVICE_FILTERS, groupBy: OPERATION };
  const p95 = t('pages.service.operations.p95', 'p95');
  return joinedTable({
    title: t('pages.service.operations.title', 'Operations'),
    description: t(
      'pages.service.operations.description',
      'Every operation of the chosen instances over the last rate window, the slowest on top; sort by error % to see the most failing.'
    ),
    keys: [
      { labelName: 'controller', title: t('pages.service.operations.controller', 'Controller') },
      { labelName: 'handler', title: t('pages.service.operations.handler', 'Handler') },
      { labelName: 'method', title: t('pages.service.operations.method', 'Method') },
    ],
    columns: [
      { title: t('pages.service.operations.rate', 'Request rate'), signalId: 'service.requests.total', params },
      {
        title: t('pages.service.operations.error-ratio', 'Error %'),
        signalId: 'service.errors.ratio',
        params,
        thresholds: ERROR_RATIO_THRESHOLDS,
      },
      { title: p95, signalId: 'service.latency.quantile', params: { ...params, outcome: 'all', quantile: '0.95' } },
    ],
    metricNames,
    sortByDesc: p95,
  });
}

/** prom-client's default metrics of the service's processes. */
export function runtimePanels(service: string, metricNames?: NestMetricNames): VizPanel[] {
  const params = { service, instance: SERVICE_FILTERS.instance };
  const legend = (what: string) => ({ legendFormat: `{{instance}} ${what}` });
  return [
    signalPanel('runtime.cpu', params, { title: t('pages.service.runtime.cpu', 'CPU'), metricNames }),
    signalPanel(
      'runtime.memory',
      { ...params, mode: 'rss' },
      {
        title: t('pages.service.runtime.memory', 'Memory'),
        metricNames,
        overrides: legend(t('pages.service.runtime.rss', 'RSS')),
        more: [
          {
            signalId: 'runtime.memory',
            params: { ...params, mode: 'heapUsed' },
            overrides: legend(t('pages.service.runtime.heap-used', 'heap used')),
          },
          {
            signalId: 'runtime.memory',
            params: { ...params, mode: 'heapTotal' },
            overrides: legend(t('pages.service.runtime.heap-total', 'heap allocated')),
          },
          {
            signalId: 'runtime.memory',
            params: { ...params, mode: 'external' },
            overrides: legend(t('pages.service.runtime.external', 'external')),
          },
        ],
      }
    ),
    signalPanel(
      'runtime.eventloop.lag',
      { ...params, mode: 'p99' },
      {
        title: t('pages.service.runtime.eventloop', 'Event-loop lag'),
        description: t(
          'pages.service.runtime.eventloop-description',
          'How late the event loop runs: orange from 200 ms, red from 1 s; every request waits that long.'
        ),
        metricNames,
        thresholds: EVENT_LOOP_THRESHOLDS,
        overrides: legend('p99'),
        more: [{ signalId: 'runtime.eventloop.lag', params: { ...params, mode: 'p50' }, overrides: legend('p50') }],
      }
    ),
    signalPanel('runtime.gc', params, { title: t('pages.service.runtime.gc', 'Garbage collection'), metricNames }),
    signalPanel(
      'runtime.handles',
      { ...params, mode: 'handles' },
      {
        title: t('pages.service.runtime.handles', 'Active handles and requests'),
        metricNames,
        overrides: legend(t('pages.service.runtime.handles-legend', 'handles')),
        more: [
          {
            signalId: 'runtime.handles',
            params: { ...params, mode: 'requests' },
            overrides: legend(t('pages.service.runtime.requests-legend', 'requests')),
          },
        ],
      }
    ),
    signalPanel('runtime.restarts', params, {
      title: t('pages.service.runtime.restarts', 'Restarts'),
      description: t(
        'pages.service.runtime.restarts-description',
        'Restarts of each process in the time range; each one is also a marker on the graphs.'
      ),
      metricNames,
      valueTitle: t('pages.service.runtime.restarts', 'Restarts'),
      thresholds: RESTART_THRESHOLDS,
      fieldOverrides: [
        {
          matcher: { id: 'byType', options: 'number' },
          properties: [{ id: 'custom.cellOptions', value: { type: 'color-text' } }],
        },
      ],
    }),
  ];
}
