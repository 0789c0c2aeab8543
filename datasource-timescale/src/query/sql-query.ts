// Raw SQL mode: the user's one SELECT, macros expanded into bind parameters, run on the reader
// pool (its own login role with SELECT on the public relations only: storage/sql-reader.ts) in a
// READ ONLY transaction with a statement timeout, wrapped as a subquery so exactly one
// statement runs and at most max-rows + 1 rows come back.

import type { Pool, QueryArrayConfig } from 'pg';
import type { FieldSchema, FrameJSON } from '@nester/contracts/query/frames';
import { numberColumn } from './frames';
import { expandMacros, type MacroContext } from './macros';

export interface SqlQuery {
  refId: string;
  sql: string;
}

export interface SqlContext {
  /** The reader pool; absent when raw SQL is disabled, for `disabled`'s reason. */
  pool?: Pool;
  disabled?: string;
  timeoutMs: number;
  maxRows: number;
  bucketFunction: MacroContext['bucketFunction'];
}

export class SqlQueryError extends Error {
  override name = 'SqlQueryError';
}

export class SqlDisabledError extends Error {
  override name = 'SqlDisabledError';
}

// PostgreSQL type OIDs, to give Grafana typed fields.
const TIME_TYPES = new Set([1082, 1114, 1184]);
const NUMBER_TYPES = new Set([20, 21, 23, 700, 701, 1700, 26]);

export async function runSqlQuery(
  ctx: SqlContext,
  query: SqlQuery,
  range: { from: number; to: number; intervalMs: number },
): Promise<FrameJSON> {
  const userSql = String(query.sql ?? '')
    .trim()
    .replace(/;\s*$/, '');
  if (!userSql) throw new SqlQueryError('the SQL query is empty');
  if (!ctx.pool) {
    throw new SqlDisabledError(
      `raw SQL is disabled on this adapter: ${ctx.disabled ?? 'no reader role'}. ` +
        "Start it with --db.sql-reader-url (a role as in the adapter's README)",
    );
  }
  const expanded = expandMacros(userSql, { ...range, bucketFunction: ctx.bucketFunction });
  const client = await ctx.pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.floor(ctx.timeoutMs)}`);
    // queryMode 'extended' (not in @types/pg): one statement only, even without parameters.
    const config: QueryArrayConfig & { queryMode: 'extended' } = {
      text: `SELECT * FROM (\n${expanded.text}\n) AS user_query LIMIT ${Math.floor(ctx.maxRows) + 1}`,
      values: expanded.values,
      rowMode: 'array',
      queryMode: 'extended',
    };
    const result = await client.query(config);
    await client.query('ROLLBACK');
    const truncated = result.rows.length > ctx.maxRows;
    const rows = truncated ? result.rows.slice(0, ctx.maxRows) : result.rows;
    return tableFrame(query.refId, result.fields, rows as unknown[][], expanded.text, truncated, ctx.maxRows);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    const pgErr = err as { code?: string; message: string };
    if (pgErr.code) throw new SqlQueryError(`SQL error: ${pgErr.message} (SQLSTATE ${pgErr.code})`);
    broken = true;
    throw err;
  } finally {
    client.release(broken);
  }
}

function tableFrame(
  refId: string,
  fields: { name: string; dataTypeID: number }[],
  rows: unknown[][],
  executed: string,
  truncated: boolean,
  maxRows: number,
): FrameJSON {
  const schemaFields: FieldSchema[] = [];
  const columns: unknown[][] = [];
  const entities: ({ NaN?: number[]; Inf?: number[]; NegInf?: number[] } | null)[] = [];
  fields.forEach((field, i) => {
    const raw = rows.map((row) => row[i]);
    if (TIME_TYPES.has(field.dataTypeID)) {
      schemaFields.push({ name: field.name, type: 'time', typeInfo: { frame: 'time.Time', nullable: true } });
      columns.push(raw.map((v) => (v === null ? null : new Date(v as string).getTime())));
      entities.push(null);
    } else if (NUMBER_TYPES.has(field.dataTypeID)) {
      schemaFields.push({ name: field.name, type: 'number', typeInfo: { frame: 'float64', nullable: true } });
      const present = raw.flatMap((v, k) => (v === null ? [] : [k]));
      const { values, entities: special } = numberColumn(present.map((k) => Number(raw[k])));
      const column: (number | null)[] = raw.map(() => null);
      present.forEach((k, j) => (column[k] = values[j]));
      columns.push(column);
      entities.push(special ? remap(special, present) : null);
    } else if (field.dataTypeID === 16) {
      schemaFields.push({ name: field.name, type: 'boolean', typeInfo: { frame: 'bool', nullable: true } });
      columns.push(raw);
      entities.push(null);
    } else {
      schemaFields.push({ name: field.name, type: 'string', typeInfo: { frame: 'string', nullable: true } });
      // pg hands over objects (json, arrays, Buffers) and primitives; objects are shown as JSON.
      columns.push(
        raw.map((v) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v as string | number))),
      );
      entities.push(null);
    }
  });
  const notices = truncated
    ? [{ severity: 'warning', text: `Results were limited to ${maxRows} rows; add LIMIT or aggregate.` }]
    : undefined;
  return {
    schema: { refId, meta: { executedQueryString: executed, ...(notices ? { notices } : {}) }, fields: schemaFields },
    data: { values: columns, ...(entities.some(Boolean) ? { entities } : {}) },
  };
}

/** Entity indexes are positions among non-null values; map them back to row numbers. */
function remap(
  special: { NaN?: number[]; Inf?: number[]; NegInf?: number[] },
  present: number[],
): { NaN?: number[]; Inf?: number[]; NegInf?: number[] } {
  return Object.fromEntries(Object.entries(special).map(([kind, list]) => [kind, list.map((j) => present[j])]));
}
