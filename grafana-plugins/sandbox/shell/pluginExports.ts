import { AppPlugin, DataSourcePlugin, PanelPlugin } from '@grafana/data';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LoadedPlugin = AppPlugin | PanelPlugin | DataSourcePlugin<any>;

export class PluginLoadError extends Error {}

/**
 * Grafana reads a plugin's `plugin` export from what SystemJS returns for module.js, and
 * for apps silently falls back to an empty AppPlugin when it is missing. The sandbox refuses
 * instead, and says why, so a broken build is caught here and not by a blank page in Grafana.
 * It is stricter than Grafana about an AMD factory that returns a Promise: Grafana's import
 * hook may resolve that Promise along the way, but whether every Grafana loading path does
 * (script tags, CDN, the frontend sandbox) is not verified, so an async entry counts as broken.
 */
export function checkPluginExports(exports: unknown, id: string, type: string): LoadedPlugin {
  if (exports && typeof (exports as { then?: unknown }).then === 'function') {
    throw new PluginLoadError(
      `${id}: module.js's AMD factory returned a Promise, so Grafana cannot see its "plugin" export. ` +
        'Webpack made the entry asynchronous, which a static import of an ES module with a top-level await ' +
        '(such as @novnc/novnc) causes; load such a module with a dynamic import() inside the plugin instead.',
    );
  }
  const plugin = (exports as { plugin?: unknown } | undefined)?.plugin;
  if (!plugin) {
    const names = exports && typeof exports === 'object' ? Object.keys(exports).join(', ') || 'none' : typeof exports;
    throw new PluginLoadError(`${id}: module.js has no "plugin" export (its exports: ${names}).`);
  }
  const expected = ({ app: AppPlugin, panel: PanelPlugin, datasource: DataSourcePlugin } as const)[
    type as 'app' | 'panel' | 'datasource'
  ];
  if (expected && !(plugin instanceof expected)) {
    throw new PluginLoadError(
      `${id}: the "plugin" export is not an ${expected.name} from Grafana's shared @grafana/data; ` +
        'the plugin probably bundles its own copy (keep @grafana/data external).',
    );
  }
  return plugin as LoadedPlugin;
}
