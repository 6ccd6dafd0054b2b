import { builderProblems, renderBuilderQuery } from '../promql/builder';
import { renderGuided } from './components/QueryEditor/guided';
import type { NestMetricNames, PulseQuery } from './types';

/**
 * The PromQL a saved query runs. Normally its `expr`; a query written by hand or provisioned as JSON may carry
 * only the editor's state (`guided`, or `builder` in Builder mode) and no `expr`: then the PromQL is rendered from
 * that state, so such a query runs what it describes rather than nothing. Empty when there is nothing to run.
 */
export function queryExpr(query: PulseQuery, names?: NestMetricNames): string {
  const expr = query.expr?.trim() ?? '';
  if (expr !== '') {
    return expr;
  }
  if (query.editorMode === 'builder') {
    return query.builder && builderProblems(query.builder).length === 0 ? renderBuilderQuery(query.builder) : '';
  }
  if (query.guided && query.editorMode !== 'code') {
    const rendered = renderGuided(query.guided, names);
    return rendered.ok ? rendered.expr : '';
  }
  return '';
}
