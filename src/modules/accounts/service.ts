// Accounts: sign-in with lockout, server-side sessions, API tokens, and the user directory.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { hasPermission, permissionsOf, requireActor, requireScope, scopeCovers, type Actor, type Permission, type Role, type Scope, PERMISSIONS } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, conflict, forbidden, invalid, notFound, unauthenticated } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { CountedPage } from '../../shared/pagination.ts';
import type { AuditService } from '../audit/index.ts';
import { ancestorIds, descendantIds, findDepartment } from '../departments/index.ts';
import { findRegion } from '../regions/index.ts';
import { assertPasswordPolicy, decoyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import * as repo from './repository.ts';
import { FailureThrottle } from './throttle.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
/** The window over which failed sign-ins per client address are counted. */
export const ADDRESS_FAILURE_WINDOW_MS = 10 * 60_000;

export interface AuthSettings {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** Failed sign-ins one client address may make per window, across all accounts. */
  loginFailuresPerAddress: number;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'citizen';
  department: { id: string; code: string; name: string } | null;
  grants: { role: Role; regionCode: string; regionName: string }[];
  permissions: Permission[];
}

export interface LoginResult {
  /** The cookie value; only its SHA-256 is stored. */
  sessionToken: string;
  csrfToken: string;
  user: Me;
}

export interface SessionIdentity {
  actor: Actor;
  csrfToken: string;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
const newSecret = (): string => randomBytes(32).toString('base64url');

interface CachedSession {
  identity: SessionIdentity;
  expiresAt: number;
  lastSeenWritten: number;
  checkedAt: number;
}

// A session is re-read from the database at most this often per node, and last_seen_at written at most this often.
const SESSION_RECHECK_MS = 5_000;
const LAST_SEEN_WRITE_MS = 60_000;
const SESSION_CACHE_MAX = 20_000;

export class AuthService {
  private readonly sessionCache = new Map<string, CachedSession>();
  private readonly throttle: FailureThrottle;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly settings: AuthSettings,
  ) {
    this.throttle = new FailureThrottle(settings.loginFailuresPerAddress, ADDRESS_FAILURE_WINDOW_MS);
  }

  async login(ctx: RequestContext, input: { username: string; password: string; userAgent?: string | null }): Promise<LoginResult> {
    const address = ctx.clientAddr ?? 'unknown';
    const wait = this.throttle.retryAfter(address);
    if (wait > 0) {
      await this.audit.recordNow(ctx, { action: 'auth.login', outcome: 'denied', actorName: input.username, detail: { reason: 'address_throttled' } });
      throw new DomainError('auth.too_many_failures', 'rate_limited', `Too many failed sign-ins from your address; try again in ${Math.ceil(wait / 1000)} s.`, undefined, {
        retryAfterSeconds: Math.ceil(wait / 1000),
      });
    }
    const user = await repo.findUserForLogin(this.db, input.username);
    const now = new Date();
    const regionCode = user?.home_region ?? null;
    if (!user || !user.password_hash || user.status !== 'active') {
      await verifyPassword(await decoyPasswordHash(), input.password);
      this.throttle.fail(address);
      await this.audit.recordNow(ctx, { action: 'auth.login', outcome: 'failure', actorName: input.username, detail: { reason: user ? 'inactive' : 'unknown_user' } });
      throw unauthenticated('auth.invalid_credentials', 'The user name or password is wrong.');
    }
    if (user.locked_until && user.locked_until > now) {
      await this.audit.recordNow(ctx, { action: 'auth.login', outcome: 'denied', actorName: user.username, objectType: 'user', objectId: user.id, regionCode, detail: { reason: 'locked' } });
      throw new DomainError('auth.locked', 'locked', `The account is locked after ${MAX_FAILED_LOGINS} failed sign-ins until ${user.locked_until.toISOString()}.`, 'username', {
        lockedUntil: user.locked_until.toISOString(),
      });
    }
    if (!(await verifyPassword(user.password_hash, input.password))) {
      this.throttle.fail(address);
      const failures = user.failed_logins + 1;
      const lockedUntil = failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
      await this.db.transaction().execute(async (trx) => {
        await repo.setLoginFailure(trx, user.id, lockedUntil ? 0 : failures, lockedUntil);
        await this.audit.record(trx, ctx, { action: 'auth.login', outcome: 'failure', actorName: user.username, objectType: 'user', objectId: user.id, regionCode, detail: { failures, locked: lockedUntil !== null } });
      });
      if (lockedUntil) {
        throw new DomainError('auth.locked', 'locked', `Too many failed sign-ins: the account is locked until ${lockedUntil.toISOString()}.`, 'username', {
          lockedUntil: lockedUntil.toISOString(),
        });
      }
      throw new DomainError('auth.invalid_credentials', 'unauthenticated', 'The user name or password is wrong.', 'password', {
        remainingAttempts: MAX_FAILED_LOGINS - failures,
      });
    }
    const sessionToken = newSecret();
    const csrfToken = newSecret();
    const { actor, grants } = await this.loadActor(user, 'session');
    await this.db.transaction().execute(async (trx) => {
      await repo.setLoginSuccess(trx, user.id, now);
      await repo.insertSession(trx, {
        idHash: sha256(sessionToken),
        userId: user.id,
        csrfToken,
        expiresAt: new Date(now.getTime() + this.settings.sessionMaxHours * 3_600_000),
        clientAddr: ctx.clientAddr,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
      });
      await this.audit.record(trx, { ...ctx, actor }, { action: 'auth.login', objectType: 'user', objectId: user.id, regionCode });
    });
    ctx.audited = true;
    const department = user.department_id ? { id: user.department_id, code: user.dept_code!, name: user.dept_name! } : null;
    return { sessionToken, csrfToken, user: describe(actor, grants, department) };
  }

  async logout(ctx: RequestContext, sessionToken: string | undefined): Promise<void> {
    if (!sessionToken) return;
    const idHash = sha256(sessionToken);
    this.sessionCache.delete(idHash);
    await this.db.transaction().execute(async (trx) => {
      await repo.deleteSession(trx, idHash);
      if (ctx.actor) await this.audit.record(trx, ctx, { action: 'auth.logout', objectType: 'user', objectId: ctx.actor.userId });
    });
  }

  /** Resolves a session cookie to its actor; null when unknown, expired or idle too long. */
  async authenticateSession(sessionToken: string): Promise<SessionIdentity | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(sessionToken)) return null;
    const idHash = sha256(sessionToken);
    const nowMs = Date.now();
    const idleMs = this.settings.sessionIdleMinutes * 60_000;
    const cached = this.sessionCache.get(idHash);
    if (cached && nowMs - cached.checkedAt < SESSION_RECHECK_MS && nowMs < cached.expiresAt && nowMs - cached.lastSeenWritten < idleMs) {
      if (nowMs - cached.lastSeenWritten > LAST_SEEN_WRITE_MS) {
        cached.lastSeenWritten = nowMs;
        await repo.touchSession(this.db, idHash, new Date(nowMs));
      }
      return cached.identity;
    }
    const row = await repo.findSession(this.db, idHash);
    const lastSeen = row ? Math.max(row.last_seen_at.getTime(), cached?.lastSeenWritten ?? 0) : 0;
    if (!row || row.status !== 'active' || row.expires_at.getTime() <= nowMs || nowMs - lastSeen > idleMs) {
      this.sessionCache.delete(idHash);
      if (row) await repo.deleteSession(this.db, idHash);
      return null;
    }
    const identity: SessionIdentity = {
      actor: await this.actorFor({ id: row.user_id, username: row.username, display_name: row.display_name, kind: row.kind, department_id: row.department_id }, 'session'),
      csrfToken: row.csrf_token,
    };
    let lastSeenWritten = lastSeen;
    if (nowMs - lastSeen > LAST_SEEN_WRITE_MS) {
      lastSeenWritten = nowMs;
      await repo.touchSession(this.db, idHash, new Date(nowMs));
    }
    if (this.sessionCache.size >= SESSION_CACHE_MAX) this.sessionCache.clear();
    this.sessionCache.set(idHash, { identity, expiresAt: row.expires_at.getTime(), lastSeenWritten, checkedAt: nowMs });
    return identity;
  }

  /** Resolves `Authorization: Bearer gct_…` to its actor limited to the token's scopes; null when unknown, expired or revoked. */
  async authenticateToken(token: string): Promise<Actor | null> {
    if (!/^gct_[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const row = await repo.findToken(this.db, sha256(token));
    const now = new Date();
    if (!row || row.revoked_at || row.expires_at <= now || row.status !== 'active') return null;
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_SEEN_WRITE_MS) await repo.markTokenUsed(this.db, row.id, now);
    const actor = await this.actorFor({ id: row.user_id, username: row.username, display_name: row.display_name, kind: row.kind, department_id: row.department_id }, 'token');
    actor.tokenScopes = row.scopes.filter((s): s is Permission => (PERMISSIONS as readonly string[]).includes(s));
    return actor;
  }

  async me(actorOrUndefined: Actor | undefined): Promise<Me> {
    const actor = requireActor(actorOrUndefined);
    const [grants, department] = await Promise.all([
      repo.grantsOf(this.db, [actor.userId]),
      actor.departmentId ? findDepartment(this.db, actor.departmentId) : undefined,
    ]);
    return describe(actor, grants.get(actor.userId) ?? [], department ? { id: department.id, code: department.code, name: department.name } : null);
  }

  // ---- API tokens

  async createToken(ctx: RequestContext, input: { name: string; scopes: string[]; expiresInDays: number }) {
    const actor = requireActor(ctx.actor);
    if (actor.via !== 'session') throw forbidden('auth.session_required', 'API tokens are created from a signed-in session, not with another token.');
    const unknown = input.scopes.find((s) => !(PERMISSIONS as readonly string[]).includes(s));
    if (unknown !== undefined) throw invalid('token.unknown_scope', 'scopes', `"${unknown}" is not a permission. Known: ${PERMISSIONS.join(', ')}.`);
    const held = new Set(actor.grants.flatMap((g) => permissionsOf(g.role)));
    const notHeld = input.scopes.find((s) => !held.has(s as Permission));
    if (notHeld !== undefined) throw invalid('token.scope_not_held', 'scopes', `You do not hold ${notHeld}, so a token of yours cannot either.`);
    const secret = `gct_${newSecret()}`;
    const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
    const created = await this.db.transaction().execute(async (trx) => {
      const row = await repo.insertToken(trx, { userId: actor.userId, name: input.name, tokenHash: sha256(secret), scopes: [...new Set(input.scopes)], expiresAt });
      await this.audit.record(trx, ctx, { action: 'token.create', objectType: 'api_token', objectId: row.id, detail: { name: input.name, scopes: input.scopes, expiresAt: expiresAt.toISOString() } });
      return row;
    });
    return { id: created.id, name: input.name, scopes: [...new Set(input.scopes)], expiresAt: expiresAt.toISOString(), createdAt: created.created_at.toISOString(), token: secret };
  }

  async listTokens(ctx: RequestContext) {
    const actor = requireActor(ctx.actor);
    const rows = await repo.listTokensOf(this.db, actor.userId);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      scopes: r.scopes,
      expiresAt: r.expires_at.toISOString(),
      lastUsedAt: r.last_used_at?.toISOString() ?? null,
      revokedAt: r.revoked_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async revokeToken(ctx: RequestContext, id: string): Promise<void> {
    const actor = requireActor(ctx.actor);
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.revokeToken(trx, actor.userId, id, new Date()))) throw notFound('token.not_found', 'No active token of yours has that id.', 'id');
      await this.audit.record(trx, ctx, { action: 'token.revoke', objectType: 'api_token', objectId: id });
    });
  }

  /** Changes the signed-in user's own password; every other session of the user ends. */
  async changePassword(ctx: RequestContext, sessionToken: string | undefined, input: { currentPassword: string; newPassword: string }): Promise<void> {
    const actor = requireActor(ctx.actor);
    if (actor.via !== 'session' || !sessionToken) throw forbidden('auth.session_required', 'Passwords are changed from a signed-in session.');
    const user = await repo.findUserById(this.db, actor.userId);
    if (!user?.password_hash || !(await verifyPassword(user.password_hash, input.currentPassword))) {
      throw invalid('auth.wrong_password', 'currentPassword', 'The current password is wrong.');
    }
    assertPasswordPolicy(input.newPassword, 'newPassword', user.username);
    if (input.newPassword === input.currentPassword) throw invalid('account.password_unchanged', 'newPassword', 'The new password must differ from the current one.');
    const hash = await hashPassword(input.newPassword);
    const keep = sha256(sessionToken);
    await this.db.transaction().execute(async (trx) => {
      await repo.setPasswordHash(trx, user.id, hash);
      await repo.deleteSessionsOfExcept(trx, user.id, keep);
      await this.audit.record(trx, ctx, { action: 'auth.password_change', objectType: 'user', objectId: user.id });
    });
    for (const [idHash, cached] of this.sessionCache) if (cached.identity.actor.userId === user.id && idHash !== keep) this.sessionCache.delete(idHash);
  }

  /** Forgets this node's cached sessions, so the next request of each re-reads the database. */
  clearSessionCache(): void {
    this.sessionCache.clear();
  }

  /** Removes expired and idle sessions; returns how many. */
  async purgeSessions(): Promise<number> {
    const now = new Date();
    return repo.deleteExpiredSessions(this.db, now, new Date(now.getTime() - this.settings.sessionIdleMinutes * 60_000));
  }

  private async actorFor(user: ActorSource, via: 'session' | 'token'): Promise<Actor> {
    return (await this.loadActor(user, via)).actor;
  }

  /** The actor and, for display, its grants with region names: one query. */
  private async loadActor(user: ActorSource, via: 'session' | 'token'): Promise<{ actor: Actor; grants: repo.GrantRow[] }> {
    const grants = (await repo.grantsOf(this.db, [user.id])).get(user.id) ?? [];
    const actor: Actor = {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      kind: user.kind,
      departmentId: user.department_id,
      grants: grants.map(({ role, regionCode, regionPath }) => ({ role, regionCode, regionPath })),
      via,
    };
    return { actor, grants };
  }
}

