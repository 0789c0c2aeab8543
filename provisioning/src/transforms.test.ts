/** @jest-environment jsdom */
// Each panel's transformations, run by @grafana/data (through the sandbox's runner, the code the
// browser test uses) on frames made as the adapter writes them and the datasource plugin reads
// them: the figures the dashboards show are the arithmetic they claim.
import { DataFrame, FieldType, getFieldDisplayName } from '@grafana/data';
import type { Dashboard, Panel, RowPanel } from '@grafana/schema';
import type { DsQueryResponse } from '@nester/contracts/query/ds-query';
import { applyTransformations } from '@nester/sandbox/shell/dashboards/transformations';

import { timeSeriesFrame } from '../../datasource-timescale/src/query/frames';
import { toDataQueryResponse } from '../../datasource-timescale/plugin/src/query/frames';
import { fleetOverviewDashboard } from './dashboards/fleetOverview';
import { harvesterDashboard } from './dashboards/harvester';
import type { Target } from './dashboards/queries';

type Labels = Record<string, string>;
/** One result series of a query: its labels (without __name__) and its values over time. */
type Series = [labels: Labels, ...values: number[]];

const T0 = Date.UTC(2026, 0, 1);
const STEP = 60_000;

function panelNamed(dashboard: Dashboard, title: string): Panel {
  const panel = (dashboard.panels ?? []).find((p: Panel | RowPanel) => p.title === title);
  if (!panel || panel.type === 'row') {
    throw new Error(`no panel ${title}`);
  }
  return panel;
}

/**
 * The frames a panel's queries give for these result series, as the adapter names them (a plain
 * selector keeps its metric name, a function or an aggregation drops it) and the plugin reads them.
 */
function framesFor(panel: Panel, results: Record<string, Series[]>): DataFrame[] {
  const body: DsQueryResponse = { results: {} };
  for (const raw of panel.targets ?? []) {
    const target = raw as unknown as Target;
    const keepsName = !target.function && !target.aggregation;
    body.results[target.refId] = {
      frames: (results[target.refId] ?? []).map(([labels, ...values]) => {
        const all: Labels = keepsName ? { __name__: target.metric ?? '', ...labels } : labels;
        const series = {
          labels: Object.keys(all)
            .sort()
            .map((name) => ({ name, value: all[name] })),
          times: values.map((_, i) => T0 + i * STEP),
          values,
        };
        return timeSeriesFrame(target.refId, series, target.legendFormat);
      }),
    };
  }
  return toDataQueryResponse(body).data as DataFrame[];
}

async function run(panel: Panel, results: Record<string, Series[]>): Promise<DataFrame[]> {
  return applyTransformations(panel.transformations ?? [], framesFor(panel, results));
}

/** A table's rows as objects keyed by field name. */
function rows(frame: DataFrame): Array<Record<string, unknown>> {
  return Array.from({ length: frame.length }, (_, i) =>
    Object.fromEntries(frame.fields.map((field) => [field.name, field.values[i]])),
  );
}

/** The last value of the one field a single-figure panel shows. */
function lastValue(frames: DataFrame[]): number {
  const numbers = frames.flatMap((frame) => frame.fields.filter((field) => field.type === FieldType.number));
  expect(numbers).toHaveLength(1);
  return numbers[0].values[numbers[0].values.length - 1];
}

const fleet = fleetOverviewDashboard();
const harvester = harvesterDashboard();
const A = { instance: 'a:9100', job: 'node' };
const B = { instance: 'b:9100', job: 'node' };
const GiB = 2 ** 30;

describe('Fleet overview', () => {
  test('Harvesters: one row per harvester with CPU busy, memory used, load and uptime from its series', async () => {
    const [table, ...rest] = await run(panelNamed(fleet, 'Harvesters'), {
      A: [
        [{ ...A, nodename: 'alpha', release: '6.1.0', machine: 'x86_64', sysname: 'Linux' }, 1],
        [{ ...B, nodename: 'beta', release: '6.12.0', machine: 'aarch64', sysname: 'Linux' }, 1],
      ],
      B: [
        [A, 0.5, 0.75],
        [B, 2, 3.5],
      ],
      C: [
        [A, 3 * GiB],
        [B, 1 * GiB],
      ],
      D: [
        [A, 4 * GiB],
        [B, 8 * GiB],
      ],
      E: [
        [A, 1_000_000],
        [B, 1_000_000],
      ],
      F: [
        [A, 1_000_000 - 3600],
        [B, 1_000_000 - 86400],
      ],
      G: [
        [A, 0.5, 0.9],
        [B, 0.4, 0.25],
      ],
    });
    expect(rest).toEqual([]);
    expect(table.fields.map((field) => field.name)).toEqual([
      'nodename',
      'instance',
      'cpu busy',
      'memory used',
      'node_load1',
      'uptime',
      'release',
      'machine',
    ]);
    const byHost = Object.fromEntries(rows(table).map((row) => [row.nodename, row]));
    expect(byHost.alpha).toMatchObject({ instance: 'a:9100', node_load1: 0.75, uptime: 3600, release: '6.1.0' });
    expect(byHost.alpha['cpu busy']).toBeCloseTo(0.1);
    expect(byHost.alpha['memory used']).toBeCloseTo(0.25);
    expect(byHost.beta).toMatchObject({ instance: 'b:9100', node_load1: 3.5, uptime: 86400, machine: 'aarch64' });
    expect(byHost.beta['cpu busy']).toBeCloseTo(0.75);
    expect(byHost.beta['memory used']).toBeCloseTo(0.875);
  });

  test("Fullest filesystem: each harvester's fullest filesystem, with its mount point", async () => {
    const fs = (labels: Labels, mountpoint: string) => ({
      ...labels,
      mountpoint,
      device: `/dev/${mountpoint}`,
      fstype: 'ext4',
    });
    const [table] = await run(panelNamed(fleet, 'Fullest filesystem'), {
      A: [
        [fs(A, '/'), 50],
        [fs(A, '/data'), 10],
        [fs(B, '/'), 80],
      ],
      B: [
        [fs(A, '/'), 100],
        [fs(A, '/data'), 100],
        [fs(B, '/'), 100],
      ],
    });
    const result = rows(table).map((row) => [row.instance, row['mountpoint (first)'], row['used (first)']]);
    expect(result).toHaveLength(2);
    expect(result[0]).toEqual(['a:9100', '/data', expect.closeTo(0.9)]);
    expect(result[1]).toEqual(['b:9100', '/', expect.closeTo(0.2)]);
  });

  test('CPU busy: one series per harvester, 1 − idle, still named and labelled for its links', async () => {
    const frames = await run(panelNamed(fleet, 'CPU busy'), {
      A: [
        [{ instance: 'a:9100' }, 0.9, 0.8],
        [{ instance: 'b:9100' }, 0.25, 0.5],
      ],
    });
    expect(frames).toHaveLength(2);
    const series = frames.map((frame) => {
      const field = frame.fields[1];
      return [getFieldDisplayName(field, frame, frames), field.labels?.instance, [...field.values]];
    });
    expect(series).toEqual([
      ['a:9100', 'a:9100', [expect.closeTo(0.1), expect.closeTo(0.2)]],
      ['b:9100', 'b:9100', [expect.closeTo(0.75), expect.closeTo(0.5)]],
    ]);
  });
});

