// Packages published as ES modules only, which jest must transform (create-plugin keeps the same
// kind of list for what @grafana/* pulls in): shared by the plugins' and the sandbox's projects.
module.exports = [
  '@novnc',
  '@xterm',
  'd3',
  'd3-[a-z-]+',
  'internmap',
  'delaunator',
  'robust-predicates',
  'ol',
  'uuid',
  'marked',
  'react-colorful',
  '@hello-pangea',
  'rxjs',
  '@grafana/schema',
];
