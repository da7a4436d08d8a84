// Accounts: sign-in with lockout, server-side sessions, API tokens, and the user directory.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { authorOf, authorize, heldPermissions, permissionsOf, requireActor, scopeCovers, scopeOf, type Actor, type Permission, type Role, type Scope, PERMISSIONS } from '../../shared/access.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { applyMasks, declareSensitiveFields, maskPhone as maskPhoneValue } from '../../shared/sensitive.ts';
import { declareShareable } from '../../shared/shareable.ts';
import { activeSharesFor, unrevokedShareIds } from '../access/index.ts';
import { grantableRoles, isAuditRole, mayGrantRole, policyNeedsTenant, userPolicy, whyNotActable, whyNotAuditGrant, whyNotPasswordSetter, type UserAbility } from './policy.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, conflict, forbidden, invalid, notFound, unauthenticated } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { CountedPage } from '../../shared/pagination.ts';
import type { AuditService } from '../audit/index.ts';
import { ancestorIds, descendantIds, findDepartment } from '../departments/index.ts';
import { findRegion } from '../regions/index.ts';
import { assertPasswordPolicy, decoyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import { createUsers, type UserBatchOptions, type UserBatchResult, type UserRecord } from './batch.ts';
import * as repo from './repository.ts';
import { purgeCounters, releaseCounterAttempt, reserveAccountAttempt, reserveCounterAttempt, type CounterRule, type Reservation } from './attempts.ts';
import { consumeCaptcha, issueCaptcha, purgeCaptchas, type Captcha } from './captcha.ts';
import { SessionRowCache } from './session-cache.ts';
import { SessionRevocationListener, type SessionsEnded } from './session-revocation.ts';
import { SignInGate } from './sign-in-gate.ts';
import { LOCKOUT_MS, MAX_FAILED_ATTEMPTS, clearFailures, lockIfExhausted, reserveAttempt } from './failures.ts';
import type { SecondFactor, SecondFactorChallenge } from './second-factor.ts';

export const MAX_FAILED_LOGINS = MAX_FAILED_ATTEMPTS;
export const LOCKOUT_MINUTES = LOCKOUT_MS / 60_000;
/** The window over which failed sign-ins per client address are counted. */
export const ADDRESS_FAILURE_WINDOW_MS = 10 * 60_000;

export interface AuthSettings {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** Failed sign-ins one client address may make per window, across all accounts. */
  loginFailuresPerAddress: number;
  /** The clock sessions are timed by (milliseconds since the epoch); tests inject one. */
  clock?: () => number;
  /** Failed sign-ins for one user name after which a captcha is required. */
  captchaAfterFailures: number;
  /** Failed sign-ins from one address (per window) after which every sign-in from it needs a captcha. */
  captchaAfterAddressFailures: number;
  /** Sign-ins this node checks at once, and how many may wait for a turn. */
  loginConcurrency: number;
  loginQueue: number;
  /** Code of the prefecture's root region: where sign-ins without an account are recorded. */
  prefectureRegion: string;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'citizen';
  department: { id: string; code: string; name: string } | null;
  grants: { role: Role; regionCode: string; regionName: string }[];
  permissions: Permission[];
  /** The roles this user may grant: what the console offers in its role pickers. */
  grantableRoles: Role[];
  /** Share grants the caller can use now: access that comes from no role (D62). */
  shares: MeShare[];
}

export interface MeShare {
  id: string;
  resource: string;
  permission: Permission | null;
  fields: string[];
  ownerDepartment: { id: string; code: string; name: string };
  purpose: string;
  expiresAt: string;
  grantee: 'department' | 'client';
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

interface CachedIdentity {
  identity: SessionIdentity;
  loadedAt: number;
}

// The session row is read on every request, so that ending a session (sign-out, disable, reset, role withdrawal) takes
// effect at once on every node; only the actor's grants are kept per node, for at most this long.
const IDENTITY_RECHECK_MS = 5_000;
const IDENTITY_CACHE_MAX = 20_000;
/** Tokens record their last use at most this often. */
const TOKEN_USE_WRITE_MS = 60_000;

/**
 * How often a session's last_seen_at is written: at most once a minute, and at least four times per idle timeout,
 * so that a short timeout does not end a session in use.
 */
export function lastSeenWriteInterval(idleMs: number): number {
  return Math.min(60_000, idleMs / 4);
}

/**
 * Whether a session last recorded as seen at `lastSeenMs` has been idle too long at `nowMs`. A session in use may have
 * been seen up to one write interval after its recorded time, so it ends only when even that is too long ago: never
 * before `idleMs` of real inactivity, at most one write interval after it.
 */
export function sessionIdle(lastSeenMs: number, nowMs: number, idleMs: number): boolean {
  return nowMs - lastSeenMs > idleMs + lastSeenWriteInterval(idleMs);
}

export interface LoginInput {
  username: string;
  password: string;
  captchaId?: string;
  captchaAnswer?: string;
  userAgent?: string | null;
}

type LoginUser = NonNullable<Awaited<ReturnType<typeof repo.findUserForLogin>>> & { password_hash: string };

/** Who a sign-in attempt names: an account that can sign in, or just a name (unknown, inactive or not activated). */
interface AttemptTarget {
  username: string;
  account: LoginUser | undefined;
  regionCode: string | null;
}

/** Rejects names that cannot be stored or audited faithfully (control characters, lone surrogates). */
function assertSignInName(username: string): void {
  for (const ch of username) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f || (c >= 0xd800 && c <= 0xdfff)) {
      throw invalid('request.invalid', 'username', 'username must not contain control characters or unpaired surrogates.');
    }
  }
}

/** The counter of a name without an account: its NFKC lower-case form, hashed (NFKC can make a name 18 times longer). */
const nameCounterKey = (username: string): string => `name:${sha256(username.normalize('NFKC').toLowerCase())}`;

const invalidCredentials = () => unauthenticated('auth.invalid_credentials', 'The user name or password is wrong.');
const lockedError = (lockedUntil: Date) =>
  new DomainError('auth.locked', 'locked', `Too many failed sign-ins: signing in with this name is locked until ${lockedUntil.toISOString()}.`, 'username', {
    lockedUntil: lockedUntil.toISOString(),
  });
const captchaRequired = () => invalid('auth.captcha_required', 'captchaAnswer', 'After several failed sign-ins a captcha is required: request one and send its id and answer.');

