// The sandbox's own tests: its Node server (proxy, roles, templates, ID tokens, settings,
// datasources) and the shell's pure parts, in Node. The plugins' browser tests, which drive the
// built plugins in the sandbox with Chromium, are in grafana-plugins/test.
const esModules = require('../jest.es-modules.js');

module.exports = require('../../jest.preset.js')(__dirname, {
  testMatch: ['<rootDir>/server/**/*.test.ts', '<rootDir>/shell/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // @grafana/data (a server test checks the sandbox's interval rounding against it) pulls in
  // packages published as ES modules only: transformed as the plugins' project does.
  transform: {
    '^.+\\.(m?js|tsx?)$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esModules.join('|')})/)`],
});
