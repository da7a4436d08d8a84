// Grid work's SQL: the worker's area (grids or community), due visits, visits, incidents with their reach flags.
// Jurisdiction is always in the WHERE clause: a prefix range on the row's community (or street) path.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type OperandExpression, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { likePrefix, inTenant } from '../../db/jurisdiction.ts';
import { ROLES, permissionsOf, type Permission, type Scope } from '../../shared/access.ts';
import { residentWhere } from '../community/index.ts';
import type { IncidentStatus } from './kinds.ts';

type Db = Kysely<Database>;

/** `column LIKE p1% OR …` over materialized paths; '/' is everything, no path is nothing. */
export function pathIn(column: Expression<string>, paths: readonly string[]): Expression<SqlBool> {
  if (paths.length === 0) return sql<SqlBool>`false`;
  if (paths.includes('/')) return sql<SqlBool>`true`;
  return sql<SqlBool>`(${sql.join(
    paths.map((p) => sql`${column} LIKE ${likePrefix(p)}`),
    sql` OR `,
  )})`;
}

/** Where a caller works: region subtrees, narrowed to the grids assigned to them when there are any. */
export interface Area {
  permission: Permission;
  scope: Scope;
  paths: string[];
  /** The caller's grids; null = the whole of `paths` (no grid assigned, or a reader). */
  gridIds: string[] | null;
}

export interface GridRow {
  id: string;
  code: string;
  name: string;
  community_code: string;
  community_name: string;
}

/** The grids assigned to a user inside the given subtrees. */
export async function assignedGrids(db: Db, userId: string, paths: readonly string[]): Promise<GridRow[]> {
  if (!userId) return [];
  return db
    .selectFrom('community_grid_worker as w')
    .innerJoin('community_grid as g', 'g.id', 'w.grid_id')
    .innerJoin('region as c', 'c.code', 'g.community_code')
    .select(['g.id', 'g.code', 'g.name', 'g.community_code', 'c.name as community_name'])
    .where('w.user_id', '=', userId)
    .where((eb) => pathIn(eb.ref('g.region_path'), paths))
    .orderBy('g.code')
    .execute();
}

/** Communities (level 4) inside the area: the grids' communities, else those under the paths (at most 200). */
export async function areaCommunities(db: Db, area: Area, code?: string): Promise<{ code: string; name: string; path: string; parent_code: string | null }[]> {
  let q = db.selectFrom('region').select(['code', 'name', 'path', 'parent_code']).where('level', '=', 4).where('valid_to', 'is', null);
  if (code !== undefined) q = q.where('code', '=', code);
  if (area.gridIds) {
    const ids = area.gridIds;
    q = q.where('code', 'in', (eb) => eb.selectFrom('community_grid').select('community_code').where('id', 'in', ids));
  } else q = q.where((eb) => pathIn(eb.ref('path'), area.paths));
  return q.orderBy('code').limit(200).execute();
}

type ResidentEb = ExpressionBuilder<Database & { r: Database['community_resident'] }, 'r'>;

/** Residents of the area (active), with the caller's optional search. */
export function residentInArea(eb: ResidentEb, area: Area, today: string, q?: string): Expression<SqlBool> {
  const parts: OperandExpression<SqlBool>[] = [residentWhere(eb, { paths: area.paths }, q ? { q } : {}, today)];
  if (area.gridIds) parts.push(area.gridIds.length === 0 ? sql<SqlBool>`false` : eb('r.grid_id', 'in', area.gridIds));
  return eb.and(parts);
}

function gridAndPath(table: 'community_building' | 'community_household', area: Area): Expression<SqlBool> {
  const ref = (c: string) => sql.ref<string>(`${table}.${c}`);
  const grids = area.gridIds === null ? sql<SqlBool>`true` : area.gridIds.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`${ref('grid_id')} IN (${sql.join(area.gridIds)})`;
  return sql<SqlBool>`(${pathIn(ref('region_path'), area.paths)} AND ${grids})`;
}

