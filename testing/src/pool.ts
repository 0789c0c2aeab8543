// Test support: a pg Pool that can be ended before its database is dropped. pool.end() resolves
// before its clients' connections have closed; dropping the database (WITH FORCE) at that moment
// kills them mid-close, and the client emits an 'error' nobody listens to, failing whichever test
// file runs then.

import { type Client, Pool } from 'pg';

export interface EndablePool {
  pool: Pool;
  /** Ends the pool and waits until every connection it opened has closed. */
  end: () => Promise<void>;
}

export function testPool(connectionString: string, max = 5): EndablePool {
  const pool = new Pool({ connectionString, max });
  const open = new Set<Client>();
  pool.on('connect', (client) => {
    open.add(client);
    client.once('end', () => open.delete(client));
  });
  return {
    pool,
    end: async () => {
      const closing = [...open].map((client) => new Promise((resolve) => client.once('end', resolve)));
      await pool.end();
      await Promise.all(closing);
    },
  };
}
