// The provisioning files' checks (shape, ids, uids, panel types), the dashboards against their
// TypeScript sources, and the panels' transformations run with @grafana/data.
const preset = require('../jest.preset.js');

// What @grafana/data loads that is published as ES modules only (grafana-plugins/jest.config.js
// keeps the longer list @grafana/ui needs).
const esModules = ['d3', 'd3-[a-z-]+', 'internmap', 'marked', 'uuid', 'rxjs'];

module.exports = preset(__dirname, {
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  transform: {
    '^.+\\.(m?js|tsx?)$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esModules.join('|')})/)`],
});
