// SQL of the quality figures: resources in the jurisdiction, their newest committed load, recent loads' rejections,
// completeness from data_row in one pass, and the departments' request answering.
import { sql, type Kysely } from 'kysely';
import { inScope } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Scope } from '../../shared/access.ts';

/** How many of a resource's newest finished loads its rejection rate is taken over. */
export const RECENT_LOADS = 10;

export async function resourcesInScope(db: Kysely<Database>, scope: Scope, filter: { code?: string; status?: 'published' } = {}) {
  return db
    .selectFrom('data_resource as r')
    .innerJoin('department as d', 'd.id', 'r.provider_department_id')
    .select(['r.id', 'r.code', 'r.name', 'r.status', 'r.update_cycle', 'r.upstream_url', 'r.provider_department_id', 'd.name as provider_name', 'r.published_at'])
    .where((eb) => inScope(eb, eb.ref('r.region_code'), scope))
    .where('r.status', '!=', 'withdrawn')
    .$if(filter.code !== undefined, (qb) => qb.where('r.code', '=', filter.code!))
    .orderBy('r.code')
    .execute();
}

export async function itemsOf(db: Kysely<Database>, resourceIds: readonly string[]) {
  if (resourceIds.length === 0) return [];
  return db.selectFrom('data_item').select(['resource_id', 'code', 'name']).where('resource_id', 'in', resourceIds).orderBy('resource_id').orderBy('ord').execute();
}

/** Each resource's newest committed load (served by data_load_committed). */
export async function newestLoads(db: Kysely<Database>, resourceIds: readonly string[]) {
  if (resourceIds.length === 0) return [];
  return db
    .selectFrom('data_load')
    .select(['resource_id', 'finished_at', 'stats'])
    .distinctOn('resource_id')
    .where('resource_id', 'in', resourceIds)
    .where('status', '=', 'committed')
    .orderBy('resource_id')
    .orderBy('finished_at', 'desc')
    .execute();
}

/** Rows read and rows rejected over each resource's RECENT_LOADS newest finished loads (committed or rejected). */
export async function recentRejections(db: Kysely<Database>, resourceIds: readonly string[]) {
  if (resourceIds.length === 0) return [];
  const recent = db
    .selectFrom('data_load')
    .select(['resource_id', 'total_rows', 'rejected_rows', sql<number>`row_number() OVER (PARTITION BY resource_id ORDER BY created_at DESC)`.as('n')])
    .where('resource_id', 'in', resourceIds)
    .where('status', 'in', ['committed', 'rejected']);
  return db
    .selectFrom(recent.as('l'))
    .select(['l.resource_id', sql<number>`count(*)::int`.as('loads'), sql<number>`coalesce(sum(l.total_rows), 0)::int`.as('total'), sql<number>`coalesce(sum(l.rejected_rows), 0)::int`.as('rejected')])
    .where('l.n', '<=', RECENT_LOADS)
    .groupBy('l.resource_id')
    .execute();
}

/**
 * Current rows and, per item, rows with a non-empty value — one pass over the resource's rows. An empty value is
 * a missing key, JSON null or an empty (blank) string.
 */
export async function completenessFromRows(db: Kysely<Database>, resourceId: string, itemCodes: readonly string[]): Promise<{ rows: number; filled: Record<string, number> }> {
  const counts = itemCodes.map((code, i) => sql<number>`count(*) FILTER (WHERE coalesce(btrim(data->>${code}), '') <> '')::int`.as(`c${i}`));
  const row = await db
    .selectFrom('data_row')
    .select([sql<number>`count(*)::int`.as('rows'), ...counts])
    .where('resource_id', '=', resourceId)
    .where('deleted', '=', false)
    .executeTakeFirstOrThrow();
  const values = row as unknown as Record<string, number>;
  return { rows: values.rows ?? 0, filled: Object.fromEntries(itemCodes.map((code, i) => [code, values[`c${i}`] ?? 0])) };
}

/** Departments in the jurisdiction that provide a resource or were asked for data, with their resources published. */
export async function departmentsInScope(db: Kysely<Database>, scope: Scope) {
  return db
    .selectFrom('department as d')
    .select([
      'd.id',
      'd.name',
      'd.region_code',
      sql<number>`(SELECT count(*)::int FROM data_resource r WHERE r.provider_department_id = d.id AND r.status = 'published')`.as('published'),
    ])
    .where((eb) => inScope(eb, eb.ref('d.region_code'), scope))
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('data_resource as r').select(sql`1`.as('x')).whereRef('r.provider_department_id', '=', 'd.id')),
        eb.exists(eb.selectFrom('sharing_request as q').select(sql`1`.as('x')).whereRef('q.provider_department_id', '=', 'd.id')),
      ]),
    )
    .execute();
}

/**
 * Requests to each department with a deadline (those with conditional items), counted by how they were answered:
 * on time (decided on or before the deadline, China date), late, overdue unanswered (pending or escalated past the
 * deadline), and still within time. Withdrawn requests do not count.
 */
export async function requestCounts(db: Kysely<Database>, departmentIds: readonly string[], today: string) {
  if (departmentIds.length === 0) return [];
  const decidedOn = sql`(q.decided_at AT TIME ZONE 'Asia/Shanghai')::date`;
  const open = sql`q.decided_at IS NULL AND q.status IN ('pending', 'escalated')`;
  return db
    .selectFrom('sharing_request as q')
    .select([
      'q.provider_department_id',
      sql<number>`count(*) FILTER (WHERE q.decided_at IS NOT NULL AND ${decidedOn} <= q.deadline)::int`.as('on_time'),
      sql<number>`count(*) FILTER (WHERE q.decided_at IS NOT NULL AND ${decidedOn} > q.deadline)::int`.as('late'),
      sql<number>`count(*) FILTER (WHERE ${open} AND q.deadline < ${today}::date)::int`.as('overdue'),
      sql<number>`count(*) FILTER (WHERE ${open} AND q.deadline >= ${today}::date)::int`.as('pending'),
    ])
    .where('q.provider_department_id', 'in', departmentIds)
    .where('q.deadline', 'is not', null)
    .where('q.status', '!=', 'withdrawn')
    .groupBy('q.provider_department_id')
    .execute();
}

/** Submission and decision instants of the answered requests with a deadline (for the mean answer time in working days). */
export async function answeredRequests(db: Kysely<Database>, departmentIds: readonly string[]) {
  if (departmentIds.length === 0) return [];
  return db
    .selectFrom('sharing_request')
    .select(['provider_department_id', 'submitted_at', 'decided_at'])
    .where('provider_department_id', 'in', departmentIds)
    .where('deadline', 'is not', null)
    .where('decided_at', 'is not', null)
    .where('status', '!=', 'withdrawn')
    .execute();
}

/** Each resource's highest row sequence number (every row write takes a new one): an index-only max per resource. */
export async function rowVersions(db: Kysely<Database>, resourceIds: readonly string[]): Promise<Map<string, string>> {
  if (resourceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('data_resource as r')
    .select(['r.id', sql<string | null>`(SELECT max(x.seq)::text FROM data_row x WHERE x.resource_id = r.id)`.as('max_seq')])
    .where('r.id', 'in', resourceIds)
    .execute();
  return new Map(rows.map((r) => [r.id, r.max_seq ?? '0']));
}
