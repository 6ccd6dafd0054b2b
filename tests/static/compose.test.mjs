// Static checks of the demo stack, for machines without a Docker engine:
//   node --test tests/static/compose.test.mjs
// docker-compose.yaml is checked against the Compose Specification schema (compose-spec.json beside this file:
// compose-spec/compose-spec, Apache-2.0, as embedded in github.com/compose-spec/compose-go/v2 v2.16.2, the loader
// of `docker compose`), then against what the stack needs: build inputs and mounted paths exist, images are
// pinned, every Prometheus target is a compose service, provisioning names the plugin ids of src/, and the
// Grafana image satisfies the plugin's grafanaDependency. Variables are interpolated with their defaults only,
// so the check is the same on every machine.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import semver from 'semver';
import YAML from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path) => readFileSync(join(root, path), 'utf8');
const readJson = (path) => JSON.parse(read(path));

/** Compose interpolation with an empty environment: ${VAR:-default} and ${VAR-default} give the default. */
function interpolate(text) {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name, op, arg, bare) => {
      if (match === '$$') {
        return '$$';
      }
      if (bare || !op) {
        return '';
      }
      if (op === ':?' || op === '?') {
        throw new Error(`${name} is required by docker-compose.yaml (${match})`);
      }
      return op.endsWith('-') ? arg : '';
    }
  );
}

const appPlugin = readJson('src/plugin.json');
const dataSourcePlugin = readJson('src/datasource/plugin.json');
const APP_ID = appPlugin.id;
const DATASOURCE_ID = dataSourcePlugin.id;
const GRAFANA_RANGE = appPlugin.dependencies.grafanaDependency;

const composeText = interpolate(read('docker-compose.yaml'));
const compose = YAML.parse(composeText, { merge: true });
const services = compose.services ?? {};
const serviceNames = new Set(Object.keys(services));

/** Dockerfile of a compose build, with its ARG defaults and FROM images resolved. */
function readDockerfile(build) {
  const context = typeof build === 'string' ? build : (build.context ?? '.');
  const dockerfile = posix.join(context, typeof build === 'string' ? 'Dockerfile' : (build.dockerfile ?? 'Dockerfile'));
  const lines = read(dockerfile)
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const args = {};
  const froms = [];
  const copies = [];
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const text = rest.join(' ');
    if (/^ARG$/i.test(instruction)) {
      const [name, value] = text.split('=');
      if (value !== undefined && !(name in args)) {
        args[name] = value.replace(/^"|"$/g, '');
      }
    } else if (/^FROM$/i.test(instruction)) {
      const image = rest.filter((word) => !word.startsWith('--'))[0];
      froms.push(image.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name) => args[name] ?? `<${name} unset>`));
    } else if (/^COPY$/i.test(instruction)) {
      const words = rest.filter((word) => !word.startsWith('--'));
      copies.push({
        fromStage: rest.some((word) => word.startsWith('--from=')),
        sources: words.slice(0, -1),
        target: words.at(-1),
      });
    }
  }
  return { context, dockerfile, args, froms, copies };
}

/** .dockerignore patterns as regular expressions over context-relative paths (enough for the patterns we use). */
function dockerignore(context) {
  const path = join(root, context, '.dockerignore');
  if (!existsSync(path)) {
    return () => false;
  }
  const patterns = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((pattern) => {
      assert.ok(!pattern.startsWith('!'), `.dockerignore exceptions are not handled by this check: ${pattern}`);
      const source = pattern
        .replace(/^\/+|\/+$/g, '')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '\u0000')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replace(/\u0000/g, '(?:.*/)?');
      return new RegExp(`^${source}(?:/.*)?$`);
    });
  return (relativePath) => patterns.some((pattern) => pattern.test(relativePath));
}

function pinnedTag(image) {
  const match = /^(?<name>[^:@]+)(?::(?<tag>[^@]+))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$/.exec(image);
  assert.ok(match, `cannot read image reference ${image}`);
  const { tag, digest } = match.groups;
  assert.ok(digest || (tag && tag !== 'latest' && /\d/.test(tag)), `${image} is not pinned to an explicit version`);
  return { name: match.groups.name, tag };
}

const prometheusService = services.prometheus;
const prometheusConfigFlag = (prometheusService?.command ?? []).find((arg) => arg.startsWith('--config.file='));

/** Host path of a file inside a container of a service, through its bind mounts. */
function hostPathOf(service, containerPath) {
  for (const volume of service.volumes ?? []) {
    const [source, target] = typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target];
    if (source.startsWith('.') && (containerPath === target || containerPath.startsWith(`${target}/`))) {
      return posix.join(source, containerPath.slice(target.length));
    }
  }
  return undefined;
}

