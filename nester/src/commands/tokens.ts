// `nester token …` (enrolment tokens for agents) and `nester api-token …` (the bearer token
// Grafana's proxy routes carry). Secrets are printed once, at creation.

import { migrate } from '@nester/common/db/migrate';
import { UsageError } from '@nester/common/config/flags';
import type { Pool } from 'pg';
import { API_TOKEN_CREATE_FLAGS, DATABASE_FLAGS, LIST_FLAGS, TOKEN_CREATE_FLAGS } from '../config/flags';
import { connectDatabase } from '../db/connect';
import { MIGRATIONS } from '../db/migrations';
import { createApiToken, listApiTokens, revokeApiToken } from '../store/api-tokens';
import { createEnrollmentToken, listEnrollmentTokens, revokeEnrollmentToken } from '../store/enrollment-tokens';
import { type Parsed, parseCommand } from './parse';

type Action = 'create' | 'list' | 'revoke';

export async function tokenCommand(kind: 'token' | 'api-token', argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [action, ...rest] = argv;
  const what = kind === 'token' ? 'enrolment token' : 'API token';
  if (!action || action === '--help' || action === '-h' || !['create', 'list', 'revoke'].includes(action)) {
    if (action && !action.startsWith('-'))
      throw new UsageError(`unknown action "${action}"; use nester ${kind} create|list|revoke`);
    process.stdout.write(
      `usage: nester ${kind} create|list|revoke [flags]\n\nManage ${what}s. \`nester ${kind} <action> --help\` lists the flags of each.\n`,
    );
    return;
  }
  const specs =
    action === 'create'
      ? kind === 'token'
        ? TOKEN_CREATE_FLAGS
        : API_TOKEN_CREATE_FLAGS
      : action === 'list'
        ? LIST_FLAGS
        : DATABASE_FLAGS;
  const usage = `nester ${kind} ${action}${action === 'revoke' ? ' <id>' : ''} [flags]`;
  const parsed = parseCommand(usage, `${capitalize(action)} ${what}s.`, specs, rest, env, action === 'revoke' ? 1 : 0);
  if (!parsed) return;
  if (action === 'revoke' && !parsed.positionals[0]) throw new UsageError(`say which ${what} to revoke: ${usage}`);

  const database = await connectDatabase(
    parsed.values['db.url'] as string | undefined,
    parsed.values['data-dir'] as string,
    parsed.log,
  );
  try {
    await migrate(database.pool, 'nester', MIGRATIONS, parsed.log);
    await (kind === 'token' ? enrollment : api)[action as Action](database.pool, parsed);
  } finally {
    await database.close();
  }
}

const print = (text: string): void => void process.stdout.write(`${text}\n`);

const enrollment: Record<Action, (pool: Pool, p: Parsed) => Promise<void>> = {
  async create(pool, { values }) {
    const ttl = values.ttl as number;
    const maxUses = values['max-uses'] as number;
    if (!Number.isInteger(maxUses) || maxUses < 0) throw new UsageError('--max-uses must be 0 or a positive integer');
    const token = await createEnrollmentToken(pool, {
      description: values.description as string,
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
  },
  async list(pool, { values }) {
    const tokens = await listEnrollmentTokens(pool);
    if (values.output === 'json') return print(JSON.stringify({ tokens }));
    print(
      table(
        ['ID', 'STATUS', 'USES', 'EXPIRES', 'DESCRIPTION'],
        tokens.map((t) => [t.id, t.status, `${t.uses}/${t.maxUses ?? '∞'}`, t.expiresAt ?? 'never', t.description]),
      ),
    );
  },
  async revoke(pool, { positionals }) {
    if (!(await revokeEnrollmentToken(pool, positionals[0])))
      throw new UsageError(`no enrolment token ${positionals[0]}; see nester token list`);
    print(`revoked ${positionals[0]}`);
  },
};

const api: Record<Action, (pool: Pool, p: Parsed) => Promise<void>> = {
  async create(pool, { values }) {
    const token = await createApiToken(pool, values.description as string);
    if (values.output === 'json') return print(JSON.stringify(token));
    print(token.token);
    process.stderr.write(
      `API token ${token.id} created; it is shown only now. Put it in the nester-fleet-app settings in Grafana (stored in secureJsonData).\n`,
    );
  },
  async list(pool, { values }) {
    const tokens = await listApiTokens(pool);
    if (values.output === 'json') return print(JSON.stringify({ tokens }));
    print(
      table(
        ['ID', 'CREATED', 'LAST USED', 'REVOKED', 'DESCRIPTION'],
        tokens.map((t) => [t.id, t.createdAt, t.lastUsedAt ?? '-', t.revokedAt ?? '-', t.description]),
      ),
    );
  },
  async revoke(pool, { positionals }) {
    if (!(await revokeApiToken(pool, positionals[0])))
      throw new UsageError(`no API token ${positionals[0]}; see nester api-token list`);
    print(`revoked ${positionals[0]}`);
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
