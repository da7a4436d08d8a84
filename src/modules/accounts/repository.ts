// SQL for accounts: users, role grants, sessions and API tokens.
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import { escapeLike, inAccessScope, inRoleScope } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import { isRole, type Grant, type Scope } from '../../shared/access.ts';
import { announceSessionsEnded } from './session-revocation.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/** The account with its department, for sign-in: one round trip. */
export async function findUserForLogin(db: Db, username: string) {
  return db
    .selectFrom('app_user as u')
    .leftJoin('department as d', 'd.id', 'u.department_id')
    .selectAll('u')
    .select(['d.code as dept_code', 'd.name as dept_name', sql<string | null>`coalesce(d.region_code, u.region_code)`.as('home_region')])
    // user names are unique regardless of case (migration 0005), and served by the lower(username) index
    .where(sql<string>`lower(u.username)`, '=', sql<string>`lower(${username})`)
    .executeTakeFirst();
}

export async function findUserById(db: Db, id: string) {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setLoginFailure(trx: Db, userId: string, failedLogins: number, lockedUntil: Date | null): Promise<void> {
  await trx.updateTable('app_user').set({ failed_logins: failedLogins, locked_until: lockedUntil }).where('id', '=', userId).execute();
}

export async function setLoginSuccess(trx: Db, userId: string, at: Date): Promise<void> {
  await trx.updateTable('app_user').set({ failed_logins: 0, locked_until: null, last_login_at: at }).where('id', '=', userId).execute();
}

export interface GrantRow extends Grant {
  regionName: string;
}

export async function grantsOf(db: Db, userIds: readonly string[]): Promise<Map<string, GrantRow[]>> {
  const byUser = new Map<string, GrantRow[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom('role_grant as g')
    .innerJoin('region as r', 'r.code', 'g.region_code')
    .select(['g.user_id', 'g.role', 'g.region_code', 'r.path', 'r.name'])
    .where('g.user_id', 'in', userIds)
    .orderBy('g.granted_at')
    .execute();
  for (const row of rows) {
    if (!isRole(row.role)) continue; // a role this version does not know confers nothing
    const list = byUser.get(row.user_id) ?? [];
    list.push({ role: row.role, regionCode: row.region_code, regionPath: row.path, regionName: row.name });
    byUser.set(row.user_id, list);
  }
  return byUser;
}

/** Region code → path for a set of codes, in one query. */
export async function regionPaths(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('region').select(['code', 'path']).where('code', 'in', unique).execute();
  return new Map(rows.map((r) => [r.code, r.path]));
}

export async function insertGrant(trx: Db, userId: string, role: string, regionCode: string, grantedBy: string | null) {
  return trx
    .insertInto('role_grant')
    .values({ user_id: userId, role, region_code: regionCode, granted_by: grantedBy })
    .onConflict((oc) => oc.columns(['user_id', 'role', 'region_code']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export async function deleteGrant(trx: Db, userId: string, role: string, regionCode: string): Promise<boolean> {
  const result = await trx.deleteFrom('role_grant').where('user_id', '=', userId).where('role', '=', role).where('region_code', '=', regionCode).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

// ---- sessions

export async function insertSession(
  trx: Db,
  row: { idHash: string; userId: string; csrfToken: string; expiresAt: Date; clientAddr: string | null; userAgent: string | null; at: Date },
): Promise<void> {
  await trx
    .insertInto('user_session')
    .values({
      created_at: row.at,
      last_seen_at: row.at,
      id_hash: row.idHash,
      user_id: row.userId,
      csrf_token: row.csrfToken,
      expires_at: row.expiresAt,
      client_addr: row.clientAddr,
      user_agent: row.userAgent,
    })
    .execute();
}

export async function findSession(db: Db, idHash: string) {
  return db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select(['s.id_hash', 's.csrf_token', 's.last_seen_at', 's.expires_at', 'u.id as user_id', 'u.username', 'u.display_name', 'u.kind', 'u.department_id', 'u.status'])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, idHash: string, at: Date): Promise<void> {
  await db.updateTable('user_session').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

// Ending sessions announces it (pg_notify, delivered when the caller's transaction commits) so that every node drops
// its cached copies at once (session-revocation.ts).

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('user_session').where('id_hash', '=', idHash).execute();
  await announceSessionsEnded(db, { idHash });
}

export async function deleteSessionsOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
  await announceSessionsEnded(db, { userId });
}

/** Ends a user's other sessions; the kept one re-reads its row on other nodes too (its user's cache entries go). */
export async function deleteSessionsOfExcept(db: Db, userId: string, keepIdHash: string): Promise<void> {
  await db.deleteFrom('user_session').where('user_id', '=', userId).where('id_hash', '!=', keepIdHash).execute();
  await announceSessionsEnded(db, { userId });
}

export async function deleteExpiredSessions(db: Db, now: Date, idleCutoff: Date): Promise<number> {
  const result = await db
    .deleteFrom('user_session')
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('last_seen_at', '<', idleCutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---- API tokens

export async function insertToken(trx: Db, row: { userId: string; name: string; tokenHash: string; scopes: string[]; expiresAt: Date }) {
  return trx
    .insertInto('api_token')
    .values({ user_id: row.userId, name: row.name, token_hash: row.tokenHash, scopes: row.scopes, expires_at: row.expiresAt })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function findToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_token as t')
    .innerJoin('app_user as u', 'u.id', 't.user_id')
    .select(['t.id', 't.scopes', 't.expires_at', 't.revoked_at', 't.last_used_at', 'u.id as user_id', 'u.username', 'u.display_name', 'u.kind', 'u.department_id', 'u.status'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function markTokenUsed(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function listTokensOf(db: Db, userId: string) {
  return db
    .selectFrom('api_token')
    .select(['id', 'name', 'scopes', 'expires_at', 'last_used_at', 'revoked_at', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeToken(trx: Db, userId: string, id: string, at: Date): Promise<boolean> {
  const result = await trx
    .updateTable('api_token')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Revokes every live token of a user; returns how many. */
export async function revokeTokensOf(trx: Db, userId: string, at: Date): Promise<number> {
  const result = await trx.updateTable('api_token').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---- user directory

export interface UserFilter {
  q?: string;
  departmentId?: string;
}

/**
 * The directory order's key of the last row seen: the department's place in the customary order (kind rank, sort
 * number, code; citizens, who have none, last), then the user name, i.e. pinyin order within a department.
 */
export type UserKey = readonly [kindRank: number, sortOrder: number, departmentCode: string, username: string];

/**
 * The user directory: users whose department (or, for citizens, home region) lies inside the scope — region subtrees,
 * department trees or share grants. `full_access`: the row is in the scope's role part (not only shared);
 * `reveal_sensitive`: `reveal` (users.read_sensitive) covers the row.
 */
function directory(db: Db, scope: Scope, reveal: Scope | null = null) {
  const columns = (eb: ExpressionBuilder<Database & { u: Database['app_user']; d: Database['department'] }, 'u' | 'd'>) => ({
    region: eb.fn.coalesce('d.region_code', 'u.region_code'),
    department: eb.ref('u.department_id'),
  });
  return db
    .selectFrom('app_user as u')
    .leftJoin('department as d', 'd.id', 'u.department_id')
    .select((eb) => [
      (scope.shares.length === 0 ? sql<boolean>`true` : sql<boolean>`${inRoleScope(eb, columns(eb), scope)}`).as('full_access'),
      (reveal === null ? sql<boolean>`false` : sql<boolean>`${inRoleScope(eb, columns(eb), reveal)}`).as('reveal_sensitive'),
    ])
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.kind',
      'u.phone',
      'u.email',
      'u.status',
      sql<boolean>`u.password_hash IS NOT NULL`.as('activated'),
      'u.password_set_by',
      'u.locked_until',
      'u.last_login_at',
      'u.created_at',
      'd.id as dept_id',
      'd.code as dept_code',
      'd.name as dept_name',
      sql<string>`coalesce(d.region_code, u.region_code)`.as('region_code'),
    ])
    .where((eb) => inAccessScope(eb, columns(eb), scope));
}


/**
 * The directory search: any part of the user name or display name when `q` holds a run of three letters or digits
 * (trigram GIN indexes), otherwise a prefix of either (lower() btree indexes): a trigram index cannot serve one or
 * two characters (such as a surname), and scanning every account for them took minutes at 100,000 accounts.
 */
function matchesUserSearch(q: string) {
  if (/[\p{L}\p{N}]{3}/u.test(q)) {
    const pattern = `%${escapeLike(q)}%`;
    return sql<boolean>`(u.username ILIKE ${pattern} OR u.display_name ILIKE ${pattern})`;
  }
  const prefix = `${escapeLike(q.toLowerCase())}%`;
  return sql<boolean>`(lower(u.username) LIKE ${prefix} OR lower(u.display_name) LIKE ${prefix})`;
}

function filteredUsers(db: Db, scope: Scope, filter: UserFilter, reveal: Scope | null = null) {
  return directory(db, scope, reveal)
    .$if(filter.q !== undefined, (qb) => qb.where(matchesUserSearch(filter.q!)))
    .$if(filter.departmentId !== undefined, (qb) => qb.where('u.department_id', '=', filter.departmentId!));
}

/**
 * One page in directory order (see UserKey; the index app_user_directory_order over the department key copied onto
 * app_user), plus one extra row to tell whether another page follows.
 */
export async function listUsers(db: Db, scope: Scope, filter: UserFilter & { after?: UserKey; limit: number }, reveal: Scope | null = null) {
  return filteredUsers(db, scope, filter, reveal)
    .select(['u.dept_kind_rank', 'u.dept_sort_order', 'u.dept_code'])
    .$if(filter.after !== undefined, (qb) =>
      qb.where((eb) => eb(eb.refTuple('u.dept_kind_rank', 'u.dept_sort_order', 'u.dept_code', 'u.username'), '>', eb.tuple(...filter.after!))),
    )
    .$if(filter.q === undefined, (qb) => qb.orderBy('u.dept_kind_rank').orderBy('u.dept_sort_order').orderBy('u.dept_code').orderBy('u.username'))
    // With a search term the matches come from the search indexes and are sorted afterwards: the same order written
    // as expressions keeps the planner from walking app_user_directory_order and filtering every account on its way,
    // which it chose under LIMIT and which took 190 ms at 100,000 accounts on PostgreSQL.
    .$if(filter.q !== undefined, (qb) =>
      qb
        .orderBy(sql`u.dept_kind_rank + 0`)
        .orderBy(sql`u.dept_sort_order + 0`)
        .orderBy(sql`u.dept_code || ''`)
        .orderBy(sql`u.username || ''`),
    )
    .limit(filter.limit + 1)
    .execute();
}

/** The list counts matches exactly up to this many; past it the total is reported as "10,000+" (D61). */
export const USER_COUNT_CAP = 10_000;

/**
 * How many users match the filter inside the scope (the list's total), counted up to `cap`: the count reads at most
 * cap + 1 rows, so a broad filter over 100,000 accounts costs what 10,000 do. `exact` is false when it stopped there.
 */
export async function countUsers(db: Db, scope: Scope, filter: UserFilter, cap = USER_COUNT_CAP): Promise<{ total: number; exact: boolean }> {
  const matches = filteredUsers(db, scope, filter).clearSelect().select(sql<number>`1`.as('one')).limit(cap + 1);
  const row = await db
    .selectFrom(matches.as('m'))
    .select(sql<string>`count(*)`.as('count'))
    .executeTakeFirstOrThrow();
  const counted = Number(row.count);
  return counted > cap ? { total: cap, exact: false } : { total: counted, exact: true };
}

/** Departments by id, for naming them (share owners on /api/auth/me). */
export async function departmentRefs(db: Db, ids: readonly string[]): Promise<Map<string, { id: string; code: string; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('department').select(['id', 'code', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function findUserInScope(db: Db, scope: Scope, id: string, reveal: Scope | null = null) {
  return directory(db, scope, reveal).where('u.id', '=', id).executeTakeFirst();
}

export async function insertUser(
  trx: Db,
  row: {
    username: string;
    displayName: string;
    kind: 'staff' | 'citizen';
    departmentId: string | null;
    regionCode: string | null;
    phone: string | null;
    email: string | null;
    passwordHash: string | null;
    /** The administrator who chose the password, if any. */
    passwordSetBy?: string | null;
  },
) {
  return trx
    .insertInto('app_user')
    .values({
      password_set_by: row.passwordSetBy ?? null,
      username: row.username,
      display_name: row.displayName,
      kind: row.kind,
      department_id: row.departmentId,
      region_code: row.regionCode,
      phone: row.phone,
      email: row.email,
      password_hash: row.passwordHash,
      password_changed_at: row.passwordHash ? new Date() : null,
    })
    // any unique violation is the user name (also one differing only in case): the caller answers 409
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'created_at'])
    .executeTakeFirst();
}

export async function updateUser(trx: Db, id: string, changes: { displayName?: string; phone?: string | null; email?: string | null; status?: 'active' | 'disabled' }): Promise<void> {
  const set = {
    ...(changes.displayName === undefined ? {} : { display_name: changes.displayName }),
    ...(changes.phone === undefined ? {} : { phone: changes.phone }),
    ...(changes.email === undefined ? {} : { email: changes.email }),
    ...(changes.status === undefined ? {} : { status: changes.status }),
  };
  await trx.updateTable('app_user').set({ ...set, updated_at: new Date() }).where('id', '=', id).execute();
}

/** Sets the password hash; `setBy` is the administrator who chose it (null: the holder, or the platform itself). */
export async function setPasswordHash(trx: Db, userId: string, hash: string, setBy: string | null): Promise<void> {
  await trx
    .updateTable('app_user')
    .set({ password_hash: hash, password_set_by: setBy, password_changed_at: new Date(), failed_logins: 0, locked_until: null, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

// ---- batches

/** Inserts accounts with client-chosen ids; a taken user name (in any case) leaves its row out. Returns the ids inserted. */
export async function insertUsers(
  trx: Db,
  rows: readonly { id: string; username: string; displayName: string; kind: 'staff' | 'citizen'; departmentId: string | null; regionCode: string | null; phone: string | null; email: string | null; passwordHash: string | null }[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const now = new Date();
  const inserted = await trx
    .insertInto('app_user')
    .values(
      rows.map((row) => ({
        id: row.id,
        username: row.username,
        display_name: row.displayName,
        kind: row.kind,
        department_id: row.departmentId,
        region_code: row.regionCode,
        phone: row.phone,
        email: row.email,
        password_hash: row.passwordHash,
        password_changed_at: row.passwordHash ? now : null,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}

export async function insertGrants(trx: Db, rows: readonly { userId: string; role: string; regionCode: string; grantedBy: string | null }[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('role_grant')
    .values(rows.map((r) => ({ user_id: r.userId, role: r.role, region_code: r.regionCode, granted_by: r.grantedBy })))
    .onConflict((oc) => oc.columns(['user_id', 'role', 'region_code']).doNothing())
    .execute();
}

