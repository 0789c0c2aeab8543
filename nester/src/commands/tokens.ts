// `nester token …` (enrolment tokens for agents) and `nester api-token …` (the bearer token
// Grafana's proxy routes carry). Secrets are printed once, at creation.

import { migrate } from '@nester/common/db/migrate';
import { type FlagValuesOf, UsageError } from '@nester/common/config/flags';
import type { Pool } from 'pg';
import { API_TOKEN_CREATE_FLAGS, DATABASE_FLAGS, LIST_FLAGS, SERVE_FLAGS, TOKEN_CREATE_FLAGS } from '../config/flags';
import { connectDatabase } from '../db/connect';
import { MIGRATIONS } from '../db/migrations';
import { createApiToken, listApiTokens, revokeApiToken } from '../store/api-tokens';
import { createEnrollmentToken, listEnrollmentTokens, revokeEnrollmentToken } from '../store/enrollment-tokens';
import { parseNesterCommand } from './parse';

type Kind = 'token' | 'api-token';
type Action = 'create' | 'list' | 'revoke';

export async function tokenCommand(kind: Kind, argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [action, ...rest] = argv;
  if (!action || action === '--help' || action === '-h' || !['create', 'list', 'revoke'].includes(action)) {
    if (action && !action.startsWith('-'))
      throw new UsageError(`unknown action "${action}"; use nester ${kind} create|list|revoke`);
    process.stdout.write(
      `usage: nester ${kind} create|list|revoke [flags]\n\nManage ${WHAT[kind]}s. \`nester ${kind} <action> --help\` lists the flags of each.\n`,
    );
    return;
  }
  await ACTIONS[kind][action as Action](rest, env);
}

const WHAT: Record<Kind, string> = { token: 'enrolment token', 'api-token': 'API token' };

type Run<D extends typeof DATABASE_FLAGS> = (
  pool: Pool,
  values: FlagValuesOf<D>,
  positionals: string[],
) => Promise<void>;

/** One action of `nester <kind>`: its flags, and what it does with their values on the database. */
function action<const D extends typeof DATABASE_FLAGS>(kind: Kind, name: Action, flags: D, run: Run<D>) {
  const usage = `nester ${kind} ${name}${name === 'revoke' ? ' <id>' : ''} [flags]`;
  const command = {
    usage,
    description: `${capitalize(name)} ${WHAT[kind]}s.`,
    flags,
    maxPositionals: name === 'revoke' ? 1 : 0,
    // The same nester.yml as `nester serve`, so operators give one --config.file to every command.
    configFileKeys: SERVE_FLAGS,
  };
  return async (argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> => {
    const parsed = parseNesterCommand(command, argv, env);
    if (!parsed) return;
    if (name === 'revoke' && !parsed.positionals[0])
      throw new UsageError(`say which ${WHAT[kind]} to revoke: ${usage}`);
    const database = await connectDatabase(parsed.database['db.url'], parsed.database['data-dir'], parsed.log);
    try {
      await migrate(database.pool, 'nester', MIGRATIONS, parsed.log);
      await run(database.pool, parsed.values, parsed.positionals);
    } finally {
      await database.close();
    }
  };
}

const print = (text: string): void => void process.stdout.write(`${text}\n`);

const ACTIONS: Record<Kind, Record<Action, (argv: readonly string[], env: NodeJS.ProcessEnv) => Promise<void>>> = {
  token: {
    create: action('token', 'create', TOKEN_CREATE_FLAGS, async (pool, values) => {
      const ttl = values.ttl;
      const maxUses = values['max-uses'];
      if (!Number.isInteger(maxUses) || maxUses < 0) throw new UsageError('--max-uses must be 0 or a positive integer');
      const token = await createEnrollmentToken(pool, {
        description: values.description,
        ttlMs: ttl > 0 ? ttl : undefined,
        maxUses: maxUses > 0 ? maxUses : undefined,
        createdBy: 'cli',
      });
      if (values.output === 'json') return print(JSON.stringify(token));
      print(token.token);
      process.stderr.write(
        `enrolment token ${token.id} created (expires ${token.expiresAt ?? 'never'}, ${token.maxUses ?? 'unlimited'} uses). ` +
          'It is shown only now. On each machine run:\n  harvester enroll --nester-url <nester URL> --token <token>\n',
      );
    }),
    list: action('token', 'list', LIST_FLAGS, async (pool, values) => {
      const tokens = await listEnrollmentTokens(pool);
      if (values.output === 'json') return print(JSON.stringify({ tokens }));
      print(
        table(
          ['ID', 'STATUS', 'USES', 'EXPIRES', 'DESCRIPTION'],
          tokens.map((t) => [t.id, t.status, `${t.uses}/${t.maxUses ?? '∞'}`, t.expiresAt ?? 'never', t.description]),
        ),
      );
    }),
    revoke: action('token', 'revoke', DATABASE_FLAGS, async (pool, _values, [id]) => {
      if (!(await revokeEnrollmentToken(pool, id)))
        throw new UsageError(`no enrolment token ${id}; see nester token list`);
      print(`revoked ${id}`);
    }),
  },
  'api-token': {
    create: action('api-token', 'create', API_TOKEN_CREATE_FLAGS, async (pool, values) => {
      const token = await createApiToken(pool, values.description);
      if (values.output === 'json') return print(JSON.stringify(token));
      print(token.token);
      process.stderr.write(
        `API token ${token.id} created; it is shown only now. Put it in the nester-fleet-app settings in Grafana (stored in secureJsonData).\n`,
      );
    }),
    list: action('api-token', 'list', LIST_FLAGS, async (pool, values) => {
      const tokens = await listApiTokens(pool);
      if (values.output === 'json') return print(JSON.stringify({ tokens }));
      print(
        table(
          ['ID', 'CREATED', 'LAST USED', 'REVOKED', 'DESCRIPTION'],
          tokens.map((t) => [t.id, t.createdAt, t.lastUsedAt ?? '-', t.revokedAt ?? '-', t.description]),
        ),
      );
    }),
    revoke: action('api-token', 'revoke', DATABASE_FLAGS, async (pool, _values, [id]) => {
      if (!(await revokeApiToken(pool, id))) throw new UsageError(`no API token ${id}; see nester api-token list`);
      print(`revoked ${id}`);
    }),
  },
};

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function capitalize(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}
