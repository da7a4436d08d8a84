// SQL of the sharing module: requests, data grants and client applications, each filtered by the caller's scope
// (region subtrees ∪ department trees) in the query itself.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { inRoleScope } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import { permissionsOf, ROLES, type Permission, type Scope } from '../../shared/access.ts';
import type { SharingRequestStatus } from './tables.ts';
import './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A scope that matches nothing (the caller lacks that permission). */
const NOWHERE: Scope = { permission: 'sharing.request', paths: [], departments: [], shares: [] };

/** `department (id, region) lies in the scope`, as a boolean SQL expression. */
function deptIn<DB extends Database, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, dept: string, scope: Scope | null): Expression<SqlBool> {
  return inRoleScope(eb, { region: sql.ref<string>(`${dept}.region_code`), department: sql.ref<string>(`${dept}.id`) }, scope ?? NOWHERE);
}

export interface Reach {
  request: Scope | null;
  decide: Scope | null;
  authority: Scope | null;
  revoke: Scope | null;
}

// ---- departments and recipients

export async function findDepartmentInScope(db: Db, scope: Scope, id: string) {
  return db
    .selectFrom('department as d')
    .select(['d.id', 'd.name', 'd.region_code'])
    .where('d.id', '=', id)
    .where((eb) => deptIn(eb, 'd', scope))
    .executeTakeFirst();
}

export async function findDepartment(db: Db, id: string) {
  return db.selectFrom('department as d').innerJoin('region as r', 'r.code', 'd.region_code').select(['d.id', 'd.name', 'd.region_code', 'r.path as region_path']).where('d.id', '=', id).executeTakeFirst();
}

