/**
 * The one place the data source translates text that is data rather than code: the signal catalog's messages
 * (`{ key, en, values }`, src/signals/messages.ts). src/locales.test.ts checks every declared key exists in
 * both languages and allows this file's single non-literal t() call.
 */
import { t } from '@grafana/i18n';

import type { Message } from '../signals';

export function translateMessage(message: Message): string {
  return t(message.key, message.en, message.values);
}
