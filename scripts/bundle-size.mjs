#!/usr/bin/env node
// Prints the size of the built plugin's JavaScript: module.js (what Grafana fetches on every page load, for every
// user, whether or not they open Pulse), the lazy chunks the pages load on demand, and the nested data source's
// module. Fails when module.js is over its budget. Run after `npm run build`:
//   node scripts/bundle-size.mjs [dist]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Budget for dist/module.js (issue #8: under 250 KB). */
const MODULE_BUDGET = 250 * 1024;

const dist = process.argv[2] ?? 'dist';

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      return jsFiles(full);
    }
    return e.name.endsWith('.js') ? [full] : [];
  });
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

let files;
try {
  files = jsFiles(dist);
} catch (e) {
  console.error(`bundle-size: cannot read ${dist} (${e.message}); run npm run build first`);
  process.exit(2);
}
const rows = files
  .map((file) => {
    const bytes = statSync(file).size;
    return { name: relative(dist, file), bytes, gzip: gzipSync(readFileSync(file)).length };
  })
  .sort((a, b) => {
    const rank = (r) => (r.name === 'module.js' ? 0 : r.name === join('datasource', 'module.js') ? 1 : 2);
    return rank(a) - rank(b) || b.bytes - a.bytes;
  });

const width = Math.max(...rows.map((r) => r.name.length), 10);
console.log(`${'file'.padEnd(width)}  ${'size'.padStart(10)}  ${'gzip'.padStart(10)}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(width)}  ${kb(r.bytes).padStart(10)}  ${kb(r.gzip).padStart(10)}`);
}
const total = rows.reduce((n, r) => n + r.bytes, 0);
console.log(`${`${rows.length} files`.padEnd(width)}  ${kb(total).padStart(10)}`);

const main = rows.find((r) => r.name === 'module.js');
if (!main) {
  console.error(`bundle-size: ${dist}/module.js is missing`);
  process.exit(1);
}
if (main.bytes > MODULE_BUDGET) {
  console.error(`bundle-size: module.js is ${kb(main.bytes)}, over its budget of ${kb(MODULE_BUDGET)}`);
  process.exit(1);
}
console.log(`module.js: ${kb(main.bytes)} of its ${kb(MODULE_BUDGET)} budget`);
