// Citizens: registration confirmed by an SMS code, sign-in by password or code, and the citizen's own record.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { isSystemActor, requireActor, type Actor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, conflict, forbidden, invalid, notFound } from '../../shared/errors.ts';
import { checkIdNumber, chinaDate, isCnMobile, maskIdNumber, type IdNumberProblem } from '../../shared/id-number.ts';
import { assertPasswordPolicy, hashPassword, maskPhone, type AuthService, type LoginResult, type UserService } from '../accounts/index.ts';
import type { AuditService } from '../audit/index.ts';
import { CODE_TTL_MS, CodeBook, codeExpired, type SendLimits } from './codes.ts';
import type { CitizenProfile, CodeSent } from './http-schema.ts';
import type { CodeMessenger } from './messenger.ts';
import { countyCodeExists } from './regions.ts';
import * as repo from './repository.ts';
import type { CodePurpose } from './schema.ts';

/** A session opened for a citizen: the cookie value (only its hash is stored), the CSRF token and the profile. */
export interface CitizenSession {
  sessionToken: string;
  csrfToken: string;
  profile: CitizenProfile;
}

export interface Registration {
  name: string;
  idNumber: string;
  phone: string;
  password: string;
  code: string;
  userAgent?: string | null;
}

export interface CitizenDeps {
  db: Kysely<Database>;
  audit: AuditService;
  auth: AuthService;
  /** Writes the account row in the registration's transaction. */
  users: UserService;
  clock: Clock;
  messenger: CodeMessenger;
  /** Citizens belong to no region; their records are filed under the prefecture. */
  prefectureRegion: string;
  limits?: SendLimits;
}

const ID_PROBLEMS: Record<IdNumberProblem, string> = {
  format: 'The ID number must be 17 digits followed by a digit or X.',
  check_digit: 'The ID number’s check character is wrong: check the number for a typing error.',
  birth_date: 'The birth date in the ID number is not a real date between 1900 and today.',
  region: 'The first six digits of the ID number are not a county code.',
};

const PURPOSE_TEXT: Record<CodePurpose, string> = { register: '注册账号', sign_in: '登录', change_phone: '更换手机号' };

/** A citizen's account: the actor of a citizen session, or 403. */
function requireCitizen(actor: Actor | undefined): Actor {
  const who = requireActor(actor);
  if (who.kind !== 'citizen') throw forbidden('citizen.only', 'This is a citizen’s own record; staff accounts have none.');
  return who;
}

function assertMobile(phone: string, field = 'phone'): void {
  if (!isCnMobile(phone)) throw invalid('citizen.invalid_phone', field, 'The mobile number must be 11 digits starting with 13–19.');
}

export class CitizenService {
  private readonly codes: CodeBook;

  constructor(private readonly deps: CitizenDeps) {
    this.codes = new CodeBook(deps.db, deps.clock, deps.limits);
  }

  /** Sends a code for registration, sign-in or (signed in) a new number. A sign-in code for a number without an account is answered alike and sent nowhere. */
  async requestCode(ctx: RequestContext, input: { phone: string; purpose: CodePurpose }): Promise<CodeSent> {
    assertMobile(input.phone);
    let userId: string | null = null;
    if (input.purpose === 'change_phone') {
      userId = requireCitizen(ctx.actor).userId;
      const own = await repo.findProfile(this.deps.db, userId);
      if (own?.phone === input.phone) throw invalid('citizen.same_phone', 'phone', 'That is already your number.');
    } else if (input.purpose === 'sign_in') {
      userId = (await repo.findCitizenBy(this.deps.db, 'phone', input.phone))?.user_id ?? null;
    }
    const willSend = input.purpose !== 'sign_in' || userId !== null;
    const issued = await this.codes.issue({ phone: input.phone, purpose: input.purpose, userId, willSend, clientAddr: ctx.clientAddr });
    const entry = { action: 'citizen.code_sent', objectType: 'citizen_code', objectId: issued.id, regionCode: this.deps.prefectureRegion };
    const detail = { purpose: input.purpose, phone: maskPhone(input.phone), sent: willSend };
    if (willSend) {
      const text = `【政务云】您的验证码 ${issued.code}，${CODE_TTL_MS / 60_000} 分钟内有效，用于${PURPOSE_TEXT[input.purpose]}。请勿告诉他人。`;
      try {
        await this.deps.messenger(input.phone, text);
      } catch (error) {
        await this.codes.close(issued.id);
        await this.deps.audit.recordNow(ctx, { ...entry, outcome: 'failure', detail: { ...detail, reason: error instanceof Error ? error.message : String(error) } });
        if (error instanceof DomainError) throw error;
        throw new DomainError('sms.unavailable', 'unavailable', 'The code could not be sent by SMS; try again shortly.');
      }
    }
    await this.deps.audit.recordNow(ctx, { ...entry, detail });
    return { phoneMasked: maskPhone(input.phone)!, expiresAt: issued.expiresAt.toISOString(), resendAfterSeconds: 60 };
  }

