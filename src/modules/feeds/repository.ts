// SQL of the feeds module: subscriptions, filtered by the departments the caller manages.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inTenant, likePrefix } from '../../db/jurisdiction.ts';
import type { Scope } from '../../shared/access.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Whose subscriptions a caller sees: departments in the own department tree, and (platform-wide roles) in the region scope. */
export interface Managed {
  departmentId: string | null;
  /** Region subtrees the caller administers platform-wide; empty for department-bound roles. */
  scope: Scope | null;
}

/** `column` names a department the caller manages. */
export function managedDepartment(column: Expression<string | null>, managed: Managed): RawBuilder<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (managed.departmentId !== null) parts.push(inTenant(column, { departments: [managed.departmentId] }));
  const paths = managed.scope?.paths ?? [];
  if (paths.length > 0) {
    const inRegion = sql.join(paths.map((p) => sql`r.path LIKE ${likePrefix(p)}`), sql` OR `);
    parts.push(sql<SqlBool>`${column} IN (SELECT md.id FROM department md JOIN region r ON r.code = md.region_code WHERE ${inRegion})`);
  }
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

export const SUBSCRIPTION_COLUMNS = [
  'f.id',
  'f.client_app_id',
  'f.share_id',
  'f.resource_id',
  'f.provider_department_id',
  'f.consumer_department_id',
  'f.webhook_url',
  'f.algorithm',
  'f.cursor',
  'f.status',
  'f.failure_count',
  'f.last_error',
  'f.last_error_at',
  'f.last_delivered_at',
  'f.last_pulled_at',
  'f.created_at',
] as const;

export function selectSubscriptions(db: Executor) {
  return db
    .selectFrom('feed_subscription as f')
    .innerJoin('client_app as c', 'c.id', 'f.client_app_id')
    .innerJoin('data_resource as r', 'r.id', 'f.resource_id')
    .innerJoin('department as cd', 'cd.id', 'f.consumer_department_id')
    .innerJoin('department as pd', 'pd.id', 'f.provider_department_id')
    .innerJoin('data_grant as g', 'g.share_id', 'f.share_id')
    .select(SUBSCRIPTION_COLUMNS)
    .select(['c.name as client_name', 'c.client_id', 'r.code as resource_code', 'r.name as resource_name', 'cd.name as consumer_name', 'pd.name as provider_name', 'g.region_prefix']);
}

export type SubscriptionRow = Awaited<ReturnType<ReturnType<typeof selectSubscriptions>['executeTakeFirstOrThrow']>>;

/** Counting a backlog stops here (the console shows it as "at least"). */
export const LAG_COUNT_CAP = 1_000_000;

/**
 * A subscription's lag in the same statement: changes after its cursor inside the grant's region filter (capped), the
 * oldest one's time, and the resource's latest seq — each a range of data_row (resource_id, seq).
 */
export function withLag(query: ReturnType<typeof selectSubscriptions>) {
  const behindRows = sql`SELECT d.updated_at FROM data_row d WHERE d.resource_id = f.resource_id AND d.seq > f.cursor AND (g.region_prefix IS NULL OR d.region_code LIKE g.region_prefix || '%')`;
  return query.select([
    sql<string>`(SELECT count(*) FROM (${behindRows} LIMIT ${LAG_COUNT_CAP}) b)`.as('lag_behind'),
    sql<Date | string | null>`(SELECT min(b.updated_at) FROM (${behindRows}) b)`.as('lag_oldest'),
    sql<string | null>`(SELECT max(d.seq) FROM data_row d WHERE d.resource_id = f.resource_id)`.as('lag_latest'),
  ]);
}

export type SubscriptionWithLag = Awaited<ReturnType<ReturnType<typeof withLag>['executeTakeFirstOrThrow']>>;

/** Counts a failed delivery in one statement; the subscription turns failing at `failingAfter` consecutive failures. */
export async function recordFailure(db: Executor, id: string, error: string, at: Date, failingAfter: number): Promise<void> {
  await db
    .updateTable('feed_subscription')
    .set((eb) => ({
      failure_count: eb('failure_count', '+', 1),
      status: sql`CASE WHEN status = 'active' AND failure_count + 1 >= ${failingAfter} THEN 'failing' ELSE status END`,
      last_error: error.slice(0, 1000),
      last_error_at: at,
      updated_at: at,
    }))
    .where('id', '=', id)
    .execute();
}
