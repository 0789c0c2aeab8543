import { DataSourceSrv } from '@grafana/runtime';

const NONE = 'The plugin sandbox has no datasources; this needs a real Grafana.';

/** The sandbox has no datasources: say so plainly instead of failing on an unset service. */
export const noDataSources: DataSourceSrv = {
  get: () => Promise.reject(new Error(NONE)),
  getList: () => [],
  getInstanceSettings: () => undefined,
  reload: () => Promise.resolve(),
  registerRuntimeDataSource: () => {
    throw new Error(NONE);
  },
};
