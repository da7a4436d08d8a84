// On PostgreSQL, a connection the server ends while it sits idle in the pool (restart, failover, an administrator's
// pg_terminate_backend) must not end the process: the pool drops it and the next query gets a fresh connection.
import { inject, describe, expect, it } from 'vitest';
import { Kysely, sql } from 'kysely';
import { postgresDialect } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';

const url = inject('testDatabaseUrl');

describe.skipIf(!url)('PostgreSQL pool', () => {
  it('survives its idle connections being terminated by the server', async () => {
    const db = new Kysely<Database>({ dialect: postgresDialect(url!, 3) });
    try {
      // three connections, then idle in the pool
      await Promise.all([1, 2, 3].map(() => sql`SELECT pg_sleep(0.05)`.execute(db)));
      const pids = await Promise.all([1, 2, 3].map(async () => (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)).rows[0]!.pid));
      const killer = new Kysely<Database>({ dialect: postgresDialect(url!, 1) });
      try {
        await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(${[...new Set(pids)]}::int[])`.execute(killer);
      } finally {
        await killer.destroy();
      }
      // the idle clients' 'error' events have fired by now; the pool answers with new connections
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
      expect(rows[0]!.one).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});
