import { AppPlugin } from '@grafana/data';
import { useEffect, useState } from 'react';

import { SandboxPluginMeta } from '../plugins';
import { LoadedPlugin } from '../pluginExports';
import { loadPlugin } from '../systemjs';

export function usePlugin<T extends LoadedPlugin>(meta: SandboxPluginMeta | undefined) {
  const [state, setState] = useState<{ plugin?: T; error?: unknown }>({});
  useEffect(() => {
    if (!meta) {
      return undefined;
    }
    let alive = true;
    setState({});
    loadPlugin(meta).then(
      (plugin) => {
        // Grafana's importAppPlugin/importPanelPlugin: hand the plugin its meta.
        if (plugin instanceof AppPlugin) {
          plugin.init(meta);
        }
        plugin.meta = meta;
        if (alive) {
          setState({ plugin: plugin as T });
        }
      },
      (error: unknown) => {
        console.error(error);
        if (alive) {
          setState({ error });
        }
      },
    );
    return () => {
      alive = false;
    };
  }, [meta]);
  return state;
}
