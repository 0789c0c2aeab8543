// /etc/os-release (or /usr/lib/os-release): shell-style KEY=value lines, values optionally quoted.

import type { OsRelease } from '@nester/common/remote/protocol';

export function parseOsRelease(text: string): OsRelease {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["$`\\])/g, '$1');
    }
    fields[match[1]] = value;
  }
  return {
    id: fields.ID ?? 'linux',
    name: fields.NAME ?? 'Linux',
    version: fields.VERSION_ID ?? '',
    prettyName: fields.PRETTY_NAME ?? fields.NAME ?? 'Linux',
  };
}
