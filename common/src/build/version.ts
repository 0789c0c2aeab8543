// A binary's version: injected at build time into release bundles (esbuild `define` replaces
// NESTER_BUILD_VERSION with a string literal), read from the part's package.json when running
// from a checkout's dist/, where no bundler ran.

import { readFileSync } from 'node:fs';

declare const NESTER_BUILD_VERSION: string | undefined;

/** The version a release build injected, else the `version` of the package.json at `packageJsonPath`. */
export function buildVersion(packageJsonPath: string): string {
  if (typeof NESTER_BUILD_VERSION === 'string') return NESTER_BUILD_VERSION;
  return (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string }).version;
}
