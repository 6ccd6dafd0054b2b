import { msg } from '../messages';
import type { AlertTemplate } from './template';

type TemplateTexts = { summary: string; description: string; runbook: string };

/** A template with its texts declared as messages `signals.alerts.<pack>.<rule>.<text>` (English here, Korean in ko-KR). */
export function defineAlert(
  def: Omit<AlertTemplate, 'summary' | 'description' | 'runbook' | 'range' | 'labelValues'> &
    Partial<Pick<AlertTemplate, 'range' | 'labelValues'>> & { texts: TemplateTexts }
): AlertTemplate {
  const { texts, ...rest } = def;
  const key = (text: keyof TemplateTexts) => `signals.alerts.${def.pack}.${def.rule}.${text}`;
  return {
    range: '10m',
    labelValues: {},
    ...rest,
    summary: msg(key('summary'), texts.summary),
    description: msg(key('description'), texts.description),
    runbook: msg(key('runbook'), texts.runbook),
  };
}
