// Second factor for administrators: after the right password, a 6-digit code goes by SMS to the phone on file, and
// the session opens only when the code comes back. Codes are stored hashed, live 5 minutes, allow 5 wrong tries
// (each also counting towards the account lockout) and are consumed by exactly one submission.
import { systemClock, type Clock } from '../../platform/clock.ts';
import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { isAdministrativeDuty, permissionsOf } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, invalid, unauthenticated } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { SmsSender } from '../sms/index.ts';
import { lockIfExhausted, reserveAttempt } from './failures.ts';
import * as repo from './repository.ts';
import * as challenges from './second-factor-repository.ts';
import { maskPhone } from './service.ts';

export const CODE_TTL_MS = 5 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;
/** A code may be sent again this long after the last send of the same challenge, at most MAX_SENDS times in all. */
export const RESEND_AFTER_MS = 60_000;
export const MAX_SENDS_PER_CHALLENGE = 3;
/** SMS a user can cause (sign-ins with the right password plus resends) per window: a stolen password cannot flood a phone. */
export const SMS_PER_USER_WINDOW = 5;
export const SMS_WINDOW_MS = 15 * 60_000;

export interface SecondFactorSettings {
  /** Ask accounts that administer (users.manage, or a security or audit administrator's duty) for an SMS code when they have a phone. */
  requireForAdmins: boolean;
  /** The product name at the start of the text (【…】 signature carriers require). */
  signature?: string;
  /** The time source (tests set it); the system clock by default. */
  clock?: Clock;
}

/** Login's answer when a code was sent: no session yet. */
export interface SecondFactorChallenge {
  secondFactor: { challengeId: string; phoneMasked: string; expiresAt: string; resendAfterSeconds: number };
}

/** The account that signed in with password and code. */
export interface VerifiedSignIn {
  userId: string;
  username: string;
}

interface ChallengeUser {
  id: string;
  username: string;
  phone: string | null;
  home_region: string | null;
}

const hashCode = (challengeId: string, code: string): string => createHash('sha256').update(`${challengeId}:${code}`).digest('hex');
const newCode = (): string => randomInt(0, 1_000_000).toString().padStart(6, '0');

