import 'systemjs/dist/system.js';
import 'systemjs/dist/extras/amd.js';

import { LoadedPlugin, checkPluginExports } from './pluginExports';
import { sharedModules } from './sharedModules';

interface SystemJSLike {
  set(id: string, module: object): void;
  addImportMap(map: { imports: Record<string, string> }): void;
  import(id: string): Promise<Record<string, unknown>>;
}

declare global {
  interface Window {
    System: SystemJSLike;
  }
}

const PREFIX = 'package';

/** Registers the shared modules as Grafana does: an import map onto "package:<name>" entries. */
export function initSystemJS() {
  const system = window.System;
  const imports: Record<string, string> = {};
  for (const [name, module] of Object.entries(sharedModules)) {
    const id = `${PREFIX}:${name}`;
    system.set(id, module);
    imports[name] = id;
  }
  system.addImportMap({ imports });
}

/**
 * SystemJS.import plus Grafana's hook that unwraps AMD modules' default export. The result is
 * boxed on purpose: Grafana's hook returns it from a then-callback, which would quietly resolve
 * a Promise-returning (async) factory; the sandbox wants to see that Promise and refuse it.
 */
async function importModule(path: string): Promise<{ exports: unknown }> {
  const module = await window.System.import(path.startsWith('/') ? path : `/${path}`);
  return { exports: module && (module as { __useDefault?: unknown }).__useDefault ? module.default : module };
}

export interface PluginMetaLike {
  id: string;
  type: string;
  module: string;
}

const loaded = new Map<string, Promise<LoadedPlugin>>();

/** Loads a plugin's module.js once, failing loudly when it does not yield a usable plugin. */
export function loadPlugin(meta: PluginMetaLike): Promise<LoadedPlugin> {
  let pending = loaded.get(meta.id);
  if (!pending) {
    pending = importModule(meta.module).then(({ exports }) => checkPluginExports(exports, meta.id, meta.type));
    pending.catch(() => loaded.delete(meta.id));
    loaded.set(meta.id, pending);
  }
  return pending;
}
