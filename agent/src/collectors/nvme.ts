// NVMe controllers from /sys/class/nvme: model, serial, firmware and state as labels.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gauge, type Sample } from '../metrics/family';
import { sys } from '../procfs/paths';
import { isNotFound, readText } from '../procfs/read';
import { type CollectorDefinition, NoDataError } from './collector';

function readTrimmed(path: string): string {
  try {
    const text = readText(path);
    return (text.length > 128 ? text.slice(0, 128) : text).trim();
  } catch (err) {
    throw new Error(`error obtaining NVMe class info: failed to read file "${path}": ${(err as Error).message}`, {
      cause: err,
    });
  }
}

export const nvme: CollectorDefinition = {
  name: 'nvme',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      const root = sys(paths, 'class/nvme');
      let devices: string[];
      try {
        devices = readdirSync(root);
      } catch (err) {
        if (isNotFound(err)) throw new NoDataError('nvme statistics not found, skipping');
        throw err;
      }
      const info: Sample[] = devices.map((device) => {
        const read = (file: string) => readTrimmed(join(root, device, file));
        return {
          labels: {
            device,
            firmware_revision: read('firmware_rev'),
            model: read('model'),
            serial: read('serial'),
            state: read('state'),
          },
          value: 1,
        };
      });
      return [gauge('node_nvme_info', 'Non-numeric data from /sys/class/nvme/<device>, value is always 1.', info)];
    },
};