export class SecondFactor {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly sms: SmsSender,
    private readonly settings: SecondFactorSettings,
  ) {}

  /** Whether the account signs in with a code; an administrator without a phone signs in with the password alone. */
  async requiredFor(user: ChallengeUser): Promise<boolean> {
    if (!this.settings.requireForAdmins || !user.phone) return false;
    const grants = (await repo.grantsOf(this.db, [user.id])).get(user.id) ?? [];
    return grants.some((g) => permissionsOf(g.role).some((p) => p === 'users.manage' || isAdministrativeDuty(p)));
  }

  /** Called right after the password was verified: sends a code and answers with the challenge, or null when none is needed. */
  async challengeFor(user: ChallengeUser, ctx: RequestContext): Promise<SecondFactorChallenge | null> {
    if (!(await this.requiredFor(user))) return null;
    const phone = user.phone!;
    const now = (this.settings.clock ?? systemClock).now();
    const id = randomUUID();
    const code = newCode();
    await this.db.transaction().execute(async (trx) => {
      await challenges.lockUser(trx, user.id);
      await this.assertSendAllowed(trx, user.id, now);
      await challenges.insertChallenge(trx, { id, userId: user.id, codeHash: hashCode(id, code), phone, expiresAt: new Date(now.getTime() + CODE_TTL_MS), clientAddr: ctx.clientAddr, at: now });
    });
    await this.deliver(ctx, { id, userId: user.id, username: user.username, phone, regionCode: user.home_region }, code, 'auth.second_factor_sent');
    return this.describe(id, phone, now);
  }

  /** Sends a fresh code for an open challenge (the old one stops working): once a minute, three sends per challenge. */
  async resend(ctx: RequestContext, challengeId: string): Promise<SecondFactorChallenge> {
    const now = (this.settings.clock ?? systemClock).now();
    const open = await challenges.findOpenChallenge(this.db, challengeId, now, MAX_CODE_ATTEMPTS);
    if (!open) throw expired();
    const wait = open.last_sent_at.getTime() + RESEND_AFTER_MS - now.getTime();
    if (wait > 0) throw rateLimited('auth.resend_too_soon', 'A new code can be sent once a minute.', wait);
    if (open.sends >= MAX_SENDS_PER_CHALLENGE) throw rateLimited('auth.too_many_codes', 'No more codes are sent for this sign-in; sign in again later.', SMS_WINDOW_MS);
    const code = newCode();
    await this.db.transaction().execute(async (trx) => {
      await challenges.lockUser(trx, open.user_id);
      await this.assertSendAllowed(trx, open.user_id, now);
      const replaced = await challenges.replaceCode(trx, open.id, hashCode(open.id, code), new Date(now.getTime() + CODE_TTL_MS), now, new Date(now.getTime() - RESEND_AFTER_MS), MAX_SENDS_PER_CHALLENGE);
      if (!replaced) throw rateLimited('auth.resend_too_soon', 'A new code can be sent once a minute.', RESEND_AFTER_MS);
    });
    await this.deliver(ctx, { id: open.id, userId: open.user_id, username: open.username, phone: open.phone, regionCode: null }, code, 'auth.second_factor_resent');
    return this.describe(open.id, open.phone, now);
  }

  /**
   * Consumes the challenge when the code is right (one statement, so of two concurrent right submissions one wins);
   * a wrong code counts against the challenge and the account lockout, and is audited.
   */
  async verify(ctx: RequestContext, challengeId: string, code: string): Promise<VerifiedSignIn> {
    const now = (this.settings.clock ?? systemClock).now();
    const consumed = await challenges.consumeChallenge(this.db, challengeId, hashCode(challengeId, code), now, MAX_CODE_ATTEMPTS);
    if (consumed) return { userId: consumed.user_id, username: consumed.username };

    const wrong = await challenges.countWrongCode(this.db, challengeId, now, MAX_CODE_ATTEMPTS);
    if (!wrong) {
      await this.audit.recordNow(ctx, { action: 'auth.second_factor', outcome: 'failure', objectType: 'login_challenge', objectId: challengeId, detail: { reason: 'expired_or_used' } });
      throw expired();
    }
    const attempt = await reserveAttempt(this.db, wrong.user_id, now);
    const lockedUntil = attempt === null ? now : await lockIfExhausted(this.db, wrong.user_id, attempt, now);
    if (lockedUntil) await challenges.closeChallenge(this.db, challengeId, now);
    await this.audit.recordNow(ctx, {
      action: 'auth.second_factor',
      outcome: 'failure',
      actorName: wrong.username,
      objectType: 'user',
      objectId: wrong.user_id,
      detail: { reason: 'wrong_code', attempts: wrong.attempts, locked: lockedUntil !== null },
    });
    if (lockedUntil) throw new DomainError('auth.locked', 'locked', 'Too many failed attempts: the account is locked; sign in again later.', 'code');
    const remaining = MAX_CODE_ATTEMPTS - wrong.attempts;
    if (remaining <= 0) throw expired();
    throw invalid('auth.wrong_code', 'code', 'The code is wrong.', { remainingAttempts: remaining });
  }

  private async assertSendAllowed(trx: Parameters<typeof challenges.recentSends>[0], userId: string, now: Date): Promise<void> {
    const { sends, oldest } = await challenges.recentSends(trx, userId, new Date(now.getTime() - SMS_WINDOW_MS));
    if (sends >= SMS_PER_USER_WINDOW) {
      throw rateLimited('auth.too_many_codes', 'Too many sign-in codes were sent to this account; try again later.', (oldest?.getTime() ?? now.getTime()) + SMS_WINDOW_MS - now.getTime());
    }
  }

  /** Hands the code to the SMS centre; when that fails the challenge closes and the sign-in answers 503. */
  private async deliver(
    ctx: RequestContext,
    challenge: { id: string; userId: string; username: string; phone: string; regionCode: string | null },
    code: string,
    action: string,
  ): Promise<void> {
    const signature = this.settings.signature ?? '政务云';
    const text = `【${signature}】登录验证码 ${code}，${CODE_TTL_MS / 60_000} 分钟内有效。如非本人操作，请立即修改密码。`;
    const entry = { action, actorName: challenge.username, objectType: 'user', objectId: challenge.userId, regionCode: challenge.regionCode };
    try {
      const { messageId } = await this.sms.send(challenge.phone, text);
      await this.audit.recordNow(ctx, { ...entry, detail: { challengeId: challenge.id, phone: maskPhone(challenge.phone), messageId } });
    } catch (error) {
      await challenges.closeChallenge(this.db, challenge.id, (this.settings.clock ?? systemClock).now());
      const reason = error instanceof Error ? error.message : String(error);
      await this.audit.recordNow(ctx, { ...entry, outcome: 'failure', detail: { challengeId: challenge.id, phone: maskPhone(challenge.phone), reason } });
      throw new DomainError('sms.unavailable', 'unavailable', 'The sign-in code could not be sent by SMS; try again shortly.');
    }
  }

  private describe(id: string, phone: string, sentAt: Date): SecondFactorChallenge {
    return {
      secondFactor: {
        challengeId: id,
        phoneMasked: maskPhone(phone)!,
        expiresAt: new Date(sentAt.getTime() + CODE_TTL_MS).toISOString(),
        resendAfterSeconds: RESEND_AFTER_MS / 1000,
      },
    };
  }
}

const expired = (): DomainError => unauthenticated('auth.code_expired', 'The code has expired or was used; sign in again.');

const rateLimited = (code: string, message: string, waitMs: number): DomainError =>
  new DomainError(code, 'rate_limited', message, undefined, { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });
