// Looking up a local account in /etc/passwd (name:x:uid:gid:gecos:home:shell) without spawning
// `id` or `getent`.

import { readFileSync } from 'node:fs';

export interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export function parsePasswd(text: string, name: string): Account | undefined {
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 7 || fields[0] !== name) continue;
    return { name, uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5], shell: fields[6].trim() };
  }
  return undefined;
}

export function lookupAccount(name: string, passwdFile = '/etc/passwd'): Account | undefined {
  return parsePasswd(readFileSync(passwdFile, 'utf8'), name);
}
