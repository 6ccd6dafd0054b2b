import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'fs';
import path from 'path';

// Offline stand-in for the parts of Grafana's plugin validator we can run here (DESIGN §9): every plugin.json
// against the validator's copy of the plugin.json schema, plus the archive rules it checks.

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
// CI places the shared folder beside the clone.
const SCHEMA_PATH = path.resolve(__dirname, '../../shared/reference/plugin.schema.json');

const DATASOURCE_ID = 'pulse-prometheus-datasource';
const EXECUTABLE = 'gpx_pulse_prometheus';

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const hasDist = fs.existsSync(path.join(DIST, 'plugin.json'));

function loadSchemaValidator() {
  if (!fs.existsSync(SCHEMA_PATH)) {
    throw new Error(
      `plugin.json schema not found at ${SCHEMA_PATH}. It comes from the shared folder (shared/reference/plugin.schema.json), ` +
        'which must sit beside this repository.'
    );
  }
  // The schema is draft-07 with regexes written for non-unicode engines (e.g. "\-"), as Grafana's validator reads it.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(readJson(SCHEMA_PATH));
}

function pluginJsonFiles(): Array<[string, string]> {
  const files: Array<[string, string]> = [
    ['src/plugin.json', path.join(SRC, 'plugin.json')],
    ['src/datasource/plugin.json', path.join(SRC, 'datasource', 'plugin.json')],
  ];
  if (hasDist) {
    files.push(
      ['dist/plugin.json', path.join(DIST, 'plugin.json')],
      ['dist/datasource/plugin.json', path.join(DIST, 'datasource', 'plugin.json')]
    );
  }
  return files;
}

function sourceFiles(dir: string, pattern: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(full, pattern);
    }
    return pattern.test(entry.name) ? [full] : [];
  });
}

describe('plugin.json files', () => {
  const validate = loadSchemaValidator();

  it.each(pluginJsonFiles())('%s matches the plugin.json schema', (_name, file) => {
    const valid = validate(readJson(file));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each(pluginJsonFiles())('%s names logos that exist', (_name, file) => {
    const { logos } = readJson(file).info;
    for (const logo of [logos.small, logos.large]) {
      expect(fs.existsSync(path.join(path.dirname(file), logo))).toBe(true);
    }
  });

  const trees: Array<[string, string]> = hasDist
    ? [
        ['src', SRC],
        ['dist', DIST],
      ]
    : [['src', SRC]];

  describe.each(trees)('in %s/', (_name, dir) => {
    const root = readJson(path.join(dir, 'plugin.json'));
    const nested = readJson(path.join(dir, 'datasource', 'plugin.json'));

    it('the app includes the nested data source by path', () => {
      expect(root.includes).toContainEqual(
        expect.objectContaining({ type: 'datasource', path: 'datasource/plugin.json' })
      );
      expect(nested.id).toBe(DATASOURCE_ID);
      expect(nested.type).toBe('datasource');
    });

    it('only the nested data source has a backend', () => {
      expect(root.backend).toBeFalsy();
      expect(root.executable).toBeUndefined();
      expect(nested).toEqual(expect.objectContaining({ backend: true, alerting: true, executable: EXECUTABLE }));
    });

    it('both declare the languages they ship, and ship them', () => {
      for (const [plugin, base] of [
        [root, dir],
        [nested, path.join(dir, 'datasource')],
      ]) {
        expect(plugin.languages).toEqual(['en-US', 'ko-KR']);
        for (const language of plugin.languages) {
          expect(fs.existsSync(path.join(base, 'locales', language, `${plugin.id}.json`))).toBe(true);
        }
      }
    });
  });

  // One version, package.json's (plugin.json says %VERSION%): each release moves it and gets a CHANGELOG entry, so
  // Grafana's module cache (?_cache=<version>) never serves an old build under a new version.
  it('versions the plugin from package.json, matching the newest CHANGELOG entry', () => {
    const { version } = readJson(path.join(SRC, '..', 'package.json'));
    const newest = fs.readFileSync(path.join(SRC, '..', 'CHANGELOG.md'), 'utf8').match(/^## (\S+)/m)?.[1];
    expect(newest).toBe(version);
    expect(readJson(path.join(SRC, 'plugin.json')).info.version).toBe('%VERSION%');
    expect(readJson(path.join(SRC, 'datasource', 'plugin.json')).info.version).toBe('%VERSION%');
    if (hasDist) {
      expect(readJson(path.join(DIST, 'plugin.json')).info.version).toBe(version);
    }
  });

  (hasDist ? describe : describe.skip)('dist archive', () => {
    it('has README, CHANGELOG and LICENSE', () => {
      for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE']) {
        expect(fs.existsSync(path.join(DIST, file))).toBe(true);
      }
    });

    it('has the screenshots plugin.json names', () => {
      const { screenshots } = readJson(path.join(DIST, 'plugin.json')).info;
      expect(screenshots.length).toBeGreaterThan(0);
      for (const shot of screenshots) {
        expect(fs.existsSync(path.join(DIST, shot.path))).toBe(true);
      }
    });

    // The catalog shows the archive's README, where a relative link leads nowhere (the validator refuses them).
    it('has a README with absolute links only', () => {
      const readme = fs.readFileSync(path.join(DIST, 'README.md'), 'utf8');
      const links = [...readme.matchAll(/\]\(([^)\s]+)\)|<(?:img|a)\s[^>]*(?:src|href)="([^"]+)"/g)].map(
        (m) => m[1] ?? m[2]
      );
      expect(links.filter((link) => !/^https:\/\//.test(link))).toEqual([]);
    });

    it('has both module.js bundles', () => {
      expect(fs.existsSync(path.join(DIST, 'module.js'))).toBe(true);
      expect(fs.existsSync(path.join(DIST, 'datasource', 'module.js'))).toBe(true);
    });

    // The backend binaries come from `mage`; a frontend-only build has none, which this does not judge.
    const binaries = fs.existsSync(path.join(DIST, 'datasource'))
      ? fs.readdirSync(path.join(DIST, 'datasource')).filter((f) => f.startsWith(`${EXECUTABLE}_`))
      : [];
    (binaries.length > 0 ? it : it.skip)('has executable backend binaries for linux amd64 and arm64', () => {
      for (const arch of ['amd64', 'arm64']) {
        const binary = path.join(DIST, 'datasource', `${EXECUTABLE}_linux_${arch}`);
        expect(fs.existsSync(binary)).toBe(true);
        expect(fs.statSync(binary).mode & 0o111).not.toBe(0);
      }
    });
  });
});

describe('code the validator rejects', () => {
  const shipped = [
    ...sourceFiles(SRC, /\.(ts|tsx|js|jsx)$/).filter((file) => !/\.test\.(ts|tsx|js|jsx)$/.test(file)),
    ...(hasDist ? sourceFiles(DIST, /\.js$/) : []),
  ];

  it('finds files to check', () => {
    expect(shipped.length).toBeGreaterThan(0);
  });

  it.each([
    ['calls /api/ds/query by hand (use DataSourceWithBackend / the query runner)', '/api/ds/query'],
    ['reads window.grafanaBootData (use config from @grafana/runtime)', 'grafanaBootData'],
  ])('no file %s', (_rule, needle) => {
    const offenders = shipped.filter((file) => fs.readFileSync(file, 'utf8').includes(needle));
    expect(offenders.map((file) => path.relative(ROOT, file))).toEqual([]);
  });
});
