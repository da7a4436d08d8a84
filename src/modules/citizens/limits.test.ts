// Code request limits (per number per minute and per day, per client address per hour) and code expiry, on the
// real database and SMPP server, with a clock the test moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { ManualClock } from '../../platform/clock.ts';
import { createServices, type Services } from '../../services.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError } from '../../shared/errors.ts';
import { CITIZEN_PASSWORD, Caller, citizenApp, codeIn, newAddress, newIdNumber, newPhone, type CitizenApp } from './test-helpers.ts';

let c: CitizenApp;
let services: Services;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  const { db } = await testDb();
  c = await citizenApp();
  services = createServices(db, testConfig(), c.sender, clock);
});
afterAll(() => c.close());

const ctxFrom = (clientAddr: string): RequestContext => ({ actor: undefined, clientAddr, requestId: null, audited: false });

/** The request's outcome: 'sent', or the refusal's field and wait. */
async function ask(phone: string, clientAddr: string): Promise<'sent' | { field: string | undefined; retryAfterSeconds: unknown }> {
  try {
    await services.citizens.requestCode(ctxFrom(clientAddr), { phone, purpose: 'register' });
    return 'sent';
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'citizen.too_many_codes') throw error;
    expect(error.kind).toBe('rate_limited');
    return { field: error.field, retryAfterSeconds: error.details?.retryAfterSeconds };
  }
}

describe('code request limits', () => {
  it('sends once a minute per number, saying how long to wait', async () => {
    const phone = newPhone();
    const addr = newAddress();
    expect(await ask(phone, addr)).toBe('sent');
    expect(await ask(phone, newAddress())).toEqual({ field: 'phone', retryAfterSeconds: 60 });
    clock.advance(45_000);
    expect(await ask(phone, addr)).toEqual({ field: 'phone', retryAfterSeconds: 15 });
    clock.advance(15_001);
    expect(await ask(phone, addr)).toBe('sent');
  });

  it('sends at most ten a day per number', async () => {
    const phone = newPhone();
    const start = clock.now().getTime();
    for (let i = 0; i < 10; i++) {
      expect(await ask(phone, newAddress())).toBe('sent');
      clock.advance(61_000);
    }
    const refused = await ask(phone, newAddress());
    expect(refused).toEqual({ field: 'phone', retryAfterSeconds: Math.ceil((start + 86_400_000 - clock.now().getTime()) / 1000) });
    clock.set(new Date(start + 86_400_000));
    expect(await ask(phone, newAddress())).toBe('sent');
  });

  it('sends at most twenty an hour per client address, and a refused request counts against nothing', async () => {
    const addr = newAddress();
    for (let i = 0; i < 20; i++) expect(await ask(newPhone(), addr)).toBe('sent');
    const phone = newPhone();
    const refused = await ask(phone, addr);
    expect(refused).toMatchObject({ field: undefined });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(3500);
    // the refusal did not use the number's minute
    expect(await ask(phone, newAddress())).toBe('sent');
  });

  it('counts concurrent requests for one number one at a time: one of five is sent', async () => {
    const phone = newPhone();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => ask(phone, newAddress())));
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
  });

  it('answers over HTTP with 429 problem+json and Retry-After', async () => {
    const caller = new Caller(c.app);
    const phone = newPhone();
    expect((await caller.request('POST', '/api/citizen/codes', { phone, purpose: 'register' })).statusCode).toBe(202);
    const res = await caller.request('POST', '/api/citizen/codes', { phone, purpose: 'register' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json()).toMatchObject({ code: 'citizen.too_many_codes', field: 'phone' });
  });
});

describe('limits across nodes', () => {
  it('are shared by two app nodes on one database: the second node refuses what the first counted', async () => {
    const other = await citizenApp();
    try {
      const phone = newPhone();
      expect((await new Caller(c.app).request('POST', '/api/citizen/codes', { phone, purpose: 'register' })).statusCode).toBe(202);
      const res = await new Caller(other.app).request('POST', '/api/citizen/codes', { phone, purpose: 'register' });
      expect(res.statusCode).toBe(429);
      expect(res.json()).toMatchObject({ code: 'citizen.too_many_codes', field: 'phone' });
    } finally {
      await other.close();
    }
  });
});

describe('code expiry', () => {
  it('accepts a code within five minutes and refuses it after', async () => {
    const register = async (phone: string, code: string) =>
      services.citizens.register(ctxFrom(newAddress()), { name: '时钟', idNumber: newIdNumber(), phone, password: CITIZEN_PASSWORD, code }).then(
        () => 'registered',
        (error: DomainError) => error.code,
      );
    const late = newPhone();
    const arriving = c.smsc.next(late);
    await services.citizens.requestCode(ctxFrom(newAddress()), { phone: late, purpose: 'register' });
    const lateCode = codeIn((await arriving).text);
    clock.advance(5 * 60_000 + 1);
    expect(await register(late, lateCode)).toBe('citizen.code_expired');

    const inTime = newPhone();
    const arrivingInTime = c.smsc.next(inTime);
    await services.citizens.requestCode(ctxFrom(newAddress()), { phone: inTime, purpose: 'register' });
    const code = codeIn((await arrivingInTime).text);
    clock.advance(5 * 60_000 - 1_000);
    expect(await register(inTime, code)).toBe('registered');
  });
});

describe('purging', () => {
  it('forgets codes expired over a day ago and keeps the recent ones', async () => {
    const { db } = await testDb();
    const old = newPhone();
    const now = clock.now();
    clock.set(new Date(now.getTime() - 3 * 86_400_000));
    await services.citizens.requestCode(ctxFrom(newAddress()), { phone: old, purpose: 'register' });
    clock.set(now);
    const recent = newPhone();
    await services.citizens.requestCode(ctxFrom(newAddress()), { phone: recent, purpose: 'register' });
    expect(await services.citizens.purgeExpired()).toBeGreaterThan(0);
    const phones = (await db.selectFrom('citizen_code').select('phone').where('phone', 'in', [old, recent]).execute()).map((r) => r.phone);
    expect(phones).toEqual([recent]);
    expect(await db.selectFrom('citizen_send_counter').select('key').where('key', '=', `phone-day:${old}`).execute()).toEqual([]);
    expect(await db.selectFrom('citizen_send_counter').select('key').where('key', '=', `phone-day:${recent}`).execute()).toHaveLength(1);
  });
});
