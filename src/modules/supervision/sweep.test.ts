// The incremental sweep (D106): which runs are exhaustive, and that an incremental run finds exactly the cases whose
// answer can have changed — rows changed since the previous sweep, due days the date crossed, yellow cards that
// outlived their period — and leaves the rest to the exhaustive run. Cases are written inside a rolled-back
// transaction, so no other test's sweep sees them.
import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { createServices } from '../../services.ts';
import { testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { inRolledBackTransaction } from '../../../test/support/rollback.ts';
import { newCase, newItem } from '../../../test/support/approval-factories.ts';
import { newDepartment } from '../../../test/support/factories.ts';
import { fireCaseRules, type SweepDates } from './rules-sql.ts';
import type { SupervisionService } from './service.ts';
import { CHANGE_MARGIN_MS, EXHAUSTIVE_HOUR, planSweep, type SweepState } from './sweep-plan.ts';

let db: Kysely<Database>;
let supervision: SupervisionService;

beforeAll(async () => {
  ({ db } = await testDb());
  supervision = (createServices(db, testConfig()) as unknown as { supervision: SupervisionService }).supervision;
}, 300_000);

const datesFor = (day: string) => supervision.engine.datesFor(day);

describe('sweep plan', () => {
  const state: SweepState = { swept_day: '2026-12-14', started_at: new Date('2026-12-14T02:00:00Z'), calendar_version: 'v1', exhaustive_day: '2026-12-14' };
  const plan = (over: Partial<Parameters<typeof planSweep>[0]> = {}) =>
    planSweep({ state, today: '2026-12-14', calendarVersion: 'v1', exhaustive: false, beijingHour: 14, datesFor, ...over });

  it('is exhaustive the first time, when asked, after a calendar change, for an earlier day, and first thing on a new day', () => {
    expect(plan({ state: undefined })).toEqual({ kind: 'all' });
    expect(plan({ exhaustive: true })).toEqual({ kind: 'all' });
    expect(plan({ calendarVersion: 'v2' })).toEqual({ kind: 'all' });
    expect(plan({ today: '2026-12-11' })).toEqual({ kind: 'all' });
    expect(plan({ today: '2026-12-15', beijingHour: EXHAUSTIVE_HOUR })).toEqual({ kind: 'all' });
  });

  it('within a day looks only at changed cases; across days also at the crossed due days', () => {
    const same = plan();
    expect(same).toMatchObject({ kind: 'since', dueFrom: null, dueTo: null });
    expect(same.kind === 'since' && same.changedSince.getTime()).toBe(state.started_at.getTime() - CHANGE_MARGIN_MS);
    // before the nightly hour the first sweep of the 15th is incremental: due days from the 13th to the next working day
    const next = plan({ today: '2026-12-15', beijingHour: 0 });
    expect(next).toMatchObject({ kind: 'since', dueFrom: '2026-12-13', dueTo: datesFor('2026-12-15').nextWorkingDay });
    // the day after an exhaustive sweep, later sweeps are incremental
    expect(plan({ today: '2026-12-15', state: { ...state, exhaustive_day: '2026-12-15', swept_day: '2026-12-15' } })).toMatchObject({ kind: 'since', dueFrom: null });
  });
});

describe('incremental candidates', () => {
  it('finds changed, crossed and outlived cases, row rules on changed rows only, and leaves the rest to the exhaustive run', async () => {
    await inRolledBackTransaction(db, async (trx) => {
      const department = await newDepartment(trx, { regionCode: '650502', name: '伊州区测试局' });
      const item = await newItem(trx, { departmentId: department.id, name: '增量巡查事项' });
      const old = new Date(Date.now() - 7 * 86_400_000);
      const make = async (input: Parameters<typeof newCase>[2], updatedAt: Date) => {
        const c = await newCase(trx, item, { appliedOn: '2026-11-02', registeredAt: new Date('2026-11-02T10:00:00+08:00'), ...input });
        await trx.updateTable('approval_case').set({ updated_at: updatedAt }).where('id', '=', c.id).execute();
        return c;
      };
      const changed = await make({ state: 'reviewing', corrections: 3, promisedDue: '2027-01-20', statutoryDue: '2027-01-30' }, new Date());
      // unchanged since before the previous sweep, so its irregularity (two 补正) is left to the exhaustive run (D133)
      const crossed = await make({ state: 'reviewing', corrections: 2, promisedDue: '2026-12-14', statutoryDue: '2027-01-30' }, old);
      const untouched = await make({ state: 'reviewing', promisedDue: '2026-11-10', statutoryDue: '2027-01-30' }, old);
      const outlived = await make({ state: 'reviewing', promisedDue: '2026-12-01', statutoryDue: '2027-01-30' }, old);
      // its yellow card fired on the 3rd: the 督办 period (5 working days) ended between the two sweeps' days
      await trx
        .insertInto('supervision_warning')
        .values({ subject_kind: 'case', subject_id: outlived.id, rule: 'promised.passed', level: 'yellow', department_id: department.id, region_code: '650502', region_path: item.region_path, fired_on: '2026-12-07', summary: '黄牌' })
        .execute();
      const ours = [changed.id, crossed.id, untouched.id, outlived.id];
      const previous: SweepState = { swept_day: '2026-12-14', started_at: new Date(Date.now() - 60_000), calendar_version: 'v', exhaustive_day: '2026-12-14' };
      const since = planSweep({ state: previous, today: '2026-12-15', calendarVersion: 'v', exhaustive: false, beijingHour: 0, datesFor });
      const dates: SweepDates = datesFor('2026-12-15');
      const fired = (await fireCaseRules(trx, dates, since)).filter((w) => ours.includes(w.subject_id));
      const byCase = (rows: { subject_id: string; rule: string }[], id: string) => rows.filter((r) => r.subject_id === id).map((r) => r.rule).sort();
      expect(byCase(fired, changed.id)).toEqual(['irregular.repeated_correction']);
      expect(byCase(fired, crossed.id)).toEqual(['promised.passed']);
      expect(byCase(fired, outlived.id)).toEqual(['yellow.outlived']);
      expect(byCase(fired, untouched.id)).toEqual([]);
      // the exhaustive run (nightly) finds what no incremental run looks at
      const all = (await fireCaseRules(trx, dates, { kind: 'all' })).filter((w) => ours.includes(w.subject_id));
      expect(all.map((w) => [w.subject_id, w.rule]).sort()).toEqual([[crossed.id, 'irregular.repeated_correction'], [untouched.id, 'promised.passed']].sort());
      const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM supervision_warning WHERE subject_id = ANY(${ours}::uuid[])`.execute(trx);
      expect(n.rows[0]!.n).toBe(6);
    });
  });
});
