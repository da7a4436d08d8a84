// The monthly department score (D79), computed for every department of a month in one set-based statement, and the
// reads of scores, trends and the ranking. Parts: timeliness 40, overdue 30, irregularities 10, satisfaction 20, and
// an early-completion bonus of up to 10 (0–110). "Overdue" comes from the approval module's derived clock SQL.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inRoleScope } from '../../db/jurisdiction.ts';
import type { Scope } from '../../shared/access.ts';
import { concludedLateSql, overdueSql } from '../approval/index.ts';
import { GRADE_THRESHOLDS, SCORE_PARTS } from './kinds.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The month's first day, the next month's first day, and the day the clocks are read on (month end, or today). */
export function monthBounds(month: string, today: string): { first: string; next: string; asOf: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = `${month}-01`;
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { first, next, asOf: last < today ? last : today };
}

/**
 * Scores every department that had approval work in the month — a case accepted or concluded in it, or a case
 * running past its statutory limit on the month's last day — and ranks them (ties share a place). A department with
 * none is not scored (D79). Rows of the month not rescored are removed: the recompute is idempotent. Runs in `trx`.
 */
export async function computeScores(trx: Transaction<Database>, month: string, today: string): Promise<number> {
  const { first, next, asOf } = monthBounds(month, today);
  const inMonth = sql`(c.concluded_on >= ${first}::date AND c.concluded_on < ${next}::date)`;
  const running = sql`(c.accepted_on < ${next}::date AND ${overdueSql(asOf, 'statutory', 'c')})`;
  const p = SCORE_PARTS;
  const g = GRADE_THRESHOLDS;
  const result = await sql`
    WITH cases AS (
      SELECT c.department_id,
        count(*) FILTER (WHERE ${inMonth}) AS concluded,
        count(*) FILTER (WHERE ${inMonth} AND NOT coalesce(${concludedLateSql('promised', 'c')}, false)) AS on_time,
        count(*) FILTER (WHERE (${inMonth} AND coalesce(${concludedLateSql('statutory', 'c')}, false)) OR ${running}) AS broke,
        count(*) FILTER (WHERE ${inMonth} AND (c.concluded_on - c.accepted_on) * 2 <= (c.promised_due - c.accepted_on)) AS early
      FROM approval_case c
      WHERE ${inMonth} OR (c.accepted_on >= ${first}::date AND c.accepted_on < ${next}::date) OR ${running}
      GROUP BY c.department_id
    ),
    warn AS (
      SELECT w.department_id, count(*) AS n FROM supervision_warning w
      WHERE w.level = 'irregular' AND w.fired_on >= ${first}::date AND w.fired_on < ${next}::date
      GROUP BY w.department_id
    ),
    rated AS (
      SELECT r.department_id, count(*) AS n, avg(r.level) AS average, count(*) FILTER (WHERE r.follow_up_due IS NOT NULL) AS bad,
        count(*) FILTER (WHERE r.follow_up_due IS NOT NULL AND (r.followed_up_on > r.follow_up_due OR (r.followed_up_on IS NULL AND r.follow_up_due < ${asOf}::date))) AS late_follow_ups
      FROM evaluation_rating r WHERE r.rated_on >= ${first}::date AND r.rated_on < ${next}::date
      GROUP BY r.department_id
    ),
    parts AS (
      SELECT k.*, d.region_code, rg.path AS region_path,
        coalesce(w.n, 0) AS irregular, coalesce(t.n, 0) AS ratings, t.average, coalesce(t.bad, 0) AS bad, coalesce(t.late_follow_ups, 0) AS late_follow_ups,
        round(${sql.lit(p.timeliness)} * CASE WHEN k.concluded = 0 THEN 1 ELSE k.on_time::numeric / k.concluded END, 2) AS timeliness,
        greatest(0, ${sql.lit(p.overdue)} - 10 * k.broke)::numeric AS overdue,
        greatest(0, ${sql.lit(p.irregularities)} - 5 * coalesce(w.n, 0))::numeric AS irregularities,
        round(15 * (coalesce(t.average, 4) - 1) / 4 + 5 * CASE WHEN coalesce(t.bad, 0) = 0 THEN 1 ELSE 1 - t.late_follow_ups::numeric / t.bad END, 2) AS satisfaction,
        round(${sql.lit(p.bonus)} * CASE WHEN k.concluded = 0 THEN 0 ELSE k.early::numeric / k.concluded END, 2) AS bonus
      FROM cases k
      JOIN department d ON d.id = k.department_id
      JOIN region rg ON rg.code = d.region_code
      LEFT JOIN warn w ON w.department_id = k.department_id
      LEFT JOIN rated t ON t.department_id = k.department_id
    ),
    scored AS (SELECT *, timeliness + overdue + irregularities + satisfaction + bonus AS score FROM parts)
    INSERT INTO evaluation_score (month, department_id, region_code, region_path, score, grade, rank, components, computed_at)
    SELECT ${first}::date, s.department_id, s.region_code, s.region_path, s.score,
      CASE WHEN s.score >= ${sql.lit(g.excellent)} THEN 'excellent' WHEN s.score >= ${sql.lit(g.good)} THEN 'good' WHEN s.score >= ${sql.lit(g.pass)} THEN 'pass' ELSE 'fail' END,
      rank() OVER (ORDER BY s.score DESC),
      jsonb_build_object(
        'timeliness', s.timeliness, 'overdue', s.overdue, 'irregularities', s.irregularities, 'satisfaction', s.satisfaction, 'bonus', s.bonus,
        'concluded', s.concluded, 'onTime', s.on_time, 'brokeStatutory', s.broke, 'early', s.early, 'irregular', s.irregular,
        'ratings', s.ratings, 'averageRating', round(s.average, 2), 'badRatings', s.bad, 'lateFollowUps', s.late_follow_ups, 'asOf', ${asOf}::text),
      now()
    FROM scored s
    ON CONFLICT (month, department_id) DO UPDATE SET
      score = excluded.score, grade = excluded.grade, rank = excluded.rank, components = excluded.components,
      computed_at = excluded.computed_at, region_code = excluded.region_code, region_path = excluded.region_path
  `.execute(trx);
  // departments scored by an earlier computation that had no work after all (now() is the transaction's start)
  await sql`DELETE FROM evaluation_score WHERE month = ${first}::date AND computed_at <> now()`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** Scores of a month: all in the scope (staff), or only a published month (scope null: the public ranking). */
export async function scoresOf(db: Db, month: string, filter: { scope: Scope | null; countyCode?: string; publishedOnly: boolean }) {
  return db
    .selectFrom('evaluation_score as s')
    .innerJoin('department as d', 'd.id', 's.department_id')
    .innerJoin('region as r', 'r.code', 's.region_code')
    .select(['s.department_id', 'd.name as department_name', 's.region_code', 'r.name as region_name', 's.score', 's.grade', 's.rank', 's.components', 's.computed_at', 's.published_at'])
    .where('s.month', '=', `${month}-01`)
    .$if(filter.publishedOnly, (q) => q.where('s.published_at', 'is not', null))
    .$if(filter.scope !== null, (q) => q.where((eb) => inRoleScope(eb, { region: eb.ref('s.region_code'), department: eb.ref('s.department_id') }, filter.scope!)))
    .$if(filter.countyCode !== undefined, (q) => q.where('s.region_path', 'like', sql<string>`(SELECT path FROM region WHERE code = ${filter.countyCode!}) || '%'`))
    .orderBy('s.rank')
    .orderBy('d.name')
    .execute();
}

/** One department's scores over the last `months` months (the trend chart). */
export async function trendOf(db: Db, departmentId: string, scope: Scope, months: number) {
  return db
    .selectFrom('evaluation_score as s')
    .select([sql<string>`to_char(s.month, 'YYYY-MM')`.as('month'), 's.score', 's.grade', 's.rank', 's.components', 's.published_at'])
    .where('s.department_id', '=', departmentId)
    .where((eb) => inRoleScope(eb, { region: eb.ref('s.region_code'), department: eb.ref('s.department_id') }, scope))
    .orderBy('s.month', 'desc')
    .limit(months)
    .execute();
}

/** Months that have scores (newest first), with whether each is published. */
export async function scoredMonths(db: Db, publishedOnly: boolean) {
  return db
    .selectFrom('evaluation_score as s')
    .select([sql<string>`to_char(s.month, 'YYYY-MM')`.as('month'), sql<boolean>`bool_and(s.published_at IS NOT NULL)`.as('published'), sql<number>`count(*)::int`.as('departments')])
    .$if(publishedOnly, (q) => q.where('s.published_at', 'is not', null))
    .groupBy('s.month')
    .orderBy('s.month', 'desc')
    .limit(36)
    .execute();
}

export async function isPublished(db: Db, month: string): Promise<boolean> {
  const row = await db.selectFrom('evaluation_score').select('month').where('month', '=', `${month}-01`).where('published_at', 'is not', null).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function publish(trx: Transaction<Database>, month: string, at: Date): Promise<number> {
  const result = await trx.updateTable('evaluation_score').set({ published_at: at }).where('month', '=', `${month}-01`).where('published_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Serialises computing and publishing of one month across nodes (a transaction-scoped advisory lock). */
export async function lockMonth(trx: Transaction<Database>, month: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`evaluation.month:${month}`}))`.execute(trx);
}
