// The start-up ANALYZE after a first start skips the tables analysed since their last write (D154).
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import { analyseChanged, flushTableCounters } from '../../src/db/analyse.ts';
import { testDb } from '../support/db.ts';

const suffix = randomBytes(4).toString('hex');
const written = `analyse_written_${suffix}`;
const untouched = `analyse_untouched_${suffix}`;
const fresh = `analyse_fresh_${suffix}`;

afterAll(async () => {
  const { db } = await testDb();
  await sql`DROP TABLE IF EXISTS ${sql.raw(`${written}, ${untouched}, ${fresh}`)}`.execute(db);
});

describe('analyseChanged', () => {
  it('analyses the tables written since their ANALYZE and those never analysed, not the others', async () => {
    const { db } = await testDb();
    // one connection throughout: the write counters flushed are this session's
    await db.connection().execute(async (c) => {
      const conn = c as Kysely<Database>;
      const stats = async (table: string) =>
        (await sql<{ n: string; analysed: boolean }>`SELECT n_mod_since_analyze::text AS n, last_analyze IS NOT NULL AS analysed FROM pg_stat_user_tables WHERE relname = ${table}`.execute(conn)).rows[0];
      for (const t of [written, untouched, fresh]) await sql`CREATE TABLE ${sql.raw(t)} (n int)`.execute(conn);
      await sql`INSERT INTO ${sql.raw(written)} SELECT generate_series(1, 100)`.execute(conn);
      await sql`INSERT INTO ${sql.raw(untouched)} SELECT generate_series(1, 100)`.execute(conn);
      // as the demos do: the loads counted before their ANALYZE, not after it
      await flushTableCounters(conn);
      await sql`ANALYZE ${sql.raw(`${written}, ${untouched}`)}`.execute(conn);
      // written after its ANALYZE, in the statement just before the call (its counters not flushed yet)
      await sql`UPDATE ${sql.raw(written)} SET n = n + 1 WHERE n <= 10`.execute(conn);

      const analysed = await analyseChanged(conn);
      expect(analysed).toContain(`public.${written}`);
      expect(analysed).toContain(`public.${fresh}`);
      expect(analysed).not.toContain(`public.${untouched}`);
      expect((await stats(written))?.analysed).toBe(true);
      expect((await stats(fresh))?.analysed).toBe(true);

      // nothing of the three written since: none is analysed again
      const again = await analyseChanged(conn);
      expect(again.filter((t) => t.endsWith(suffix))).toEqual([]);
    });
  });
});
