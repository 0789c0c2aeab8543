// Each test file of this project creates its databases on the TimescaleDB cluster; the tests read
// NESTER_TEST_BACKEND to assert the adapter really took the TimescaleDB path.
process.env.TEST_DATABASE_URL = process.env.TEST_TIMESCALEDB_URL;
process.env.NESTER_TEST_BACKEND = 'timescaledb';
