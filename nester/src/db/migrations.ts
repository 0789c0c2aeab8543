// nester's schema, in its own PostgreSQL schema (`fleet`) so it can share a database with the adapter.
// Not named "nester": that is the embedded cluster's user, and "$user" heads the search_path.
// Append new migrations; never edit an applied one.

import type { Migration } from '@nester/common/db/migrate';

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'inventory, tokens, sessions, audit events',
    up: `
      CREATE SCHEMA IF NOT EXISTS fleet;

      CREATE TABLE fleet.enrollment_tokens (
        id text PRIMARY KEY,
        secret_hash bytea NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        expires_at timestamptz,
        max_uses integer,
        uses integer NOT NULL DEFAULT 0,
        revoked_at timestamptz
      );

      CREATE TABLE fleet.api_tokens (
        id text PRIMARY KEY,
        secret_hash bytea NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );

      CREATE TABLE fleet.harvesters (
        id text PRIMARY KEY,
        credential_hash bytea NOT NULL,
        hostname text NOT NULL DEFAULT '',
        machine_id text NOT NULL DEFAULT '',
        facts jsonb NOT NULL DEFAULT '{}',
        labels jsonb NOT NULL DEFAULT '{}',
        online boolean NOT NULL DEFAULT false,
        last_seen timestamptz,
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        enrollment_token_id text,
        revoked_at timestamptz,
        revoked_by text
      );
      CREATE INDEX harvesters_hostname ON fleet.harvesters (hostname);

      CREATE TABLE fleet.sessions (
        id text PRIMARY KEY,
        harvester_id text,
        hostname text,
        kind text,
        view_only boolean NOT NULL DEFAULT false,
        user_login text,
        requested_at timestamptz NOT NULL DEFAULT now(),
        connected_at timestamptz,
        ended_at timestamptz,
        bytes_from_browser bigint NOT NULL DEFAULT 0,
        bytes_to_browser bigint NOT NULL DEFAULT 0,
        end_reason text,
        ended_by text,
        refused boolean NOT NULL DEFAULT false,
        remote_address text,
        origin text,
        recording_path text,
        recording_sha256 text
      );
      CREATE INDEX sessions_requested_at ON fleet.sessions (requested_at DESC);
      CREATE INDEX sessions_harvester ON fleet.sessions (harvester_id, requested_at DESC);

      CREATE TABLE fleet.audit_events (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        event text NOT NULL,
        harvester_id text,
        actor text,
        remote_address text,
        detail text NOT NULL DEFAULT ''
      );
      CREATE INDEX audit_events_at ON fleet.audit_events (at DESC);
    `,
  },
  {
    version: 2,
    name: 'one identity per machine: operator labels, replaced enrolments',
    up: `
      -- Labels an operator set in the fleet app; NULL: the agent's own --remote.label ones apply.
      ALTER TABLE fleet.harvesters ADD COLUMN operator_labels jsonb;
      -- A later enrolment of the same machine (same /etc/machine-id) replaces this one.
      ALTER TABLE fleet.harvesters ADD COLUMN replaced_by text;
      ALTER TABLE fleet.harvesters ADD COLUMN replaced_at timestamptz;
      CREATE INDEX harvesters_machine_id ON fleet.harvesters (machine_id) WHERE machine_id <> '';
    `,
  },
  {
    version: 3,
    name: 'session end codes',
    // The close code the browser was given, next to the reason in words.
    up: `ALTER TABLE fleet.sessions ADD COLUMN IF NOT EXISTS end_code integer;`,
  },
];
