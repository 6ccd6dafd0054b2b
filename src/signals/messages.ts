import type { Message } from './types';

// Every message the catalog can produce is declared once, when its module loads, so the locale files can be
// checked against the full list (src/locales.test.ts) without running every code path.
const registry = new Map<string, string>();

/** Declares a translatable message; a key declared twice must carry the same English text. */
export function msg(key: string, en: string): Message {
  const existing = registry.get(key);
  if (existing !== undefined && existing !== en) {
    throw new Error(`message ${key} declared with two English texts`);
  }
  registry.set(key, en);
  return { key, en };
}

/** The message with its placeholders' values. */
export function withValues(message: Message, values: Record<string, string | number>): Message {
  return { ...message, values };
}

/** Every declared message: key -> English. */
export function declaredMessages(): ReadonlyMap<string, string> {
  return registry;
}

/** English text with placeholders filled, as i18next would render it (for tests and logs). */
export function english(message: Message): string {
  return message.en.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    message.values && name in message.values ? String(message.values[name]) : whole
  );
}
