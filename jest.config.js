// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const baseConfig = require('./.config/jest.config');

// The generated transform only matches .(t|j)sx?; @grafana/data reaches d3-color's ES-module .mjs files,
// which need the same swc transform.
const swcTransform = baseConfig.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  ...baseConfig,
  transform: {
    ...baseConfig.transform,
    '^.+\\.mjs$': swcTransform,
  },
  moduleNameMapper: {
    ...baseConfig.moduleNameMapper,
    // Under jsdom, yaml resolves to its ES-module browser build, which Jest does not transform; the pages reach it
    // through src/alerts/export.ts. Its CommonJS build is the same code.
    '^yaml$': '<rootDir>/node_modules/yaml/dist/index.js',
  },
  // Rendering whole @grafana/ui forms and a scenes app in jsdom on two cores can pass Jest's 5 s default.
  testTimeout: 20000,
};
