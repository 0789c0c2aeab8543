import { rangeQuerySql } from './range-sql';
import { RANGE_FUNCTIONS } from '@nester/contracts/query/vocabulary';

test('the statement depends only on the function and the bucket function: every value is a parameter', () => {
  for (const fn of [undefined, ...RANGE_FUNCTIONS]) {
    const sql = rangeQuerySql(fn, 'date_bin');
    // No literal but the constants written in range-sql.ts: numbers, NaN, the stale marker's bits.
    const literals = sql.match(/'[^']*'/g) ?? [];
    expect(new Set(literals)).toEqual(
      new Set(
        literals.filter((l) =>
          ["'NaN'", "'\\x7ff0000000000002'", "''", "'epoch'", "'1 microsecond'", "'{}'"].includes(l),
        ),
      ),
    );
  }
});

test('TimescaleDB buckets with time_bucket, plain PostgreSQL with date_bin, in the same statement', () => {
  const plain = rangeQuerySql('avg_over_time', 'date_bin');
  const timescale = rangeQuerySql('avg_over_time', 'time_bucket');
  expect(plain).toMatch(/date_bin\(\$9::interval, time - interval '1 microsecond', \$10::timestamptz\)/);
  expect(timescale).toBe(plain.replace('date_bin(', 'time_bucket('));
  expect(rangeQuerySql('rate', 'time_bucket')).toBe(rangeQuerySql('rate', 'date_bin')); // no buckets needed
});
