// Starts one PostgreSQL for the whole test run, unless TEST_DATABASE_URL points at one or the run
// is the unit loop (NESTER_UNIT_TESTS=1: tests under src/ need no peers, and a test that asks for
// a database there fails with createTestDatabase's message). Test files create their own
// databases on it (testing/src/database.ts).
const { mkdtempSync } = require('node:fs');

module.exports = async () => {
  if (process.env.TEST_DATABASE_URL || process.env.NESTER_UNIT_TESTS) return;
  const { startEmbeddedPostgres } = require('./common/dist/src/db/embedded.js');
  const { createLogger } = require('./common/dist/src/log/logger.js');
  const dir = mkdtempSync('/tmp/nester-test-pg-');
  const pg = await startEmbeddedPostgres(dir, createLogger({ name: 'test-postgres', level: 'warn' }));
  const { host, user, password, database } = pg.connection;
  process.env.TEST_DATABASE_URL = `postgres://${user}:${encodeURIComponent(password)}@localhost/${database}?host=${encodeURIComponent(host)}`;
  globalThis.__NESTER_TEST_PG__ = { pg, dir };
};
