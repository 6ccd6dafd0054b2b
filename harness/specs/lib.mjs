// Shared helpers of the harness specs: the stack (Prometheus + node_exporter from Debian packages, or a given
// Prometheus), the harness server, Chromium through playwright-core, and a page that records every page error,
// console error and request to an API path the harness does not serve.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const harnessDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const rootDir = resolve(harnessDir, '..');
export const screenshotDir = join(harnessDir, 'screenshots');

/** The host builds: the Grafana 12.4 line on React 18 (what the plugin builds against) and 13.2 on React 19. */
export const HOSTS = ['host', 'host-react19'];

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) {
    return st.mtimeMs;
  }
  let newest = st.mtimeMs;
  for (const e of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(join(path, e)));
  }
  return newest;
}

function run(cmd, argv, cwd, label) {
  return new Promise((res, rej) => {
    const t0 = Date.now();
    const out = [];
    const child = track(spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('exit', (code) => {
      if (code === 0) {
        console.log(`harness: ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        res();
      } else {
        process.stdout.write(Buffer.concat(out));
        rej(new Error(`${label} failed (exit ${code}): ${cmd} ${argv.join(' ')} in ${cwd}`));
      }
    });
  });
}

/**
 * Installs (npm ci) and builds (vite build) each host whose node_modules or build is missing or older than its
 * lockfile / sources (src/ is shared: harness/host/src). The installs run one after the other, so that the second
 * takes the ~400 packages both hosts share from npm's cache; each host builds as soon as it is installed, while
 * the next one installs.
 */
export async function prepareHosts(hosts, { rebuild = false } = {}) {
  let installs = Promise.resolve();
  await Promise.all(
    hosts.map((host) => {
      const dir = join(harnessDir, host);
      const installed = installs.then(async () => {
        const marker = join(dir, 'node_modules', '.package-lock.json');
        if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(join(dir, 'package-lock.json')).mtimeMs) {
          await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], dir, `${host}: npm ci`);
        }
      });
      installs = installed;
      return installed.then(async () => {
        const built = join(dir, 'dist', 'index.html');
        const sources = Math.max(
          ...[
            join(harnessDir, 'host', 'src'),
            join(harnessDir, 'host', 'index.html'),
            join(dir, 'vite.config.ts'),
            join(dir, 'package-lock.json'),
          ].map(newestMtime)
        );
        if (rebuild || !existsSync(built) || statSync(built).mtimeMs < sources) {
          await run(join(dir, 'node_modules', '.bin', 'vite'), ['build'], dir, `${host}: vite build`);
        }
      });
    })
  );
}

/** @grafana/ui's public assets (icons) of a host, wherever npm put the package. */
export function uiPublic(host) {
  const require = createRequire(join(harnessDir, host, 'package.json'));
  return join(dirname(require.resolve('@grafana/ui/package.json')), 'dist', 'public');
}

const children = new Set();
function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
export function stopAll() {
  for (const c of children) {
    try {
      c.kill('SIGTERM');
    } catch {}
  }
}
process.on('exit', stopAll);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopAll();
    process.exit(130);
  });
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function waitFor(url, what, ms = 30000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) {
        return;
      }
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not become ready at ${url} within ${ms} ms (${last})`);
}

function which(names, hint) {
  for (const n of names) {
    for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/sbin', '/usr/local/bin'])) {
      const p = join(dir, n);
      if (existsSync(p)) {
        return p;
      }
    }
  }
  throw new Error(`${names[0]} not found: ${hint}`);
}

/** A Prometheus on a free port scraping itself and a node_exporter (both Debian packages). */
export async function startPrometheus() {
  const promBin = which(['prometheus'], 'apt-get install -y prometheus');
  const nodeBin = which(['prometheus-node-exporter', 'node_exporter'], 'apt-get install -y prometheus-node-exporter');
  const dir = mkdtempSync(join(tmpdir(), 'pulse-harness-prom-'));
  const [promPort, nodePort] = [await freePort(), await freePort()];
  track(spawn(nodeBin, [`--web.listen-address=127.0.0.1:${nodePort}`], { stdio: 'ignore' }));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: prometheus
    static_configs: [{targets: ['127.0.0.1:${promPort}']}]
  - job_name: node
    static_configs: [{targets: ['127.0.0.1:${nodePort}']}]
`
  );
  track(
    spawn(
      promBin,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'ignore' }
    )
  );
  const url = `http://127.0.0.1:${promPort}`;
  await waitFor(`${url}/-/ready`, 'Prometheus');
  await waitFor(`http://127.0.0.1:${nodePort}/metrics`, 'node_exporter');
  // Wait until both targets have been scraped, so queries return series.
  const end = Date.now() + 30000;
  for (;;) {
    const r = await (await fetch(`${url}/api/v1/query?query=count(up==1)`)).json();
    if (Number(r?.data?.result?.[0]?.value?.[1]) >= 2) {
      break;
    }
    if (Date.now() > end) {
      throw new Error('Prometheus did not scrape its targets within 30 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return url;
}

/** Builds the Go server once (go build into a temp dir). */
let serverBin;
export function buildServer() {
  if (!serverBin) {
    serverBin = join(mkdtempSync(join(tmpdir(), 'pulse-harness-bin-')), 'harness-server');
    execFileSync('go', ['build', '-o', serverBin, './harness/server'], { cwd: rootDir, stdio: 'inherit' });
  }
  return serverBin;
}

/** Starts the harness server; resolves to { url, logs, stop }. */
export async function startServer({ prometheusUrl, dist = join(rootDir, 'dist'), host = 'host' } = {}) {
  const bin = buildServer();
  const urlFile = join(mkdtempSync(join(tmpdir(), 'pulse-harness-url-')), 'url');
  const logs = [];
  const child = track(
    spawn(
      bin,
      [
        '--dist',
        dist,
        '--provisioning',
        join(rootDir, 'provisioning'),
        '--host',
        join(harnessDir, host, 'dist'),
        '--ui-public',
        uiPublic(host),
        '--url-file',
        urlFile,
        ...(prometheusUrl ? ['--prometheus-url', prometheusUrl] : []),
      ],
      { cwd: rootDir, stdio: ['ignore', 'pipe', 'pipe'] }
    )
  );
  for (const s of [child.stdout, child.stderr]) {
    s.setEncoding('utf8');
    s.on('data', (d) => logs.push(...d.split('\n').filter(Boolean)));
  }
  const exited = new Promise((res) => child.on('exit', (code) => res(code)));
  const end = Date.now() + 30000;
  while (!existsSync(urlFile) || !readFileSync(urlFile, 'utf8')) {
    if (Date.now() > end || child.exitCode !== null) {
      throw new Error(`the harness server did not start:\n${logs.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = readFileSync(urlFile, 'utf8');
  return {
    url,
    logs,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function launchBrowser(host = 'host') {
  const require = createRequire(join(harnessDir, host, 'package.json'));
  const { chromium } = require('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'pulse-harness-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens `path` (with theme/lang URL parameters) and records problems: page errors, console errors, failed
 * requests and any /api/ request answered 404 (the harness server does not serve it).
 */
/** Pages a spec has open (closed ones leave): a failing spec's pages are screenshotted by failureScreenshots. */
const openPages = new Set();

export async function openPage(ctx, server, path, { theme = 'dark', lang = 'en-US' } = {}) {
  const page = await ctx.browser.newPage();
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.stack ?? e}`));
  page.on('console', (m) => {
    // Grafana's own assets that are not published on npm (its fonts and the spinner icon): the browser falls back.
    if (
      m.type() === 'error' &&
      /\/public\/(fonts\/|build\/img\/icons\/unicons\/spinner\.svg)/.test(m.location()?.url ?? '')
    ) {
      return;
    }
    if (m.type() === 'error') {
      problems.push(`console error: ${m.text()}${m.location()?.url ? ` (${m.location().url})` : ''}`);
    }
  });
  page.on('requestfailed', (r) => {
    if (!r.failure()?.errorText?.includes('ERR_ABORTED')) {
      problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
    }
  });
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/') && r.status() === 404) {
      problems.push(`request to an API path the harness does not serve: ${r.request().method()} ${u.pathname}`);
    }
  });
  const sep = path.includes('?') ? '&' : '?';
  await page.goto(`${server.url}${path.replace(/^\//, '')}${sep}theme=${theme}&lang=${lang}`);
  return {
    page,
    problems,
    /** Fails with every recorded problem. */
    assertClean(what) {
      if (problems.length) {
        throw new Error(`${what}: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
      }
    },
  };
}

/** Screenshots (and closes) every page a failed spec left open: <name>-FAILED[-n].png. */
export async function failureScreenshots(name) {
  let i = 0;
  for (const page of [...openPages]) {
    await screenshot(page, `${name}-FAILED${i++ ? `-${i}` : ''}`).catch(() => {});
    await page.close().catch(() => {});
  }
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`    screenshot: ${file}`);
  return file;
}

export function assert(cond, message) {
  if (!cond) {
    throw new Error(message);
  }
}