export async function countArea(db: Db, area: Area, today: string): Promise<{ residents: number; buildings: number; households: number }> {
  const [residents, buildings, households] = await Promise.all([
    db.selectFrom('community_resident as r').select((eb) => eb.fn.countAll<string>().as('n')).where((eb) => residentInArea(eb, area, today)).executeTakeFirstOrThrow(),
    db.selectFrom('community_building').select((eb) => eb.fn.countAll<string>().as('n')).where(() => gridAndPath('community_building', area)).executeTakeFirstOrThrow(),
    db.selectFrom('community_household').select((eb) => eb.fn.countAll<string>().as('n')).where(() => gridAndPath('community_household', area)).executeTakeFirstOrThrow(),
  ]);
  return { residents: Number(residents.n), buildings: Number(buildings.n), households: Number(households.n) };
}

export async function residentsPage(db: Db, area: Area, today: string, options: { q?: string; after?: readonly [string, string]; limit: number }) {
  let query = db
    .selectFrom('community_resident as r')
    .leftJoin('community_grid as g', 'g.id', 'r.grid_id')
    .select(['r.id', 'r.name', 'r.sex', 'r.birth_date', 'r.id_number', 'r.phone', 'r.address', 'r.community_code', 'r.household_id', 'r.relation', 'g.name as grid_name'])
    .where((eb) => residentInArea(eb, area, today, options.q));
  if (options.after) {
    const [name, id] = options.after;
    query = query.where((eb) => eb.or([eb('r.name', '>', name), eb.and([eb('r.name', '=', name), eb('r.id', '>', id)])]));
  }
  return query.orderBy('r.name').orderBy('r.id').limit(options.limit + 1).execute();
}