interface ActorSource {
  id: string;
  username: string;
  display_name: string;
  kind: 'staff' | 'citizen';
  department_id: string | null;
}

/** What the console is told about the signed-in user: roles, where, and the permissions they add up to. */
function describe(actor: Actor, grants: repo.GrantRow[], department: Me['department']): Me {
  const permissions = new Set<Permission>();
  for (const grant of actor.grants) for (const p of permissionsOf(grant.role)) if (!actor.tokenScopes || actor.tokenScopes.includes(p)) permissions.add(p);
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    kind: actor.kind,
    department,
    grants: grants.map((g) => ({ role: g.role, regionCode: g.regionCode, regionName: g.regionName })),
    permissions: [...permissions].sort(),
  };
}

// ---- user directory

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'citizen';
  department: { id: string; code: string; name: string } | null;
  phone: string | null;
  status: 'active' | 'disabled';
  activated: boolean;
  lockedUntil: string | null;
  /** Whether the caller may manage this account (users.manage over it, own department tree, delegable roles only). */
  manageable: boolean;
  grants: { role: Role; regionCode: string; regionName: string }[];
  lastLoginAt: string | null;
}

/** 138****5678: staff phone numbers are personal data, shown masked. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export interface NewUser {
  username: string;
  displayName: string;
  departmentId: string;
  password?: string;
  phone?: string;
  email?: string;
  grants?: { role: Role; regionCode: string }[];
}

/** Roles a department admin may hand out; the others only a platform admin may. */
const DELEGABLE: readonly Role[] = ['department_staff', 'community_worker'];

