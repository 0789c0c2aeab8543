// Starts the PostgreSQL 15 + TimescaleDB cluster for this project's run (testing/src/timescaledb.ts).
module.exports = async () => {
  if (process.env.TEST_TIMESCALEDB_URL) return; // the developer's own cluster
  const { startTimescaleCluster } = require('../../../testing/dist/src/timescaledb.js');
  const cluster = await startTimescaleCluster();
  process.env.TEST_TIMESCALEDB_URL = cluster.url;
  globalThis.__NESTER_TEST_TIMESCALEDB__ = cluster;
};
