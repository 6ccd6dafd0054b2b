/**
 * The recommended alert rule packs: templates built from the signal catalog (see template.ts). One source: the
 * exports (src/alerts/export.ts) and the Alerts page render from these.
 */
import { CONTAINER_ALERTS } from './container';
import { HOST_ALERTS } from './host';
import { POSTGRES_ALERTS } from './postgres';
import { SERVICE_ALERTS } from './service';
import { SLO_ALERTS } from './slo';
import { TARGET_ALERTS } from './target';
import type { AlertPack, AlertTemplate } from './template';

export * from './template';

export const ALERT_TEMPLATES: readonly AlertTemplate[] = [
  ...SERVICE_ALERTS,
  ...SLO_ALERTS,
  ...HOST_ALERTS,
  ...CONTAINER_ALERTS,
  ...POSTGRES_ALERTS,
  ...TARGET_ALERTS,
];

export function alertTemplatesOf(pack: AlertPack): AlertTemplate[] {
  return ALERT_TEMPLATES.filter((t) => t.pack === pack);
}

export function getAlertTemplate(pack: AlertPack, rule: string): AlertTemplate | undefined {
  return ALERT_TEMPLATES.find((t) => t.pack === pack && t.rule === rule);
}
