// The distribution from os-release(5): /etc/os-release, else /usr/lib/os-release, under
// --path.rootfs. Parsed again only when the file's modification time changes.

import { statSync } from 'node:fs';
import { OS_RELEASE_FILES, parseEnvFile } from '../files/os-release';
import { gauge, type MetricFamily } from '../metrics/family';
import { isNotFound, readText } from '../procfs/read';
import { type CollectorDefinition, NoDataError } from './collector';

const INFO_LABELS: [label: string, key: string][] = [
  ['build_id', 'BUILD_ID'],
  ['id', 'ID'],
  ['id_like', 'ID_LIKE'],
  ['image_id', 'IMAGE_ID'],
  ['image_version', 'IMAGE_VERSION'],
  ['name', 'NAME'],
  ['pretty_name', 'PRETTY_NAME'],
  ['variant', 'VARIANT'],
  ['variant_id', 'VARIANT_ID'],
  ['version', 'VERSION'],
  ['version_codename', 'VERSION_CODENAME'],
  ['version_id', 'VERSION_ID'],
];

const VERSION = /^[0-9]+\.?[0-9]*/;

/** The major.minor part of VERSION_ID as a number, 0 when it has none. */
export function majorMinor(versionId: string): number {
  const match = VERSION.exec(versionId);
  return match ? Number(match[0]) : 0;
}

export function osFamilies(env: Map<string, string>): MetricFamily[] {
  const get = (key: string) => env.get(key) ?? '';
  const labels = Object.fromEntries(INFO_LABELS.map(([label, key]) => [label, get(key)]));
  const families = [
    gauge(
      'node_os_info',
      "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
      [{ labels, value: 1 }],
    ),
  ];
  const version = majorMinor(get('VERSION_ID'));
  if (version > 0) {
    families.push(
      gauge('node_os_version', 'Metric containing the major.minor part of the OS version.', [
        { labels: { id: get('ID'), id_like: get('ID_LIKE'), name: get('NAME') }, value: version },
      ]),
    );
  }
  return families;
}

export const os: CollectorDefinition = {
  name: 'os',
  defaultEnabled: true,
  create: ({ paths }) => {
    let cache: { path: string; mtimeMs: number; families: MetricFamily[] } | undefined;
    return () => {
      for (const file of OS_RELEASE_FILES) {
        const path = paths.rootfs.replace(/\/+$/, '') + file;
        let mtimeMs: number;
        try {
          mtimeMs = statSync(path).mtimeMs;
        } catch (err) {
          if (isNotFound(err)) continue;
          throw err;
        }
        if (cache?.path !== path || cache.mtimeMs !== mtimeMs) {
          cache = { path, mtimeMs, families: osFamilies(parseEnvFile(readText(path), path)) };
        }
        return cache.families;
      }
      throw new NoDataError(`no os-release file found (${OS_RELEASE_FILES.join(', ')})`);
    };
  },
};