export class AuthService {
  private readonly identityCache = new Map<string, CachedIdentity>();
  private readonly signInGate: SignInGate;
  private readonly nameRule: CounterRule;
  private readonly addressRule: CounterRule;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly settings: AuthSettings,
    /** Asks administrators for an SMS code after the password; absent when no SMS channel is wired. */
    private readonly secondFactor?: SecondFactor,
    /** This node's short-lived copies of session rows (shared with UserService, which evicts on revocation). */
    readonly sessionRows = new SessionRowCache(),
  ) {
    this.signInGate = new SignInGate(settings.loginConcurrency, settings.loginQueue);
    this.nameRule = { limit: MAX_FAILED_LOGINS, lockMs: LOCKOUT_MINUTES * 60_000, windowMs: null, captchaAfter: settings.captchaAfterFailures };
    this.addressRule = { limit: settings.loginFailuresPerAddress, lockMs: ADDRESS_FAILURE_WINDOW_MS, windowMs: ADDRESS_FAILURE_WINDOW_MS, captchaAfter: settings.captchaAfterAddressFailures };
  }

  /**
   * Signs in. Each attempt reserves a failure slot for its address and its name before the password is checked, so
   * concurrent guesses cannot overrun the limits; names without an account are counted and answered alike.
   */
  async login(ctx: RequestContext, input: LoginInput, abandoned?: AbortSignal): Promise<LoginResult | SecondFactorChallenge> {
    assertSignInName(input.username);
    return this.signInGate.run(() => this.attemptLogin(ctx, input), abandoned);
  }

  /** Refuses a sign-in at once (429 auth.busy) while this node has no turn or queue place free for it. */
  assertSignInOpen(): void {
    this.signInGate.assertOpen();
  }

  /** A captcha for the sign-in form (drawing one costs CPU, so it shares the sign-in gate). */
  async captcha(): Promise<Captcha> {
    return this.signInGate.run(() => issueCaptcha(this.db));
  }

  private async attemptLogin(ctx: RequestContext, input: LoginInput): Promise<LoginResult | SecondFactorChallenge> {
    const now = new Date(this.now());
    const anonymous: AttemptTarget = { username: input.username, account: undefined, regionCode: this.settings.prefectureRegion };
    const captchaSolved = await this.solveCaptcha(ctx, anonymous, input);
    const addressKey = `addr:${ctx.clientAddr ?? 'unknown'}`;
    const address = await reserveCounterAttempt(this.db, addressKey, this.addressRule, now, captchaSolved);
    if (address.kind === 'locked') {
      const wait = Math.max(1, Math.ceil((address.lockedUntil.getTime() - now.getTime()) / 1000));
      await this.recordDenied(ctx, anonymous, 'address_throttled');
      throw new DomainError('auth.too_many_failures', 'rate_limited', `Too many failed sign-ins from your address; try again in ${wait} s.`, undefined, { retryAfterSeconds: wait });
    }
    if (address.kind === 'captcha_required') {
      await this.recordDenied(ctx, anonymous, 'captcha_required');
      throw captchaRequired();
    }
    const target = await this.findTarget(input.username);
    const name = await this.reserveNameAttempt(target, now, captchaSolved);
    if (name.kind !== 'reserved') {
      await releaseCounterAttempt(this.db, addressKey); // no password was checked
      await this.recordDenied(ctx, target, name.kind === 'locked' ? 'locked' : 'captcha_required');
      throw name.kind === 'locked' ? lockedError(name.lockedUntil) : captchaRequired();
    }
    const passwordOk = await verifyPassword(target.account?.password_hash ?? (await decoyPasswordHash()), input.password);
    if (!target.account || !passwordOk) return this.failLogin(ctx, target, name.failures, now);
    // The password is right: a second factor, where one is required, is checked before the session starts.
    const challenge = await this.secondFactor?.challengeFor(target.account, ctx);
    if (challenge) {
      await releaseCounterAttempt(this.db, addressKey);
      await clearFailures(this.db, target.account.id);
      return challenge;
    }
    return this.startSession(ctx, target.account, addressKey, input.userAgent ?? null, now);
  }

  /** Completes a sign-in that was answered with a second-factor challenge: the right code opens the session. */
  async completeSecondFactor(ctx: RequestContext, input: { challengeId: string; code: string; userAgent?: string | null }): Promise<LoginResult> {
    if (!this.secondFactor) throw unauthenticated('auth.code_expired', 'The code has expired or was used; sign in again.');
    const verified = await this.secondFactor.verify(ctx, input.challengeId, input.code);
    const user = await repo.findUserForLogin(this.db, verified.username);
    const now = new Date(this.now());
    // The account may have been disabled or locked while the code was on its way.
    if (!user || user.id !== verified.userId || !user.password_hash || user.status !== 'active') throw invalidCredentials();
    if (user.locked_until && user.locked_until > now) throw lockedError(user.locked_until);
    return this.startSession(ctx, { ...user, password_hash: user.password_hash }, null, input.userAgent ?? null, now, { secondFactor: 'sms' });
  }

  /**
   * Opens a session for an account whose holder another module has verified (a citizen's SMS sign-in code): the same
   * session, cookie and audit record as a password sign-in. Disabled, unactivated or locked accounts are refused.
   */
  async openVerifiedSession(ctx: RequestContext, userId: string, input: { userAgent?: string | null; method: string }): Promise<LoginResult> {
    const account = await repo.findUserById(this.db, userId);
    const user = account && (await repo.findUserForLogin(this.db, account.username));
    const now = new Date(this.now());
    if (!user || !user.password_hash || user.status !== 'active') throw invalidCredentials();
    if (user.locked_until && user.locked_until > now) throw lockedError(user.locked_until);
    return this.startSession(ctx, { ...user, password_hash: user.password_hash }, null, input.userAgent ?? null, now, { method: input.method });
  }

  /** Resends the sign-in code of an open challenge. */
  async resendSecondFactor(ctx: RequestContext, challengeId: string): Promise<SecondFactorChallenge> {
    if (!this.secondFactor) throw unauthenticated('auth.code_expired', 'The code has expired or was used; sign in again.');
    return this.secondFactor.resend(ctx, challengeId);
  }

  /** Checks a captcha sent with the attempt (used up either way): true when solved, false when none was sent. */
  private async solveCaptcha(ctx: RequestContext, target: AttemptTarget, input: LoginInput): Promise<boolean> {
    if (input.captchaId === undefined && input.captchaAnswer === undefined) return false;
    if (input.captchaId !== undefined && input.captchaAnswer !== undefined && (await consumeCaptcha(this.db, input.captchaId, input.captchaAnswer, new Date(this.now())))) return true;
    await this.recordDenied(ctx, target, 'captcha_wrong');
    throw invalid('auth.captcha_wrong', 'captchaAnswer', 'The captcha answer is wrong or the captcha has expired or been used; request a new one.');
  }

  private async findTarget(username: string): Promise<AttemptTarget> {
    const user = await repo.findUserForLogin(this.db, username);
    if (user?.password_hash && user.status === 'active') return { username: user.username, account: { ...user, password_hash: user.password_hash }, regionCode: user.home_region };
    return { username, account: undefined, regionCode: this.settings.prefectureRegion };
  }

  /** An account's own counter; for a name without a usable account, a counter keyed by the normalised name. */
  private reserveNameAttempt(target: AttemptTarget, now: Date, captchaSolved: boolean): Promise<Reservation> {
    return target.account
      ? reserveAccountAttempt(this.db, target.account.id, this.nameRule, now, captchaSolved)
      : reserveCounterAttempt(this.db, nameCounterKey(target.username), this.nameRule, now, captchaSolved);
  }

  /** The reserved slot stays taken; answers the same whether or not the name has an account. */
  private async failLogin(ctx: RequestContext, target: AttemptTarget, failures: number, now: Date): Promise<never> {
    const locked = failures >= MAX_FAILED_LOGINS;
    await this.recordAttempt(ctx, target, 'failure', { reason: target.account ? 'wrong_password' : 'no_account', failures, locked });
    throw locked ? lockedError(new Date(now.getTime() + this.nameRule.lockMs)) : invalidCredentials();
  }

  private recordDenied(ctx: RequestContext, target: AttemptTarget, reason: string): Promise<void> {
    return this.recordAttempt(ctx, target, 'denied', { reason });
  }

  /** A failed or refused attempt, recorded in the account's region, or the prefecture's for a name without one. */
  private async recordAttempt(ctx: RequestContext, target: AttemptTarget, outcome: 'failure' | 'denied', detail: Record<string, unknown>): Promise<void> {
    await this.audit.recordNow(ctx, {
      action: 'auth.login',
      outcome,
      actorName: target.username,
      ...(target.account ? { objectType: 'user', objectId: target.account.id } : {}),
      regionCode: target.regionCode,
      detail,
    });
  }

  /**
   * After the password and any second factor are verified: the session, the reset counters, the audit record. The
   * address slot is given back here unless it was when the second factor was asked (addressKey null).
   */
  private async startSession(ctx: RequestContext, user: LoginUser, addressKey: string | null, userAgent: string | null, now: Date, detail?: Record<string, unknown>): Promise<LoginResult> {
    const sessionToken = newSecret();
    const csrfToken = newSecret();
    const { actor, grants } = await this.loadActor(user, 'session');
    await this.db.transaction().execute(async (trx) => {
      await repo.setLoginSuccess(trx, user.id, now);
      if (addressKey !== null) await releaseCounterAttempt(trx, addressKey);
      await repo.insertSession(trx, {
        idHash: sha256(sessionToken),
        userId: user.id,
        csrfToken,
        expiresAt: new Date(now.getTime() + this.settings.sessionMaxHours * 3_600_000),
        clientAddr: ctx.clientAddr,
        userAgent: userAgent?.slice(0, 300) ?? null,
        at: now,
      });
      await this.audit.record(trx, { ...ctx, actor }, { action: 'auth.login', objectType: 'user', objectId: user.id, regionCode: user.home_region, ...(detail ? { detail } : {}) });
    });
    ctx.audited = true;
    const department = user.department_id ? { id: user.department_id, code: user.dept_code!, name: user.dept_name! } : null;
    return { sessionToken, csrfToken, user: await this.withShares(actor, describe(actor, grants, department)) };
  }

  /** Forgets stale sign-in counters and expired captchas; returns how many rows went. */
  async purgeSignInState(): Promise<number> {
    const now = new Date(this.now());
    return (await purgeCounters(this.db, now)) + (await purgeCaptchas(this.db, now));
  }

  async logout(ctx: RequestContext, sessionToken: string | undefined): Promise<void> {
    if (!sessionToken) return;
    const idHash = sha256(sessionToken);
    this.identityCache.delete(idHash);
    this.sessionRows.delete(idHash);
    await this.db.transaction().execute(async (trx) => {
      await repo.deleteSession(trx, idHash);
      if (ctx.actor) await this.audit.record(trx, ctx, { action: 'auth.logout', objectType: 'user', objectId: ctx.actor.userId });
    });
  }

  /** Resolves a session cookie to its actor; null when unknown, ended, expired, idle too long or its user disabled. */
  async authenticateSession(sessionToken: string, options: { write?: boolean } = {}): Promise<SessionIdentity | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(sessionToken)) return null;
    const idHash = sha256(sessionToken);
    const nowMs = this.now();
    const idleMs = this.settings.sessionIdleMinutes * 60_000;
    // A write always re-reads its session; a read may use this node's copy of at most a second ago (SessionRowCache).
    let row = options.write ? undefined : this.sessionRows.get(idHash, nowMs);
    if (!row) {
      row = await repo.findSession(this.db, idHash);
      if (row) this.sessionRows.set(idHash, row, nowMs);
    }
    if (!row) {
      this.identityCache.delete(idHash);
      this.sessionRows.delete(idHash);
      return null;
    }
    const lastSeen = row.last_seen_at.getTime();
    if (row.status !== 'active' || row.expires_at.getTime() <= nowMs || sessionIdle(lastSeen, nowMs, idleMs)) {
      this.identityCache.delete(idHash);
      this.sessionRows.delete(idHash);
      await repo.deleteSession(this.db, idHash);
      return null;
    }
    if (nowMs - lastSeen >= lastSeenWriteInterval(idleMs)) {
      await repo.touchSession(this.db, idHash, new Date(nowMs));
      row.last_seen_at = new Date(nowMs);
    }
    const cached = this.identityCache.get(idHash);
    if (cached && nowMs - cached.loadedAt < IDENTITY_RECHECK_MS && nowMs >= cached.loadedAt) return cached.identity;
    const identity: SessionIdentity = {
      actor: await this.actorFor({ id: row.user_id, username: row.username, display_name: row.display_name, kind: row.kind, department_id: row.department_id }, 'session'),
      csrfToken: row.csrf_token,
    };
    if (this.identityCache.size >= IDENTITY_CACHE_MAX) this.identityCache.clear();
    this.identityCache.set(idHash, { identity, loadedAt: nowMs });
    return identity;
  }

  /** Resolves `Authorization: Bearer gct_…` to its actor limited to the token's scopes; null when unknown, expired or revoked. */
  async authenticateToken(token: string): Promise<Actor | null> {
    if (!/^gct_[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const row = await repo.findToken(this.db, sha256(token));
    const now = new Date(this.now());
    if (!row || row.revoked_at || row.expires_at <= now || row.status !== 'active') return null;
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOKEN_USE_WRITE_MS) await repo.markTokenUsed(this.db, row.id, now);
    const actor = await this.actorFor({ id: row.user_id, username: row.username, display_name: row.display_name, kind: row.kind, department_id: row.department_id }, 'token', row.id);
    actor.tokenScopes = row.scopes.filter((s): s is Permission => (PERMISSIONS as readonly string[]).includes(s));
    return actor;
  }

  async me(actorOrUndefined: Actor | undefined): Promise<Me> {
    const actor = requireActor(actorOrUndefined);
    const [grants, department] = await Promise.all([
      repo.grantsOf(this.db, [actor.userId]),
      actor.departmentId ? findDepartment(this.db, actor.departmentId) : undefined,
    ]);
    const me = describe(actor, grants.get(actor.userId) ?? [], department ? { id: department.id, code: department.code, name: department.name } : null);
    return this.withShares(actor, me);
  }

  /**
   * The share grants the caller can use now, read afresh (the identity's copy may be seconds old): made to its
   * department or to the token it calls with, not revoked, not expired; the permission each opens joins `permissions`
   * (a token only where its scopes or the grant's naming it allow, as authorize decides).
   */
  private async withShares(actor: Actor, me: Me): Promise<Me> {
    if (actor.via === 'system') return me;
    const now = new Date(this.now());
    const live = await activeSharesFor(this.db, { departmentId: actor.departmentId, tokenId: actor.tokenId }, now);
    if (live.length === 0) return me;
    const owners = await repo.departmentRefs(this.db, [...new Set(live.map((s) => s.ownerDepartmentId))]);
    const current: Actor = { ...actor, shares: live };
    const clock = { now: () => now };
    const permissions = new Set(me.permissions);
    const shares: MeShare[] = [];
    for (const share of live) {
      const owner = owners.get(share.ownerDepartmentId);
      if (!owner) continue;
      const candidate = `${share.resource}.read`;
      const permission = (PERMISSIONS as readonly string[]).includes(candidate) ? (candidate as Permission) : null;
      if (permission !== null && scopeOf(current, permission, clock)?.shares.some((s) => s.id === share.id)) permissions.add(permission);
      shares.push({ id: share.id, resource: share.resource, permission, fields: [...share.fields], ownerDepartment: owner, purpose: share.purpose, expiresAt: share.expiresAt, grantee: share.grantee });
    }
    shares.sort((a, b) => a.resource.localeCompare(b.resource) || a.expiresAt.localeCompare(b.expiresAt));
    return { ...me, permissions: [...permissions].sort(), shares };
  }

  // ---- API tokens

  async createToken(ctx: RequestContext, input: { name: string; scopes: string[]; expiresInDays: number }) {
    const actor = requireSession(ctx.actor);
    const name = trimmedName(input.name, 'name', 'token.invalid_name');
    const unknown = input.scopes.find((s) => !(PERMISSIONS as readonly string[]).includes(s));
    if (unknown !== undefined) throw invalid('token.unknown_scope', 'scopes', `"${unknown}" is not a permission. Known: ${PERMISSIONS.join(', ')}.`);
    const held = new Set(actor.grants.flatMap((g) => permissionsOf(g.role)));
    const notHeld = input.scopes.find((s) => !held.has(s as Permission));
    if (notHeld !== undefined) throw invalid('token.scope_not_held', 'scopes', `You do not hold ${notHeld}, so a token of yours cannot either.`);
    const secret = `gct_${newSecret()}`;
    const expiresAt = new Date(this.now() + input.expiresInDays * 86_400_000);
    const created = await this.db.transaction().execute(async (trx) => {
      const row = await repo.insertToken(trx, { userId: actor.userId, name, tokenHash: sha256(secret), scopes: [...new Set(input.scopes)], expiresAt });
      await this.audit.record(trx, ctx, { action: 'token.create', objectType: 'api_token', objectId: row.id, detail: { name, scopes: input.scopes, expiresAt: expiresAt.toISOString() } });
      return row;
    });
    return { id: created.id, name, scopes: [...new Set(input.scopes)], expiresAt: expiresAt.toISOString(), createdAt: created.created_at.toISOString(), token: secret };
  }

  async listTokens(ctx: RequestContext) {
    const actor = requireSession(ctx.actor);
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
    const actor = requireSession(ctx.actor);
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.revokeToken(trx, actor.userId, id, new Date(this.now())))) throw notFound('token.not_found', 'No active token of yours has that id.', 'id');
      await this.audit.record(trx, ctx, { action: 'token.revoke', objectType: 'api_token', objectId: id });
    });
  }

  /** Changes the signed-in user's own password; every other session of the user ends. */
  async changePassword(ctx: RequestContext, sessionToken: string | undefined, input: { currentPassword: string; newPassword: string }): Promise<void> {
    const actor = requireActor(ctx.actor);
    if (actor.via !== 'session' || !sessionToken) throw forbidden('auth.session_required', 'Passwords are changed from a signed-in session.');
    const user = await repo.findUserById(this.db, actor.userId);
    if (!user?.password_hash) throw invalid('auth.wrong_password', 'currentPassword', 'The current password is wrong.');
    await this.checkCurrentPassword(ctx, user.id, user.password_hash, input.currentPassword);
    assertPasswordPolicy(input.newPassword, 'newPassword', user.username, user.display_name);
    if (input.newPassword === input.currentPassword) throw invalid('account.password_unchanged', 'newPassword', 'The new password must differ from the current one.');
    const hash = await hashPassword(input.newPassword);
    const keep = sha256(sessionToken);
    await this.db.transaction().execute(async (trx) => {
      await repo.setPasswordHash(trx, user.id, hash, null);
      await repo.deleteSessionsOfExcept(trx, user.id, keep);
      await this.audit.record(trx, ctx, { action: 'auth.password_change', objectType: 'user', objectId: user.id });
    });
    for (const [idHash, cached] of this.identityCache) if (cached.identity.actor.userId === user.id && idHash !== keep) this.identityCache.delete(idHash);
    this.sessionRows.deleteUser(user.id, keep);
  }

  /**
   * The current password counts towards the lockout like a sign-in: the attempt is reserved before the hash is
   * checked, so a stolen session cannot guess faster than five tries; the fifth wrong one locks the account and ends
   * all its sessions.
   */
  private async checkCurrentPassword(ctx: RequestContext, userId: string, hash: string, password: string): Promise<void> {
    const now = new Date(this.now());
    const attempt = await reserveAttempt(this.db, userId, now);
    if (attempt === null) throw new DomainError('auth.locked', 'locked', 'The account is locked after too many failed attempts; try again later.', 'currentPassword');
    if (await verifyPassword(hash, password)) return clearFailures(this.db, userId);
    const lockedUntil = await lockIfExhausted(this.db, userId, attempt, now);
    await this.db.transaction().execute(async (trx) => {
      if (lockedUntil) await repo.deleteSessionsOf(trx, userId);
      await this.audit.record(trx, ctx, { action: 'auth.password_change', outcome: 'failure', objectType: 'user', objectId: userId, detail: { reason: 'wrong_password', attempt, locked: lockedUntil !== null } });
    });
    if (lockedUntil) {
      for (const [idHash, cached] of this.identityCache) if (cached.identity.actor.userId === userId) this.identityCache.delete(idHash);
      this.sessionRows.deleteUser(userId);
      throw new DomainError('auth.locked', 'locked', `Too many wrong passwords: the account is locked until ${lockedUntil.toISOString()} and signed out.`, 'currentPassword', {
        lockedUntil: lockedUntil.toISOString(),
      });
    }
    throw invalid('auth.wrong_password', 'currentPassword', 'The current password is wrong.', { remainingAttempts: MAX_FAILED_LOGINS - attempt });
  }

  /** Forgets what this node cached of sessions another node (or this one) ended. */
  forgetEnded(ended: SessionsEnded): void {
    if ('idHash' in ended) {
      this.identityCache.delete(ended.idHash);
      this.sessionRows.delete(ended.idHash);
      return;
    }
    for (const [idHash, cached] of this.identityCache) if (cached.identity.actor.userId === ended.userId) this.identityCache.delete(idHash);
    this.sessionRows.deleteUser(ended.userId);
  }

  /**
   * On PostgreSQL: listens for sessions ended on any node (D61) and drops this node's copies at once; while not
   * listening, this node's session cache is not used. Stop it with the returned handle.
   */
  async listenForRevocations(connectionString: string, onError?: (error: unknown) => void): Promise<SessionRevocationListener> {
    return new SessionRevocationListener(connectionString, {
      ended: (ended) => this.forgetEnded(ended),
      listening: (on) => {
        this.identityCache.clear();
        this.sessionRows.trust(on);
      },
      error: onError,
    }).start();
  }

  /** Forgets this node's cached identities and session rows, so the next request of each session re-reads them. */
  clearSessionCache(): void {
    this.identityCache.clear();
    this.sessionRows.clear();
  }

  /** Removes expired and idle sessions; returns how many. */
  async purgeSessions(): Promise<number> {
    const now = this.now();
    const idleMs = this.settings.sessionIdleMinutes * 60_000;
    return repo.deleteExpiredSessions(this.db, new Date(now), new Date(now - idleMs - lastSeenWriteInterval(idleMs)));
  }

  private now(): number {
    return this.settings.clock?.() ?? Date.now();
  }

  private async actorFor(user: ActorSource, via: 'session' | 'token', tokenId?: string): Promise<Actor> {
    return (await this.loadActor(user, via, tokenId)).actor;
  }

  /** The actor and, for display, its grants with region names: one query. */
  private async loadActor(user: ActorSource, via: 'session' | 'token', tokenId?: string): Promise<{ actor: Actor; grants: repo.GrantRow[] }> {
    // share grants made to the user's department or to this token (client application); expiry is checked at use
    const [grantsByUser, shares] = await Promise.all([
      repo.grantsOf(this.db, [user.id]),
      activeSharesFor(this.db, { departmentId: user.department_id, tokenId }, new Date(this.now())),
    ]);
    const grants = grantsByUser.get(user.id) ?? [];
    const actor: Actor = {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      kind: user.kind,
      departmentId: user.department_id,
      grants: grants.map(({ role, regionCode, regionPath }) => ({ role, regionCode, regionPath })),
      via,
      ...(tokenId === undefined ? {} : { tokenId }),
      shares,
    };
    return { actor, grants };
  }
}

