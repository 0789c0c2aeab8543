// The adapter's schema, on the Promscale pattern: a label dictionary, series as sorted arrays
// of label ids, and one narrow samples table keyed (series_id, time). The samples table is a
// TimescaleDB hypertable when the extension is there, and natively range-partitioned otherwise;
// the choice is made once, when the table is created (the storage flags, on every start:
// settings.ts). See ../../README.md for the reasoning.

import type { Migration } from '@nester/common/db/migrate';
import type { PoolClient } from 'pg';
import { detectCapabilities } from './detect';
import { compressAfterMs, msInterval } from './settings';

export const COMPONENT = 'timescale-adapter';

export interface SchemaSettings {
  chunkIntervalMs: number;
  retentionMs: number;
}

export function adapterMigrations(settings: SchemaSettings): Migration[] {
  return [
    { version: 1, name: 'label and series dictionary', up: DICTIONARY_SQL },
    { version: 2, name: 'samples table', up: (client) => createSamples(client, settings) },
    { version: 3, name: 'read-only role for raw SQL', up: createReaderRole },
    { version: 4, name: 'resolve_series inserts only what is missing', up: RESOLVE_SERIES_V2 },
    { version: 5, name: 'raw SQL logs in as its own role', up: SQL_READER_LOGIN },
    { version: 6, name: 'storage flags last applied', up: STORAGE_SETTINGS },
    { version: 7, name: 'metric metadata from remote_write', up: METRIC_METADATA },
  ];
}

const DICTIONARY_SQL = `
CREATE TABLE label (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key text NOT NULL,
  value text NOT NULL,
  UNIQUE (key, value)
);

-- labels: ids of the series' label pairs, in label-name order (__name__ included), so one
-- label set has exactly one array.
CREATE TABLE series (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  metric_name text NOT NULL,
  labels integer[] NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX series_labels_gin ON series USING gin (labels);
CREATE INDEX series_metric_name ON series (metric_name);

-- Resolves many label sets to series ids in one round trip, creating what is missing.
-- pair_series[i] says which set (1-based, into metric_names) label_keys[i]=label_values[i] belongs to.
-- Each statement sees rows committed by concurrent callers, so replicas may race safely;
-- rows are inserted in sorted order so concurrent callers cannot deadlock.
CREATE FUNCTION resolve_series(pair_series integer[], label_keys text[], label_values text[], metric_names text[])
RETURNS TABLE (ord integer, series_id bigint) LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO label (key, value)
    SELECT DISTINCT k, v FROM unnest(label_keys, label_values) AS p(k, v) ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  INSERT INTO series (metric_name, labels)
    SELECT metric_names[sets.s], sets.labels FROM (
      SELECT p.s, array_agg(l.id ORDER BY p.n) AS labels
      FROM unnest(pair_series, label_keys, label_values) WITH ORDINALITY AS p(s, k, v, n)
      JOIN label l ON l.key = p.k AND l.value = p.v
      GROUP BY p.s) sets
    ORDER BY sets.labels
    ON CONFLICT (labels) DO NOTHING;
  RETURN QUERY
    SELECT sets.s::integer, series.id FROM (
      SELECT p.s, array_agg(l.id ORDER BY p.n) AS labels
      FROM unnest(pair_series, label_keys, label_values) WITH ORDINALITY AS p(s, k, v, n)
      JOIN label l ON l.key = p.k AND l.value = p.v
      GROUP BY p.s) sets
    JOIN series ON series.labels = sets.labels;
END $$;

-- For raw SQL users: each series with its labels as one jsonb object.
CREATE VIEW series_labels AS
  SELECT s.id AS series_id, s.metric_name, jsonb_object_agg(l.key, l.value) AS labels
  FROM series s CROSS JOIN LATERAL unnest(s.labels) AS lid JOIN label l ON l.id = lid
  GROUP BY s.id, s.metric_name;

-- Prometheus' stale marker is the NaN 0x7ff0000000000002, stored bit-exact in samples.value.
CREATE FUNCTION is_stale_marker(value double precision) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT value = 'NaN'::float8 AND float8send(value) = '\\x7ff0000000000002'::bytea $$;

-- Partitions created by the adapter (native partitioning only): bounds kept here so that every
-- replica agrees on them without parsing catalog text.
CREATE TABLE sample_partitions (
  name text PRIMARY KEY,
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  CHECK (start_time < end_time)
);
`;

