// Panel builders typed with @grafana/schema: each core panel's options and custom field config
// are the types Grafana generates from its panel schemas (raw/composable/<panel>/panelcfg), our
// panels' options the plugins' own types. What a builder returns is a dashboard Panel; the grid
// (grid.ts) gives it an id and a position.
import {
  BarGaugeDisplayMode,
  BarGaugeNamePlacement,
  BarGaugeSizing,
  BarGaugeValueMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  FieldColorModeId,
  GraphDrawStyle,
  GraphGradientMode,
  LegendDisplayMode,
  LineInterpolation,
  PercentChangeColorMode,
  SortOrder,
  StackingMode,
  TableCellDisplayMode,
  TableCellHeight,
  TooltipDisplayMode,
  VisibilityMode,
  VizOrientation,
  type DataTransformerConfig,
  type FieldConfig,
  type FieldConfigSource,
  type GraphFieldConfig,
  type Panel,
  type ReduceDataOptions,
  type TableFieldOptions,
  type ThresholdsConfig,
  ThresholdsMode,
  type ValueMapping,
} from '@grafana/schema';
import type { Options as BarGaugeOptions } from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen.js';
import type { Options as GaugeOptions } from '@grafana/schema/dist/esm/raw/composable/gauge/panelcfg/x/GaugePanelCfg_types.gen.js';
import type { Options as StatOptions } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen.js';
import type {
  FieldConfig as StateTimelineFieldConfig,
  Options as StateTimelineOptions,
} from '@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen.js';
import type {
  FieldConfig as TableFieldConfig,
  Options as TableOptions,
} from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen.js';
import type {
  FieldConfig as TimeSeriesFieldConfig,
  Options as TimeSeriesOptions,
} from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen.js';

import type { RemoteDesktopOptions } from '../../../grafana-plugins/src/remote-desktop/options';
import type { TerminalPanelOptions } from '../../../grafana-plugins/src/panels/terminal/options';
import { METRICS_DATASOURCE, REMOTE_DESKTOP_PANEL_ID, TERMINAL_PANEL_ID } from './ids';
import type { Target } from './queries';

/** A panel before the grid places it. */
export type UnplacedPanel = Omit<Panel, 'id' | 'gridPos'>;

export interface DataLink {
  title: string;
  url: string;
  targetBlank?: boolean;
}

/** What every query panel has: its title, queries, transformations and query options. */
export interface PanelBase {
  title: string;
  description?: string;
  targets: Target[];
  transformations?: DataTransformerConfig[];
  /** A relative time of its own (e.g. "24h"), whatever the dashboard's range. */
  timeFrom?: string;
  /** The smallest query step (Grafana's min interval). */
  interval?: string;
}

/** Field defaults shared by the panels: unit, range, decimals, colours, links, no-value text. */
export interface FieldDefaults {
  unit?: string;
  min?: number;
  max?: number;
  decimals?: number;
  thresholds?: ThresholdsConfig;
  mappings?: ValueMapping[];
  links?: DataLink[];
  noValue?: string;
}

export type Override = FieldConfigSource['overrides'][number];

/** Green up to `warn`, orange up to `critical`, red beyond (e.g. 0.8 and 0.9 of a percentunit). */
export function usageThresholds(warn: number, critical: number): ThresholdsConfig {
  return {
    mode: ThresholdsMode.Absolute,
    steps: [
      { color: 'green', value: null },
      { color: 'orange', value: warn },
      { color: 'red', value: critical },
    ],
  };
}

const BLUE: ThresholdsConfig = { mode: ThresholdsMode.Absolute, steps: [{ color: 'blue', value: null }] };

function fieldConfig(defaults: FieldDefaults, custom: object, overrides: Override[] = []): FieldConfigSource {
  const config: FieldConfig = {
    ...defaults,
    color: { mode: defaults.thresholds ? FieldColorModeId.Thresholds : FieldColorModeId.PaletteClassic },
    thresholds: defaults.thresholds ?? BLUE,
    custom: { ...custom },
  };
  return { defaults: config, overrides };
}