const prometheusConfigPath = prometheusConfigFlag && hostPathOf(prometheusService, prometheusConfigFlag.split('=')[1]);
const prometheusConfig =
  prometheusConfigPath && existsSync(join(root, prometheusConfigPath))
    ? YAML.parse(read(prometheusConfigPath))
    : undefined;

const provisioningDir = 'provisioning';
const yamlFilesIn = (dir) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir))
        .filter((name) => /\.ya?ml$/.test(name))
        .map((name) => posix.join(dir, name))
    : [];
const provisionedApps = yamlFilesIn(`${provisioningDir}/plugins`).flatMap((file) =>
  (YAML.parse(read(file)).apps ?? []).map((app) => ({ ...app, file }))
);
const provisionedDataSources = yamlFilesIn(`${provisioningDir}/datasources`).flatMap((file) =>
  (YAML.parse(read(file)).datasources ?? []).map((ds) => ({ ...ds, file }))
);
const pulseDataSource = provisionedDataSources.find((ds) => ds.type === DATASOURCE_ID);

/** Host paths that exist only where a Docker engine runs (cAdvisor reads them); checked only there. */
const DOCKER_HOST_PATHS = new Set(['/var/lib/docker']);
const isDockerHost = existsSync('/var/run/docker.sock');

describe('docker-compose.yaml', () => {
  test('follows the Compose Specification', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(readJson('tests/static/compose-spec.json'));
    const valid = validate(compose);
    assert.ok(valid, ajv.errorsText(validate.errors, { separator: '\n' }));
  });

  test('starts Grafana, Prometheus and node-exporter', () => {
    for (const name of ['grafana', 'prometheus', 'node-exporter']) {
      assert.ok(serviceNames.has(name), `service ${name} is missing`);
    }
  });

  test('pins every image to an explicit version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.image) {
        pinnedTag(service.image);
      } else {
        assert.ok(service.build, `service ${name} has neither image nor build`);
      }
      if (service.build) {
        for (const image of readDockerfile(service.build).froms) {
          pinnedTag(image);
        }
      }
    }
  });

  test('builds from inputs that exist and are in the build context', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.build) {
        continue;
      }
      const { context, dockerfile, copies } = readDockerfile(service.build);
      assert.ok(statSync(join(root, context)).isDirectory(), `${name}: build context ${context} is not a directory`);
      assert.ok(existsSync(join(root, dockerfile)), `${name}: ${dockerfile} does not exist`);
      const ignored = dockerignore(context);
      for (const copy of copies.filter((c) => !c.fromStage)) {
        for (const source of copy.sources) {
          const relative = posix.normalize(source).replace(/^\.\/?/, '') || '.';
          assert.ok(
            existsSync(join(root, context, relative)),
            `${name}: COPY source ${source} does not exist in ${context}`
          );
          assert.ok(
            relative === '.' || !ignored(relative),
            `${name}: COPY source ${source} is excluded by .dockerignore`
          );
        }
      }
    }
  });

  test('mounts host paths that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
        const isBind = source.startsWith('.') || source.startsWith('/');
        if (!isBind) {
          assert.ok(source in (compose.volumes ?? {}), `${name}: named volume ${source} is not declared`);
        } else if (source.startsWith('.')) {
          assert.ok(existsSync(join(root, source)), `${name}: ${source} does not exist`);
        } else if (
          process.platform === 'linux' &&
          (isDockerHost || !DOCKER_HOST_PATHS.has(source.replace(/\/+$/, '')))
        ) {
          assert.ok(existsSync(source), `${name}: host path ${source} does not exist on this machine`);
        }
      }
    }
  });
});