  /**
   * Creates the account once the code is right, and opens its session. The code is used in the account's transaction:
   * a taken ID number or number leaves it unused but counts a try, so one code cannot probe ID numbers.
   */
  async register(ctx: RequestContext, input: Registration): Promise<CitizenSession> {
    const name = input.name.trim();
    if (name.length === 0) throw invalid('citizen.invalid_name', 'name', 'The name must not be blank.');
    const id = checkIdNumber(input.idNumber, { today: chinaDate(this.deps.clock.now()), regionExists: countyCodeExists });
    if (!id.ok) throw invalid(`citizen.invalid_id_number`, 'idNumber', ID_PROBLEMS[id.problem], { problem: id.problem });
    assertMobile(input.phone);
    assertPasswordPolicy(input.password, 'password', input.phone, name);
    const open = await this.codes.open(input.phone, 'register');
    const passwordHash = await hashPassword(input.password);
    const username = `citizen:${randomUUID()}`;
    const now = this.deps.clock.now();
    const userId = await this.codes.spend(open.id, input.code, async (trx) => {
      // the name no staff account can have (staff names allow no ':'); people sign in with their number instead
      const account = await this.deps.users.insertCitizenAccount(trx, { username, displayName: name, passwordHash });
      if (!account) throw new Error(`The generated user name ${username} is taken.`);
      const written = await repo.insertCitizen(trx, { userId: account.id, idNumber: id.idNumber, phone: input.phone, at: now });
      if (written === 'idNumber') throw conflict('citizen.id_number_taken', 'An account is already registered with this ID number.', 'idNumber');
      if (written === 'phone') throw conflict('citizen.phone_taken', 'An account is already registered with this mobile number.', 'phone');
      await this.deps.audit.record(trx, ctx, {
        action: 'citizen.register',
        objectType: 'user',
        objectId: account.id,
        actorName: username,
        regionCode: this.deps.prefectureRegion,
        detail: { idNumber: maskIdNumber(id.idNumber), phone: maskPhone(input.phone) },
      });
      return account.id;
    });
    return this.session(await this.deps.auth.openVerifiedSession(ctx, userId, { userAgent: input.userAgent ?? null, method: 'registration' }));
  }

  /**
   * An account created by the platform itself (the demo's citizen), without an SMS code: system actor only, checked
   * and audited as a registration is. Returns the user id, or null when the ID number or number is registered already.
   */
  async registerAsSystem(ctx: RequestContext, input: { name: string; idNumber: string; phone: string; password: string }): Promise<string | null> {
    if (!isSystemActor(ctx.actor)) throw forbidden('auth.forbidden', 'Only the platform itself registers citizens without a code.');
    const id = checkIdNumber(input.idNumber, { today: chinaDate(this.deps.clock.now()), regionExists: countyCodeExists });
    if (!id.ok) throw invalid('citizen.invalid_id_number', 'idNumber', ID_PROBLEMS[id.problem], { problem: id.problem });
    assertMobile(input.phone);
    const passwordHash = await hashPassword(input.password);
    const username = `citizen:${randomUUID()}`;
    const taken = new Error('taken');
    return this.deps.db
      .transaction()
      .execute(async (trx) => {
        const account = await this.deps.users.insertCitizenAccount(trx, { username, displayName: input.name, passwordHash });
        if (!account) throw taken;
        // an ID number or number registered already: nothing of this account stays (the transaction rolls back)
        if ((await repo.insertCitizen(trx, { userId: account.id, idNumber: id.idNumber, phone: input.phone, at: this.deps.clock.now() })) !== 'ok') throw taken;
        await this.deps.audit.record(trx, ctx, {
          action: 'citizen.register',
          objectType: 'user',
          objectId: account.id,
          actorName: username,
          regionCode: this.deps.prefectureRegion,
          detail: { idNumber: maskIdNumber(id.idNumber), phone: maskPhone(input.phone), by: 'system' },
        });
        return account.id as string | null;
      })
      .catch((error: unknown) => {
        if (error === taken) return null;
        throw error;
      });
  }

