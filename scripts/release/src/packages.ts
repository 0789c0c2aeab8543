// npm packages that ship as files beside a bundle (native addons, and what they load), and the
// licence texts of everything an archive carries.

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export interface PackageInfo {
  name: string;
  version: string;
  license: string;
  dir: string;
}

/** Packages a package.json lists that nothing loads at run time (headers for building the addon). */
const BUILD_ONLY = new Set(['node-addon-api', 'node-gyp-build']);

/** What a running program never reads: sources, other platforms' prebuilt addons, docs, maps, tests. */
export function isRuntimeFile(path: string): boolean {
  const parts = path.split(sep);
  const top = parts[0];
  const skipped = ['src', 'deps', 'third_party', 'scripts', 'typings', 'prebuilds', 'test', 'tests', 'node-addon-api'];
  if (skipped.includes(top) || top.startsWith('.')) return false;
  // node-gyp's output: only the addon itself (build/, build/Release/, build/Release/*.node).
  if (top === 'build')
    return parts.length === 1 || (parts[1] === 'Release' && (parts.length === 2 || path.endsWith('.node')));
  const name = parts[parts.length - 1];
  if (name === 'Makefile' || name === 'binding.gyp') return false;
  if (/\.(map|d\.ts|d\.mts|d\.cts|md|markdown|gyp|gypi|mk|cc|h|c)$/i.test(name) && !/^licen[cs]e/i.test(name))
    return false;
  return !/\.test\.js$/.test(name);
}

export function readPackage(dir: string): PackageInfo {
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    license?: string;
  };
  return { name: json.name, version: json.version, license: json.license ?? 'UNKNOWN', dir };
}

/** Node's lookup: node_modules/<name> in `from` or the nearest folder above it that has one. */
export function resolvePackageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Copies `names` and their run-time dependencies (optional ones only when installed, i.e. this
 * platform's addon) from the checkout into `nodeModules`, keeping only run-time files.
 */
export function copyPackages(names: string[], repo: string, nodeModules: string): PackageInfo[] {
  const copied = new Map<string, PackageInfo>();
  const visit = (name: string, from: string, optional: boolean) => {
    if (BUILD_ONLY.has(name)) return;
    const dir = resolvePackageDir(name, from);
    if (!dir) {
      if (optional) return;
      throw new Error(`${name} is not installed (from ${relative(repo, from) || '.'}): run npm ci first`);
    }
    const info = readPackage(dir);
    const seen = copied.get(name);
    if (seen) {
      if (seen.version !== info.version)
        throw new Error(`two versions of ${name} (${seen.version}, ${info.version}) would share lib/node_modules`);
      return;
    }
    copied.set(name, info);
    const target = join(nodeModules, name);
    mkdirSync(target, { recursive: true });
    cpSync(dir, target, {
      recursive: true,
      filter: (source) => source === dir || isRuntimeFile(relative(dir, source)),
    });
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(json.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys(json.optionalDependencies ?? {})) visit(dep, dir, true);
  };
  for (const name of names) visit(name, repo, false);
  return [...copied.values()];
}

/** The package's own licence file, if it ships one. */
export function licenceText(dir: string): string | undefined {
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
  return file ? readFileSync(join(dir, file), 'utf8') : undefined;
}

export interface LicensedPart {
  title: string;
  license: string;
  text?: string;
}

/** THIRD_PARTY_LICENSES: one section per part, sorted, the same bytes for the same inputs. */
export function thirdPartyLicences(parts: LicensedPart[]): string {
  const sorted = [...parts].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  const sections = sorted.map(
    (part) =>
      `${'='.repeat(78)}\n${part.title} (${part.license})\n${'='.repeat(78)}\n\n` +
      `${part.text?.trimEnd() ?? `No licence file ships with this package; its package.json says ${part.license}.`}\n`,
  );
  return `Third-party software in this archive, with its licence.\n\n${sections.join('\n')}`;
}

export function licensedPackage(info: PackageInfo): LicensedPart {
  return { title: `${info.name} ${info.version}`, license: info.license, text: licenceText(info.dir) };
}
