import { AppPlugin } from '@grafana/data';
import { useEffect, useState } from 'react';

import { SandboxPluginMeta } from '../plugins';
import { LoadedPlugin } from '../pluginExports';
import { loadPlugin } from '../systemjs';

export function usePlugin<T extends LoadedPlugin>(meta: SandboxPluginMeta | undefined) {
  // What was loaded, and for which plugin: another one's is not shown while loading.
  const [state, setState] = useState<{ meta?: SandboxPluginMeta; plugin?: T; error?: unknown }>({});
  useEffect(() => {
    if (!meta) {
      return undefined;
    }
    let alive = true;
    loadPlugin(meta).then(
      (plugin) => {
        // Grafana's importAppPlugin/importPanelPlugin: hand the plugin its meta.
        if (plugin instanceof AppPlugin) {
          plugin.init(meta);
        }
        plugin.meta = meta;
        if (alive) {
          setState({ meta, plugin: plugin as T });
        }
      },
      (error: unknown) => {
        console.error(error);
        if (alive) {
          setState({ meta, error });
        }
      },
    );
    return () => {
      alive = false;
    };
  }, [meta]);
  return meta && state.meta === meta ? { plugin: state.plugin, error: state.error } : {};
}