export async function countResidents(db: Db, area: Area, today: string, q?: string): Promise<number> {
  const row = await db.selectFrom('community_resident as r').select((eb) => eb.fn.countAll<string>().as('n')).where((eb) => residentInArea(eb, area, today, q)).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function labelsOf(db: Db, residentIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (residentIds.length === 0) return out;
  const rows = await db
    .selectFrom('community_resident_label as rl')
    .innerJoin('community_label as l', 'l.code', 'rl.label_code')
    .select(['rl.resident_id', 'rl.label_code'])
    .where('rl.resident_id', 'in', [...residentIds])
    .orderBy('l.sort_order')
    .execute();
  for (const r of rows) out.set(r.resident_id, [...(out.get(r.resident_id) ?? []), r.label_code]);
  return out;
}

export async function buildingsPage(db: Db, area: Area, options: { after?: readonly [string, string]; limit: number }) {
  let query = db
    .selectFrom('community_building')
    .leftJoin('community_grid as g', 'g.id', 'community_building.grid_id')
    .select([
      'community_building.id',
      'community_building.name',
      'community_building.address',
      'community_building.floors',
      'community_building.community_code',
      'g.name as grid_name',
      (eb) => eb.selectFrom('community_household as h').select((e) => e.fn.countAll<string>().as('n')).whereRef('h.building_id', '=', 'community_building.id').as('households'),
    ])
    .where(() => gridAndPath('community_building', area));
  if (options.after) {
    const [name, id] = options.after;
    query = query.where((eb) => eb.or([eb('community_building.name', '>', name), eb.and([eb('community_building.name', '=', name), eb('community_building.id', '>', id)])]));
  }
  return query.orderBy('community_building.name').orderBy('community_building.id').limit(options.limit + 1).execute();
}

export async function householdsPage(db: Db, area: Area, options: { after?: readonly [string, string]; limit: number }) {
  let query = db
    .selectFrom('community_household')
    .leftJoin('community_grid as g', 'g.id', 'community_household.grid_id')
    .leftJoin('community_building as b', 'b.id', 'community_household.building_id')
    .select([
      'community_household.id',
      'community_household.household_no',
      'community_household.address',
      'community_household.member_count',
      'community_household.community_code',
      'g.name as grid_name',
      'b.name as building_name',
      (eb) =>
        eb
          .selectFrom('community_resident as r')
          .select('r.name')
          .whereRef('r.household_id', '=', 'community_household.id')
          .where('r.relation', '=', 'head')
          .where('r.status', '=', 'active')
          .limit(1)
          .as('head_name'),
    ])
    .where(() => gridAndPath('community_household', area));
  if (options.after) {
    const [no, id] = options.after;
    query = query.where((eb) =>
      eb.or([eb('community_household.household_no', '>', no), eb.and([eb('community_household.household_no', '=', no), eb('community_household.id', '>', id)])]),
    );
  }
  return query.orderBy('community_household.household_no').orderBy('community_household.id').limit(options.limit + 1).execute();
}

export interface DueRow {
  id: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  phone: string | null;
  address: string;
  community_code: string;
  grid_name: string | null;
  interval_days: number;
  labels: string[];
  last_visit: Date | null;
  due_at: Date | null;
}

/**
 * Residents of the area whose labels carry a visit interval and whose last visit is older than the shortest one (or
 * who were never visited): never-visited first, then the longest overdue.
 */
function dueQuery(db: Db, area: Area, today: string, now: Date) {
  const inner = db
    .selectFrom('community_resident as r')
    .innerJoin('community_resident_label as rl', 'rl.resident_id', 'r.id')
    .innerJoin('community_label as l', 'l.code', 'rl.label_code')
    .leftJoin('community_grid as g', 'g.id', 'r.grid_id')
    .where('l.visit_interval_days', 'is not', null)
    .where((eb) => residentInArea(eb, area, today))
    .groupBy(['r.id', 'g.name'])
    .select([
      'r.id',
      'r.name',
      'r.sex',
      'r.birth_date',
      'r.phone',
      'r.address',
      'r.community_code',
      'g.name as grid_name',
      sql<number>`min(l.visit_interval_days)`.as('interval_days'),
      sql<string[]>`array_agg(l.code ORDER BY l.sort_order)`.as('labels'),
      sql<Date | null>`(SELECT max(v.visited_at) FROM gridwork_visit v WHERE v.resident_id = r.id)`.as('last_visit'),
    ]);
  return db
    .selectFrom(inner.as('d'))
    .selectAll('d')
    .select(sql<Date | null>`d.last_visit + d.interval_days * interval '1 day'`.as('due_at'))
    .where(sql<SqlBool>`d.last_visit IS NULL OR d.last_visit + d.interval_days * interval '1 day' <= ${now}`);
}

export async function duePage(db: Db, area: Area, today: string, now: Date, offset: number, limit: number): Promise<DueRow[]> {
  const rows = await dueQuery(db, area, today, now)
    .orderBy(sql`d.last_visit IS NULL`, 'desc')
    .orderBy(sql`d.last_visit + d.interval_days * interval '1 day'`)
    .orderBy('d.name')
    .orderBy('d.id')
    .offset(offset)
    .limit(limit + 1)
    .execute();
  return rows as DueRow[];
}

export async function countDue(db: Db, area: Area, today: string, now: Date): Promise<number> {
  const row = await db
    .selectFrom(dueQuery(db, area, today, now).as('x'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A resident of the area, or undefined. */
export async function residentForVisit(db: Db, area: Area, today: string, residentId: string) {
  return db
    .selectFrom('community_resident as r')
    .select(['r.id', 'r.name', 'r.community_code', 'r.region_path', 'r.grid_id'])
    .where('r.id', '=', residentId)
    .where((eb) => residentInArea(eb, area, today))
    .executeTakeFirst();
}

export function visitsQuery(db: Db) {
  return db
    .selectFrom('gridwork_visit as v')
    .innerJoin('community_resident as r', 'r.id', 'v.resident_id')
    .leftJoin('app_user as u', 'u.id', 'v.visitor_id')
    .select([
      'v.id',
      'v.resident_id',
      'r.name as resident_name',
      'v.community_code',
      'v.grid_id',
      'v.visitor_id',
      'u.display_name as visitor_name',
      'v.kind',
      'v.visited_at',
      'v.notes',
      'v.latitude',
      'v.longitude',
      'v.client_key',
      'v.created_at',
    ]);
}
export type VisitRow = Awaited<ReturnType<ReturnType<typeof visitsQuery>['executeTakeFirstOrThrow']>>;

/** The reach of a caller over incidents: the scope of each permission (null = not held). */
export interface Reach {
  userId: string;
  work: Scope | null;
  dispatch: Scope | null;
  handle: Scope | null;
  read: Scope | null;
}

type IncidentEb = ExpressionBuilder<Database & { i: Database['gridwork_incident'] }, 'i'>;

export function inDispatch(eb: IncidentEb, reach: Reach): Expression<SqlBool> {
  return reach.dispatch ? pathIn(eb.ref('i.street_path'), reach.dispatch.paths) : sql<SqlBool>`false`;
}

export function inHandle(eb: IncidentEb, reach: Reach): Expression<SqlBool> {
  if (!reach.handle) return sql<SqlBool>`false`;
  const parts = [inTenant(eb.ref('i.department_id'), reach.handle)];
  if (reach.handle.paths.length > 0) parts.push(eb.and([eb('i.department_id', 'is not', null), pathIn(eb.ref('i.region_path'), reach.handle.paths)]));
  return eb.or(parts);
}

export function isReporter(eb: IncidentEb, reach: Reach): Expression<SqlBool> {
  return reach.userId ? eb('i.reporter_id', '=', reach.userId) : sql<SqlBool>`false`;
}

/** Incidents the caller may see: own reports, the community's (work), the street's (dispatch), the department's, the jurisdiction's (read). */
export function visible(eb: IncidentEb, reach: Reach): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [isReporter(eb, reach), inDispatch(eb, reach), inHandle(eb, reach)];
  if (reach.work) parts.push(pathIn(eb.ref('i.region_path'), reach.work.paths));
  if (reach.read) parts.push(pathIn(eb.ref('i.region_path'), reach.read.paths));
  return eb.or(parts);
}

export function incidentsQuery(db: Db | Kysely<Database>, reach: Reach) {
  return db
    .selectFrom('gridwork_incident as i')
    .innerJoin('region as c', 'c.code', 'i.community_code')
    .innerJoin('region as s', 's.code', 'i.street_code')
    .leftJoin('department as d', 'd.id', 'i.department_id')
    .leftJoin('app_user as u', 'u.id', 'i.reporter_id')
    .select((eb) => [
      'i.id',
      'i.number',
      'i.category',
      'i.description',
      'i.address',
      'i.latitude',
      'i.longitude',
      'i.community_code',
      'c.name as community_name',
      'i.street_code',
      's.name as street_name',
      'i.street_path',
      'i.region_path',
      'i.grid_id',
      'i.reporter_id',
      'u.display_name as reporter_name',
      'u.phone as reporter_phone',
      'i.client_key',
      'i.status',
      'i.department_id',
      'd.name as department_name',
      'i.deadline',
      'i.deadline_provisional',
      'i.dispatched_at',
      'i.concluded_at',
      'i.conclusion',
      'i.return_reason',
      'i.version',
      'i.reported_at',
      'i.updated_at',
      sql<boolean>`${inDispatch(eb, reach)}`.as('in_dispatch'),
      sql<boolean>`${inHandle(eb, reach)}`.as('in_handle'),
      sql<boolean>`${isReporter(eb, reach)}`.as('is_reporter'),
    ])
    .where((eb) => visible(eb, reach));
}
export type IncidentRow = Awaited<ReturnType<ReturnType<typeof incidentsQuery>['executeTakeFirstOrThrow']>>;

export async function incidentEvents(db: Db, incidentId: string) {
  return db
    .selectFrom('gridwork_incident_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_id')
    .leftJoin('department as d', 'd.id', 'e.department_id')
    .selectAll('e')
    .select(['u.display_name as actor_name', 'd.name as department_name'])
    .where('e.incident_id', '=', incidentId)
    .orderBy('e.id')
    .execute();
}

/** Departments a street may dispatch to: those of the street itself, its county and prefecture, and inside the street. */
export async function dispatchDepartments(db: Db, streetPath: string, q: string | undefined, limit: number) {
  let query = db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.name', 'd.region_code', 'r.name as region_name'])
    .where((eb) => eb.or([sql<SqlBool>`${streetPath} LIKE r.path || '%'`, eb('r.path', 'like', likePrefix(streetPath))]));
  if (q) query = query.where('d.name', 'like', `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return query.orderBy('r.level').orderBy('d.kind_rank').orderBy('d.sort_order').orderBy('d.code').limit(limit).execute();
}

export async function departmentForDispatch(db: Db, streetPath: string, departmentId: string) {
  return db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.name'])
    .where('d.id', '=', departmentId)
    .where((eb) => eb.or([sql<SqlBool>`${streetPath} LIKE r.path || '%'`, eb('r.path', 'like', likePrefix(streetPath))]))
    .executeTakeFirst();
}

const rolesHolding = (permission: Permission) => ROLES.filter((role) => permissionsOf(role).includes(permission));

/** Active accounts of a department holding a role that carries the permission (its handlers). */
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

export type { IncidentStatus };
