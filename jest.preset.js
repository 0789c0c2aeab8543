// Shared jest settings for the Node workspaces: TypeScript through swc (fast, no type check;
// `npm run build` type-checks), and workspace imports resolved to sources so tests never
// depend on a stale dist/.
const path = require('node:path');

// Workspace imports to their sources. @nester/agent/package.json stays the real file: the agent and
// the test support find the agent's folder (bin/, native/) through it.
const workspaceSources = {
  '^@nester/common/(.*)$': path.join(__dirname, 'common/src/$1'),
  '^@nester/contracts/(.*)$': path.join(__dirname, 'common/contracts/src/$1'),
  '^@nester/agent/(?!package\\.json$)(.*)$': path.join(__dirname, 'agent/src/$1'),
  '^@nester/testing/(.*)$': path.join(__dirname, 'testing/src/$1'),
};

module.exports = (dir, overrides = {}) => ({
  displayName: path.basename(dir),
  rootDir: dir,
  testEnvironment: 'node',
  // A guard against hangs, not a speed check: CI runs everything on 2 shared cores, where spawning
  // a binary or starting PostgreSQL can take several seconds.
  testTimeout: 30_000,
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  moduleNameMapper: workspaceSources,
  ...overrides,
});
module.exports.workspaceSources = workspaceSources;
