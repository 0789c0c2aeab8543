// The distribution from os-release(5): /etc/os-release, else /usr/lib/os-release, under
// --path.rootfs. Parsed again only when the file's modification time changes.

import { statSync } from 'node:fs';
import { gauge, type MetricFamily } from '../metrics/family';
import { isNotFound, readText } from '../procfs/read';
import { type CollectorDefinition, NoDataError } from './collector';

const FILES = ['/etc/os-release', '/usr/lib/os-release'];

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

/**
 * KEY=value assignments in the shell-compatible subset os-release allows: optional
 * `export`, comments, single quotes (literal), double quotes and bare words with
 * backslash escapes.
 */
export function parseEnvFile(text: string, path: string): Map<string, string> {
  const env = new Map<string, string>();
  text.split('\n').forEach((raw, index) => {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`${path}:${index + 1}: expected KEY=value`);
    env.set(key, unquote(line.slice(eq + 1), `${path}:${index + 1}`));
  });
  return env;
}

function unquote(text: string, where: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`${where}: unterminated single quote`);
      out += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1])) i++;
        out += text[i++];
      }
      if (i >= text.length) throw new Error(`${where}: unterminated double quote`);
      i++;
    } else if (c === '\\' && i + 1 < text.length) {
      out += text[i + 1];
      i += 2;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      break;
    } else if (/\s/.test(c)) {
      if (text.slice(i).trim().startsWith('#') || text.slice(i).trim() === '') break;
      throw new Error(`${where}: unquoted whitespace in value`);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

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
      for (const file of FILES) {
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
      throw new NoDataError(`no os-release file found (${FILES.join(', ')})`);
    };
  },
};