// After a restart every series is already stored but not cached: look up first and insert only
// the missing rows, instead of paying a speculative insertion (ON CONFLICT) for each of them.
const RESOLVE_SERIES_V2 = `
CREATE OR REPLACE FUNCTION resolve_series(pair_series integer[], label_keys text[], label_values text[], metric_names text[])
RETURNS TABLE (ord integer, series_id bigint) LANGUAGE plpgsql
-- PL/pgSQL switches to a generic plan after five calls, and a generic plan cannot know how few
-- rows the arrays hold: it scans whole tables. Plan every call for its own arguments.
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
  INSERT INTO label (key, value)
    SELECT DISTINCT p.k, p.v FROM unnest(label_keys, label_values) AS p(k, v)
     WHERE NOT EXISTS (SELECT 1 FROM label l WHERE l.key = p.k AND l.value = p.v)
     ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  -- The scalar subquery is a unique-index probe per set; an anti-join could scan all series instead.
  RETURN QUERY
    WITH sets AS (
      SELECT p.s, array_agg(l.id ORDER BY p.n) AS labels
        FROM unnest(pair_series, label_keys, label_values) WITH ORDINALITY AS p(s, k, v, n)
        JOIN label l ON l.key = p.k AND l.value = p.v
       GROUP BY p.s),
    found AS (
      SELECT sets.s, sets.labels, (SELECT x.id FROM series x WHERE x.labels = sets.labels) AS id FROM sets),
    missing AS (
      INSERT INTO series (metric_name, labels)
        SELECT metric_names[f.s], f.labels FROM found f WHERE f.id IS NULL ORDER BY f.labels
        ON CONFLICT (labels) DO NOTHING
        RETURNING series.id, series.labels)
    SELECT f.s::integer, coalesce(f.id, m.id)
      FROM found f LEFT JOIN missing m ON m.labels = f.labels
     WHERE coalesce(f.id, m.id) IS NOT NULL; -- a set another session is inserting right now: the caller asks again
END $$;
`;

// The generated password of the raw SQL role (storage/sql-reader.ts), for every replica: readable
// by the owner only, and it opens nothing the owner could not open anyway.
const SQL_READER_LOGIN = `
CREATE TABLE sql_reader_secret (role name PRIMARY KEY, password text NOT NULL);
REVOKE ALL ON sql_reader_secret FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION resolve_series(integer[], text[], text[], text[]) FROM PUBLIC;
`;

// The storage flags each start applied (storage/settings.ts), so the next start can log what changed.
const STORAGE_SETTINGS = `
CREATE TABLE storage_settings (
  flag text PRIMARY KEY,
  value_ms bigint NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON storage_settings FROM PUBLIC;
`;

// MetricMetadata that remote_write sends (ingest/metadata.ts), for /api/v1/metadata: each distinct
// type/unit/help of a metric family once. Help texts may be long, so the key holds their digest.
const METRIC_METADATA = `
CREATE TABLE metric_metadata (
  metric_family_name text NOT NULL,
  type text NOT NULL,
  unit text NOT NULL,
  help text NOT NULL,
  last_seen timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX metric_metadata_key ON metric_metadata (metric_family_name, type, unit, md5(help));
REVOKE ALL ON metric_metadata FROM PUBLIC;
`;

const SAMPLES_COLUMNS = `series_id bigint NOT NULL, time timestamptz NOT NULL, value double precision NOT NULL`;

async function createSamples(client: PoolClient, settings: SchemaSettings): Promise<void> {
  const caps = await detectCapabilities(client);
  if (caps.timescaledbAvailable) {
    await client.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
    await client.query(`CREATE TABLE samples (${SAMPLES_COLUMNS})`);
    await client.query(
      `SELECT create_hypertable('samples', 'time', chunk_time_interval => ${msInterval(1)},
                                create_default_indexes => false)`,
      [settings.chunkIntervalMs],
    );
    await client.query('CREATE UNIQUE INDEX samples_series_time ON samples (series_id, time) INCLUDE (value)');
    const { rows } = await client.query<{ license: string | null }>(
      "SELECT current_setting('timescaledb.license', true) AS license",
    );
    if (rows[0].license === 'timescale') {
      await client.query(`ALTER TABLE samples SET (timescaledb.compress,
        timescaledb.compress_segmentby = 'series_id', timescaledb.compress_orderby = 'time')`);
      await client.query(`SELECT add_compression_policy('samples', compress_after => ${msInterval(1)})`, [
        compressAfterMs(settings.chunkIntervalMs),
      ]);
      await client.query(`SELECT add_retention_policy('samples', drop_after => ${msInterval(1)})`, [
        settings.retentionMs,
      ]);
    }
    return;
  }
  await client.query(`CREATE TABLE samples (${SAMPLES_COLUMNS}) PARTITION BY RANGE (time)`);
  await client.query('CREATE UNIQUE INDEX samples_series_time ON samples (series_id, time) INCLUDE (value)');
}

/** Migration 3 (history): a NOLOGIN role raw SQL switched to; storage/sql-reader.ts makes it a login role. */
async function createReaderRole(client: PoolClient): Promise<void> {
  const { rows } = await client.query<{ can: boolean }>(
    `SELECT rolsuper OR rolcreaterole AS can FROM pg_roles WHERE rolname = current_user`,
  );
  if (!rows[0]?.can) return;
  const role = `${(await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db}_sql_reader`;
  const quoted = client.escapeIdentifier(role);
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (!exists.rowCount) await client.query(`CREATE ROLE ${quoted} NOLOGIN`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${quoted}`);
  await client.query(`GRANT SELECT ON label, series, samples, series_labels TO ${quoted}`);
  await client.query(`GRANT ${quoted} TO current_user`);
}

/** True when the samples table is a TimescaleDB hypertable. */
export async function isHypertable(client: { query: PoolClient['query'] }): Promise<boolean> {
  const { rows } = await client.query<{ yes: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AND
            EXISTS (SELECT 1 FROM pg_class WHERE relname = 'samples' AND relkind = 'r') AS yes`,
  );
  return rows[0].yes;
}
