module.exports = async () => {
  await globalThis.__NESTER_TEST_TIMESCALEDB__?.stop();
};
