const { rmSync } = require('node:fs');

module.exports = async () => {
  const state = globalThis.__NESTER_TEST_PG__;
  if (!state) return;
  await state.pg.stop();
  rmSync(state.dir, { recursive: true, force: true });
};
