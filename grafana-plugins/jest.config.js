// Component tests run in jsdom; browser tests declare `@jest-environment node`. The sandbox's own
// tests are a project of their own (sandbox/jest.config.js).
// TSX goes through swc with React's automatic runtime, as the webpack build does.
const path = require('node:path');
const { workspaceSources } = require('../jest.preset.js');

const esModules = require('./jest.es-modules.js');

// The datasource plugin's sources live with the adapter (datasource-timescale/plugin/src) but
// are built and tested with this workspace's toolchain, so this project runs their tests too.
const DATASOURCE_PLUGIN = path.join(__dirname, '..', 'datasource-timescale', 'plugin', 'src');

module.exports = {
  displayName: 'grafana-plugins',
  rootDir: __dirname,
  roots: ['<rootDir>', DATASOURCE_PLUGIN],
  testEnvironment: 'jsdom',
  testMatch: [
    `${DATASOURCE_PLUGIN}/**/*.test.ts?(x)`,
    '<rootDir>/src/**/*.test.ts?(x)',
    '<rootDir>/build/**/*.test.ts',
    '<rootDir>/test/**/*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFilesAfterEnv: [path.join(__dirname, 'jest.setup.ts')],
  // The React the components are tested with (jest.react19.config.js runs them again on 19).
  globals: { EXPECTED_REACT_MAJOR: '18' },
  transform: {
    '^.+\\.(m?js|jsx|tsx?)$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
      },
    ],
  },
  // Packages published as ES modules only must be transformed too (create-plugin keeps the
  // same kind of list for what @grafana/* pulls in).
  transformIgnorePatterns: [`/node_modules/(?!(${esModules.join('|')})/)`],
  moduleNameMapper: {
    // The end-to-end tests start the real stack with the test support of testing/.
    ...workspaceSources,
    '^react-inlinesvg$': path.join(__dirname, 'test/support/reactInlineSvg.tsx'),
    '\\.css$': path.join(__dirname, 'test/support/styleStub.js'),
    '\\.svg$': path.join(__dirname, 'test/support/styleStub.js'),
  },
};
