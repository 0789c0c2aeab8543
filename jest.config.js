// One jest run for the whole repository: every workspace with a jest.config.js is a project.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { workspaces } = require('./package.json');

module.exports = {
  projects: workspaces
    .filter((dir) => existsSync(join(__dirname, dir, 'jest.config.js')))
    .map((dir) => `<rootDir>/${dir}`),
  globalSetup: '<rootDir>/jest.global-setup.js',
  globalTeardown: '<rootDir>/jest.global-teardown.js',
};
