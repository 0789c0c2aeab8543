// Shared jest settings for the Node workspaces: TypeScript through swc (fast, no type check;
// `npm run build` type-checks), and workspace imports resolved to sources so tests never
// depend on a stale dist/.
const path = require('node:path');

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
  moduleNameMapper: {
    '^@nester/common/(.*)$': path.join(__dirname, 'common/src/$1'),
  },
  ...overrides,
});
