import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const grafanaData = JSON.parse(readFileSync('node_modules/@grafana/data/package.json', 'utf8')).version;
const scenesDir = 'node_modules/@grafana/scenes';
const scenes = JSON.parse(readFileSync(`${scenesDir}/package.json`, 'utf8'));
// The host's @grafana/scenes is Grafana core's own (not the plugin's). scenes 6.x names an ESM entry its package
// lacks (dist/esm/index.js; the files sit under dist/esm/packages/scenes/src/): webpack, which builds Grafana,
// falls back to `main`, Vite fails, so point Vite at the ESM files the package has.
const scenesEsm = `${scenesDir}/dist/esm/packages/scenes/src/index.js`;
const alias =
  !existsSync(`${scenesDir}/${scenes.module}`) && existsSync(scenesEsm)
    ? { '@grafana/scenes': resolve(scenesEsm) }
    : undefined;

// The host page of the browser harness, shared by both host builds (harness/host: React 18 / Grafana 12.4 line;
// harness/host-react19: React 19 / Grafana 13.2 line, this file, index.html and src/ through symlinks), run in the
// folder of the host being built. The Go server (harness/server) serves the output under /public/build/ and
// inlines Grafana-style boot data into index.html.
export default defineConfig({
  base: '/public/build/',
  // No @vitejs/plugin-react: esbuild's automatic JSX runtime is enough for a production build.
  esbuild: { jsx: 'automatic' },
  resolve: { preserveSymlinks: true, alias },
  logLevel: 'warn',
  define: { __GRAFANA_PACKAGES__: JSON.stringify(grafanaData), __GRAFANA_SCENES__: JSON.stringify(scenes.version) },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Served from 127.0.0.1 to a current Chromium: no down-levelling, no minifying, no gzip-size report — each
    // costs build time and buys nothing here.
    target: 'esnext',
    minify: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 30000,
    rollupOptions: { shimMissingExports: true },
  },
});