describe('Grafana image', () => {
  const grafana = services.grafana;
  const dockerfile = readDockerfile(grafana.build);
  const grafanaImage = dockerfile.froms.at(-1);

  test(`runs a Grafana that satisfies grafanaDependency ${GRAFANA_RANGE}`, () => {
    const { name, tag } = pinnedTag(grafanaImage);
    assert.match(name, /^grafana\/grafana(-oss|-enterprise)?$/);
    const version = semver.coerce(tag)?.version;
    assert.ok(version && semver.satisfies(version, GRAFANA_RANGE), `${grafanaImage} does not satisfy ${GRAFANA_RANGE}`);
    const composeDefault = grafana.build.args?.GRAFANA_VERSION;
    assert.equal(
      composeDefault,
      dockerfile.args.GRAFANA_VERSION,
      'docker-compose.yaml and the Dockerfile default to different Grafana versions'
    );
  });

  test('builds the backend with a Go that go.mod accepts and the frontend with a Node that package.json accepts', () => {
    const goDirective = /^go\s+(\S+)/m.exec(read('go.mod'))[1];
    const goImage = dockerfile.froms.find((image) => image.startsWith('golang:'));
    assert.ok(goImage, 'no golang stage');
    assert.ok(
      semver.gte(semver.coerce(pinnedTag(goImage).tag), semver.coerce(goDirective)),
      `${goImage} is older than go ${goDirective}`
    );
    const nodeImage = dockerfile.froms.find((image) => image.startsWith('node:'));
    assert.ok(nodeImage, 'no node stage');
    const nodeRange = readJson('package.json').engines?.node ?? '*';
    assert.ok(
      semver.satisfies(semver.coerce(pinnedTag(nodeImage).tag), nodeRange),
      `${nodeImage} does not satisfy ${nodeRange}`
    );
  });

  test('installs the app and the backend executable of the nested data source', () => {
    const pluginDir = `/var/lib/grafana/plugins/${APP_ID}/`;
    const stageCopies = dockerfile.copies.filter((copy) => copy.fromStage);
    assert.ok(
      stageCopies.some((copy) => copy.sources.includes('/src/dist/') && copy.target === pluginDir),
      `dist/ is not copied to ${pluginDir}`
    );
    const executable = `${dataSourcePlugin.executable}_linux_`;
    assert.ok(
      stageCopies.some(
        (copy) =>
          copy.sources.some((source) => source.includes(`/dist/datasource/${executable}`)) &&
          copy.target === `${pluginDir}datasource/`
      ),
      `${executable}<arch> is not copied to ${pluginDir}datasource/`
    );
  });

  test('loads the unsigned plugins and the provisioning folder', () => {
    const allowed = String(grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS ?? '').split(',');
    assert.ok(
      allowed.includes(APP_ID) && allowed.includes(DATASOURCE_ID),
      `GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS must list ${APP_ID} and ${DATASOURCE_ID}`
    );
    assert.equal(hostPathOf(grafana, '/etc/grafana/provisioning'), provisioningDir);
  });
});

describe('Prometheus configuration', () => {
  test('is mounted into the prometheus service and parses', () => {
    assert.ok(prometheusConfigFlag, 'prometheus has no --config.file flag');
    assert.ok(prometheusConfigPath, `${prometheusConfigFlag} is not inside a bind mount of the repository`);
    assert.ok(prometheusConfig, `${prometheusConfigPath} does not exist`);
    assert.ok(Array.isArray(prometheusConfig.scrape_configs) && prometheusConfig.scrape_configs.length > 0);
  });

  test('scrapes every 5 s, like the data source expects', () => {
    assert.equal(prometheusConfig.global?.scrape_interval, '5s');
    assert.equal(pulseDataSource?.jsonData?.timeInterval, prometheusConfig.global.scrape_interval);
  });

  test('names a compose service in every target, and each job once', () => {
    const jobs = prometheusConfig.scrape_configs.map((job) => job.job_name);
    assert.deepEqual(jobs, [...new Set(jobs)], 'duplicate job_name');
    for (const job of prometheusConfig.scrape_configs) {
      const targets = (job.static_configs ?? []).flatMap((group) => group.targets ?? []);
      assert.ok(targets.length > 0, `job ${job.job_name} has no static targets`);
      for (const target of targets) {
        const [host, port] = target.split(':');
        assert.ok(serviceNames.has(host), `job ${job.job_name}: ${target} is not a service of docker-compose.yaml`);
        assert.match(port ?? '', /^\d+$/, `job ${job.job_name}: ${target} has no port`);
      }
    }
    assert.ok(jobs.includes('prometheus') && jobs.includes('node'), 'jobs prometheus and node are expected');
  });
});

