/**
 * The alert templates' texts (summary, description, runbook) in the user's language. They are the signal catalog's
 * messages, translated in the nested data source's locale files (its own i18n namespace, which the app's t() does
 * not read), so the Alerts page loads that file once, from where Grafana serves the data source's files. English
 * (the message's own text) when the language has no file or the key is missing.
 */
import { config } from '@grafana/runtime';

import type { Message } from '../../signals';

export type Translate = (message: Message) => string;

const DS_NAMESPACE = 'pulse-prometheus-datasource';

function fill(text: string, values?: Record<string, string | number>): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    values && name in values ? String(values[name]) : whole
  );
}

function lookup(resources: unknown, key: string): string | undefined {
  let node: unknown = resources;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object') {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** A translate function over a locale file's resources. */
export function translatorOf(resources: unknown): Translate {
  return (message) => fill(lookup(resources, message.key) ?? message.en, message.values);
}

export const englishTexts: Translate = translatorOf(undefined);

/** The user's language as Grafana's boot data has it. */
export function userLanguage(): string {
  return (config.bootData?.user as { language?: string } | undefined)?.language || 'en-US';
}

const loaded = new Map<string, Promise<Translate>>();

/** Loads the data source's texts for the language from its base URL (`public/plugins/.../datasource`). */
export function loadTemplateTexts(baseUrl: string, language: string): Promise<Translate> {
  if (language.startsWith('en')) {
    return Promise.resolve(englishTexts);
  }
  const url = `${baseUrl.replace(/\/$/, '')}/locales/${language}/${DS_NAMESPACE}.json`;
  let texts = loaded.get(url);
  if (!texts) {
    texts = fetch(url)
      .then((r) => (r.ok ? r.json() : undefined))
      .then(translatorOf)
      .catch(() => englishTexts);
    loaded.set(url, texts);
  }
  return texts;
}