  /** Signs in with the mobile number or ID number and the password, under the staff sign-in's lockout and captcha rules. */
  async signInWithPassword(ctx: RequestContext, input: { identifier: string; password: string; captchaId?: string; captchaAnswer?: string; userAgent?: string | null }): Promise<CitizenSession> {
    const identifier = input.identifier.trim().toUpperCase();
    const column = isCnMobile(identifier) ? 'phone' : /^\d{17}[\dX]$/.test(identifier) ? 'id_number' : null;
    const found = column ? await repo.findCitizenBy(this.deps.db, column, identifier) : undefined;
    // A number without an account is counted and answered like a wrong password, under a name no account has.
    const username = found ? found.username : `citizen?${createHash('sha256').update(identifier).digest('hex').slice(0, 32)}`;
    const { identifier: _identifier, ...rest } = input;
    const result = await this.deps.auth.login(ctx, { ...rest, username });
    if ('secondFactor' in result) throw new DomainError('citizen.unexpected_challenge', 'unavailable', 'Citizen accounts have no second factor.');
    return this.session(result);
  }

  /** Signs in with a code sent to the number (purpose sign_in). */
  async signInWithCode(ctx: RequestContext, input: { phone: string; code: string; userAgent?: string | null }): Promise<CitizenSession> {
    assertMobile(input.phone);
    const open = await this.codes.open(input.phone, 'sign_in');
    const account = await this.codes.spend(open.id, input.code, (trx) => repo.findCitizenBy(trx, 'phone', input.phone));
    // a code issued for a number without an account (sent nowhere) opens nothing, even if guessed
    if (!account || account.user_id !== open.userId) throw codeExpired();
    return this.session(await this.deps.auth.openVerifiedSession(ctx, account.user_id, { userAgent: input.userAgent ?? null, method: 'sms_code' }));
  }

  /** The signed-in citizen's own record. */
  async profile(ctx: RequestContext): Promise<CitizenProfile> {
    return this.profileOf(requireCitizen(ctx.actor).userId);
  }

  /** Moves the account to a new number confirmed by a code sent to it (purpose change_phone). */
  async changePhone(ctx: RequestContext, input: { phone: string; code: string }): Promise<CitizenProfile> {
    const actor = requireCitizen(ctx.actor);
    assertMobile(input.phone);
    const open = await this.codes.open(input.phone, 'change_phone');
    if (open.userId !== actor.userId) throw codeExpired();
    const before = await this.profileOf(actor.userId);
    await this.codes.spend(open.id, input.code, async (trx) => {
      if (!(await repo.updatePhone(trx, actor.userId, input.phone, this.deps.clock.now()))) throw conflict('citizen.phone_taken', 'Another account is registered with this mobile number.', 'phone');
      await this.deps.audit.record(trx, ctx, {
        action: 'citizen.phone_change',
        objectType: 'user',
        objectId: actor.userId,
        regionCode: this.deps.prefectureRegion,
        detail: { from: before.phoneMasked, to: maskPhone(input.phone) },
      });
    });
    return this.profileOf(actor.userId);
  }

  /** Changes the citizen's own password (the staff rules: current password checked under the lockout, policy, other sessions end). */
  async changePassword(ctx: RequestContext, sessionToken: string | undefined, input: { currentPassword: string; newPassword: string }): Promise<void> {
    requireCitizen(ctx.actor);
    await this.deps.auth.changePassword(ctx, sessionToken, input);
  }

  /** Forgets codes expired a day ago and send counters whose window ended; run daily by the job system. */
  async purgeExpired(): Promise<number> {
    return repo.purgeCodes(this.deps.db, this.deps.clock.now());
  }

  private async profileOf(userId: string): Promise<CitizenProfile> {
    const row = await repo.findProfile(this.deps.db, userId);
    if (!row) throw notFound('citizen.not_found', 'No citizen account with that id.');
    return {
      id: row.user_id,
      name: row.display_name,
      idNumberMasked: maskIdNumber(row.id_number),
      phoneMasked: maskPhone(row.phone)!,
      registeredAt: row.created_at.toISOString(),
      lastLoginAt: row.last_login_at?.toISOString() ?? null,
    };
  }

  private async session(result: LoginResult): Promise<CitizenSession> {
    return { sessionToken: result.sessionToken, csrfToken: result.csrfToken, profile: await this.profileOf(result.user.id) };
  }
}
