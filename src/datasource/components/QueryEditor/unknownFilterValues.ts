import { type LabelMatcher, isVariableReference } from '../../../promql/render';
import type { ValuesResponse } from '../../catalog';

/**
 * The Builder's check of label filters against what Prometheus has seen: an exact filter (`=`, `!=`) whose value
 * no series of the metric carried in the time range is most likely a typo or a value from another range, and
 * the query would silently select nothing (or exclude nothing). Regex filters and template variables are
 * patterns, not values, so they are not checked.
 */
const checked = (m: LabelMatcher) =>
  (m.op === '=' || m.op === '!=') && m.label !== '' && m.value !== '' && !isVariableReference(m.value);

/** The labels whose values the check needs, each once. */
export function labelsToCheck(matchers: LabelMatcher[]): string[] {
  return [...new Set(matchers.filter(checked).map((m) => m.label))].sort();
}

/** The filters whose value is not among the label's values; a truncated list proves nothing, so it flags none. */
export function unknownFilterValues(matchers: LabelMatcher[], seen: Record<string, ValuesResponse>): LabelMatcher[] {
  return matchers.filter((m) => {
    const values = seen[m.label];
    return checked(m) && values !== undefined && !values.truncated && !values.values.includes(m.value);
  });
}
