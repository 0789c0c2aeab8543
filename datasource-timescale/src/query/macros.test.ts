import { expandMacros } from './macros';

const ctx = { from: 1_700_000_000_000, to: 1_700_003_600_000, intervalMs: 30_000, bucketFunction: 'date_bin' as const };

test('macros become bind parameters, never inlined values', () => {
  const { text, values } = expandMacros(
    'SELECT $__timeGroupAlias(time, 5m), avg(value) FROM samples WHERE $__timeFilter(time) AND x > $__interval_ms GROUP BY 1',
    ctx,
  );
  expect(text).toBe(
    "SELECT date_bin($1::bigint * interval '1 millisecond', time, timestamptz '1970-01-01 00:00:00+00') AS \"time\", avg(value) FROM samples WHERE time BETWEEN $2::timestamptz AND $3::timestamptz AND x > $4::bigint GROUP BY 1",
  );
  expect(values).toEqual([300_000, '2023-11-14T22:13:20.000Z', '2023-11-14T23:13:20.000Z', 30_000]);
});

test('time_bucket on TimescaleDB, $__interval as an interval, and clear errors', () => {
  expect(expandMacros('$__timeGroup(t, $__interval)', { ...ctx, bucketFunction: 'time_bucket' }).text).toBe(
    "time_bucket($1::bigint * interval '1 millisecond', t, timestamptz '1970-01-01 00:00:00+00')",
  );
  expect(expandMacros('now() - $__interval', ctx).text).toBe("now() - ($1::bigint * interval '1 millisecond')");
  expect(() => expandMacros('$__timeGroup(t)', ctx)).toThrow(/needs a column and an interval/);
  expect(() => expandMacros("$__timeGroup(t, '1; DROP')", ctx)).toThrow(/not a duration/);
  expect(() => expandMacros('$__unknownMacro(x)', ctx)).toThrow(/unknown macro/);
});
