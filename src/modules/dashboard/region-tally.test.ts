// The per-region counts kept by triggers (migration 20261127T0810) must always equal a fresh count.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, uniq } from '../../../test/support/factories.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
beforeAll(async () => {
  ({ db } = await testDb());
});

/** Regions whose kept counts differ from a fresh count (empty when all agree). */
async function drift() {
  const result = await sql<{ region_code: string; kept_d: number; real_d: number; kept_u: number; real_u: number }>`
    WITH real AS (
      SELECT region_code, sum(d)::int AS departments, sum(u)::int AS users FROM (
        SELECT region_code, 1 AS d, 0 AS u FROM department
        UNION ALL SELECT region_code, 0, 1 FROM app_user WHERE region_code IS NOT NULL) c GROUP BY region_code)
    SELECT coalesce(t.region_code, r.region_code) AS region_code, coalesce(t.departments, 0) AS kept_d, coalesce(r.departments, 0) AS real_d,
           coalesce(t.users, 0) AS kept_u, coalesce(r.users, 0) AS real_u
    FROM region_tally t FULL JOIN real r ON r.region_code = t.region_code
    WHERE coalesce(t.departments, 0) <> coalesce(r.departments, 0) OR coalesce(t.users, 0) <> coalesce(r.users, 0)`.execute(db);
  return result.rows;
}

async function addUsers(departmentId: string, regionCode: string, n: number) {
  const rows = Array.from({ length: n }, () => {
    const username = uniq('tally');
    return { username, display_name: username, kind: 'staff' as const, department_id: departmentId, region_code: regionCode };
  });
  return db.insertInto('app_user').values(rows).returning('id').execute();
}

describe('region tally', () => {
  it('follows bulk inserts, moves between regions and deletes', async () => {
    expect(await drift()).toEqual([]);
    const a = await newDepartment(db, { regionCode: '650502' });
    const b = await newDepartment(db, { regionCode: '650521' });
    const users = await addUsers(a.id, '650502', 25);
    await addUsers(b.id, '650521', 3);
    expect(await drift()).toEqual([]);
    // a department and some of its staff move; an update that leaves the region alone changes nothing
    await db.updateTable('department').set({ region_code: '650522' }).where('id', '=', a.id).execute();
    await db.updateTable('app_user').set({ region_code: '650522' }).where('id', 'in', users.slice(0, 10).map((u) => u.id)).execute();
    await db.updateTable('app_user').set({ display_name: '改名' }).where('id', 'in', users.slice(10).map((u) => u.id)).execute();
    expect(await drift()).toEqual([]);
    await db.deleteFrom('app_user').where('id', 'in', users.slice(5, 20).map((u) => u.id)).execute();
    expect(await drift()).toEqual([]);
  });

  it('stays right when a transaction rolls back and when writers run at once', async () => {
    const d = await newDepartment(db, { regionCode: '650502' });
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('app_user').values({ username: uniq('rb'), display_name: 'x', kind: 'staff', department_id: d.id, region_code: '650502' }).execute();
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await Promise.all(Array.from({ length: 8 }, (_, i) => addUsers(d.id, i % 2 ? '650502' : '650521', 5)));
    expect(await drift()).toEqual([]);
  });
});
