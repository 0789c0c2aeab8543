// One JavaScript file per binary (esbuild), from the compiled dist/ of its workspace, with the
// version and the addons' folder injected, and the packages it pulled in (for their licences).

import { build } from 'esbuild';
import { dirname, join, resolve, sep } from 'node:path';

export interface BundleOptions {
  /** The compiled entry point, e.g. agent/dist/src/cli.js. */
  entry: string;
  outfile: string;
  /** Packages kept as files beside the bundle (native addons, optional parts). */
  external: string[];
  /** Global identifiers replaced by JSON values (common/build/version.ts NESTER_BUILD_VERSION, ...). */
  define: Record<string, string>;
}

/** Bundles `entry`; answers the package folders (under some node_modules/) whose code went in. */
export async function bundle(options: BundleOptions): Promise<string[]> {
  const result = await build({
    entryPoints: [options.entry],
    outfile: options.outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: options.external,
    define: Object.fromEntries(Object.entries(options.define).map(([name, value]) => [name, JSON.stringify(value)])),
    metafile: true,
    logLevel: 'error',
    // Licence headers of bundled code stay in the bundle; the full texts go to THIRD_PARTY_LICENSES.
    legalComments: 'eof',
    absWorkingDir: dirname(options.entry),
  });
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const dir = packageDirOf(resolve(dirname(options.entry), input));
    if (dir) packages.add(dir);
  }
  return [...packages].sort();
}

/** The folder of the npm package a file belongs to (node_modules/name or node_modules/@scope/name). */
export function packageDirOf(file: string): string | undefined {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const length = parts[at + 1].startsWith('@') ? 3 : 2;
  return join(sep, ...parts.slice(0, at + length));
}