describe('provisioning', () => {
  test('enables the Pulse app once, with the provisioned data source as its default', () => {
    const apps = provisionedApps.filter((app) => app.type === APP_ID);
    assert.equal(apps.length, 1, `${APP_ID} should be provisioned exactly once`);
    for (const app of provisionedApps) {
      assert.equal(app.type, APP_ID, `${app.file}: ${app.type} is not a plugin of this repository`);
    }
    assert.equal(apps[0].disabled, false);
    assert.equal(apps[0].jsonData?.defaultDatasourceUid, pulseDataSource?.uid);
  });

  test('adds the Pulse data source pointing at the compose Prometheus', () => {
    assert.ok(pulseDataSource, `no data source of type ${DATASOURCE_ID}`);
    assert.equal(pulseDataSource.uid, 'pulse-prometheus');
    assert.equal(pulseDataSource.isDefault, true);
    assert.deepEqual(
      { httpMethod: pulseDataSource.jsonData?.httpMethod, timeInterval: pulseDataSource.jsonData?.timeInterval },
      { httpMethod: 'POST', timeInterval: '5s' }
    );
    const url = new URL(pulseDataSource.url);
    assert.ok(serviceNames.has(url.hostname), `${pulseDataSource.url} is not a compose service`);
    assert.equal(url.hostname, 'prometheus');
    assert.equal(url.port, '9090');
  });

  test('provisions the example dashboards from this folder, on the Pulse data source', () => {
    const providers = yamlFilesIn(`${provisioningDir}/dashboards`).flatMap((file) =>
      (YAML.parse(read(file)).providers ?? []).map((provider) => ({ ...provider, file }))
    );
    assert.equal(providers.length, 1, 'one dashboard provider');
    const [provider] = providers;
    // The container path is where docker-compose.yaml mounts this folder.
    assert.equal(provider.options?.path, '/etc/grafana/provisioning/dashboards');
    const dashboards = readdirSync(join(root, provisioningDir, 'dashboards')).filter((name) => name.endsWith('.json'));
    assert.ok(dashboards.length > 0, 'no dashboard JSON beside the provider');
    const uids = [];
    for (const name of dashboards) {
      const dashboard = JSON.parse(read(posix.join(provisioningDir, 'dashboards', name)));
      assert.ok(dashboard.uid, `${name}: no fixed uid (the specs open it by uid)`);
      uids.push(dashboard.uid);
      const refs = [
        ...(dashboard.templating?.list ?? []).map((v) => v.datasource),
        ...(dashboard.panels ?? []).flatMap((panel) => [
          panel.datasource,
          ...(panel.targets ?? []).map((t) => t.datasource),
        ]),
      ].filter(Boolean);
      assert.ok(refs.length > 0, `${name}: no data source reference`);
      for (const ref of refs) {
        assert.deepEqual(ref, { type: DATASOURCE_ID, uid: pulseDataSource.uid }, `${name}: ${JSON.stringify(ref)}`);
      }
    }
    assert.deepEqual(uids, [...new Set(uids)]);
  });

  test('has one default data source and unique uids', () => {
    assert.equal(provisionedDataSources.filter((ds) => ds.isDefault).length, 1);
    const uids = provisionedDataSources.map((ds) => ds.uid);
    assert.deepEqual(uids, [...new Set(uids)]);
    for (const ds of provisionedDataSources) {
      assert.ok(ds.uid, `${ds.file}: ${ds.name} has no fixed uid`);
    }
  });
});

/** A service's environment as an object (compose allows a map or a list of KEY=VALUE). */
function environmentOf(service) {
  const env = service?.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0], entry.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

const scrapeJob = (name) => prometheusConfig?.scrape_configs?.find((job) => job.job_name === name);
const jobTargets = (job) => (job?.static_configs ?? []).flatMap((group) => group.targets ?? []);
const demoApp = 'demo/nestjs-app';
const nestServices = Object.entries(services).filter(
  ([, service]) =>
    service.build &&
    posix.normalize(typeof service.build === 'string' ? service.build : service.build.context) === demoApp
);

