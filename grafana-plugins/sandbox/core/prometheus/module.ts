// Grafana's built-in Prometheus datasource, as Grafana 12 assembles it
// (public/app/plugins/datasource/prometheus/module.ts) from the npm package Grafana ships,
// @grafana/prometheus: the sandbox stands in for Grafana, so it serves this core plugin too.
// Not in the sandbox's type check: the package's declarations name its own rxjs 7.8.2, while at
// run time it gets the shell's (a shared module), so its classes do not type against 12.0.2's.
import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor, PromCheatSheet, PrometheusDatasource, PromQueryEditorByApp } from '@grafana/prometheus';

export const plugin = new DataSourcePlugin(PrometheusDatasource)
  .setQueryEditor(PromQueryEditorByApp)
  .setConfigEditor(ConfigEditor)
  .setQueryEditorHelp(PromCheatSheet);
