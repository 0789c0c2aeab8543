// One page of the fleet inventory, filtered and sorted by PostgreSQL, and the whole fleet's counts
// (status, agent versions, operating systems, labels) for the summary strip and the filter choices.
// Presence is this process's: the ids with a live control channel go in as one array parameter,
// so "online" here is what GET /api/v1/harvesters/:id says.

import type { Harvester, HarvesterFacets, HarvesterSortKey } from '@nester/contracts/nester/api';
import type { Pool } from 'pg';
import type { HarvesterListParams } from '../api/harvester-list-params';
import { COLUMNS, type HarvesterRow, toHarvester } from './harvesters';

/** The most distinct `key=value` pairs the label facet returns (the most common first). */
export const LABEL_FACET_MAX = 500;

// A jsonb that is not an object would make jsonb_each_text throw; facts come from agents.
const LABEL_PAIRS = `jsonb_each_text(CASE WHEN jsonb_typeof(shown_labels) = 'object' THEN shown_labels ELSE '{}' END)`;

/** $1 is the array of online ids. os_name is the fleet app's osName(): prettyName, else name + version;
 * shown_labels the operator's labels when set, else the agent's (as toHarvester shows them). */
const LIVE = `SELECT ${COLUMNS},
    COALESCE(operator_labels, labels) AS shown_labels,
    CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN id = ANY($1::text[]) THEN 'online' ELSE 'offline' END AS live_status,
    COALESCE(NULLIF(facts->'os'->>'prettyName', ''),
             NULLIF(concat_ws(' ', NULLIF(facts->'os'->>'name', ''), NULLIF(facts->'os'->>'version', '')), ''),
             'Unknown') AS os_name
  FROM fleet.harvesters`;

const VERSION_KEY = `string_to_array(substring(facts->>'agentVersion' from '^[0-9]{1,30}(?:\\.[0-9]{1,30})*'), '.')::numeric[]`;

/** ORDER BY terms, ascending; `order=desc` flips every one, so the order reverses exactly. */
const ORDER: Record<HarvesterSortKey, Array<[string, 'ASC' | 'DESC']>> = {
  hostname: [],
  status: [[`CASE live_status WHEN 'online' THEN 0 WHEN 'offline' THEN 1 ELSE 2 END`, 'ASC']],
  // Most recently seen first; never seen last.
  lastSeen: [['last_seen', 'DESC']],
  os: [['os_name', 'ASC']],
  agentVersion: [
    [VERSION_KEY, 'ASC'],
    [`facts->>'agentVersion'`, 'ASC'],
  ],
};
const TIE_BREAK: Array<[string, 'ASC' | 'DESC']> = [
  ['lower(hostname)', 'ASC'],
  ['hostname', 'ASC'],
  ['id', 'ASC'],
];

function orderBy(sort: HarvesterSortKey, descending: boolean): string {
  return [...ORDER[sort], ...TIE_BREAK]
    .map(([expr, dir]) => {
      const asc = (dir === 'ASC') !== descending;
      // NULLs (never seen, no version) stay last in the default direction, first when reversed.
      return `${expr} ${asc ? 'ASC' : 'DESC'} NULLS ${(dir === 'ASC') === asc ? 'LAST' : 'FIRST'}`;
    })
    .join(', ');
}

function where(params: HarvesterListParams, values: unknown[]): string {
  const conditions: string[] = [];
  const add = (value: unknown) => `$${values.push(value)}`;
  if (params.status) conditions.push(`live_status = ${add(params.status)}`);
  if (params.q) {
    const like = add(`%${params.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    conditions.push(
      `(hostname ILIKE ${like} OR id ILIKE ${like} OR facts->>'addresses' ILIKE ${like}
        OR EXISTS (SELECT 1 FROM ${LABEL_PAIRS} l WHERE l.key || '=' || l.value ILIKE ${like}))`,
    );
  }
  if (params.os) conditions.push(`os_name = ${add(params.os)}`);
  if (Object.keys(params.labels).length > 0)
    conditions.push(`shown_labels @> ${add(JSON.stringify(params.labels))}::jsonb`);
  if (params.hideRetired) conditions.push('revoked_at IS NULL AND replaced_by IS NULL');
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

type LiveRow = HarvesterRow & { live_status: Harvester['status']; total: string };

/** The harvesters of one page and how many match in all. */
export async function pageHarvesters(
  pool: Pool,
  params: HarvesterListParams,
  onlineIds: string[],
): Promise<{ harvesters: Harvester[]; total: number }> {
  const values: unknown[] = [onlineIds];
  const filter = where(params, values);
  const limit = params.limit === undefined ? '' : `LIMIT $${values.push(params.limit)}`;
  const offset = `OFFSET $${values.push(params.offset)}`;
  const { rows } = await pool.query<LiveRow>(
    `SELECT *, count(*) OVER () AS total FROM (${LIVE}) h ${filter}
     ORDER BY ${orderBy(params.sort, params.descending)} ${limit} ${offset}`,
    values,
  );
  let total = rows.length ? Number(rows[0].total) : 0;
  if (rows.length === 0 && params.offset > 0) {
    // Past the end: the window count came with no row, so count alone.
    const counted = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${LIVE}) h ${filter}`,
      values.slice(0, values.length - (params.limit === undefined ? 1 : 2)),
    );
    total = counted.rows[0].n;
  }
  return { harvesters: rows.map((row) => ({ ...toHarvester(row), status: row.live_status })), total };
}

/** Counts over the whole fleet, in one statement. */
export async function fleetFacets(pool: Pool, onlineIds: string[]): Promise<HarvesterFacets> {
  const { rows } = await pool.query<{ facet: keyof HarvesterFacets; key: string; n: number }>(
    `WITH h AS (${LIVE})
     SELECT 'status' AS facet, live_status AS key, count(*)::int AS n FROM h GROUP BY 2
     UNION ALL
     SELECT 'agentVersion', COALESCE(facts->>'agentVersion', ''), count(*)::int FROM h WHERE revoked_at IS NULL GROUP BY 2
     UNION ALL
     SELECT 'os', os_name, count(*)::int FROM h GROUP BY 2
     UNION ALL
     (SELECT 'label', l.key || '=' || l.value, count(*)::int FROM h, ${LABEL_PAIRS} l
      GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT ${LABEL_FACET_MAX})`,
    [onlineIds],
  );
  const facets: HarvesterFacets = {
    status: { online: 0, offline: 0, revoked: 0 },
    agentVersion: {},
    os: {},
    label: {},
  };
  for (const row of rows) (facets[row.facet] as Record<string, number>)[row.key] = row.n;
  return facets;
}
