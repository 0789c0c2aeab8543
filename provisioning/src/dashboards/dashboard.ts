// A dashboard as Grafana's provisioning reads it (@grafana/schema's Dashboard), with the pieces
// both of ours share: query variables of the metrics datasource and links.
import {
  DashboardCursorSync,
  VariableRefresh,
  VariableSort,
  type Dashboard,
  type DashboardLink,
  type Panel,
  type RowPanel,
  type VariableModel,
} from '@grafana/schema';

import type { VariableQuery } from '../../../datasource-timescale/plugin/src/variables/variableQuery';
import { METRICS_DATASOURCE } from './ids';

/** Grafana 12.0's dashboard schema version (what it writes when it saves one). */
export const SCHEMA_VERSION = 41;

export interface VariableSpec {
  name: string;
  label?: string;
  /** The label whose values are listed, of the series `match` selects (dashboard variables allowed). */
  values: { label: string; match: string };
  /** Shown as selected until the list is loaded; Grafana keeps it when it is in the list. */
  current?: string;
  hidden?: boolean;
}

export function queryVariable(spec: VariableSpec): VariableModel {
  const query: VariableQuery = {
    refId: `variable-${spec.name}`,
    kind: 'labelValues',
    label: spec.values.label,
    match: spec.values.match,
  };
  return {
    type: 'query',
    name: spec.name,
    ...(spec.label ? { label: spec.label } : {}),
    datasource: METRICS_DATASOURCE,
    query: { ...query },
    refresh: VariableRefresh.onTimeRangeChanged,
    sort: VariableSort.alphabeticalAsc,
    multi: false,
    includeAll: false,
    // The dashboard schema's own VariableHide enum (not exported): 2 hides the variable, 0 shows it.
    hide: spec.hidden ? 2 : 0,
    options: [],
    ...(spec.current ? { current: { text: spec.current, value: spec.current } } : {}),
  };
}

export function link(title: string, url: string, tooltip: string): DashboardLink {
  return {
    type: 'link',
    title,
    url,
    tooltip,
    icon: 'external link',
    asDropdown: false,
    includeVars: false,
    keepTime: true,
    tags: [],
    targetBlank: false,
  };
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: VariableModel[];
  links: DashboardLink[];
  panels: Array<Panel | RowPanel>;
}

export function dashboard(spec: DashboardSpec): Dashboard {
  return {
    id: null,
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: true,
    graphTooltip: DashboardCursorSync.Crosshair,
    fiscalYearStartMonth: 0,
    liveNow: false,
    refresh: '1m',
    schemaVersion: SCHEMA_VERSION,
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    weekStart: '',
    links: spec.links,
    templating: { list: spec.variables },
    annotations: { list: [] },
    panels: spec.panels,
  };
}
