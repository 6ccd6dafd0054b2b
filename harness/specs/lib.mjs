// Shared helpers of the harness specs: the stack (the project's local stack, or a given Prometheus), the harness server, Chromium through playwright-core, and a page that records every page error,
// console error and request to an API path the harness does not serve.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
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

/**
 * The harness stack's extra flags: a demo service of every instrumentation profile beside the seed's two (the
 * Services and Service pages are checked with all of them side by side), and load enough for each to fail now and
 * then within a rate window.
 */
const STACK_ARGS = ['--with-profiles', '--load-rate', '30'];

/**
 * The project's whole local stack (scripts/stack: Prometheus, node_exporter, PostgreSQL + postgres_exporter,
 * VictoriaMetrics, cAdvisor, the demo NestJS services and their load) on free ports, for the app pages, which need
 * every exporter. Resolves to { prometheusUrl, postgresExporterUrl, services } once the stack reports ready; stopAll() (or
 * this process ending) stops it, and the stack removes everything it made.
 */
export async function startStack({ minutes = 45, extraArgs = STACK_ARGS } = {}) {
  const bin = join(mkdtempSync(join(tmpdir(), 'pulse-harness-stack-')), 'stack');
  execFileSync('go', ['build', '-o', bin, './scripts/stack'], { cwd: rootDir, stdio: 'inherit' });
  const t0 = Date.now();
  const child = track(
    spawn(bin, ['--duration', `${minutes}m`, '--no-install', ...extraArgs], {
      cwd: rootDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  );
  const out = [];
  for (const s of [child.stdout, child.stderr]) {
    s.setEncoding('utf8');
    s.on('data', (d) => out.push(d));
  }
  const urlOf = (name, text) => text.match(new RegExp(`^\\s*${name}\\s+(http://127\\.0\\.0\\.1:\\d+)`, 'm'))?.[1];
  for (;;) {
    const text = out.join('');
    if (/Point the Pulse data source at/.test(text)) {
      const stack = {
        prometheusUrl: urlOf('Prometheus', text),
        postgresExporterUrl: urlOf('postgres_exporter', text),
        services: servicesOf(text),
      };
      if (!stack.prometheusUrl) {
        throw new Error(`the stack printed no Prometheus URL:\n${text}`);
      }
      console.log(`harness: local stack ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      return stack;
    }
    if (child.exitCode !== null) {
      throw new Error(`the local stack did not start (exit ${child.exitCode}):\n${text.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The demo services the stack printed (`shop.orders 2.0.1 (seed, job nestjs), cgroup …`), but the wrapped instance
 * whose scrape fails on purpose: [{ name, version, profile, instance }].
 */
function servicesOf(text) {
  const out = [];
  for (const m of text.matchAll(/^\s*(shop\.[\w-]+) (\S+) \(([\w-]+), job [^)]*\)(.*)$/gm)) {
    if (!/WRAP_METRICS/.test(m[4])) {
      out.push({ name: m[1], version: m[2], profile: m[3], instance: m[4].match(/http:\/\/([^/\s]+)\//)?.[1] });
    }
  }
  return out;
}

/** The pid of the process listening on host:port as named on its command line (how the stack starts servers). */
export function pidListeningOn(url) {
  const addr = new URL(url).host;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.split('\0').some((arg) => arg.endsWith(`=${addr}`))) {
      return Number(entry);
    }
  }
  throw new Error(`no process has ${addr} on its command line`);
}

/** Polls an instant query until `ok(result)` holds; throws after `ms`. */
export async function waitForQuery(prometheusUrl, query, ok, what, ms = 60000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const r = await (await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`)).json();
      last = r?.data?.result;
      if (ok(last ?? [])) {
        return last;
      }
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > end) {
      throw new Error(`${what}: ${query} did not get there within ${ms} ms (last: ${JSON.stringify(last)})`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
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

/**
 * Starts the harness server; resolves to { url, subPath, role, logs, stop }. `subPath` ('/grafana') serves Grafana
 * under it only, as behind a reverse proxy (url then ends in /grafana/); `role` ('Viewer') signs in a Viewer.
 */
export async function startServer({
  prometheusUrl,
  dist = join(rootDir, 'dist'),
  host = 'host',
  subPath = '',
  role = 'Admin',
} = {}) {
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
        ...(subPath ? ['--sub-path', subPath] : []),
        '--role',
        role,
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
    subPath,
    role,
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
 * requests and any /api/ request the harness server does not serve (its 404 carries X-Harness-Unknown-Api; an API's own "not found", such as a missing folder, does not).
 */
/** Pages a spec has open (closed ones leave): a failing spec's pages are screenshotted by failureScreenshots. */
const openPages = new Set();

export async function openPage(ctx, server, path, { theme = 'dark', lang = 'en-US', width } = {}) {
  const page = await ctx.browser.newPage();
  // A width to lay the page out at (the viewport is 1440 × 1000 otherwise).
  if (width) {
    await page.setViewportSize({ width, height: 1000 });
  }
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.stack ?? e}`));
  page.on('console', (m) => {
    // Grafana's own assets that are not all published on npm (its fonts; icons beyond the subset @grafana/ui ships,
    // such as the spinner and pagination's angle-double-left): Grafana serves them, the harness cannot.
    if (m.type() === 'error' && /\/public\/(fonts\/|build\/img\/icons\/unicons\/)/.test(m.location()?.url ?? '')) {
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
  const origin = new URL(server.url).origin;
  const sub = server.subPath ?? '';
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.origin !== origin) {
      return;
    }
    if (sub && !u.pathname.startsWith(`${sub}/`)) {
      problems.push(
        `request outside the sub-path ${sub}/ (it reaches no Grafana): ${r.request().method()} ${u.pathname}`
      );
    } else if (u.pathname.startsWith(`${sub}/api/`) && r.status() === 404 && r.headers()['x-harness-unknown-api']) {
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

/**
 * The links of a page that a user can open in a new tab (every <a href>, resolved as the browser resolves it) that
 * leave Grafana: same-origin targets outside the sub-path. Returns [{ text, href }].
 */
export async function linksOutsideSubPath(page, server) {
  const sub = server.subPath ?? '';
  return page.locator('a[href]').evaluateAll(
    (anchors, { sub, origin }) =>
      anchors
        .map((a) => ({ text: (a.innerText || a.getAttribute('aria-label') || '').trim().slice(0, 60), href: a.href }))
        .filter(({ href }) => {
          const u = new URL(href);
          return u.origin === origin && !(u.pathname === sub || u.pathname.startsWith(`${sub}/`));
        }),
    { sub, origin: new URL(server.url).origin }
  );
}

export function assert(cond, message) {
  if (!cond) {
    throw new Error(message);
  }
}
