// Starts one PostgreSQL for the whole test run, unless TEST_DATABASE_URL points at one.
// Test files create their own databases on it (testing/src/database.ts).
const { mkdtempSync } = require('node:fs');

module.exports = async () => {
  if (process.env.TEST_DATABASE_URL) return;
  const { startEmbeddedPostgres } = require('./common/dist/src/db/embedded.js');
  const { createLogger } = require('./common/dist/src/log/logger.js');
  const dir = mkdtempSync('/tmp/nester-test-pg-');
  const pg = await startEmbeddedPostgres(dir, createLogger({ name: 'test-postgres', level: 'warn' }));
  const { host, user, password, database } = pg.connection;
  process.env.TEST_DATABASE_URL = `postgres://${user}:${encodeURIComponent(password)}@localhost/${database}?host=${encodeURIComponent(host)}`;
  globalThis.__NESTER_TEST_PG__ = { pg, dir };
};
