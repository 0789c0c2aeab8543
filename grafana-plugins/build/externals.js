// Modules Grafana shares with plugins at run time (its SystemJS import map). They must not be
// bundled: a plugin has to use Grafana's own React, Grafana UI theme and runtime services.
// react/jsx-runtime is shared by Grafana from 11.6.11, 12.0.10, 12.1.7 and 12.2.5 on (grafana
// PR #108478 and its backports); that sets the grafanaDependency floor of these plugins.
const sharedModules = [
  'lodash',
  'jquery',
  'moment',
  'slate',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'prismjs',
  'slate-plain-serializer',
  '@grafana/slate-react',
  'react',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-dom',
  'react-redux',
  'redux',
  'rxjs',
  'rxjs/operators',
  'i18next',
  'react-router',
  'd3',
  'angular',
];

// Subpath imports (e.g. @grafana/ui/unstable) are Grafana's too.
const sharedPatterns = [/^@grafana\/(ui|runtime|data)(\/.*)?$/];

module.exports = [
  // The AMD `module` meta object: its uri tells the bundle where its chunks live.
  { 'amd-module': 'module' },
  ...sharedModules,
  ...sharedPatterns,
];
module.exports.sharedModules = sharedModules;
module.exports.sharedPatterns = sharedPatterns;
