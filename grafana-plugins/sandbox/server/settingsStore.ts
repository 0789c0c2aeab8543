import fs from 'node:fs';
import path from 'node:path';

import { HttpError } from './http';
import { applySecrets } from './secrets';

/** What Grafana stores per plugin and org (plugin_setting table). */
export interface PluginSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

export interface SettingsUpdate {
  enabled?: boolean;
  pinned?: boolean;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, unknown>;
}

/** An update as sent to the settings API or provisioned: fields of the wrong type are ignored. */
export function settingsUpdateOf(value: unknown): SettingsUpdate {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'Send the plugin settings as a JSON object');
  }
  const body = value as Record<string, unknown>;
  const object = (field: unknown) =>
    field && typeof field === 'object' ? (field as Record<string, unknown>) : undefined;
  return {
    enabled: typeof body.enabled === 'boolean' ? body.enabled : undefined,
    pinned: typeof body.pinned === 'boolean' ? body.pinned : undefined,
    jsonData: object(body.jsonData),
    secureJsonData: object(body.secureJsonData),
  };
}

const empty = (): PluginSettings => ({ enabled: false, pinned: false, jsonData: {}, secureJsonData: {} });

/**
 * Plugin settings on disk, one JSON file (mode 0600: it holds the secrets Grafana would keep
 * encrypted). Like Grafana, an update replaces jsonData and only touches the secure keys it
 * names; an empty string clears a secret.
 */
export class SettingsStore {
  private readonly file: string | undefined;
  private settings: Record<string, PluginSettings>;

  constructor(dataDir: string | undefined) {
    this.file = dataDir ? path.join(dataDir, 'plugin-settings.json') : undefined;
    this.settings = {};
    if (this.file && fs.existsSync(this.file)) {
      // Written by persist below.
      this.settings = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, PluginSettings>;
    }
  }

  get(pluginId: string): PluginSettings {
    return structuredClone(this.settings[pluginId] ?? empty());
  }

  update(pluginId: string, update: SettingsUpdate): PluginSettings {
    const current = this.get(pluginId);
    const next: PluginSettings = {
      enabled: update.enabled ?? current.enabled,
      pinned: update.pinned ?? current.pinned,
      jsonData: update.jsonData ?? current.jsonData,
      secureJsonData: { ...current.secureJsonData },
    };
    applySecrets(next.secureJsonData, update.secureJsonData);
    this.settings[pluginId] = next;
    this.persist();
    return structuredClone(next);
  }

  private persist() {
    if (!this.file) {
      return;
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.settings, null, 2), { mode: 0o600 });
    fs.renameSync(temp, this.file);
  }
}

/** The keys of secureJsonData that are set, as Grafana reports them (never the values). */
export function secureJsonFields(settings: PluginSettings): Record<string, boolean> {
  return Object.fromEntries(Object.keys(settings.secureJsonData).map((key) => [key, true]));
}