function queryPanel(type: string, base: PanelBase, options: object, fieldConfig: FieldConfigSource): UnplacedPanel {
  return {
    type,
    title: base.title,
    ...(base.description ? { description: base.description } : {}),
    datasource: METRICS_DATASOURCE,
    targets: base.targets.map((target) => ({ ...target })),
    ...(base.transformations?.length ? { transformations: base.transformations } : {}),
    ...(base.timeFrom ? { timeFrom: base.timeFrom } : {}),
    ...(base.interval ? { interval: base.interval } : {}),
    options: { ...options },
    fieldConfig,
  };
}

const reduceLast = (values = false): ReduceDataOptions => ({ calcs: ['lastNotNull'], fields: '', values });

export interface TimeSeriesPanel extends PanelBase, FieldDefaults {
  stack?: boolean;
  fillOpacity?: number;
  /** Legend values, e.g. ['lastNotNull', 'max']; a table legend when given. */
  legendCalcs?: string[];
  overrides?: Override[];
}

export function timeseries(p: TimeSeriesPanel): UnplacedPanel {
  const options: TimeSeriesOptions = {
    legend: {
      showLegend: true,
      displayMode: p.legendCalcs?.length ? LegendDisplayMode.Table : LegendDisplayMode.List,
      placement: 'bottom',
      calcs: p.legendCalcs ?? [],
    },
    tooltip: { mode: TooltipDisplayMode.Multi, sort: SortOrder.Descending },
  };
  const custom: TimeSeriesFieldConfig = {
    drawStyle: GraphDrawStyle.Line,
    lineInterpolation: LineInterpolation.Linear,
    lineWidth: 1,
    fillOpacity: p.fillOpacity ?? (p.stack ? 40 : 10),
    gradientMode: GraphGradientMode.Opacity,
    showPoints: VisibilityMode.Never,
    spanNulls: false,
    stacking: { mode: p.stack ? StackingMode.Normal : StackingMode.None, group: 'A' },
  };
  return queryPanel('timeseries', p, options, fieldConfig(p, custom, p.overrides));
}

export interface StatPanel extends PanelBase, FieldDefaults {
  graph?: boolean;
}

export function stat(p: StatPanel): UnplacedPanel {
  const options: StatOptions = {
    reduceOptions: reduceLast(),
    orientation: VizOrientation.Auto,
    colorMode: p.thresholds ? BigValueColorMode.Value : BigValueColorMode.None,
    graphMode: p.graph ? BigValueGraphMode.Area : BigValueGraphMode.None,
    justifyMode: BigValueJustifyMode.Auto,
    textMode: BigValueTextMode.Auto,
    wideLayout: true,
    showPercentChange: false,
    percentChangeColorMode: PercentChangeColorMode.Standard,
  };
  return queryPanel('stat', p, options, fieldConfig(p, {}));
}

export function gauge(p: PanelBase & FieldDefaults): UnplacedPanel {
  const options: GaugeOptions = {
    reduceOptions: reduceLast(),
    orientation: VizOrientation.Auto,
    showThresholdLabels: false,
    showThresholdMarkers: true,
    sizing: BarGaugeSizing.Auto,
    minVizHeight: 75,
    minVizWidth: 75,
  };
  return queryPanel('gauge', p, options, fieldConfig(p, {}));
}

export function bargauge(p: PanelBase & FieldDefaults): UnplacedPanel {
  const options: BarGaugeOptions = {
    reduceOptions: reduceLast(),
    orientation: VizOrientation.Horizontal,
    displayMode: BarGaugeDisplayMode.Gradient,
    valueMode: BarGaugeValueMode.Color,
    namePlacement: BarGaugeNamePlacement.Auto,
    showUnfilled: true,
    sizing: BarGaugeSizing.Auto,
    minVizHeight: 16,
    minVizWidth: 8,
    maxVizHeight: 300,
    legend: { showLegend: false, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] },
  };
  return queryPanel('bargauge', p, options, fieldConfig(p, {}));
}

