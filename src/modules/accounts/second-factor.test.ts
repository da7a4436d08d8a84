// Administrators' SMS second factor end to end: the real app, the real database and a real SMPP server on loopback.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { TEST_PASSWORD, newUser } from '../../../test/support/factories.ts';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { LocalSmsc, SmppSender } from '../sms/index.ts';

let app: App;
let db: Awaited<ReturnType<typeof testDb>>['db'];
let smsc: LocalSmsc;
let sender: SmppSender;

beforeAll(async () => {
  ({ db } = await testDb());
  smsc = await LocalSmsc.start({ systemId: 'govcloud', password: 'test' });
  sender = new SmppSender({ host: '127.0.0.1', port: smsc.port, systemId: 'govcloud', password: 'test', sourceAddr: '10690000', timeoutMs: 3_000 });
  ({ app } = await buildApp({ db, config: testConfig(), serveWeb: false, sms: sender }));
});

afterAll(async () => {
  await app.close();
  await sender.close();
  await smsc.close();
});

let phoneSeq = 0;
const newPhone = () => `139${String(process.pid % 10_000).padStart(4, '0')}${String(++phoneSeq).padStart(4, '0')}`;

async function newAdmin(input: { role?: 'department_admin' | 'platform_admin' | 'department_staff'; phone?: string | null } = {}) {
  const phone = input.phone === null ? undefined : (input.phone ?? newPhone());
  const user = await newUser(db, { grants: [{ role: input.role ?? 'department_admin', regionCode: '6505' }], phone });
  return { ...user, phone };
}

const loginRequest = (username: string, password = TEST_PASSWORD) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
const submit = (challengeId: string, code: string) => app.inject({ method: 'POST', url: '/api/auth/second-factor', payload: { challengeId, code } });
const codeIn = (text: string) => /(\d{6})/.exec(text)![1]!;

/** Signs in with the password and returns the challenge and the code that arrived by SMS. */
async function challenge(user: { username: string; phone?: string }) {
  const arriving = smsc.next(user.phone!);
  const res = await loginRequest(user.username);
  expect(res.statusCode).toBe(200);
  const { challengeId } = res.json().secondFactor as { challengeId: string };
  return { challengeId, code: codeIn((await arriving).text), res };
}

