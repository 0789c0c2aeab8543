import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { TimescaleDataSource } from './datasource';
import { TimescaleOptions, TimescaleQuery, TimescaleSecureOptions } from './types';

export const plugin = new DataSourcePlugin<
  TimescaleDataSource,
  TimescaleQuery,
  TimescaleOptions,
  TimescaleSecureOptions
>(TimescaleDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
