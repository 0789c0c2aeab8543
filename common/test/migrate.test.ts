import { createLogger } from '../src/log/logger';
import { migrate, type Migration } from '../src/db/migrate';
import { createTestDatabase, type TestDatabase } from '@nester/testing/database';
import { testPool } from '@nester/testing/pool';

const log = createLogger({ name: 'test', level: 'silent' });
const migrations: Migration[] = [
  { version: 1, name: 'widgets', up: 'CREATE TABLE widgets (id int PRIMARY KEY)' },
  { version: 2, name: 'seed', up: async (client) => void (await client.query('INSERT INTO widgets VALUES (1)')) },
];

let db: TestDatabase;
beforeAll(async () => (db = await createTestDatabase('migrate')));
afterAll(() => db.drop());

test('replicas starting at once apply each migration exactly once', async () => {
  const opened = [testPool(db.url), testPool(db.url), testPool(db.url)];
  const pools = opened.map(({ pool }) => pool);
  try {
    const applied = await Promise.all(pools.map((pool) => migrate(pool, 'widgets', migrations, log)));
    expect(applied.flat().sort()).toEqual([1, 2]);
    const { rows } = await pools[0].query('SELECT count(*)::int AS n FROM widgets');
    expect(rows[0].n).toBe(1);
  } finally {
    await Promise.all(opened.map(({ end }) => end()));
  }
});

test('a failing migration rolls back and says which one failed', async () => {
  const { pool, end } = testPool(db.url);
  try {
    const broken: Migration[] = [...migrations, { version: 3, name: 'typo', up: 'CREATE TABLEX nope ()' }];
    await expect(migrate(pool, 'widgets', broken, log)).rejects.toThrow(/widgets #3 \(typo\) failed/);
    const { rows } = await pool.query("SELECT max(version) AS v FROM schema_migrations WHERE component = 'widgets'");
    expect(rows[0].v).toBe(2);
  } finally {
    await end();
  }
});

test('refuses to run an older binary against a newer schema', async () => {
  const { pool, end } = testPool(db.url);
  try {
    await expect(migrate(pool, 'widgets', migrations.slice(0, 1), log)).rejects.toThrow(/newer than this build knows/);
  } finally {
    await end();
  }
});
