// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// ES-module-only packages that @grafana/* 13 (and MSW) pull in, beyond the scaffold's list
const MORE_ES_MODULES = ['@react-hookz', '@ver0/deep-equal', 'rettime', '@open-draft/deferred-promise', 'until-async'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // some of Grafana's ES-module-only dependencies ship `.mjs` (d3-interpolate 3.0.2): compile them
  // like the rest (transformIgnorePatterns still decides which node_modules are compiled)
  transform: { ...base.transform, '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'] },
  moduleNameMapper: {
    ...base.moduleNameMapper,
    // the scaffold's mock takes seconds on Grafana UI's inline SVGs (see the file)
    'react-inlinesvg': '<rootDir>/src/test/mocks/react-inlinesvg.tsx',
  },
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, ...MORE_ES_MODULES])],
  // jsdom with Node's Fetch API, for MSW (see the file)
  testEnvironment: '<rootDir>/jest.environment.js',
  // after the scaffold's jest-setup.js: MSW server lifecycle, the @grafana/runtime test doubles,
  // and the OpenAPI check of every MSW answer (src/test/setupTests.ts)
  setupFilesAfterEnv: [...base.setupFilesAfterEnv, '<rootDir>/src/test/setupTests.ts'],
  // Grafana UI renders big trees; 2 shared cores
  testTimeout: 20_000,
  watchPathIgnorePatterns: [...base.watchPathIgnorePatterns, '<rootDir>/test-host'],
};