const isPlatformAdmin = (actor: Actor): boolean => actor.grants.some((g) => g.role === 'platform_admin');

export interface UserChanges {
  displayName?: string;
  phone?: string | null;
  email?: string | null;
  status?: 'active' | 'disabled';
}

export class UserService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext, query: { q?: string; departmentId?: string; cursor?: string; limit?: number }): Promise<CountedPage<UserView>> {
    const scope = requireScope(ctx.actor, 'users.read');
    const limit = query.limit ?? 50;
    const filter = { q: query.q, departmentId: query.departmentId };
    const after = query.cursor === undefined ? undefined : decodeKeyset(query.cursor, ['integer', 'integer', 'string', 'string']);
    const [rows, total] = await Promise.all([repo.listUsers(this.db, scope, { ...filter, after, limit }), repo.countUsers(this.db, scope, filter)]);
    const page = rows.slice(0, limit);
    const items = await this.views(ctx.actor!, page);
    await this.audit.recordNow(ctx, {
      action: 'user.list',
      objectType: 'user',
      regionCode: ctx.actor!.grants[0]?.regionCode ?? null,
      detail: { count: items.length, q: query.q ?? null, departmentId: query.departmentId ?? null },
    });
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeKeyset([last.dept_kind_rank, last.dept_sort_order, last.dept_code, last.username]) : null;
    return { items, total, nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<UserView> {
    const scope = requireScope(ctx.actor, 'users.read');
    const row = await repo.findUserInScope(this.db, scope, id);
    if (!row) throw notFound('user.not_found', 'No user with that id in your jurisdiction.', 'id');
    await this.audit.recordNow(ctx, { action: 'user.read', objectType: 'user', objectId: id, regionCode: row.region_code });
    return (await this.views(ctx.actor!, [row]))[0]!;
  }

  async create(ctx: RequestContext, input: NewUser): Promise<UserView> {
    const scope = requireScope(ctx.actor, 'users.manage');
    const actor = ctx.actor!;
    const department = await findDepartment(this.db, input.departmentId);
    if (!department || !scopeCovers(scope, department.region_path)) {
      throw invalid('user.unknown_department', 'departmentId', 'No department with that id in your jurisdiction.');
    }
    await this.assertOwnTenant(actor, department.id);
    if (input.password !== undefined) assertPasswordPolicy(input.password, 'password', input.username);
    const grants = input.grants ?? [];
    for (const [i, grant] of grants.entries()) await this.assertGrantable(scope, actor, grant, `grants/${i}/regionCode`);
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    const id = await this.db.transaction().execute(async (trx) => {
      const created = await repo.insertUser(trx, {
        username: input.username,
        displayName: input.displayName,
        kind: 'staff',
        departmentId: department.id,
        regionCode: department.region_code,
        phone: input.phone ?? null,
        email: input.email ?? null,
        passwordHash,
      });
      if (!created) throw conflict('user.username_taken', `The user name "${input.username}" is taken.`, 'username');
      for (const grant of grants) await repo.insertGrant(trx, created.id, grant.role, grant.regionCode, actor.userId);
      await this.audit.record(trx, ctx, {
        action: 'user.create',
        objectType: 'user',
        objectId: created.id,
        regionCode: department.region_code,
        detail: { username: input.username, departmentId: department.id, grants },
      });
      return created.id;
    });
    return this.view(actor, scope, id);
  }

  /** The directory entry of a user just written (the write was authorised and audited already). */
  private async view(actor: Actor, scope: Scope, id: string): Promise<UserView> {
    const row = await repo.findUserInScope(this.db, scope, id);
    return (await this.views(actor, [row!]))[0]!;
  }

  /** Changes name, contact details or status; disabling ends the user's sessions. */
  async update(ctx: RequestContext, id: string, changes: UserChanges): Promise<UserView> {
    const scope = requireScope(ctx.actor, 'users.manage');
    const target = await this.manageable(scope, ctx.actor!, id);
    if (changes.status === 'disabled' && id === ctx.actor!.userId) throw invalid('user.cannot_disable_self', 'status', 'You cannot disable your own account.');
    await this.db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, id, changes);
      if (changes.status === 'disabled') await repo.deleteSessionsOf(trx, id);
      await this.audit.record(trx, ctx, {
        action: changes.status === 'disabled' ? 'user.disable' : 'user.update',
        objectType: 'user',
        objectId: id,
        regionCode: target.region_code,
        detail: { changes: { ...changes, phone: changes.phone === undefined ? undefined : maskPhone(changes.phone) } },
      });
    });
    return this.view(ctx.actor!, scope, id);
  }

  /** Sets a password for a user (activation or reset): clears any lockout and ends the user's sessions. */
  async setPassword(ctx: RequestContext, id: string, password: string): Promise<void> {
    const scope = requireScope(ctx.actor, 'users.manage');
    const target = await this.manageable(scope, ctx.actor!, id);
    assertPasswordPolicy(password, 'password', target.username);
    const hash = await hashPassword(password);
    await this.db.transaction().execute(async (trx) => {
      await repo.setPasswordHash(trx, id, hash);
      await repo.deleteSessionsOf(trx, id);
      await this.audit.record(trx, ctx, { action: target.activated ? 'user.reset_password' : 'user.activate', objectType: 'user', objectId: id, regionCode: target.region_code });
    });
  }

  /** Lifts a sign-in lockout before it expires. */
  async unlock(ctx: RequestContext, id: string): Promise<void> {
    const scope = requireScope(ctx.actor, 'users.manage');
    const target = await this.manageable(scope, ctx.actor!, id);
    await this.db.transaction().execute(async (trx) => {
      await repo.setLoginFailure(trx, id, 0, null);
      await this.audit.record(trx, ctx, { action: 'user.unlock', objectType: 'user', objectId: id, regionCode: target.region_code });
    });
  }

  async addGrant(ctx: RequestContext, id: string, grant: { role: Role; regionCode: string }): Promise<UserView> {
    const scope = requireScope(ctx.actor, 'users.manage');
    const target = await this.manageable(scope, ctx.actor!, id);
    if (id === ctx.actor!.userId) throw forbidden('auth.self_grant', 'You cannot change your own roles.');
    await this.assertGrantable(scope, ctx.actor!, grant, 'regionCode');
    await this.db.transaction().execute(async (trx) => {
      const inserted = await repo.insertGrant(trx, id, grant.role, grant.regionCode, ctx.actor!.userId);
      if (!inserted) throw conflict('user.grant_exists', `The user already holds ${grant.role} over ${grant.regionCode}.`, 'role');
      await this.audit.record(trx, ctx, { action: 'user.grant', objectType: 'user', objectId: id, regionCode: target.region_code, detail: { ...grant } });
    });
    return this.view(ctx.actor!, scope, id);
  }

  async removeGrant(ctx: RequestContext, id: string, grant: { role: Role; regionCode: string }): Promise<UserView> {
    const scope = requireScope(ctx.actor, 'users.manage');
    const target = await this.manageable(scope, ctx.actor!, id);
    if (id === ctx.actor!.userId) throw forbidden('auth.self_grant', 'You cannot change your own roles.');
    await this.assertGrantable(scope, ctx.actor!, grant, 'regionCode');
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.deleteGrant(trx, id, grant.role, grant.regionCode))) throw notFound('user.grant_not_found', `The user does not hold ${grant.role} over ${grant.regionCode}.`, 'role');
      await this.audit.record(trx, ctx, { action: 'user.revoke_grant', objectType: 'user', objectId: id, regionCode: target.region_code, detail: { ...grant } });
    });
    return this.view(ctx.actor!, scope, id);
  }

  /** A user in the manager's jurisdiction whose roles the manager could have granted (a department admin cannot manage a platform admin). */
  private async manageable(scope: Scope, actor: Actor, id: string) {
    const target = await repo.findUserInScope(this.db, scope, id);
    if (!target) throw notFound('user.not_found', 'No user with that id in your jurisdiction.', 'id');
    if (!isPlatformAdmin(actor)) {
      if (target.dept_id === null) throw forbidden('auth.other_department', 'Only a platform admin may manage accounts outside a department.');
      await this.assertOwnTenant(actor, target.dept_id);
      const held = (await repo.grantsOf(this.db, [id])).get(id) ?? [];
      const senior = held.find((g) => !DELEGABLE.includes(g.role));
      if (senior && id !== actor.userId) throw forbidden('auth.role_not_delegable', `Only a platform admin may manage a user who holds ${senior.role}.`);
    }
    return target;
  }

  /** The same rules as manageable(), decided for a whole page with at most one extra query. */
  private async manageablePredicate(
    actor: Actor,
    regionCodes: readonly string[],
  ): Promise<(row: { id: string; kind: string; dept_id: string | null; region_code: string }, grants: repo.GrantRow[]) => boolean> {
    if (!hasPermission(actor, 'users.manage')) return () => false;
    const scope = requireScope(actor, 'users.manage');
    const paths = await repo.regionPaths(this.db, regionCodes);
    const inScope = (code: string) => scopeCovers(scope, paths.get(code) ?? '');
    if (isPlatformAdmin(actor)) return (row) => row.kind === 'staff' && inScope(row.region_code);
    const tenant = new Set(actor.departmentId ? await descendantIds(this.db, actor.departmentId) : []);
    return (row, grants) =>
      inScope(row.region_code) && (row.id === actor.userId || (row.dept_id !== null && tenant.has(row.dept_id) && grants.every((g) => DELEGABLE.includes(g.role))));
  }

  /**
   * Departments are tenants: below platform level, accounts are managed only in the manager's own department and
   * its sub-departments, whatever else lies in the same region.
   */
  private async assertOwnTenant(actor: Actor, departmentId: string): Promise<void> {
    if (isPlatformAdmin(actor)) return;
    if (actor.departmentId === null || !(await ancestorIds(this.db, departmentId)).includes(actor.departmentId)) {
      throw forbidden('auth.other_department', 'You manage accounts of your own department and its sub-departments only.');
    }
  }

  private async assertGrantable(scope: Scope, actor: Actor, grant: { role: Role; regionCode: string }, field: string): Promise<void> {
    const region = await findRegion(this.db, grant.regionCode);
    if (!region || region.valid_to !== null) throw invalid('region.unknown', field, `No current region has code "${grant.regionCode}".`);
    if (!scopeCovers(scope, region.path)) throw forbidden('auth.outside_jurisdiction', `Region ${grant.regionCode} is outside your jurisdiction.`);
    if (!isPlatformAdmin(actor) && !DELEGABLE.includes(grant.role)) throw forbidden('auth.role_not_delegable', `Only a platform admin may grant ${grant.role}.`);
  }

  private async views(actor: Actor, rows: NonNullable<Awaited<ReturnType<typeof repo.findUserInScope>>>[]): Promise<UserView[]> {
    const grants = await repo.grantsOf(this.db, rows.map((r) => r.id));
    const manageable = await this.manageablePredicate(actor, rows.map((r) => r.region_code));
    return rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      kind: r.kind,
      department: r.dept_id ? { id: r.dept_id, code: r.dept_code!, name: r.dept_name! } : null,
      phone: maskPhone(r.phone),
      status: r.status,
      activated: r.activated,
      lockedUntil: r.locked_until && r.locked_until > new Date() ? r.locked_until.toISOString() : null,
      manageable: manageable(r, grants.get(r.id) ?? []),
      grants: (grants.get(r.id) ?? []).map((g) => ({ role: g.role, regionCode: g.regionCode, regionName: g.regionName })),
      lastLoginAt: r.last_login_at?.toISOString() ?? null,
    }));
  }
}
