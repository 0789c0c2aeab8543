// The Ansible roles' tests: ansible-lint and argument specs (fast), and the converge test, which runs
// site.yml against a booted Debian 12 (systemd-nspawn) with the archives of `npm run release`.
module.exports = require('../jest.preset.js')(__dirname, { testMatch: ['<rootDir>/tests/**/*.test.ts'] });
