// Firmware, board and product identification from /sys/class/dmi/id, read once at start.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gauge } from '../metrics/family';
import { sys } from '../procfs/paths';
import { isNotFound, readText } from '../procfs/read';
import { type CollectorDefinition, NoDataError } from './collector';

const LABELS = new Map([
  ['bios_date', 'bios_date'],
  ['bios_release', 'bios_release'],
  ['bios_vendor', 'bios_vendor'],
  ['bios_version', 'bios_version'],
  ['board_asset_tag', 'board_asset_tag'],
  ['board_name', 'board_name'],
  ['board_serial', 'board_serial'],
  ['board_vendor', 'board_vendor'],
  ['board_version', 'board_version'],
  ['chassis_asset_tag', 'chassis_asset_tag'],
  ['chassis_serial', 'chassis_serial'],
  ['chassis_vendor', 'chassis_vendor'],
  ['chassis_version', 'chassis_version'],
  ['product_family', 'product_family'],
  ['product_name', 'product_name'],
  ['product_serial', 'product_serial'],
  ['product_sku', 'product_sku'],
  ['product_uuid', 'product_uuid'],
  ['product_version', 'product_version'],
  ['sys_vendor', 'system_vendor'],
]);

/** The DMI attributes present; files only root may read (serials, uuid) are skipped. */
export function readDmi(dir: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (isNotFound(err)) return labels;
    throw err;
  }
  for (const entry of entries) {
    const label = LABELS.get(entry.name);
    if (!entry.isFile() || !label) continue;
    let text: string;
    try {
      text = readText(join(dir, entry.name));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') continue;
      throw err;
    }
    labels[label] = (text.length > 128 ? text.slice(0, 128) : text).trim();
  }
  return labels;
}

export const dmi: CollectorDefinition = {
  name: 'dmi',
  defaultEnabled: true,
  create: ({ paths, log }) => {
    let labels: Record<string, string> = {};
    let failure: string | undefined;
    try {
      labels = readDmi(sys(paths, 'class/dmi/id'));
    } catch (err) {
      failure = `failed to read Desktop Management Interface (DMI) information: ${(err as Error).message}`;
      log.error(failure);
    }
    const families = [
      gauge(
        'node_dmi_info',
        "A metric with a constant '1' value labeled by bios_date, bios_release, bios_vendor, bios_version, board_asset_tag, board_name, board_serial, board_vendor, board_version, chassis_asset_tag, chassis_serial, chassis_vendor, chassis_version, product_family, product_name, product_serial, product_sku, product_uuid, product_version, system_vendor if provided by DMI.",
        [{ labels, value: 1 }],
      ),
    ];
    return () => {
      if (failure) throw new Error(failure);
      if (Object.keys(labels).length === 0)
        throw new NoDataError('Platform does not support Desktop Management Interface (DMI) information');
      return families;
    };
  },
};