const sessionsOf = async (userId: string) => (await db.selectFrom('user_session').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n;
const account = (id: string) => db.selectFrom('app_user').select(['failed_logins', 'locked_until']).where('id', '=', id).executeTakeFirstOrThrow();

describe('SMS second factor for administrators', () => {
  it('answers the right password of an admin with a challenge, sends the code by SMPP and opens the session on the code', async () => {
    const admin = await newAdmin();
    const { challengeId, code, res } = await challenge(admin);
    expect(res.cookies.find((c) => c.name === 'govcloud_sid')).toBeUndefined();
    expect(res.json().secondFactor).toMatchObject({ phoneMasked: `${admin.phone!.slice(0, 3)}****${admin.phone!.slice(-4)}`, resendAfterSeconds: 60 });
    expect(await sessionsOf(admin.id)).toBe(0);
    expect(smsc.received(admin.phone!).at(-1)!.text).toMatch(/^【政务云】登录验证码 \d{6}，5 分钟内有效/);

    const stored = await db.selectFrom('login_challenge').selectAll().where('id', '=', challengeId).executeTakeFirstOrThrow();
    expect(stored.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(stored.expires_at.getTime() - Date.now()).toBeGreaterThan(4 * 60_000);

    const done = await submit(challengeId, code);
    expect(done.statusCode).toBe(200);
    expect(done.json().user.username).toBe(admin.username);
    const cookie = done.cookies.find((c) => c.name === 'govcloud_sid')!;
    expect(cookie.httpOnly).toBe(true);
    const me = await new Client(app, { cookie: `govcloud_sid=${cookie.value}`, csrfToken: done.json().csrfToken }).get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(await sessionsOf(admin.id)).toBe(1);

    const again = await submit(challengeId, code);
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('auth.code_expired');
    expect(await sessionsOf(admin.id)).toBe(1);

    // the sign-in records (the factory's user.create, by the system actor, comes first)
    const audit = await db.selectFrom('audit_log').select(['action', 'outcome', 'detail']).where('object_id', '=', admin.id).where('action', 'like', 'auth.%').orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['auth.second_factor_sent', 'auth.login']);
    expect(audit[1]!.detail).toMatchObject({ secondFactor: 'sms' });
  });

  it('signs in with the password alone accounts that do not administer, and administrators without a phone', async () => {
    for (const user of [await newAdmin({ role: 'department_staff' }), await newAdmin({ phone: null })]) {
      const res = await loginRequest(user.username);
      expect(res.statusCode).toBe(200);
      expect(res.json().user.username).toBe(user.username);
    }
    const platform = await newAdmin({ role: 'platform_admin' });
    expect((await loginRequest(platform.username)).json().secondFactor).toBeDefined();
  });

  it('counts wrong codes towards the account lockout and stops at five', async () => {
    const admin = await newAdmin();
    const { challengeId, code } = await challenge(admin);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const res = await submit(challengeId, wrong);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'auth.wrong_code', field: 'code', remainingAttempts: 5 - i });
      expect((await account(admin.id)).failed_logins).toBe(i);
    }
    const fifth = await submit(challengeId, wrong);
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('auth.locked');
    expect((await account(admin.id)).locked_until!.getTime()).toBeGreaterThan(Date.now());
    const right = await submit(challengeId, code);
    expect(right.json().code).toBe('auth.code_expired');
    expect(await sessionsOf(admin.id)).toBe(0);
    expect((await loginRequest(admin.username)).statusCode).toBe(423);
  });

  it('opens exactly one session for 100 concurrent submissions of the right code', async () => {
    const admin = await newAdmin();
    const { challengeId, code } = await challenge(admin);
    const results = await Promise.all(Array.from({ length: 100 }, () => submit(challengeId, code)));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 401 && r.json().code === 'auth.code_expired')).toHaveLength(99);
    expect(await sessionsOf(admin.id)).toBe(1);
    expect((await account(admin.id)).failed_logins).toBe(0);
  });

  it('counts no more than five of 100 concurrent wrong codes, then refuses the right one', async () => {
    const admin = await newAdmin();
    const { challengeId, code } = await challenge(admin);
    const wrong = code === '999999' ? '888888' : '999999';
    const results = await Promise.all(Array.from({ length: 100 }, () => submit(challengeId, wrong)));
    const codes = results.map((r) => r.json().code as string);
    const count = (c: string) => codes.filter((x) => x === c).length;
    // Exactly five wrong codes are counted (by the challenge and by the account); which of the five sees the lock and
    // which the used-up challenge depends on how the requests interleave, so only the totals are fixed.
    expect(count('auth.wrong_code') + count('auth.locked')).toBeLessThanOrEqual(5);
    expect(count('auth.locked')).toBeGreaterThanOrEqual(1);
    expect(count('auth.wrong_code') + count('auth.locked') + count('auth.code_expired')).toBe(100);
    const counted = await db
      .selectFrom('audit_log')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('action', '=', 'auth.second_factor')
      .where('object_id', '=', admin.id)
      .where(sql<boolean>`detail->>'reason' = 'wrong_code'`)
      .executeTakeFirstOrThrow();
    expect(counted.n).toBe(5);
    const row = await db.selectFrom('login_challenge').select('attempts').where('id', '=', challengeId).executeTakeFirstOrThrow();
    expect(row.attempts).toBe(5);
    expect((await account(admin.id)).locked_until).not.toBeNull();
    expect((await submit(challengeId, code)).statusCode).toBe(401);
    expect(await sessionsOf(admin.id)).toBe(0);
  });

  it('refuses an expired code', async () => {
    const admin = await newAdmin();
    const { challengeId, code } = await challenge(admin);
    await db.updateTable('login_challenge').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', challengeId).execute();
    const res = await submit(challengeId, code);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.code_expired');
    expect(await sessionsOf(admin.id)).toBe(0);
  });

  it('refuses malformed codes and challenge ids naming the field, and counts nothing', async () => {
    const admin = await newAdmin();
    const { challengeId } = await challenge(admin);
    for (const [body, field] of [
      [{ challengeId, code: '12345' }, 'code'],
      [{ challengeId, code: '12345a' }, 'code'],
      [{ challengeId, code: '1234567' }, 'code'],
      [{ challengeId: 'not-a-uuid', code: '123456' }, 'challengeId'],
      [{ challengeId, code: '123456', extra: 1 }, 'extra'],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/second-factor', payload: body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'request.invalid', field });
    }
    expect((await db.selectFrom('login_challenge').select('attempts').where('id', '=', challengeId).executeTakeFirstOrThrow()).attempts).toBe(0);
    expect((await account(admin.id)).failed_logins).toBe(0);
    const unknown = await submit('00000000-0000-4000-8000-000000000000', '123456');
    expect(unknown.json().code).toBe('auth.code_expired');
  });

  it('resends once a minute with a new code that replaces the old one', async () => {
    const admin = await newAdmin();
    const { challengeId, code: first } = await challenge(admin);
    const resend = () => app.inject({ method: 'POST', url: '/api/auth/second-factor/resend', payload: { challengeId } });
    const soon = await resend();
    expect(soon.statusCode).toBe(429);
    expect(soon.json().code).toBe('auth.resend_too_soon');
    expect(Number(soon.headers['retry-after'])).toBeGreaterThan(0);
    expect(smsc.received(admin.phone!)).toHaveLength(1);

    await db.updateTable('login_challenge').set({ last_sent_at: new Date(Date.now() - 61_000) }).where('id', '=', challengeId).execute();
    const arriving = smsc.next(admin.phone!);
    const later = await resend();
    expect(later.statusCode).toBe(200);
    expect(later.json().secondFactor.challengeId).toBe(challengeId);
    const second = codeIn((await arriving).text);
    if (second !== first) expect((await submit(challengeId, first)).json().code).toBe('auth.wrong_code');
    expect((await submit(challengeId, second)).statusCode).toBe(200);
  });

  it('sends at most five codes per account in 15 minutes', async () => {
    const admin = await newAdmin();
    for (let i = 0; i < 5; i++) expect((await loginRequest(admin.username)).json().secondFactor).toBeDefined();
    const sixth = await loginRequest(admin.username);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().code).toBe('auth.too_many_codes');
    await new Promise((r) => setTimeout(r, 50));
    expect(smsc.received(admin.phone!)).toHaveLength(5);
  });

  it('keeps only the newest code of an account working', async () => {
    const admin = await newAdmin();
    const older = await challenge(admin);
    const newer = await challenge(admin);
    expect((await submit(older.challengeId, older.code)).json().code).toBe('auth.code_expired');
    expect((await submit(newer.challengeId, newer.code)).statusCode).toBe(200);
  });

  it('answers 503 and opens nothing when the SMS centre cannot be reached', async () => {
    const down = await LocalSmsc.start();
    const port = down.port;
    await down.close();
    const deadSender = new SmppSender({ host: '127.0.0.1', port, systemId: 'x', password: 'y', sourceAddr: '1069', timeoutMs: 1_000 });
    const { app: other } = await buildApp({ db, config: testConfig(), serveWeb: false, sms: deadSender });
    try {
      const admin = await newAdmin();
      const res = await other.inject({ method: 'POST', url: '/api/auth/login', payload: { username: admin.username, password: TEST_PASSWORD } });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('sms.unavailable');
      expect(await sessionsOf(admin.id)).toBe(0);
      const open = await db.selectFrom('login_challenge').select('id').where('user_id', '=', admin.id).where('expires_at', '>', new Date()).execute();
      expect(open).toEqual([]);
      const audit = await db.selectFrom('audit_log').select(['action', 'outcome']).where('object_id', '=', admin.id).where('action', 'like', 'auth.%').execute();
      expect(audit).toEqual([{ action: 'auth.second_factor_sent', outcome: 'failure' }]);
    } finally {
      await other.close();
      await deadSender.close();
    }
  });

  it('is off when the platform does not require it', async () => {
    const { app: other } = await buildApp({ db, config: testConfig({ adminSecondFactor: false }), serveWeb: false, sms: sender });
    try {
      const admin = await newAdmin();
      const res = await other.inject({ method: 'POST', url: '/api/auth/login', payload: { username: admin.username, password: TEST_PASSWORD } });
      expect(res.json().user.username).toBe(admin.username);
    } finally {
      await other.close();
    }
  });
});
