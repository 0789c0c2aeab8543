// The React component tests again, on React 19: Grafana 13.2+ renders plugins with it, Grafana 12
// with React 18 (jest.config.js). React 19 comes from test/react19 (installed by .ci/install-deps);
// everything that imports react or react-dom, @grafana/ui and Testing Library included, gets it.
const { existsSync } = require('node:fs');
const path = require('node:path');
const base = require('./jest.config');

const REACT_19 = path.join(__dirname, 'test', 'react19', 'node_modules');
const [appRoot, datasourceRoot] = base.roots;
if (!existsSync(path.join(REACT_19, 'react-dom', 'package.json'))) {
  throw new Error('React 19 for the component tests is missing: run `bash .ci/install-deps` (npm test does)');
}

module.exports = {
  ...base,
  displayName: 'grafana-plugins (React 19)',
  testMatch: [`${appRoot}/src/**/*.test.tsx`, `${datasourceRoot}/**/*.test.tsx`],
  globals: { ...base.globals, EXPECTED_REACT_MAJOR: '19' },
  moduleNameMapper: {
    '^react$': path.join(REACT_19, 'react'),
    '^react/(.*)$': path.join(REACT_19, 'react', '$1'),
    '^react-dom$': path.join(REACT_19, 'react-dom'),
    '^react-dom/(.*)$': path.join(REACT_19, 'react-dom', '$1'),
    ...base.moduleNameMapper,
  },
};
