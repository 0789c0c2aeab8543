// os-release(5), the distribution's identity: /etc/os-release, else /usr/lib/os-release. The os
// collector exposes its fields as node_exporter does; the facts sent to nester summarise them.

import type { OsRelease } from '@nester/contracts/remote/protocol';

/** Where os-release may be, in the order os-release(5) says to look. */
export const OS_RELEASE_FILES = ['/etc/os-release', '/usr/lib/os-release'];

/**
 * KEY=value assignments in the shell-compatible subset os-release allows: optional
 * `export`, comments, single quotes (literal), double quotes and bare words with
 * backslash escapes. A malformed line throws, unless `onMalformed` takes it.
 */
export function parseEnvFile(
  text: string,
  path: string,
  onMalformed: (err: Error) => void = (err) => {
    throw err;
  },
): Map<string, string> {
  const env = new Map<string, string>();
  text.split('\n').forEach((raw, index) => {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq) : '';
    try {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`${path}:${index + 1}: expected KEY=value`);
      env.set(key, unquote(line.slice(eq + 1), `${path}:${index + 1}`));
    } catch (err) {
      onMalformed(err as Error);
    }
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

/** The summary nester shows: best effort, a line that cannot be read is skipped and a missing field falls back. */
export function parseOsRelease(text: string): OsRelease {
  const fields = parseEnvFile(text, 'os-release', () => undefined);
  return {
    id: fields.get('ID') ?? 'linux',
    name: fields.get('NAME') ?? 'Linux',
    version: fields.get('VERSION_ID') ?? '',
    prettyName: fields.get('PRETTY_NAME') ?? fields.get('NAME') ?? 'Linux',
  };
}
