// The adapter's storage (policies, flags, least privilege), query, PromQL, remote_read and Prometheus
// end-to-end tests a second time, on a PostgreSQL 15 with TimescaleDB that this project starts
// itself: hypertables, compression and policies take different code paths from plain
// PostgreSQL's partitions.
const preset = require('../jest.preset.js');

module.exports = preset(__dirname, {
  displayName: 'datasource-timescale on TimescaleDB',
  testMatch: [
    'storage',
    'storage-jobs',
    'least-privilege',
    'write',
    'query',
    'range-functions',
    'sql-reader',
    'prometheus.e2e',
    'prometheus-peer.e2e',
    'promql-differential.e2e',
    'dashboard-node-mixin.e2e',
    'promql-api',
  ].map((name) => `<rootDir>/test/${name}.test.ts`),
  globalSetup: '<rootDir>/test/timescaledb/global-setup.js',
  globalTeardown: '<rootDir>/test/timescaledb/global-teardown.js',
  setupFiles: ['<rootDir>/test/timescaledb/use-timescaledb.js'],
});
