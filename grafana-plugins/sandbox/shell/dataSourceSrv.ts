import {
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourcePlugin,
  DataSourceRef,
  GrafanaConfig,
  ScopedVars,
} from '@grafana/data';
import { DataSourceSrv, GetDataSourceListFilters, config, getBackendSrv } from '@grafana/runtime';

import { loadPlugin } from './systemjs';

/**
 * Grafana's DatasourceSrv as plugins see it: instance settings from the boot data (config.
 * datasources, whose url is the proxy path), instances made from the plugin's module.js (loaded
 * through SystemJS like any plugin) with `new DataSourceClass(settings)`, one per uid.
 */
export class SandboxDataSourceSrv implements DataSourceSrv {
  private readonly instances = new Map<string, Promise<DataSourceApi>>();

  private all(): DataSourceInstanceSettings[] {
    return Object.values(config.datasources ?? {});
  }

  getInstanceSettings(
    ref?: DataSourceRef | string | null,
    _scopedVars?: ScopedVars,
  ): DataSourceInstanceSettings | undefined {
    const list = this.all();
    if (ref === null || ref === undefined || ref === 'default') {
      return list.find((ds) => ds.isDefault);
    }
    const key = typeof ref === 'string' ? ref : ref.uid;
    return list.find((ds) => ds.uid === key || ds.name === key);
  }

  getList(filters: GetDataSourceListFilters = {}): DataSourceInstanceSettings[] {
    const types = filters.type === undefined ? undefined : [filters.type].flat();
    return this.all()
      .filter((ds) => !filters.metrics || ds.meta.metrics)
      .filter((ds) => !filters.logs || ds.meta.logs)
      .filter((ds) => !filters.pluginId || ds.meta.id === filters.pluginId)
      .filter((ds) => !types || types.includes(ds.type))
      .filter((ds) => !filters.filter || filters.filter(ds))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(ref?: DataSourceRef | string | null, scopedVars?: ScopedVars): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref, scopedVars);
    if (!settings) {
      const name = typeof ref === 'object' && ref ? ref.uid : ref;
      return Promise.reject(new Error(`Datasource ${name ?? '(default)'} was not found`));
    }
    let instance = this.instances.get(settings.uid);
    if (!instance) {
      instance = loadPlugin({ id: settings.type, type: 'datasource', module: settings.meta.module }).then((plugin) => {
        const dsPlugin = plugin as DataSourcePlugin<DataSourceApi>;
        const created = new dsPlugin.DataSourceClass(settings);
        created.components = dsPlugin.components;
        created.meta = settings.meta;
        return created;
      });
      instance.catch(() => this.instances.delete(settings.uid));
      this.instances.set(settings.uid, instance);
    }
    return instance;
  }

  /** Fresh settings from the server (after a datasource was saved), as Grafana's reload does. */
  async reloadSettings(): Promise<void> {
    const settings = await getBackendSrv().get<Partial<GrafanaConfig>>('/api/frontend/settings');
    config.datasources = settings.datasources ?? {};
    config.defaultDatasource = settings.defaultDatasource ?? '';
    this.instances.clear();
  }

  /** DataSourceSrv.reload returns nothing to wait for; the sandbox's own pages use reloadSettings. */
  reload(): void {
    this.reloadSettings().catch((err: unknown) => console.error('reloading the datasource settings failed', err));
  }

  registerRuntimeDataSource(): void {
    throw new Error('runtime datasources are not supported by the plugin sandbox');
  }
}

/** The one instance, set as Grafana's DataSourceSrv by main.tsx. */
export const sandboxDataSourceSrv = new SandboxDataSourceSrv();