/** A name as stored: without surrounding white space, and never blank (three spaces are not a name). */
function trimmedName(value: string, field: string, code: string): string {
  const name = value.trim();
  if (name.length === 0) throw invalid(code, field, `${field} must not be blank.`);
  return name;
}

/** Tokens are managed from a signed-in session: a token cannot create, list or revoke tokens, whatever its scopes. */
function requireSession(actorOrUndefined: Actor | undefined): Actor {
  const actor = requireActor(actorOrUndefined);
  if (actor.via !== 'session') throw forbidden('auth.session_required', 'API tokens are managed from a signed-in session, not with a token.');
  return actor;
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
  const permissions = heldPermissions(actor);
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    kind: actor.kind,
    department,
    grants: grants.map((g) => ({ role: g.role, regionCode: g.regionCode, regionName: g.regionName })),
    permissions: [...permissions].sort(),
    grantableRoles: grantableRoles(actor),
    shares: [],
  };
}

// ---- user directory

/** A directory entry. A row seen only through a share grant carries just the granted fields (the rest are absent). */
export interface UserView {
  id: string;
  /** 'full' through the caller's roles; 'shared' through a share grant (named fields only). */
  access: 'full' | 'shared';
  username?: string;
  displayName?: string;
  kind?: 'staff' | 'citizen';
  department?: { id: string; code: string; name: string } | null;
  /** Masked unless the caller holds users.read_sensitive over this row (or a share grant names it). */
  phone?: string | null;
  email?: string | null;
  status?: 'active' | 'disabled';
  activated?: boolean;
  lockedUntil?: string | null;
  /** Whether the caller may manage this account (abilities include 'update'). */
  manageable?: boolean;
  grants?: { role: Role; regionCode: string; regionName: string }[];
  lastLoginAt?: string | null;
  /** What the caller may do to this account. */
  abilities: UserAbility[];
}

