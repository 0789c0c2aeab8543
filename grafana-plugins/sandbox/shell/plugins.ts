import { KeyValue, PluginIncludeType, PluginMeta, PluginType } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { useCallback, useEffect, useState } from 'react';

import { serverMessage } from './serverMessage';

export interface SandboxPluginMeta extends PluginMeta {
  includedInAppId?: string;
  skipDataQuery?: boolean;
}

export function usePlugins() {
  const [plugins, setPlugins] = useState<SandboxPluginMeta[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const reload = useCallback(() => {
    getBackendSrv()
      .get<SandboxPluginMeta[]>('api/plugins')
      .then(setPlugins, (err: unknown) => setError(serverMessage(err) ?? String(err)));
  }, []);
  useEffect(reload, [reload]);
  return { plugins, error, reload };
}

export function navPages(meta: PluginMeta<KeyValue>, role: string) {
  const rank: Record<string, number> = { Viewer: 1, Editor: 2, Admin: 3 };
  return (meta.includes ?? []).filter(
    (include) =>
      include.type === PluginIncludeType.page &&
      include.addToNav &&
      (rank[role] ?? 0) >= (rank[include.role ?? 'Viewer'] ?? 1),
  );
}

export const isApp = (meta: PluginMeta) => meta.type === PluginType.app;
export const isPanel = (meta: PluginMeta) => meta.type === PluginType.panel;
export const isDatasource = (meta: PluginMeta) => meta.type === PluginType.datasource;
