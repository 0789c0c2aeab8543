// Facts arrive from agents, so they are untrusted input: keep only the known fields, with
// bounded sizes and the right types, before they reach the database or a Grafana page.

import type { Facts } from '@nester/contracts/remote/protocol';
import { storableText } from '../text/storable-text';

const MAX_TEXT = 256;
const MAX_ADDRESSES = 64;
const MAX_LABELS = 32;

export function sanitizeFacts(raw: unknown): Facts {
  const input = isObject(raw) ? raw : {};
  const os = isObject(input.os) ? input.os : {};
  const capabilities = isObject(input.capabilities) ? input.capabilities : {};
  return {
    hostname: text(input.hostname),
    machineId: text(input.machineId),
    os: { id: text(os.id), name: text(os.name), version: text(os.version), prettyName: text(os.prettyName) },
    kernel: text(input.kernel),
    arch: text(input.arch),
    cpus: count(input.cpus),
    memoryBytes: count(input.memoryBytes),
    addresses: Array.isArray(input.addresses) ? input.addresses.slice(0, MAX_ADDRESSES).map(text).filter(Boolean) : [],
    agentVersion: text(input.agentVersion),
    capabilities: { vnc: capabilities.vnc === true, terminal: capabilities.terminal === true },
    labels: labels(input.labels),
  };
}

function labels(raw: unknown): Record<string, string> {
  if (!isObject(raw)) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw).slice(0, MAX_LABELS)) {
    if (/^[A-Za-z_][A-Za-z0-9_.-]{0,62}$/.test(key)) out[key] = text(value);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  // Control characters have no business in a hostname or OS name shown in a browser; NUL and lone
  // surrogates would make PostgreSQL refuse the whole jsonb document.
  return typeof value === 'string' ? storableText(value, MAX_TEXT, { stripControls: true }) : '';
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}
