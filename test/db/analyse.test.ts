// The start-up's table-by-table ANALYZE on PGlite: the tables changed since this process analysed them, and only those.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { analyseChangedTables } from '../../src/db/analyse.ts';
import { openPglite } from '../../src/db/database.ts';

describe('analyseChangedTables', () => {
  it('analyses each changed table once, again after it changes, and none once stopped', async () => {
    const handle = openPglite(undefined);
    try {
      const db = handle.db;
      await sql`CREATE TABLE analyse_probe (id int PRIMARY KEY, note text)`.execute(db);
      await sql`CREATE TABLE analyse_still (id int PRIMARY KEY)`.execute(db);
      await sql`INSERT INTO analyse_probe SELECT g, 'n' || g FROM generate_series(1, 2000) g`.execute(db);
      await sql`INSERT INTO analyse_still SELECT g FROM generate_series(1, 10) g`.execute(db);
      const statsOf = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stats WHERE tablename = 'analyse_probe'`.execute(db)).rows[0]!.n);
      expect(await statsOf()).toBe(0);

      expect(await analyseChangedTables(db)).toEqual(expect.arrayContaining(['public.analyse_probe', 'public.analyse_still']));
      expect(await statsOf()).toBe(2);
      expect(await analyseChangedTables(db)).toEqual([]);

      await sql`UPDATE analyse_probe SET note = 'changed' WHERE id <= 10`.execute(db);
      expect(await analyseChangedTables(db, () => true)).toEqual([]);
      expect(await analyseChangedTables(db)).toEqual(['public.analyse_probe']);
    } finally {
      await handle.close();
    }
  });
});
