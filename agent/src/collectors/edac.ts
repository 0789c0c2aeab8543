// Memory controller error counters from /sys/devices/system/edac/mc (EDAC drivers).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { counter, type Sample } from '../metrics/family';
import { sys } from '../procfs/paths';
import { readText } from '../procfs/read';
import type { CollectorDefinition } from './collector';
import { collectAsYouGo } from './partial';

function numbered(dir: string, prefix: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && /^[0-9]*$/.test(name.slice(prefix.length)))
      .sort();
  } catch {
    return [];
  }
}

function readCount(path: string, what: string): number {
  let text: string;
  try {
    text = readText(path).trim();
  } catch (err) {
    throw new Error(`couldn't get ${what}: ${(err as Error).message}`, { cause: err });
  }
  if (!/^\d+$/.test(text)) throw new Error(`couldn't get ${what}: malformed "${text}"`);
  return Number(text);
}

export const edac: CollectorDefinition = {
  name: 'edac',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      const ce: Sample[] = [];
      const ue: Sample[] = [];
      const csrowCe: Sample[] = [];
      const csrowUe: Sample[] = [];
      const families = () => [
        counter('node_edac_correctable_errors_total', 'Total correctable memory errors.', ce),
        counter('node_edac_uncorrectable_errors_total', 'Total uncorrectable memory errors.', ue),
        counter('node_edac_csrow_correctable_errors_total', 'Total correctable memory errors for this csrow.', csrowCe),
        counter(
          'node_edac_csrow_uncorrectable_errors_total',
          'Total uncorrectable memory errors for this csrow.',
          csrowUe,
        ),
      ];
      return collectAsYouGo((out) => {
        const root = sys(paths, 'devices/system/edac/mc');
        try {
          for (const mc of numbered(root, 'mc')) {
            const controller = mc.slice(2);
            const dir = join(root, mc);
            const what = (file: string) => `${file} for controller ${controller}`;
            ce.push({ labels: { controller }, value: readCount(join(dir, 'ce_count'), what('ce_count')) });
            csrowCe.push({
              labels: { controller, csrow: 'unknown' },
              value: readCount(join(dir, 'ce_noinfo_count'), what('ce_noinfo_count')),
            });
            ue.push({ labels: { controller }, value: readCount(join(dir, 'ue_count'), what('ue_count')) });
            csrowUe.push({
              labels: { controller, csrow: 'unknown' },
              value: readCount(join(dir, 'ue_noinfo_count'), what('ue_noinfo_count')),
            });
            for (const row of numbered(dir, 'csrow')) {
              const csrow = row.slice(5);
              const rowWhat = (file: string) => `${file} for controller/csrow ${controller}/${csrow}`;
              csrowCe.push({
                labels: { controller, csrow },
                value: readCount(join(dir, row, 'ce_count'), rowWhat('ce_count')),
              });
              csrowUe.push({
                labels: { controller, csrow },
                value: readCount(join(dir, row, 'ue_count'), rowWhat('ue_count')),
              });
            }
          }
        } finally {
          // Whatever was read before a failure is still exported, as node_exporter does.
          out.push(...families());
        }
      });
    },
};
