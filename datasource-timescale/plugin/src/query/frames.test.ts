import { FieldType } from '@grafana/data';
import type { FieldEntities, FrameJSON } from '@nester/contracts/query/frames';

import { toDataQueryResponse } from './frames';

// Frames exactly as the adapter writes them (its time series frames).
const series = (instance: string, values: Array<number | null>, entities?: FieldEntities): FrameJSON => ({
  schema: {
    name: `node_load1{instance="${instance}"}`,
    refId: 'A',
    meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
    fields: [
      { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' } },
      {
        name: 'node_load1',
        type: 'number',
        typeInfo: { frame: 'float64', nullable: true },
        labels: { instance },
        config: { displayNameFromDS: instance },
      },
    ],
  },
  data: { values: [[1000, 2000, 3000], values], ...(entities ? { entities: [null, entities] } : {}) },
});

test('time series frames keep times, values, labels and display names; NaN and ±Inf come back', () => {
  const response = toDataQueryResponse({
    results: {
      A: {
        frames: [series('a', [0.5, 1, 2]), series('b', [null, null, 3], { NaN: [0], Inf: [1] })],
      },
    },
  });
  expect(response.errors).toBeUndefined();
  expect(response.data).toHaveLength(2);
  const [a, b] = response.data;
  expect(a.refId).toBe('A');
  expect(a.fields.map((f: { type: FieldType }) => f.type)).toEqual([FieldType.time, FieldType.number]);
  expect(Array.from(a.fields[0].values)).toEqual([1000, 2000, 3000]);
  expect(Array.from(a.fields[1].values)).toEqual([0.5, 1, 2]);
  expect(a.fields[1].labels).toEqual({ instance: 'a' });
  expect(a.fields[1].config.displayNameFromDS).toBe('a');
  expect(Array.from(b.fields[1].values)).toEqual([NaN, Infinity, 3]);
});

test('without a legend format a series is named as Prometheus prints it', () => {
  const unnamed = series('a', [1, 2, 3]);
  delete unnamed.schema.fields[1].config;
  const [frame] = toDataQueryResponse({ results: { A: { frames: [unnamed] } } }).data;
  expect(frame.fields[1].config.displayNameFromDS).toBe('node_load1{instance="a"}');
});

test('a SQL table frame keeps its column types and the row-limit notice', () => {
  const response = toDataQueryResponse({
    results: {
      B: {
        frames: [
          {
            schema: {
              refId: 'B',
              meta: {
                executedQueryString: 'SELECT …',
                notices: [{ severity: 'warning', text: 'Results were limited' }],
              },
              fields: [
                { name: 'time', type: 'time', typeInfo: { frame: 'time.Time', nullable: true } },
                { name: 'host', type: 'string', typeInfo: { frame: 'string', nullable: true } },
                { name: 'value', type: 'number', typeInfo: { frame: 'float64', nullable: true } },
              ],
            },
            data: {
              values: [
                [1000, 2000],
                ['a', null],
                [1.5, null],
              ],
            },
          },
        ],
      },
    },
  });
  const [frame] = response.data;
  expect(frame.length).toBe(2);
  expect(frame.fields.map((f: { name: string }) => f.name)).toEqual(['time', 'host', 'value']);
  expect(Array.from(frame.fields[1].values)).toEqual(['a', null]);
  expect(frame.meta?.notices?.[0].text).toMatch(/limited/);
});

test('a failed query becomes an error on its refId while the others keep their frames', () => {
  const response = toDataQueryResponse(
    {
      results: {
        A: { frames: [series('a', [1, 2, 3])] },
        B: { frames: [], error: 'bad selector at character 5: expected , or }', status: 400 },
      },
    },
    [{ refId: 'C', message: 'the range "x" is not a duration' }],
  );
  expect(response.data).toHaveLength(1);
  expect(response.errors).toEqual([
    { refId: 'C', message: 'the range "x" is not a duration' },
    { refId: 'B', message: 'bad selector at character 5: expected , or }', status: 400 },
  ]);
});
