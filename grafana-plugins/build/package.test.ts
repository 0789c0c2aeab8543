/** @jest-environment node */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PACKAGES } = require('./plugins');

/** File names in a zip, read from its central directory (enough for archives yazl writes). */
function zipEntries(file: string): string[] {
  const zip = fs.readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names;
}

test('npm run package zips each built plugin folder under its id, with a checksum, without source maps', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
  try {
    await promisify(execFile)(process.execPath, [path.join(__dirname, 'package.js'), '--out', out]);
    for (const [id, pkg] of [
      ['nester-fleet-app', PACKAGES[0]],
      ['nester-timescale-datasource', PACKAGES[1]],
    ]) {
      const zip = path.join(out, `${id}-${pkg.version}.zip`);
      const names = zipEntries(zip);
      expect(names).toEqual(expect.arrayContaining([`${id}/plugin.json`, `${id}/module.js`, `${id}/img/logo.svg`]));
      expect(names.every((name) => name.startsWith(`${id}/`) && !name.endsWith('.map'))).toBe(true);
      expect(fs.readFileSync(`${zip}.sha256`, 'utf8')).toMatch(new RegExp(`^[0-9a-f]{64}  ${path.basename(zip)}\\n$`));
    }
    expect(zipEntries(path.join(out, `nester-fleet-app-${PACKAGES[0].version}.zip`))).toContain(
      'nester-fleet-app/panels/terminal/module.js',
    );
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
