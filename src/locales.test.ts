import fs from 'fs';
import path from 'path';

import appEnglish from './locales/en-US/pulse-monitoring-app.json';
import appKorean from './locales/ko-KR/pulse-monitoring-app.json';
import dataSourceEnglish from './datasource/locales/en-US/pulse-prometheus-datasource.json';
import dataSourceKorean from './datasource/locales/ko-KR/pulse-prometheus-datasource.json';
import { declaredMessages } from './signals';

// Each plugin has its own namespace: the app's code (src/ without datasource/) and the data source's code
// (src/datasource/) must find every key they use in their own resources, in both languages.
// The signal catalog (src/signals/) declares its messages as data (key + English) rather than t() calls; they
// are shown by the data source's editor, so they belong to the data source's namespace.

type Resources = { [key: string]: string | Resources };

const SRC = __dirname;
const DATASOURCE = path.join(SRC, 'datasource');

// The one sanctioned t() call without literals: the data source's helper that translates the catalog's
// messages. Their keys are checked through declaredMessages() below.
const MESSAGE_TRANSLATOR = path.join(DATASOURCE, 'i18n.ts');
const MESSAGE_TRANSLATOR_CALL = 't(message.key, message.en, message.values)';

function codeFiles(dir: string, skip?: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (full === skip) {
      return [];
    }
    if (entry.isDirectory()) {
      return codeFiles(full, skip);
    }
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const jsxText = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');

/** key -> English default, as written in the code */
function keysUsedIn(files: string[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const file of files) {
    let code = fs.readFileSync(file, 'utf8');
    if (file === MESSAGE_TRANSLATOR) {
      if (code.split(MESSAGE_TRANSLATOR_CALL).length !== 2) {
        throw new Error(`${path.relative(SRC, file)}: expected exactly one ${MESSAGE_TRANSLATOR_CALL}`);
      }
      code = code.replace(MESSAGE_TRANSLATOR_CALL, '');
    }
    // t() as written in comments has no arguments and is not a call to check.
    const calls = code.match(/\bt\(\s*(?!\))/g)?.length ?? 0;
    const literalCalls = [...code.matchAll(/\bt\(\s*'([^']+)',\s*'((?:[^'\\]|\\.)*)'/g)];
    if (calls !== literalCalls.length) {
      throw new Error(`${path.relative(SRC, file)}: call t() with a literal key and a literal English default`);
    }
    for (const [, key, english] of literalCalls) {
      keys.set(key, english.replace(/\\'/g, "'"));
    }
    for (const [, key, english] of code.matchAll(/<Trans i18nKey="([^"]+)"[^>]*>([\s\S]*?)<\/Trans>/g)) {
      keys.set(key, jsxText(english));
    }
  }
  return keys;
}

function flatten(resources: Resources, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(resources)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') {
      flat.set(full, value);
    } else {
      flatten(value, full).forEach((v, k) => flat.set(k, v));
    }
  }
  return flat;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe.each([
  ['pulse-monitoring-app', codeFiles(SRC, DATASOURCE), appEnglish, appKorean, new Map<string, string>()],
  ['pulse-prometheus-datasource', codeFiles(DATASOURCE), dataSourceEnglish, dataSourceKorean, declaredMessages()],
])('%s resources', (_namespace, files, english, korean, declared) => {
  const used = new Map([...keysUsedIn(files), ...declared]);
  const en = flatten(english);
  const ko = flatten(korean);

  it('cover every key the code uses, with the English text the code falls back to', () => {
    const expected = Object.fromEntries(used);
    expect(Object.fromEntries([...used.keys()].map((key) => [key, en.get(key)]))).toEqual(expected);
  });

  it('contain no keys the code does not use', () => {
    expect([...en.keys()].filter((key) => !used.has(key))).toEqual([]);
  });

  it('translate every English key into Korean, keeping the placeholders', () => {
    expect([...ko.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, text] of en) {
      expect({ key, placeholders: placeholders(ko.get(key) ?? '') }).toEqual({ key, placeholders: placeholders(text) });
    }
  });
});
