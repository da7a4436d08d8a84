// SQL of the calendar module.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ScheduledDay, YearSchedule } from './working-calendar.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function readVersion(db: Db): Promise<string> {
  return (await db.selectFrom('calendar_state').select('version').where('id', '=', 1).executeTakeFirstOrThrow()).version;
}

/** Locks the state row: loads (and the shipped-years sync) on every node run one at a time. */
export async function lockVersion(trx: Transaction<Database>): Promise<string> {
  return (await trx.selectFrom('calendar_state').select('version').where('id', '=', 1).forUpdate().executeTakeFirstOrThrow()).version;
}

export async function bumpVersion(trx: Transaction<Database>): Promise<void> {
  await trx.updateTable('calendar_state').set({ version: sql`version + 1` }).where('id', '=', 1).execute();
}

export async function listYears(db: Db) {
  return db.selectFrom('calendar_year').selectAll().orderBy('year').execute();
}

export async function readSchedules(db: Db): Promise<YearSchedule[]> {
  const [years, days] = await Promise.all([
    db.selectFrom('calendar_year').select('year').orderBy('year').execute(),
    db.selectFrom('calendar_day').select(['day', 'kind', 'name', 'year']).orderBy('day').execute(),
  ]);
  const byYear = new Map<number, ScheduledDay[]>(years.map((y) => [y.year, []]));
  for (const d of days) byYear.get(d.year)?.push({ date: d.day, kind: d.kind, name: d.name });
  return [...byYear.entries()].map(([year, list]) => ({ year, days: list }));
}

export async function readYear(db: Db, year: number) {
  const row = await db.selectFrom('calendar_year').selectAll().where('year', '=', year).executeTakeFirst();
  if (!row) return undefined;
  const days = await db.selectFrom('calendar_day').select(['day', 'kind', 'name']).where('year', '=', year).orderBy('day').execute();
  return { ...row, days };
}

/** Replaces a year's days (the caller holds the state lock). */
export async function writeYear(trx: Transaction<Database>, schedule: YearSchedule, source: 'package' | 'admin', loadedBy: string | null, at: Date): Promise<void> {
  const holidays = schedule.days.filter((d) => d.kind === 'holiday').length;
  const row = { year: schedule.year, source, holidays, workdays: schedule.days.length - holidays, loaded_at: at, loaded_by: loadedBy };
  await trx
    .insertInto('calendar_year')
    .values(row)
    .onConflict((oc) => oc.column('year').doUpdateSet({ source, holidays: row.holidays, workdays: row.workdays, loaded_at: at, loaded_by: loadedBy }))
    .execute();
  await trx.deleteFrom('calendar_day').where('year', '=', schedule.year).execute();
  if (schedule.days.length > 0) {
    await trx
      .insertInto('calendar_day')
      .values(schedule.days.map((d) => ({ day: d.date, year: schedule.year, kind: d.kind, name: d.name })))
      .execute();
  }
  await trx.updateTable('calendar_coverage_alert').set({ resolved_at: at }).where('year', '=', schedule.year).where('resolved_at', 'is', null).execute();
}

/** Adds computations that reached a year not loaded (one atomic upsert per year); true when the alert is new. */
export async function recordCoverageMiss(db: Db, year: number, computations: number, furthest: string, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('calendar_coverage_alert')
    .values({ year, first_at: at, last_at: at, computations, furthest, resolved_at: null })
    .onConflict((oc) =>
      oc.column('year').doUpdateSet({
        last_at: at,
        computations: sql`calendar_coverage_alert.computations + excluded.computations`,
        furthest: sql`greatest(calendar_coverage_alert.furthest, excluded.furthest)`,
        // a year with no schedule (still) reached again: the alert is open again
        resolved_at: sql`CASE WHEN EXISTS (SELECT 1 FROM calendar_year y WHERE y.year = excluded.year) THEN calendar_coverage_alert.resolved_at END`,
      }),
    )
    .returning('first_at')
    .executeTakeFirstOrThrow();
  return row.first_at.getTime() === at.getTime();
}

/** Active accounts holding one of these roles anywhere: who is told that a year is missing. */
export async function holdersOfRoles(db: Db, roles: readonly string[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const rows = await db
    .selectFrom('role_grant as g')
    .innerJoin('app_user as u', 'u.id', 'g.user_id')
    .select('u.id')
    .distinct()
    .where('g.role', 'in', roles)
    .where('u.status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

export async function openCoverageAlerts(db: Db) {
  return db.selectFrom('calendar_coverage_alert').selectAll().where('resolved_at', 'is', null).orderBy('year').execute();
}

/**
 * SQL: true when the local date `day` is not worked — a holiday, or a weekend day that is not a make-up workday.
 * Years not loaded fall back to weekends. For other modules' queries (the audit trail's after-hours alerts).
 */
export function isRestDaySql(day: ReturnType<typeof sql>) {
  return sql<boolean>`(EXISTS (SELECT 1 FROM calendar_day cd WHERE cd.day = ${day} AND cd.kind = 'holiday')
    OR (extract(isodow FROM ${day}) >= 6 AND NOT EXISTS (SELECT 1 FROM calendar_day cw WHERE cw.day = ${day} AND cw.kind = 'workday')))`;
}
