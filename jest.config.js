// One jest run for the whole repository: every workspace with a jest.config.js is a project,
// plus the plugins' component tests a second time on React 19, the adapter's storage and query
// tests a second time on TimescaleDB, the Ansible roles (ansible/, not an npm workspace) and
// `npm start`'s demo (scripts/demo/, not a workspace either).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { workspaces } = require('./package.json');

module.exports = {
  projects: [
    ...workspaces.filter((dir) => existsSync(join(__dirname, dir, 'jest.config.js'))).map((dir) => `<rootDir>/${dir}`),
    '<rootDir>/grafana-plugins/jest.react19.config.js',
    '<rootDir>/datasource-timescale/jest.timescaledb.config.js',
    '<rootDir>/ansible',
    '<rootDir>/scripts/demo',
  ],
  // testTimeout is a global option: the projects' own settings are ignored in a multi-project run,
  // which left every test at jest's 5 s default. A guard against hangs, not a speed check.
  testTimeout: 30_000,
  globalSetup: '<rootDir>/jest.global-setup.js',
  globalTeardown: '<rootDir>/jest.global-teardown.js',
};