/** The personal fields a directory read returns (the phone and email masked unless revealed). */
const DIRECTORY_FIELDS = ['username', 'displayName', 'department', 'phone', 'email', 'lastLoginAt'] as const;

declareSensitiveFields('users', { phone: { category: 'phone' }, email: { category: 'email' } });
declareShareable('users', ['username', 'displayName', 'department', 'phone', 'email', 'status']);

/** 138****5678: phone numbers are personal data, shown masked. */
export function maskPhone(phone: string | null): string | null {
  return phone === null || phone === '' ? phone : maskPhoneValue(phone);
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

export interface UserChanges {
  displayName?: string;
  phone?: string | null;
  email?: string | null;
  status?: 'active' | 'disabled';
}

type DirectoryRow = NonNullable<Awaited<ReturnType<typeof repo.findUserInScope>>>;

export class UserService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    /** This node's copies of session rows: forgotten for a user the moment their sessions are ended here. */
    private readonly sessionRows?: SessionRowCache,
    private readonly clock: Clock = systemClock,
  ) {}

  async list(ctx: RequestContext, query: { q?: string; departmentId?: string; cursor?: string; limit?: number }): Promise<CountedPage<UserView> & { totalExact: boolean }> {
    const { actor, scope } = authorize(ctx, 'users.read', this.clock);
    const limit = query.limit ?? 50;
    const filter = { q: query.q, departmentId: query.departmentId };
    const after = query.cursor === undefined ? undefined : decodeKeyset(query.cursor, ['integer', 'integer', 'string', 'string']);
    const reveal = scopeOf(actor, 'users.read_sensitive', this.clock);
    const [rows, count] = await Promise.all([repo.listUsers(this.db, scope, { ...filter, after, limit }, reveal), repo.countUsers(this.db, scope, filter)]);
    const page = rows.slice(0, limit);
    const items = await this.views(ctx, actor, scope, reveal, page);
    await this.audit.recordAccess(ctx, {
      resource: 'user.list',
      subjectIds: items.map((u) => u.id),
      fields: DIRECTORY_FIELDS,
      permission: 'users.read',
      scope,
      detail: { count: items.length, q: query.q ?? null, departmentId: query.departmentId ?? null },
    });
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeKeyset([last.dept_kind_rank, last.dept_sort_order, last.dept_code, last.username]) : null;
    return { items, total: count.total, totalExact: count.exact, nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<UserView> {
    const { actor, scope } = authorize(ctx, 'users.read', this.clock);
    const reveal = scopeOf(actor, 'users.read_sensitive', this.clock);
    const row = await repo.findUserInScope(this.db, scope, id, reveal);
    if (!row) throw notFound('user.not_found', 'No user with that id in your jurisdiction.', 'id');
    await this.audit.recordAccess(ctx, { resource: 'user', subjectIds: [id], fields: DIRECTORY_FIELDS, permission: 'users.read', scope, regionCode: row.region_code });
    return (await this.views(ctx, actor, scope, reveal, [row]))[0]!;
  }

  async create(ctx: RequestContext, input: NewUser): Promise<UserView> {
    const { actor, scope } = authorize(ctx, 'users.manage', this.clock);
    const grants = input.grants ?? [];
    // handing out roles is a duty of its own (security administrator, department administrator)
    const grantScope = grants.length > 0 ? authorize(ctx, 'roles.grant', this.clock).scope : undefined;
    const displayName = trimmedName(input.displayName, 'displayName', 'user.invalid_display_name');
    const department = await findDepartment(this.db, input.departmentId);
    if (!department || !scopeCovers(scope, department.region_path)) {
      throw invalid('user.unknown_department', 'departmentId', 'No department with that id in your jurisdiction.');
    }
    await this.assertOwnTenant(actor, department.id);
    if (input.password !== undefined) assertPasswordPolicy(input.password, 'password', input.username, displayName);
    for (const [i, grant] of grants.entries()) {
      await this.assertGrantable(grantScope!, actor, grant, `grants/${i}/regionCode`);
      // the creator controls the new account (it chooses or can set its first password): no audit role (D61)
      if (isAuditRole(grant.role) && authorOf(actor) !== null) {
        throw new DomainError('auth.audit_role_controlled', 'forbidden', `An account you create may not start with ${grant.role}, an audit role: create it bare and have another administrator grant it.`, `grants/${i}/role`);
      }
    }
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    const id = await this.db.transaction().execute(async (trx) => {
      const created = await repo.insertUser(trx, {
        username: input.username,
        displayName,
        kind: 'staff',
        departmentId: department.id,
        regionCode: department.region_code,
        phone: input.phone ?? null,
        email: input.email ?? null,
        passwordHash,
        passwordSetBy: passwordHash === null ? null : authorOf(actor),
      });
      if (!created) throw conflict('user.username_taken', `The user name "${input.username}" is taken.`, 'username');
      for (const grant of grants) await repo.insertGrant(trx, created.id, grant.role, grant.regionCode, authorOf(actor));
      await this.audit.record(trx, ctx, {
        action: 'user.create',
        objectType: 'user',
        objectId: created.id,
        regionCode: department.region_code,
        detail: { username: input.username, departmentId: department.id, grants },
      });
      return created.id;
    });
    return this.view(ctx, actor, scope, id);
  }

  /**
   * A citizen's account row, written in the caller's transaction (the citizens module's registration, which checks
   * the code, writes its own record and audits the registration in that same transaction). Undefined when the user
   * name is taken.
   */
  async insertCitizenAccount(trx: Transaction<Database>, row: { username: string; displayName: string; passwordHash: string }): Promise<{ id: string } | undefined> {
    return repo.insertUser(trx, { ...row, kind: 'citizen', departmentId: null, regionCode: null, phone: null, email: null });
  }

  /** Many accounts in one transaction; the platform's own (system) writes only. See batch.ts. */
  createMany(ctx: RequestContext, items: readonly UserRecord[], options?: UserBatchOptions): Promise<UserBatchResult> {
    return createUsers(this.db, this.audit, ctx, items, options);
  }

  /** The directory entry of a user just written (the write was authorised and audited already). */
  private async view(ctx: RequestContext, actor: Actor, scope: Scope, id: string): Promise<UserView> {
    const reveal = scopeOf(actor, 'users.read_sensitive', this.clock);
    const row = await repo.findUserInScope(this.db, scope, id, reveal);
    return (await this.views(ctx, actor, scope, reveal, [row!]))[0]!;
  }

  /** Changes name, contact details or status; disabling ends the user's sessions and revokes their API tokens. */
  async update(ctx: RequestContext, id: string, changes: UserChanges): Promise<UserView> {
    const { actor, scope } = authorize(ctx, 'users.manage', this.clock);
    if (changes.displayName !== undefined) changes = { ...changes, displayName: trimmedName(changes.displayName, 'displayName', 'user.invalid_display_name') };
    const target = await this.actable(scope, actor, id, 'users.manage_all');
    if (changes.status === 'disabled' && id === actor.userId) throw invalid('user.cannot_disable_self', 'status', 'You cannot disable your own account.');
    await this.db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, id, changes);
      if (changes.status === 'disabled') {
        // Re-enabling must not revive what the account could do before: its sessions end and its tokens are revoked.
        await repo.deleteSessionsOf(trx, id);
        await repo.revokeTokensOf(trx, id, this.clock.now());
      }
      await this.audit.record(trx, ctx, {
        action: changes.status === 'disabled' ? 'user.disable' : 'user.update',
        objectType: 'user',
        objectId: id,
        regionCode: target.region_code,
        detail: { changes: { ...changes, phone: changes.phone === undefined ? undefined : maskPhone(changes.phone) } },
      });
    });
    this.sessionRows?.deleteUser(id);
    return this.view(ctx, actor, scope, id);
  }

  /** Sets a password for a user (activation or reset): clears any lockout and ends the user's sessions. */
  async setPassword(ctx: RequestContext, id: string, password: string): Promise<void> {
    const { actor, scope } = authorize(ctx, 'users.manage', this.clock);
    // Without this, a stolen administrator session could replace its own password without knowing it.
    if (id === actor.userId) throw forbidden('auth.use_change_password', 'Change your own password with POST /api/auth/password, giving the current one.');
    const target = await this.actable(scope, actor, id, 'users.manage_all');
    const refusal = whyNotPasswordSetter(actor, target, (await repo.grantsOf(this.db, [id])).get(id) ?? []);
    if (refusal) throw refusal;
    assertPasswordPolicy(password, 'password', target.username, target.display_name);
    const hash = await hashPassword(password);
    await this.db.transaction().execute(async (trx) => {
      await repo.setPasswordHash(trx, id, hash, authorOf(actor));
      await repo.deleteSessionsOf(trx, id);
      await this.audit.record(trx, ctx, { action: target.activated ? 'user.reset_password' : 'user.activate', objectType: 'user', objectId: id, regionCode: target.region_code });
    });
    this.sessionRows?.deleteUser(id);
  }

  /** Lifts a sign-in lockout before it expires. */
  async unlock(ctx: RequestContext, id: string): Promise<void> {
    const { actor, scope } = authorize(ctx, 'users.manage', this.clock);
    const target = await this.actable(scope, actor, id, 'users.manage_all');
    await this.db.transaction().execute(async (trx) => {
      await repo.setLoginFailure(trx, id, 0, null);
      await this.audit.record(trx, ctx, { action: 'user.unlock', objectType: 'user', objectId: id, regionCode: target.region_code });
    });
  }

  async addGrant(ctx: RequestContext, id: string, grant: { role: Role; regionCode: string }): Promise<UserView> {
    const { actor, scope } = authorize(ctx, 'roles.grant', this.clock);
    const target = await this.actable(scope, actor, id, 'roles.grant_any');
    if (id === actor.userId) throw forbidden('auth.self_grant', 'You cannot change your own roles.');
    await this.assertGrantable(scope, actor, grant, 'regionCode');
    const auditRefusal = whyNotAuditGrant(actor, target, grant.role);
    if (auditRefusal) throw auditRefusal;
    await this.db.transaction().execute(async (trx) => {
      const inserted = await repo.insertGrant(trx, id, grant.role, grant.regionCode, authorOf(actor));
      if (!inserted) throw conflict('user.grant_exists', `The user already holds ${grant.role} over ${grant.regionCode}.`, 'role');
      await this.audit.record(trx, ctx, { action: 'user.grant', objectType: 'user', objectId: id, regionCode: target.region_code, detail: { ...grant } });
    });
    return this.view(ctx, actor, authorize(ctx, 'users.read', this.clock).scope, id);
  }

  async removeGrant(ctx: RequestContext, id: string, grant: { role: Role; regionCode: string }): Promise<UserView> {
    const { actor, scope } = authorize(ctx, 'roles.grant', this.clock);
    const target = await this.actable(scope, actor, id, 'roles.grant_any');
    if (id === actor.userId) throw forbidden('auth.self_grant', 'You cannot change your own roles.');
    await this.assertGrantable(scope, actor, grant, 'regionCode');
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.deleteGrant(trx, id, grant.role, grant.regionCode))) throw notFound('user.grant_not_found', `The user does not hold ${grant.role} over ${grant.regionCode}.`, 'role');
      // A withdrawn role ends the user's sessions at once, on every node: they sign in again with what they still hold.
      await repo.deleteSessionsOf(trx, id);
      await this.audit.record(trx, ctx, { action: 'user.revoke_grant', objectType: 'user', objectId: id, regionCode: target.region_code, detail: { ...grant } });
    });
    this.sessionRows?.deleteUser(id);
    return this.view(ctx, actor, authorize(ctx, 'users.read', this.clock).scope, id);
  }

  /**
   * A user the actor may act on under `scope` (users.manage or roles.grant): in that scope, and (see whyNotActable)
   * holding no grant the actor could not have made nor a duty it lacks. Throws 404 outside the scope, 403 otherwise.
   */
  private async actable(scope: Scope, actor: Actor, id: string, widePermission: 'users.manage_all' | 'roles.grant_any') {
    const target = await repo.findUserInScope(this.db, scope, id);
    if (!target) throw notFound('user.not_found', 'No user with that id in your jurisdiction.', 'id');
    const grants = (await repo.grantsOf(this.db, [id])).get(id) ?? [];
    const wide = scopeOf(actor, widePermission) !== null;
    const inTenant = !wide && target.dept_id !== null && actor.departmentId !== null && (await ancestorIds(this.db, target.dept_id)).includes(actor.departmentId);
    const refusal = whyNotActable(actor, scope, target, grants, { wide, inTenant, guardDuties: widePermission === 'users.manage_all' });
    if (refusal) throw refusal;
    return target;
  }

  /**
   * Departments are tenants: without users.manage_all, accounts are managed only in the manager's own department and
   * its sub-departments, whatever else lies in the same region.
   */
  private async assertOwnTenant(actor: Actor, departmentId: string): Promise<void> {
    if (scopeOf(actor, 'users.manage_all')) return;
    if (actor.departmentId === null || !(await ancestorIds(this.db, departmentId)).includes(actor.departmentId)) {
      throw forbidden('auth.other_department', 'You manage accounts of your own department and its sub-departments only.');
    }
  }

  private async assertGrantable(scope: Scope, actor: Actor, grant: { role: Role; regionCode: string }, field: string): Promise<void> {
    const region = await findRegion(this.db, grant.regionCode);
    if (!region || region.valid_to !== null) throw invalid('region.unknown', field, `No current region has code "${grant.regionCode}".`);
    if (!scopeCovers(scope, region.path)) throw forbidden('auth.outside_jurisdiction', `Region ${grant.regionCode} is outside your jurisdiction.`);
    if (!mayGrantRole(actor, grant.role)) throw forbidden('auth.role_not_delegable', `Granting ${grant.role} needs roles.grant_any.`);
  }

  /**
   * Directory entries for rows found in `scope`: abilities per row; sensitive fields unmasked where `reveal`
   * (users.read_sensitive) covers the row or a share grant names them — and every such read recorded; rows seen only
   * through share grants reduced to the granted fields.
   */
  private async views(ctx: RequestContext, actor: Actor, scope: Scope, reveal: Scope | null, rows: DirectoryRow[]): Promise<UserView[]> {
    const grants = await repo.grantsOf(this.db, rows.map((r) => r.id));
    const paths = await repo.regionPaths(this.db, rows.map((r) => r.region_code));
    const tenant = new Set(policyNeedsTenant(actor) ? await descendantIds(this.db, actor.departmentId!) : []);
    const abilities = userPolicy(actor, tenant);
    const sharedFields = await this.sharedFieldsByDepartment(scope, rows);
    const now = this.clock.now();
    const revealedTo = new Map<string, string[]>();
    const views = rows.map((r): UserView => {
      const rowGrants = grants.get(r.id) ?? [];
      const full: UserView = {
        id: r.id,
        access: 'full',
        username: r.username,
        displayName: r.display_name,
        kind: r.kind,
        department: r.dept_id ? { id: r.dept_id, code: r.dept_code!, name: r.dept_name! } : null,
        phone: r.phone,
        email: r.email,
        status: r.status,
        activated: r.activated,
        lockedUntil: r.locked_until && r.locked_until > now ? r.locked_until.toISOString() : null,
        manageable: false,
        grants: rowGrants.map((g) => ({ role: g.role, regionCode: g.regionCode, regionName: g.regionName })),
        lastLoginAt: r.last_login_at?.toISOString() ?? null,
        abilities: [],
      };
      if (r.full_access) {
        full.abilities = abilities(
          { id: r.id, kind: r.kind, dept_id: r.dept_id, region_path: paths.get(r.region_code) ?? '', status: r.status, locked: full.lockedUntil !== null },
          rowGrants,
        );
        full.manageable = full.abilities.includes('update');
      }
      const granted = r.full_access ? null : (sharedFields.get(r.dept_id ?? '') ?? new Set<string>());
      const visible: UserView = granted ? { id: r.id, access: 'shared', abilities: [], ...pick(full, granted) } : full;
      const unmask = new Set<string>(r.reveal_sensitive ? ['phone', 'email'] : granted ? [...granted] : []);
      const { view, revealed } = applyMasks('users', visible as unknown as Record<string, unknown>, unmask);
      if (revealed.length > 0) revealedTo.set(r.id, revealed);
      return view as unknown as UserView;
    });
    await this.recordUnmasked(ctx, revealedTo, reveal, scope);
    return views;
  }

  /** For rows seen only through share grants: department id → the fields granted over it. */
  private async sharedFieldsByDepartment(scope: Scope, rows: DirectoryRow[]): Promise<Map<string, Set<string>>> {
    const byDepartment = new Map<string, Set<string>>();
    if (scope.shares.length === 0 || rows.every((r) => r.full_access)) return byDepartment;
    const live = await unrevokedShareIds(this.db, scope.shares.map((s) => s.id));
    for (const share of scope.shares.filter((s) => live.has(s.id))) {
      for (const departmentId of await descendantIds(this.db, share.ownerDepartmentId)) {
        const fields = byDepartment.get(departmentId) ?? new Set<string>();
        for (const f of share.fields) fields.add(f);
        byDepartment.set(departmentId, fields);
      }
    }
    return byDepartment;
  }

  /** One access record per permission that unmasked something: users.read_sensitive, or users.read through shares. */
  private async recordUnmasked(ctx: RequestContext, revealedTo: Map<string, string[]>, reveal: Scope | null, scope: Scope): Promise<void> {
    if (revealedTo.size === 0) return;
    const fields = [...new Set([...revealedTo.values()].flat())].sort();
    const subjectIds = [...revealedTo.keys()];
    await this.audit.recordAccess(ctx, reveal ? { resource: 'users', subjectIds, fields, permission: 'users.read_sensitive', scope: reveal } : { resource: 'users', subjectIds, fields, permission: 'users.read', scope });
  }
}

/** The named fields of a view (share grants name view fields). */
function pick(view: UserView, fields: ReadonlySet<string>): Partial<UserView> {
  return Object.fromEntries(Object.entries(view).filter(([key]) => fields.has(key)));
}