describe('demo stack (the seed: exporters, PostgreSQL, NestJS services, load)', () => {
  test('runs cAdvisor, PostgreSQL, postgres-exporter, the NestJS services and the load generator', () => {
    for (const name of ['cadvisor', 'postgres', 'postgres-exporter', 'load']) {
      assert.ok(serviceNames.has(name), `service ${name} is missing`);
    }
    assert.match(services.cadvisor.image, /^gcr\.io\/cadvisor\/cadvisor:/);
    assert.match(services.postgres.image, /^postgres:16[.-]/);
    assert.match(services['postgres-exporter'].image, /^quay\.io\/prometheuscommunity\/postgres-exporter:/);
  });

  test('builds every NestJS service from demo/nestjs-app with a Node that its package.json accepts', () => {
    assert.ok(nestServices.length >= 2, 'at least two services are built from demo/nestjs-app');
    const { froms } = readDockerfile(nestServices[0][1].build);
    const nodeRange = readJson(`${demoApp}/package.json`).engines?.node ?? '*';
    for (const image of froms) {
      assert.match(image, /^node:/);
      assert.ok(
        semver.satisfies(semver.coerce(pinnedTag(image).tag), nodeRange),
        `${image} does not satisfy ${nodeRange}`
      );
    }
    const loadImage = services.load.image;
    assert.ok(
      semver.satisfies(semver.coerce(pinnedTag(loadImage).tag), nodeRange),
      `load: ${loadImage} does not satisfy ${nodeRange}`
    );
  });

  test('configures two distinct services and exactly one WRAP_METRICS instance', () => {
    const names = new Set();
    const wrapped = [];
    for (const [name, service] of nestServices) {
      const env = environmentOf(service);
      for (const key of ['SERVICE_DOMAIN', 'SERVICE_NAME', 'SERVICE_VERSION', 'METRICS_PATH', 'DATABASE_URL']) {
        assert.ok(env[key], `${name}: ${key} is not set`);
      }
      if (env.WRAP_METRICS === 'true') {
        wrapped.push(name);
      } else {
        names.add(`${env.SERVICE_DOMAIN}.${env.SERVICE_NAME}@${env.SERVICE_VERSION}`);
      }
      const db = new URL(env.DATABASE_URL);
      assert.ok(serviceNames.has(db.hostname), `${name}: DATABASE_URL host ${db.hostname} is not a compose service`);
      assert.equal(db.hostname, 'postgres');
    }
    assert.deepEqual([...names].sort(), ['shop.gateway@1.4.2', 'shop.orders@2.0.1']);
    assert.equal(wrapped.length, 1, `one service with WRAP_METRICS=true, got ${wrapped}`);
  });

  test('points postgres-exporter at the PostgreSQL service, as the seed DATA_SOURCE_NAME does', () => {
    const dsn = new URL(environmentOf(services['postgres-exporter']).DATA_SOURCE_NAME);
    assert.equal(dsn.protocol, 'postgresql:');
    assert.equal(dsn.hostname, 'postgres');
    assert.equal(dsn.port || '5432', '5432');
  });

  test('scrapes cAdvisor, postgres-exporter and every NestJS service with the seed jobs', () => {
    assert.deepEqual(jobTargets(scrapeJob('cadvisor')), ['cadvisor:8080']);
    assert.deepEqual(jobTargets(scrapeJob('postgres')), ['postgres-exporter:9187']);
    const nestjs = scrapeJob('nestjs');
    assert.ok(nestjs, 'job nestjs is missing');
    assert.deepEqual(
      jobTargets(nestjs).sort(),
      nestServices.map(([name]) => `${name}:3000`).sort(),
      'the nestjs job scrapes exactly the services built from demo/nestjs-app'
    );
    for (const [name, service] of nestServices) {
      assert.equal(
        nestjs.metrics_path ?? '/metrics',
        environmentOf(service).METRICS_PATH,
        `${name}: METRICS_PATH differs from the job's metrics_path`
      );
    }
    for (const group of nestjs.static_configs) {
      const [host] = group.targets[0].split(':');
      const env = environmentOf(services[host]);
      assert.equal(group.labels?.service, `${env.SERVICE_DOMAIN}.${env.SERVICE_NAME}`, `${host}: service label`);
    }
  });

  test('bounds the load generator and keeps it on the compose network', () => {
    const load = services.load;
    const env = environmentOf(load);
    assert.equal(env.LOAD_COMPOSE_NETWORK, 'true');
    assert.ok(
      hostPathOf(load, '/load/load.mjs') === 'demo/load/load.mjs' && existsSync(join(root, 'demo/load/load.mjs'))
    );
    const args = load.command;
    const flag = (name) => args.filter((_, i) => args[i - 1] === name);
    const targets = flag('--target').map((t) => new URL(t));
    assert.ok(targets.length >= 2);
    for (const target of targets) {
      assert.ok(
        nestServices.some(([name]) => name === target.hostname),
        `${target} is not a NestJS service`
      );
      assert.notEqual(
        environmentOf(services[target.hostname]).WRAP_METRICS,
        'true',
        'load goes to the working services'
      );
    }
    const rate = Number(flag('--rate')[0] ?? env.LOAD_RATE);
    assert.ok(rate > 0 && rate <= 200, `rate ${rate}`);
    const duration = flag('--duration')[0] ?? env.LOAD_DURATION;
    assert.match(duration, /^\d+(s|m|h)$/);
    assert.ok(!/^\d+h$/.test(duration) || Number.parseInt(duration, 10) <= 24, `duration ${duration} over 24h`);
    assert.notEqual(load.restart, 'always');
    assert.notEqual(load.restart, 'unless-stopped', 'a finished load run must not restart forever');
  });
});
