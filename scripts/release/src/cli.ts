// `npm run release [-- --embedded-postgres] [-- --only harvester,nester] [-- --out DIR]`: the archives,
// their checksums and install.sh in release/, then the Grafana plugin zips beside them.

import { execFileSync } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import { PRODUCTS, type ProductName } from './products';
import { release } from './release';
import { REPO } from './workspace';

const USAGE =
  'usage: npm run release -- [--out DIR] [--only harvester,nester,timescale-adapter] [--embedded-postgres] [--no-plugins]';

async function main(argv: string[]): Promise<void> {
  const repo = REPO;
  let outDir = join(repo, 'release');
  let only: ProductName[] | undefined;
  let withOptional = false;
  let plugins = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') outDir = resolve(argv[++i] ?? '');
    else if (arg === '--only') only = (argv[++i] ?? '').split(',').map((name) => productName(name));
    else if (arg === '--embedded-postgres') withOptional = true;
    else if (arg === '--no-plugins') plugins = false;
    else if (arg === '--help' || arg === '-h') return void process.stdout.write(`${USAGE}\n`);
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  const started = Date.now();
  const built = await release({ repo, outDir, only, withOptional });
  for (const archive of built) {
    const mb = (archive.bytes / 1e6).toFixed(1);
    process.stdout.write(`${relative(process.cwd(), archive.file)}  ${mb} MB  sha256 ${archive.sha256}\n`);
  }
  if (plugins) {
    execFileSync(process.execPath, [join(repo, 'grafana-plugins', 'build', 'package.js'), '--out', outDir], {
      stdio: 'inherit',
    });
  }
  process.stdout.write(`release written to ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function productName(name: string): ProductName {
  if (name in PRODUCTS) return name as ProductName;
  throw new Error(`unknown product ${name}: one of ${Object.keys(PRODUCTS).join(', ')}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`release: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