export interface StateTimelinePanel extends PanelBase, FieldDefaults {
  /**
   * Grafana inserts a null wherever two points (or the last point and the end of the range) are
   * further apart than this many milliseconds, so a silent harvester shows as a gap state.
   */
  insertNulls: number;
}

export function stateTimeline(p: StateTimelinePanel): UnplacedPanel {
  const options: StateTimelineOptions = {
    showValue: VisibilityMode.Never,
    rowHeight: 0.8,
    mergeValues: true,
    alignValue: 'left',
    legend: { showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] },
    tooltip: { mode: TooltipDisplayMode.Single, sort: SortOrder.None },
  };
  // insertNulls is the state timeline's "Disconnect values" editor, missing from its schema.
  const custom: StateTimelineFieldConfig & Pick<GraphFieldConfig, 'insertNulls' | 'spanNulls'> = {
    fillOpacity: 80,
    lineWidth: 0,
    insertNulls: p.insertNulls,
    spanNulls: false,
  };
  return queryPanel('state-timeline', p, options, fieldConfig(p, custom));
}

export interface TablePanel extends PanelBase, FieldDefaults {
  overrides?: Override[];
  sortBy?: { displayName: string; desc: boolean };
}

export function table(p: TablePanel): UnplacedPanel {
  const options: TableOptions = {
    showHeader: true,
    cellHeight: TableCellHeight.Sm,
    frameIndex: 0,
    footer: { show: false, reducer: ['sum'], countRows: false, fields: [] },
    ...(p.sortBy ? { sortBy: [p.sortBy] } : {}),
  };
  const custom: TableFieldConfig = {
    align: 'auto',
    cellOptions: { type: TableCellDisplayMode.Auto },
    inspect: false,
  };
  return queryPanel('table', p, options, fieldConfig(p, custom, p.overrides));
}

/** A table column shown as a gauge bar (Grafana's "Gauge" cell type). */
export function gaugeColumn(name: string, displayName: string, defaults: FieldDefaults): Override {
  const cell: Partial<TableFieldOptions> = {
    cellOptions: { type: TableCellDisplayMode.Gauge, mode: BarGaugeDisplayMode.Gradient },
  };
  return {
    matcher: { id: 'byName', options: name },
    properties: [
      { id: 'displayName', value: displayName },
      { id: 'custom.cellOptions', value: cell.cellOptions },
      ...Object.entries(defaults).map(([id, value]) => ({ id, value: value as unknown })),
      { id: 'color', value: { mode: 'thresholds' } },
    ],
  };
}

/** Display name, unit and links of one table column. */
export function column(name: string, displayName: string, defaults: FieldDefaults = {}): Override {
  return {
    matcher: { id: 'byName', options: name },
    properties: [
      { id: 'displayName', value: displayName },
      ...Object.entries(defaults).map(([id, value]) => ({ id, value: value as unknown })),
    ],
  };
}

/** Series whose display name matches drawn below the axis (transmit under receive). */
export function negativeY(regex: string): Override {
  return {
    matcher: { id: 'byRegexp', options: regex },
    properties: [{ id: 'custom.transform', value: 'negative-Y' }],
  };
}

// Our panels: no queries (skipDataQuery), options the plugins' own types.

export function remoteDesktop(title: string, options: RemoteDesktopOptions): UnplacedPanel {
  return { type: REMOTE_DESKTOP_PANEL_ID, title, options: { ...options } };
}

export function terminal(title: string, options: TerminalPanelOptions): UnplacedPanel {
  return { type: TERMINAL_PANEL_ID, title, options: { ...options } };
}