export async function regionExists(db: Db, code: string): Promise<boolean> {
  return (await db.selectFrom('region').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

const rolesHolding = (permission: Permission) => ROLES.filter((role) => permissionsOf(role).includes(permission));

/** Active accounts of a department holding a role that carries the permission (e.g. its admins for sharing.decide). */
export async function departmentHolders(db: Db, departmentId: string, permission: Permission): Promise<{ id: string; phone: string | null }[]> {
  const roles = rolesHolding(permission);
  if (roles.length === 0) return [];
  return db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.phone'])
    .where('u.department_id', '=', departmentId)
    .where('u.status', '=', 'active')
    .where((eb) => eb.exists(eb.selectFrom('role_grant as g').select('g.id').whereRef('g.user_id', '=', 'u.id').where('g.role', 'in', roles)))
    .execute();
}

/** Active accounts whose region grant of a role carrying the permission covers the region path (主管部门 for sharing.authority). */
export async function regionHolders(db: Db, regionPath: string, permission: Permission): Promise<string[]> {
  const roles = rolesHolding(permission);
  if (roles.length === 0) return [];
  const rows = await db
    .selectFrom('role_grant as g')
    .innerJoin('app_user as u', 'u.id', 'g.user_id')
    .innerJoin('region as r', 'r.code', 'g.region_code')
    .select('u.id')
    .distinct()
    .where('g.role', 'in', roles)
    .where('u.status', '=', 'active')
    .where(sql<SqlBool>`${regionPath} LIKE r.path || '%'`)
    .execute();
  return rows.map((r) => r.id);
}

// ---- request numbers

/** The next number of the day, GX-YYYYMMDD-NNNN: one atomic upsert, so concurrent submissions never share one. */
export async function nextRequestNumber(trx: Db, day: string): Promise<string> {
  const row = await trx
    .insertInto('sharing_request_counter')
    .values({ day, n: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet({ n: sql`sharing_request_counter.n + 1` }))
    .returning('n')
    .executeTakeFirstOrThrow();
  return `GX-${day.replaceAll('-', '')}-${String(row.n).padStart(4, '0')}`;
}

// ---- requests

function requestQuery(db: Db, reach: Reach) {
  return db
    .selectFrom('sharing_request as q')
    .innerJoin('data_resource as res', 'res.id', 'q.resource_id')
    .innerJoin('department as p', 'p.id', 'q.provider_department_id')
    .innerJoin('department as c', 'c.id', 'q.consumer_department_id')
    .leftJoin('client_app as a', 'a.id', 'q.client_app_id')
    .select([
      'q.id',
      'q.number',
      'q.resource_id',
      'res.code as resource_code',
      'res.name as resource_name',
      'q.provider_department_id',
      'p.name as provider_name',
      'p.region_code as provider_region_code',
      'q.consumer_department_id',
      'c.name as consumer_name',
      'q.client_app_id',
      'a.name as client_name',
      'q.purpose',
      'q.legal_basis',
      'q.items',
      'q.approved_items',
      'q.region_prefix',
      'q.period_from',
      'q.period_to',
      'q.status',
      'q.submitted_at',
      'q.deadline',
      'q.deadline_provisional',
      'q.reminded_at',
      'q.escalated_at',
      'q.decided_at',
      'q.decision_reason',
      'q.decided_role',
      'q.unconditional_share_id',
      'q.conditional_share_id',
      'q.idempotency_key',
    ])
    .select((eb) => [
      sql<boolean>`${deptIn(eb, 'c', reach.request)}`.as('in_request'),
      sql<boolean>`${deptIn(eb, 'p', reach.decide)}`.as('in_decide'),
      sql<boolean>`${deptIn(eb, 'p', reach.authority)}`.as('in_authority'),
    ]);
}

export type RequestRow = Awaited<ReturnType<typeof findRequest>> & {};

export type RequestRole = 'mine' | 'to_me' | 'escalated';

function visible<DB extends Database>(eb: ExpressionBuilder<DB, 'sharing_request' | 'department'>, reach: Reach, role: RequestRole | undefined): Expression<SqlBool> {
  const e = eb as unknown as ExpressionBuilder<Database, never>;
  const mine = deptIn(e, 'c', reach.request);
  const toMe = deptIn(e, 'p', reach.decide);
  const escalated = e.and([sql<SqlBool>`q.status = 'escalated'`, deptIn(e, 'p', reach.authority)]);
  if (role === 'mine') return mine;
  if (role === 'to_me') return toMe;
  if (role === 'escalated') return escalated;
  return e.or([mine, toMe, deptIn(e, 'p', reach.authority)]);
}

export async function findRequest(db: Db, reach: Reach, id: string) {
  return requestQuery(db, reach)
    .where('q.id', '=', id)
    .where((eb) => visible(eb as never, reach, undefined))
    .executeTakeFirst();
}

export interface RequestFilter {
  role?: RequestRole;
  status?: SharingRequestStatus[];
  resourceId?: string;
  number?: string;
}

function filtered(db: Db, reach: Reach, filter: RequestFilter) {
  return requestQuery(db, reach)
    .where((eb) => visible(eb as never, reach, filter.role))
    .$if(filter.status !== undefined && filter.status.length > 0, (qb) => qb.where('q.status', 'in', filter.status!))
    .$if(filter.resourceId !== undefined, (qb) => qb.where('q.resource_id', '=', filter.resourceId!))
    .$if(filter.number !== undefined, (qb) => qb.where('q.number', 'like', `%${filter.number!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
}

export async function listRequests(db: Db, reach: Reach, filter: RequestFilter, page: { after?: [string, string]; limit: number }) {
  return filtered(db, reach, filter)
    .$if(page.after !== undefined, (qb) =>
      qb.where((eb) => eb.or([eb('q.submitted_at', '<', new Date(page.after![0])), eb.and([eb('q.submitted_at', '=', new Date(page.after![0])), eb('q.id', '<', page.after![1])])])),
    )
    .orderBy('q.submitted_at', 'desc')
    .orderBy('q.id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

export async function countRequests(db: Db, reach: Reach, filter: RequestFilter): Promise<number> {
  const row = await db
    .selectFrom(filtered(db, reach, filter).as('x'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function lockRequest(trx: Db, id: string) {
  return trx.selectFrom('sharing_request').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findByIdempotencyKey(db: Db, consumerDepartmentId: string, key: string) {
  return db.selectFrom('sharing_request').select(['id', 'resource_id', 'items']).where('consumer_department_id', '=', consumerDepartmentId).where('idempotency_key', '=', key).executeTakeFirst();
}

/** Pending requests of the provider departments / escalated ones the caller must answer (to-do). */
export async function openRequestsFor(db: Db, reach: Reach, limit: number) {
  return requestQuery(db, reach)
    .where((eb) =>
      eb.or([
        eb.and([eb('q.status', '=', 'pending'), deptIn(eb as never, 'p', reach.decide)]),
        eb.and([eb('q.status', '=', 'escalated'), deptIn(eb as never, 'p', reach.authority)]),
      ]),
    )
    .orderBy('q.deadline')
    .orderBy('q.id')
    .limit(limit)
    .execute();
}

export async function countOpenRequestsFor(db: Db, reach: Reach): Promise<number> {
  const row = await db
    .selectFrom('sharing_request as q')
    .innerJoin('department as p', 'p.id', 'q.provider_department_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) =>
      eb.or([
        eb.and([eb('q.status', '=', 'pending'), deptIn(eb as never, 'p', reach.decide)]),
        eb.and([eb('q.status', '=', 'escalated'), deptIn(eb as never, 'p', reach.authority)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Pending, not yet reminded requests due by `until` (the reminder schedule narrows them by working days). */
export async function remindable(db: Db, until: string) {
  return db
    .selectFrom('sharing_request as q')
    .innerJoin('data_resource as res', 'res.id', 'q.resource_id')
    .innerJoin('department as c', 'c.id', 'q.consumer_department_id')
    .select(['q.id', 'q.number', 'q.deadline', 'q.provider_department_id', 'res.name as resource_name', 'c.name as consumer_name'])
    .where('q.status', '=', 'pending')
    .where('q.reminded_at', 'is', null)
    .where('q.deadline', '<=', until)
    .execute();
}

/** Marks the reminder sent unless another run did (one conditional UPDATE per request). */
export async function claimReminder(trx: Db, id: string, at: Date): Promise<boolean> {
  const r = await trx.updateTable('sharing_request').set({ reminded_at: at }).where('id', '=', id).where('status', '=', 'pending').where('reminded_at', 'is', null).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Escalates every pending request whose deadline passed; returns those this call escalated. */
export async function escalateOverdue(trx: Db, today: string, at: Date) {
  return trx
    .updateTable('sharing_request')
    .set({ status: 'escalated', escalated_at: at })
    .where('status', '=', 'pending')
    .where('deadline', '<', today)
    .returning(['id', 'number', 'provider_department_id', 'consumer_department_id', 'resource_id', 'deadline'])
    .execute();
}

// ---- data grants

function grantQuery(db: Db, reach: Reach) {
  return db
    .selectFrom('data_grant as g')
    .innerJoin('share_grant as s', 's.id', 'g.share_id')
    .innerJoin('data_resource as res', 'res.id', 'g.resource_id')
    .innerJoin('department as p', 'p.id', 'g.provider_department_id')
    .innerJoin('department as c', 'c.id', 'g.consumer_department_id')
    .leftJoin('client_app as a', 'a.id', 'g.client_app_id')
    .leftJoin('sharing_request as q', 'q.id', 'g.request_id')
    .select([
      'g.share_id',
      'g.resource_id',
      'res.code as resource_code',
      'res.name as resource_name',
      'g.request_id',
      'q.number as request_number',
      'g.provider_department_id',
      'p.name as provider_name',
      'p.region_code as provider_region_code',
      'g.consumer_department_id',
      'c.name as consumer_name',
      'g.client_app_id',
      'a.name as client_name',
      'g.region_prefix',
      'g.masks',
      's.fields',
      's.purpose',
      's.expires_at',
      's.revoked_at',
      's.created_at',
    ])
    .select((eb) => [
      sql<boolean>`${deptIn(eb, 'p', reach.decide)} OR ${deptIn(eb, 'p', reach.authority)} OR ${deptIn(eb, 'p', reach.revoke)}`.as('in_revoke'),
      sql<boolean>`${deptIn(eb, 'p', reach.decide)} OR ${deptIn(eb, 'p', reach.authority)}`.as('in_decide_or_authority'),
    ]);
}

export type GrantRow = Awaited<ReturnType<typeof findGrant>> & {};

export async function findGrant(db: Db, reach: Reach, shareId: string) {
  return grantQuery(db, reach)
    .where('g.share_id', '=', shareId)
    .where((eb) => eb.or([deptIn(eb, 'c', reach.request), deptIn(eb, 'p', reach.decide), deptIn(eb, 'p', reach.authority), deptIn(eb, 'p', reach.revoke)]))
    .executeTakeFirst();
}

export async function listGrants(db: Db, reach: Reach, filter: { role?: 'mine' | 'to_me'; activeAt?: Date }, page: { after?: [string, string]; limit: number }) {
  const base = grantQuery(db, reach)
    .where((eb) => {
      const mine = deptIn(eb, 'c', reach.request);
      const toMe = eb.or([deptIn(eb, 'p', reach.decide), deptIn(eb, 'p', reach.authority), deptIn(eb, 'p', reach.revoke)]);
      return filter.role === 'mine' ? mine : filter.role === 'to_me' ? toMe : eb.or([mine, toMe]);
    })
    .$if(filter.activeAt !== undefined, (qb) => qb.where('s.revoked_at', 'is', null).where('s.expires_at', '>', filter.activeAt!));
  const total = Number(
    (await db.selectFrom(base.as('x')).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const rows = await base
    .$if(page.after !== undefined, (qb) =>
      qb.where((eb) => eb.or([eb('s.created_at', '<', new Date(page.after![0])), eb.and([eb('s.created_at', '=', new Date(page.after![0])), eb('g.share_id', '<', page.after![1])])])),
    )
    .orderBy('s.created_at', 'desc')
    .orderBy('g.share_id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return { rows, total };
}

export async function insertDataGrant(
  trx: Db,
  row: { shareId: string; resourceId: string; requestId: string | null; providerDepartmentId: string; consumerDepartmentId: string; clientAppId: string | null; regionPrefix: string | null },
): Promise<void> {
  await trx
    .insertInto('data_grant')
    .values({
      share_id: row.shareId,
      resource_id: row.resourceId,
      request_id: row.requestId,
      provider_department_id: row.providerDepartmentId,
      consumer_department_id: row.consumerDepartmentId,
      client_app_id: row.clientAppId,
      region_prefix: row.regionPrefix,
      masks: JSON.stringify({}),
    })
    .execute();
}

// ---- client applications

function clientQuery(db: Db) {
  return db
    .selectFrom('client_app as a')
    .innerJoin('department as d', 'd.id', 'a.department_id')
    .select([
      'a.id',
      'a.client_id',
      'a.name',
      'a.description',
      'a.department_id',
      'd.name as department_name',
      'd.region_code',
      'a.rate_per_minute',
      'a.status',
      'a.secret_expires_at',
      'a.previous_expires_at',
      'a.rotated_at',
      'a.created_at',
    ]);
}

export type ClientRow = Awaited<ReturnType<typeof findClient>> & {};

export async function findClient(db: Db, scope: Scope, id: string) {
  return clientQuery(db)
    .where('a.id', '=', id)
    .where((eb) => deptIn(eb, 'd', scope))
    .executeTakeFirst();
}

export async function listClients(db: Db, scope: Scope, filter: { departmentId?: string; status?: 'active' | 'disabled' }, page: { after?: [string, string]; limit: number }) {
  const base = clientQuery(db)
    .where((eb) => deptIn(eb, 'd', scope))
    .$if(filter.departmentId !== undefined, (qb) => qb.where('a.department_id', '=', filter.departmentId!))
    .$if(filter.status !== undefined, (qb) => qb.where('a.status', '=', filter.status!));
  const total = Number((await db.selectFrom(base.as('x')).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .$if(page.after !== undefined, (qb) =>
      qb.where((eb) => eb.or([eb('a.created_at', '<', new Date(page.after![0])), eb.and([eb('a.created_at', '=', new Date(page.after![0])), eb('a.id', '<', page.after![1])])])),
    )
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return { rows, total };
}

export async function activeClientOf(db: Db, departmentId: string, id: string) {
  return db.selectFrom('client_app').select(['id', 'name']).where('id', '=', id).where('department_id', '=', departmentId).where('status', '=', 'active').executeTakeFirst();
}

export async function lockClient(trx: Db, id: string) {
  return trx.selectFrom('client_app').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function activeClientsOf(db: Db, departmentId: string) {
  return db.selectFrom('client_app').select(['id', 'name']).where('department_id', '=', departmentId).where('status', '=', 'active').orderBy('name').execute();
}

export async function setGrantMasks(trx: Db, shareId: string, masks: Record<string, string>): Promise<void> {
  await trx.updateTable('data_grant').set({ masks: JSON.stringify(masks) }).where('share_id', '=', shareId).execute();
}
