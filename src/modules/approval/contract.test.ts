// The approval contract: the factories write items and cases, and "overdue" is derived from the clock columns.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { testDb } from '../../../test/support/db.ts';
import { newCase, newItem } from '../../../test/support/approval-factories.ts';
import { brokeLimitSql, concludedLateSql, overdueSql } from './index.ts';

let db: Kysely<Database>;
beforeAll(async () => {
  ({ db } = await testDb());
});

describe('approval contract', () => {
  it('derives overdue from the due dates, the open pause and the date asked about', async () => {
    const item = await newItem(db);
    const running = await newCase(db, item, { state: 'reviewing', statutoryDue: '2026-11-20', promisedDue: '2026-11-10' });
    const pausedLate = await newCase(db, item, { state: 'reviewing', statutoryDue: '2026-11-20', pausedSince: '2026-11-25' });
    const pausedInTime = await newCase(db, item, { state: 'reviewing', statutoryDue: '2026-11-20', pausedSince: '2026-11-18' });
    const concludedLate = await newCase(db, item, { state: 'concluded', statutoryDue: '2026-11-20', concludedOn: '2026-11-23' });
    const submitted = await newCase(db, item, { state: 'submitted' });
    const ids = [running.id, pausedLate.id, pausedInTime.id, concludedLate.id, submitted.id];
    const ask = async (today: string) =>
      Object.fromEntries(
        (
          await db
            .selectFrom('approval_case as c')
            .select(['c.id', overdueSql(today).as('overdue'), overdueSql(today, 'promised').as('promised'), concludedLateSql().as('late'), brokeLimitSql(today).as('broke')])
            .where('c.id', 'in', ids)
            .execute()
        ).map((r) => [r.id, { overdue: r.overdue, promised: r.promised ?? false, late: r.late ?? false, broke: r.broke ?? false }]),
      );
    const on20 = await ask('2026-11-20');
    expect(on20[running.id]).toEqual({ overdue: false, promised: true, late: false, broke: false });
    const on21 = await ask('2026-11-21');
    expect(on21[running.id]!.overdue).toBe(true);
    expect(on21[pausedLate.id]!.overdue).toBe(true);
    expect(on21[pausedInTime.id]!.overdue).toBe(false);
    expect(on21[concludedLate.id]).toMatchObject({ overdue: false, late: true, broke: true });
    expect(on21[submitted.id]!.overdue).toBe(false);
  });
});
