// SQL of the community registry: regions, residents (list by the one filter, lock, write), residence intervals,
// grids, buildings and households. Jurisdiction is in every read (residentWhere / region_path prefix ranges).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { likePrefix } from '../../db/jurisdiction.ts';
import type { Scope } from '../../shared/access.ts';
import { residentWhere, type ResidentFilter } from './filter.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function regionByCode(db: Db, code: string) {
  return db.selectFrom('region').select(['code', 'name', 'level', 'path', 'valid_to']).where('code', '=', code).executeTakeFirst();
}

export const RESIDENT_COLUMNS = [
  'r.id',
  'r.id_number',
  'r.name',
  'r.sex',
  'r.birth_date',
  'r.ethnicity',
  'r.phone',
  'r.household_id',
  'r.relation',
  'r.building_id',
  'r.grid_id',
  'r.community_code',
  'r.region_path',
  'r.address',
  'r.residence_status',
  'r.status',
  'r.moved_in_on',
  'r.version',
  'r.updated_at',
] as const;

/** One page of residents matching the filter inside the scope, by (name, id) after the keyset. */
export async function listResidents(db: Db, scope: Pick<Scope, 'paths'>, filter: ResidentFilter, today: string, page: { after?: readonly [string, string]; limit: number }) {
  return db
    .selectFrom('community_resident as r')
    .innerJoin('region as c', 'c.code', 'r.community_code')
    .select([...RESIDENT_COLUMNS, 'c.name as community_name'])
    .select(sql<string>`to_char(r.birth_date, 'YYYY-MM-DD')`.as('birth'))
    .select(sql<string>`to_char(r.moved_in_on, 'YYYY-MM-DD')`.as('moved_in'))
    .where((eb) => residentWhere(eb, scope, filter, today))
    .$if(page.after !== undefined, (qb) => qb.where((eb) => eb(eb.refTuple('r.name', 'r.id'), '>', eb.tuple(page.after![0], page.after![1]))))
    // a search sorts its matches (found by the trigram or prefix index) rather than walk the (name, id) index hoping
    // for 50 early ones: the planner assumes matches spread evenly, and a surname sorting late (闫) scanned 800,000
    // rows at 1M. `name || ''` is the same order without the index's.
    .orderBy(filter.q ? sql`r.name || ''` : sql.ref('r.name'))
    .orderBy('r.id')
    .limit(page.limit)
    .execute();
}

export type ResidentRow = Awaited<ReturnType<typeof listResidents>>[number];

/** The list's total is counted up to this many residents; beyond it the answer is "10,000+" (totalExact false). */
export const RESIDENT_COUNT_CAP = 10_000;

/** How many residents match, counted up to `cap` (reads at most cap + 1 index entries, however broad the filter). */
export async function countResidents(db: Db, scope: Pick<Scope, 'paths'>, filter: ResidentFilter, today: string, cap = RESIDENT_COUNT_CAP): Promise<{ total: number; exact: boolean }> {
  const matches = db
    .selectFrom('community_resident as r')
    .select(sql<number>`1`.as('one'))
    .where((eb) => residentWhere(eb, scope, filter, today))
    .limit(cap + 1);
  const row = await db.selectFrom(matches.as('m')).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const counted = Number(row.n);
  return counted > cap ? { total: cap, exact: false } : { total: counted, exact: true };
}

/** A resident of any status inside the scope, optionally locked for update. */
export async function residentById(db: Db, scope: Pick<Scope, 'paths'>, id: string, lock = false) {
  // lock the row alone first: a lock taken through the join would re-check the join against the region row read
  // before the wait, and lose a row whose community a concurrent move changed
  if (lock) await db.selectFrom('community_resident').select('id').where('id', '=', id).forUpdate().execute();
  const q = db
    .selectFrom('community_resident as r')
    .innerJoin('region as c', 'c.code', 'r.community_code')
    .select([...RESIDENT_COLUMNS, 'c.name as community_name'])
    .select(sql<string>`to_char(r.birth_date, 'YYYY-MM-DD')`.as('birth'))
    .select(sql<string>`to_char(r.moved_in_on, 'YYYY-MM-DD')`.as('moved_in'))
    .where('r.id', '=', id)
    .where((eb) => (scope.paths.includes('/') ? sql<boolean>`true` : scope.paths.length === 0 ? sql<boolean>`false` : eb.or(scope.paths.map((p) => eb('r.region_path', 'like', likePrefix(p))))));
  return q.executeTakeFirst();
}

export async function labelsOf(db: Db, residentIds: readonly string[]) {
  if (residentIds.length === 0) return [];
  return db.selectFrom('community_resident_label').select(['resident_id', 'label_code']).where('resident_id', 'in', residentIds).orderBy('label_code').execute();
}

export async function residenceHistory(db: Db, residentId: string) {
  return db
    .selectFrom('community_residence as h')
    .innerJoin('region as c', 'c.code', 'h.community_code')
    .select(['h.community_code', 'c.name as community_name', 'h.residence_status', 'h.reason'])
    .select(sql<string>`to_char(h.valid_from, 'YYYY-MM-DD')`.as('valid_from'))
    .select(sql<string | null>`to_char(h.valid_to, 'YYYY-MM-DD')`.as('valid_to'))
    .where('h.resident_id', '=', residentId)
    .orderBy('h.valid_from')
    .orderBy('h.id')
    .execute();
}

/** Closes the resident's open residence interval on `on`; answers the interval's start (or undefined when none was open). */
export async function closeResidence(trx: Transaction<Database>, residentId: string, on: string): Promise<void> {
  await trx.updateTable('community_residence').set({ valid_to: on }).where('resident_id', '=', residentId).where('valid_to', 'is', null).execute();
}

