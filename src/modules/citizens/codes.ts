// SMS one-time codes for citizens: issued under per-number and per-address limits, stored hashed (salted with the
// code's id), valid 5 minutes, single use, five tries; only the newest code of a number and purpose works.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError, invalid } from '../../shared/errors.ts';
import * as repo from './repository.ts';
import type { CodePurpose } from './schema.ts';

export const CODE_TTL_MS = 5 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;

/** Code requests allowed: per number once a minute and ten a day, per client address twenty an hour. */
export interface SendLimits {
  perNumberPerMinute: number;
  perNumberPerDay: number;
  perAddressPerHour: number;
}
export const DEFAULT_SEND_LIMITS: SendLimits = { perNumberPerMinute: 1, perNumberPerDay: 10, perAddressPerHour: 20 };

const hashCode = (id: string, code: string): string => createHash('sha256').update(`${id}:${code}`).digest('hex');
const newCode = (): string => randomInt(0, 1_000_000).toString().padStart(6, '0');

export const codeExpired = (): DomainError => invalid('citizen.code_expired', 'code', 'The code has expired, was used or was tried too often; request a new one.');

const rateLimited = (message: string, until: Date, now: Date, field?: string): DomainError =>
  new DomainError('citizen.too_many_codes', 'rate_limited', message, field, { retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) });

export interface IssuedCode {
  id: string;
  code: string;
  expiresAt: Date;
}

export class CodeBook {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly limits: SendLimits = DEFAULT_SEND_LIMITS,
  ) {}

  /**
   * Counts the request against every limit and stores a new code, in one transaction: refused requests count nowhere,
   * and concurrent requests for one number are counted one after the other by the counter rows' locks.
   */
  async issue(input: { phone: string; purpose: CodePurpose; userId: string | null; willSend: boolean; clientAddr: string | null }): Promise<IssuedCode> {
    const now = this.clock.now();
    const id = randomUUID();
    const code = newCode();
    const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
    await this.db.transaction().execute(async (trx) => {
      const minute = await repo.countSend(trx, { key: `phone-minute:${input.phone}`, limit: this.limits.perNumberPerMinute, windowMs: 60_000 }, now);
      if (minute) throw rateLimited('A code was sent to this number less than a minute ago.', minute, now, 'phone');
      const day = await repo.countSend(trx, { key: `phone-day:${input.phone}`, limit: this.limits.perNumberPerDay, windowMs: 86_400_000 }, now);
      if (day) throw rateLimited('No more codes are sent to this number today.', day, now, 'phone');
      const address = await repo.countSend(trx, { key: `addr-hour:${input.clientAddr ?? 'unknown'}`, limit: this.limits.perAddressPerHour, windowMs: 3_600_000 }, now);
      if (address) throw rateLimited('Too many codes were requested from your address; try again later.', address, now);
      await repo.insertCode(trx, { id, phone: input.phone, purpose: input.purpose, userId: input.userId, codeHash: hashCode(id, code), expiresAt, sent: input.willSend, clientAddr: input.clientAddr, at: now });
    });
    return { id, code, expiresAt };
  }

  /** The SMS could not be sent: the code stops working. */
  async close(id: string): Promise<void> {
    await repo.closeCode(this.db, id, this.clock.now());
  }

  /** The newest open code of the number for the purpose, or `citizen.code_expired`. */
  async open(phone: string, purpose: CodePurpose): Promise<{ id: string; userId: string | null }> {
    const open = await repo.findOpenCode(this.db, phone, purpose, this.clock.now(), MAX_CODE_ATTEMPTS);
    if (!open) throw codeExpired();
    return { id: open.id, userId: open.user_id };
  }

  /**
   * Runs `work` in one transaction in which the code is used up. A wrong code, or a conflict refusing the work (a taken
   * ID number or number), rolls both back and counts a try on the code: the code stays usable for a corrected request,
   * but one code cannot probe without end.
   */
  async spend<T>(id: string, code: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (!(await repo.consumeCode(trx, id, hashCode(id, code), this.clock.now(), MAX_CODE_ATTEMPTS))) throw new WrongCode();
        return work(trx);
      });
    } catch (error) {
      if (error instanceof WrongCode) throw await this.failedUse(id);
      if (error instanceof DomainError && error.kind === 'conflict') await this.failedUse(id);
      throw error;
    }
  }

  /** Counts a failed use and returns the error to answer with. */
  private async failedUse(id: string): Promise<DomainError> {
    const attempts = await repo.countFailedUse(this.db, id, this.clock.now(), MAX_CODE_ATTEMPTS);
    if (attempts === undefined || attempts >= MAX_CODE_ATTEMPTS) return codeExpired();
    return invalid('citizen.wrong_code', 'code', 'The code is wrong.', { remainingAttempts: MAX_CODE_ATTEMPTS - attempts });
  }
}

/** Thrown inside the transaction when the code is wrong, to roll it back; counted after. */
class WrongCode extends Error {}