describe('Harvester', () => {
  test.each([
    ['CPU busy', { A: [[{}, 0.7, 0.6]] }, 0.4],
    ['Sys load (per core)', { A: [[{ ...A }, 1, 2]], B: [[{}, 4, 4]] }, 0.5],
    ['RAM used', { A: [[A, 1 * GiB]], B: [[A, 4 * GiB]] }, 0.75],
    ['Root FS used', { A: [[{}, 30]], B: [[{}, 120]] }, 0.75],
    ['Uptime', { A: [[A, 5000]], B: [[A, 1400]] }, 3600],
  ] as Array<[string, Record<string, Series[]>, number]>)('%s', async (title, results, expected) => {
    expect(lastValue(await run(panelNamed(harvester, title), results))).toBeCloseTo(expected);
  });

  test('SWAP used: NaN without swap (the panel maps it to "No swap"), the share used otherwise', async () => {
    const panel = panelNamed(harvester, 'SWAP used');
    expect(lastValue(await run(panel, { A: [[A, 0]], B: [[A, 0]] }))).toBeNaN();
    expect(lastValue(await run(panel, { A: [[A, 3 * GiB]], B: [[A, 4 * GiB]] }))).toBeCloseTo(0.25);
  });

  test('Memory basic: Used is Total − Available beside the queried series', async () => {
    const [frame] = await run(panelNamed(harvester, 'Memory basic'), {
      A: [[A, 8 * GiB]],
      B: [[A, 6 * GiB]],
      C: [[A, 2 * GiB]],
      D: [[A, 3 * GiB]],
      E: [[A, 1 * GiB]],
    });
    const used = frame.fields.find((field) => field.name === 'Used');
    expect([...(used?.values ?? [])]).toEqual([2 * GiB]);
    expect(frame.fields.map((field) => getFieldDisplayName(field, frame))).toEqual(
      expect.arrayContaining(['Total', 'Available', 'Free', 'Cached', 'Buffers', 'Used']),
    );
  });

  test('Disk space: one row per filesystem with its size, what is available and the share used', async () => {
    const fs = (mountpoint: string, device: string) => ({ ...A, mountpoint, device, fstype: 'ext4' });
    const [table] = await run(panelNamed(harvester, 'Disk space'), {
      A: [
        [fs('/', '/dev/vda1'), 40],
        [fs('/home', '/dev/vda2'), 5],
      ],
      B: [
        [fs('/', '/dev/vda1'), 100],
        [fs('/home', '/dev/vda2'), 50],
      ],
    });
    expect(table.fields.map((field) => field.name)).toEqual([
      'mountpoint',
      'device',
      'fstype',
      'node_filesystem_size_bytes',
      'node_filesystem_avail_bytes',
      'used',
    ]);
    expect(rows(table)).toEqual([
      expect.objectContaining({ mountpoint: '/', node_filesystem_size_bytes: 100, used: expect.closeTo(0.6) }),
      expect.objectContaining({ mountpoint: '/home', node_filesystem_avail_bytes: 5, used: expect.closeTo(0.9) }),
    ]);
  });
});

test('every panel with transformations has its arithmetic checked above', () => {
  const checked = new Set([
    'Harvesters',
    'Fullest filesystem',
    'CPU busy',
    'Sys load (per core)',
    'RAM used',
    'SWAP used',
    'Root FS used',
    'Uptime',
    'Memory basic',
    'Disk space',
  ]);
  const transformed = [fleet, harvester].flatMap((dashboard) =>
    (dashboard.panels ?? [])
      .filter((panel) => panel.type !== 'row' && (panel as Panel).transformations?.length)
      .map((panel) => panel.title),
  );
  expect(transformed.filter((title) => !checked.has(title ?? ''))).toEqual([]);
});