export async function openResidenceStart(db: Db, residentId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('community_residence')
    .select(sql<string>`to_char(valid_from, 'YYYY-MM-DD')`.as('from'))
    .where('resident_id', '=', residentId)
    .where('valid_to', 'is', null)
    .executeTakeFirst();
  return row?.from;
}

/** Residents whose ID numbers are among these (any status, any jurisdiction: a duplicate is a duplicate). */
export async function residentsByIdNumber(db: Db, idNumbers: readonly string[]) {
  if (idNumbers.length === 0) return [];
  return db.selectFrom('community_resident').select(['id', 'id_number', 'community_code']).where('id_number', 'in', idNumbers).execute();
}

// ---- grids, buildings, households ---------------------------------------------------------------------------------

export async function gridsIn(db: Db, scope: Pick<Scope, 'paths'>, communityPath: string | undefined) {
  return db
    .selectFrom('community_grid as g')
    .innerJoin('region as c', 'c.code', 'g.community_code')
    .select(['g.id', 'g.code', 'g.name', 'g.community_code', 'c.name as community_name', 'g.region_path'])
    .select((eb) => eb.selectFrom('community_resident as r').select(eb.fn.countAll<string>().as('n')).whereRef('r.grid_id', '=', 'g.id').where('r.status', '=', 'active').as('residents'))
    .where((eb) => (scope.paths.includes('/') ? sql<boolean>`true` : scope.paths.length === 0 ? sql<boolean>`false` : eb.or(scope.paths.map((p) => eb('g.region_path', 'like', likePrefix(p))))))
    .$if(communityPath !== undefined, (qb) => qb.where('g.region_path', 'like', likePrefix(communityPath!)))
    .orderBy('g.region_path')
    .orderBy('g.code')
    .limit(1000)
    .execute();
}

export async function workersOf(db: Db, gridIds: readonly string[]) {
  if (gridIds.length === 0) return [];
  return db
    .selectFrom('community_grid_worker as w')
    .innerJoin('app_user as u', 'u.id', 'w.user_id')
    .select(['w.grid_id', 'w.user_id', 'u.display_name', 'u.username'])
    .where('w.grid_id', 'in', gridIds)
    .orderBy('u.display_name')
    .execute();
}

export async function gridById(db: Db, id: string) {
  return db.selectFrom('community_grid').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether the user holds one of `roles` on a region whose path covers `communityPath`. */
export async function userCovers(db: Db, userId: string, roles: readonly string[], communityPath: string): Promise<boolean> {
  const row = await db
    .selectFrom('role_grant as g')
    .innerJoin('region as reg', 'reg.code', 'g.region_code')
    .innerJoin('app_user as u', 'u.id', 'g.user_id')
    .select('g.id')
    .where('g.user_id', '=', userId)
    .where('u.status', '=', 'active')
    .where('g.role', 'in', [...roles])
    .where(sql<boolean>`${communityPath} LIKE reg.path || '%'`)
    .executeTakeFirst();
  return row !== undefined;
}

export async function buildingById(db: Db, id: string) {
  return db.selectFrom('community_building').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function buildingsIn(db: Db, scope: Pick<Scope, 'paths'>, communityPath: string | undefined) {
  return db
    .selectFrom('community_building as b')
    .select(['b.id', 'b.community_code', 'b.grid_id', 'b.name', 'b.address', 'b.floors'])
    .where((eb) => (scope.paths.includes('/') ? sql<boolean>`true` : scope.paths.length === 0 ? sql<boolean>`false` : eb.or(scope.paths.map((p) => eb('b.region_path', 'like', likePrefix(p))))))
    .$if(communityPath !== undefined, (qb) => qb.where('b.region_path', 'like', likePrefix(communityPath!)))
    .orderBy('b.region_path')
    .orderBy('b.name')
    .limit(1000)
    .execute();
}

export async function householdById(db: Db, id: string, lock = false) {
  let q = db.selectFrom('community_household').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function householdsIn(db: Db, scope: Pick<Scope, 'paths'>, communityPath: string | undefined, page: { after?: string; limit: number }) {
  const base = db
    .selectFrom('community_household as h')
    .where((eb) => (scope.paths.includes('/') ? sql<boolean>`true` : scope.paths.length === 0 ? sql<boolean>`false` : eb.or(scope.paths.map((p) => eb('h.region_path', 'like', likePrefix(p))))))
    .$if(communityPath !== undefined, (qb) => qb.where('h.region_path', 'like', likePrefix(communityPath!)));
  const [rows, total] = await Promise.all([
    base
      .select(['h.id', 'h.household_no', 'h.community_code', 'h.grid_id', 'h.building_id', 'h.address', 'h.member_count'])
      .$if(page.after !== undefined, (qb) => qb.where('h.household_no', '>', page.after!))
      .orderBy('h.household_no')
      .limit(page.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function membersOf(db: Db, householdId: string) {
  return db
    .selectFrom('community_resident')
    .select(['id', 'name', 'relation', 'sex'])
    .select(sql<string>`to_char(birth_date, 'YYYY-MM-DD')`.as('birth'))
    .where('household_id', '=', householdId)
    .where('status', '=', 'active')
    .orderBy(sql`CASE relation WHEN 'head' THEN 0 WHEN 'spouse' THEN 1 ELSE 2 END`)
    .orderBy('birth_date')
    .execute();
}

/** Recounts a household's active members (same transaction as the membership change). */
export async function recountMembers(trx: Transaction<Database>, householdId: string, at: Date): Promise<void> {
  await sql`
    UPDATE community_household SET updated_at = ${at},
      member_count = (SELECT count(*) FROM community_resident WHERE household_id = ${householdId} AND status = 'active')
    WHERE id = ${householdId}
  `.execute(trx);
}
