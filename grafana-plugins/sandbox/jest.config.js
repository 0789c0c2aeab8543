// The sandbox's own tests: its Node server (proxy, roles, templates, ID tokens, settings,
// datasources) and the shell's pure parts, in Node. The plugins' browser tests, which drive the
// built plugins in the sandbox with Chromium, are in grafana-plugins/test.
module.exports = require('../../jest.preset.js')(__dirname, {
  testMatch: ['<rootDir>/server/**/*.test.ts', '<rootDir>/shell/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
});
