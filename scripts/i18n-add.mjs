#!/usr/bin/env node
// Adds translations to a locale file: node scripts/i18n-add.mjs <locale.json> <fragment.json>
// The fragment's keys are merged into the file (deeply; a fragment value replaces a string), and the file is
// written back with keys sorted as the i18n tooling writes them. Several people (or helpers) can add their own
// sections to the same locale file this way without rewriting each other's keys.
import fs from 'node:fs';

const [target, fragmentFile] = process.argv.slice(2);
if (!target || !fragmentFile) {
  console.error('usage: node scripts/i18n-add.mjs <locale.json> <fragment.json>');
  process.exit(2);
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(into, from, at = []) {
  for (const [key, value] of Object.entries(from)) {
    const path = [...at, key].join('.');
    if (isObject(value)) {
      if (into[key] !== undefined && !isObject(into[key])) {
        throw new Error(`${path} is a string in ${target}; the fragment makes it an object`);
      }
      into[key] = merge(into[key] ?? {}, value, [...at, key]);
    } else if (typeof value === 'string') {
      if (isObject(into[key])) {
        throw new Error(`${path} is an object in ${target}; the fragment makes it a string`);
      }
      into[key] = value;
    } else {
      throw new Error(`${path}: translations are strings or objects of strings`);
    }
  }
  return into;
}

function sorted(value) {
  if (!isObject(value)) {
    return value;
  }
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted(value[key])])
  );
}

const current = JSON.parse(fs.readFileSync(target, 'utf8'));
const fragment = JSON.parse(fs.readFileSync(fragmentFile, 'utf8'));
const next = sorted(merge(current, fragment));
fs.writeFileSync(target, JSON.stringify(next, null, 2) + '\n');
