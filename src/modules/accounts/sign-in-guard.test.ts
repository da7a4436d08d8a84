// API tests of the sign-in guard under attack: atomic lockout and address limits under concurrency, identical answers
// for unknown names, captchas, the busy gate, and hostile names; on the real app and database.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config.ts';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { testApp, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { TEST_PASSWORD, newUser, uniq } from '../../../test/support/factories.ts';
import { storeCaptcha } from './captcha.ts';

let app: App;
let db: Awaited<ReturnType<typeof testDb>>['db'];
const extraApps: App[] = [];

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
});

afterAll(async () => {
  for (const a of extraApps) await a.close();
});

async function appWith(overrides: Partial<Config>): Promise<App> {
  const built = await buildApp({ db, config: testConfig(overrides), serveWeb: false });
  extraApps.push(built.app);
  return built.app;
}

let addressSeq = 0;
/** A client address of its own per test, so address counters and audit records do not mix. */
const newAddress = () => `10.77.${Math.floor(++addressSeq / 250)}.${addressSeq % 250}`;

const signIn = (target: App, payload: Record<string, unknown>, remoteAddress = '127.0.0.1') =>
  target.inject({ method: 'POST', url: '/api/auth/login', payload, remoteAddress });

const staff = () => newUser(db, { grants: [{ role: 'department_staff', regionCode: '650502' }] });

/** Sign-in audit records from one address, by outcome. */
async function outcomesFrom(address: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['outcome', sql<number>`count(*)::int`.as('n')])
    .where('action', '=', 'auth.login')
    .where('client_addr', '=', address)
    .groupBy('outcome')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
}

const statusCounts = (responses: { statusCode: number }[]) =>
  responses.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.statusCode]: (acc[r.statusCode] ?? 0) + 1 }), {});

/** A problem body without the parts that differ per request. */
const shape = (body: Record<string, unknown>) => {
  const { instance: _instance, requestId: _requestId, lockedUntil, detail, ...rest } = body;
  return { ...rest, keys: Object.keys(body).sort(), hasLockedUntil: typeof lockedUntil === 'string', detail: String(detail).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/, 'T') };
};

describe('sign-in answers do not reveal whether a name has an account', () => {
  it('answers a wrong password, an unknown name and an account without a password identically: no field, no attempts left', async () => {
    const user = await staff();
    const pending = await newUser(db, { password: null, grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const answers = [
      await signIn(app, { username: user.username, password: 'Wrong-pass1' }),
      await signIn(app, { username: uniq('nobody'), password: 'Wrong-pass1' }),
      await signIn(app, { username: pending.username, password: 'Wrong-pass1' }),
    ];
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).not.toHaveProperty('field');
      expect(res.json()).not.toHaveProperty('remainingAttempts');
    }
    expect(shape(answers[1]!.json())).toEqual(shape(answers[0]!.json()));
    expect(shape(answers[2]!.json())).toEqual(shape(answers[0]!.json()));
  });

  it('locks an unknown name after 5 failures exactly as it locks an account', async () => {
    const user = await staff();
    const ghost = uniq('ghost');
    const runs: Record<string, unknown>[][] = [];
    for (const username of [user.username, ghost]) {
      const bodies: Record<string, unknown>[] = [];
      for (let i = 0; i < 6; i++) {
        const captcha = i >= 3 ? { captchaId: await storeCaptcha(db, 'ABCD'), captchaAnswer: 'abcd' } : {};
        const res = await signIn(app, { username, password: 'Wrong-pass1', ...captcha });
        bodies.push({ status: res.statusCode, ...shape(res.json()) });
      }
      runs.push(bodies);
    }
    expect(runs[0]!.map((b) => b.status)).toEqual([401, 401, 401, 401, 423, 423]);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]![4]).toMatchObject({ code: 'auth.locked', hasLockedUntil: true });
  });

  it('records failed sign-ins of unknown names in the prefecture, where auditors see them', async () => {
    const ghost = uniq('ghost');
    const address = newAddress();
    await signIn(app, { username: ghost, password: 'Wrong-pass1' }, address);
    const record = await db.selectFrom('audit_log').select(['region_code', 'outcome', 'actor_name']).where('actor_name', '=', ghost).executeTakeFirstOrThrow();
    expect(record).toEqual({ region_code: '6505', outcome: 'failure', actor_name: ghost });
  });
});

describe('concurrent guesses cannot overrun the limits', { timeout: 120_000 }, () => {
  it('checks at most 5 of 200 simultaneous wrong passwords for one account (each with a solved captcha), locks it, and then refuses the right password', async () => {
    const wide = await appWith({ loginQueue: 100_000 });
    const user = await staff();
    const address = newAddress();
    const captchas = await Promise.all(Array.from({ length: 200 }, () => storeCaptcha(db, 'WXYZ')));
    const responses = await Promise.all(captchas.map((captchaId) => signIn(wide, { username: user.username, password: 'Wrong-pass1', captchaId, captchaAnswer: 'WXYZ' }, address)));
    const counts = statusCounts(responses);
    expect((counts[401] ?? 0) + (counts[423] ?? 0)).toBe(200);
    expect(counts[401]).toBe(4); // the 5th check locks and answers 423 like the 195 refused without a check
    expect(await outcomesFrom(address)).toEqual({ failure: 5, denied: 195 });
    const row = await db.selectFrom('app_user').select(['failed_logins', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.failed_logins).toBe(5);
    expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const right = await signIn(wide, { username: user.username, password: TEST_PASSWORD }, address);
    expect(right.statusCode).toBe(423);
    expect(right.json().code).toBe('auth.locked');
    expect(await db.selectFrom('user_session').select('id_hash').where('user_id', '=', user.id).execute()).toEqual([]);
  });

  it('checks only 3 of 150 simultaneous guesses without a captcha, for an account and for an unknown name alike', async () => {
    const wide = await appWith({ loginQueue: 100_000 });
    const user = await staff();
    for (const username of [user.username, uniq('ghost')]) {
      const address = newAddress();
      const responses = await Promise.all(Array.from({ length: 150 }, () => signIn(wide, { username, password: 'Wrong-pass1' }, address)));
      expect(statusCounts(responses)).toEqual({ 401: 3, 400: 147 });
      expect(new Set(responses.filter((r) => r.statusCode === 400).map((r) => r.json().code))).toEqual(new Set(['auth.captcha_required']));
      expect(await outcomesFrom(address)).toEqual({ failure: 3, denied: 147 });
    }
  });

  it('cuts 200 simultaneous sign-ins for different names from one address off at the address limit', async () => {
    const limited = await appWith({ loginQueue: 100_000, loginFailuresPerAddress: 30 });
    const address = newAddress();
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => signIn(limited, { username: uniq(`spray${i}`), password: 'Spray-pass1' }, address)));
    expect(statusCounts(responses)).toEqual({ 401: 30, 429: 170 });
    expect(responses.find((r) => r.statusCode === 429)!.json().code).toBe('auth.too_many_failures');
    expect(Number(responses.find((r) => r.statusCode === 429)!.headers['retry-after'])).toBeGreaterThan(500);
    expect(await outcomesFrom(address)).toEqual({ failure: 30, denied: 170 });
    const counter = await db.selectFrom('sign_in_counter').select(['failures']).where('key', '=', `addr:${address}`).executeTakeFirstOrThrow();
    expect(counter.failures).toBe(30);
  });

  it('does not count successful sign-ins against the address, even 100 at once', async () => {
    const limited = await appWith({ loginQueue: 100_000, loginFailuresPerAddress: 5 });
    const address = newAddress();
    const users = await Promise.all(Array.from({ length: 20 }, () => staff()));
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => signIn(limited, { username: users[i % 20]!.username, password: TEST_PASSWORD }, address)));
    expect(statusCounts(responses)).toEqual({ 200: 100 });
    const counter = await db.selectFrom('sign_in_counter').select(['failures', 'locked_until']).where('key', '=', `addr:${address}`).executeTakeFirstOrThrow();
    expect(counter).toEqual({ failures: 0, locked_until: null });
  });
});

describe('captcha after repeated failures', () => {
  it('serves a captcha as SVG and stores only a hash of its answer, with an expiry', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/captcha' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { id, svg } = res.json();
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    const row = await db.selectFrom('sign_in_captcha').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.answer_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.expires_at.getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);
  });

  it('requires a captcha after 3 failures; refuses a wrong, reused or expired one; accepts a solved one', async () => {
    const user = await staff();
    for (let i = 0; i < 3; i++) expect((await signIn(app, { username: user.username, password: 'Wrong-pass1' })).statusCode).toBe(401);
    const required = await signIn(app, { username: user.username, password: TEST_PASSWORD });
    expect(required.statusCode).toBe(400);
    expect(required.json()).toMatchObject({ code: 'auth.captcha_required', field: 'captchaAnswer' });

    const wrongId = await storeCaptcha(db, 'K7PQ');
    const wrong = await signIn(app, { username: user.username, password: TEST_PASSWORD, captchaId: wrongId, captchaAnswer: 'K7PX' });
    expect(wrong.json()).toMatchObject({ status: 400, code: 'auth.captcha_wrong', field: 'captchaAnswer' });
    // a captcha is used up by any try, so the right answer no longer works either
    const reused = await signIn(app, { username: user.username, password: TEST_PASSWORD, captchaId: wrongId, captchaAnswer: 'K7PQ' });
    expect(reused.json().code).toBe('auth.captcha_wrong');

    const expiredId = await storeCaptcha(db, 'M3NB', new Date(Date.now() - 6 * 60_000));
    const expired = await signIn(app, { username: user.username, password: TEST_PASSWORD, captchaId: expiredId, captchaAnswer: 'M3NB' });
    expect(expired.json().code).toBe('auth.captcha_wrong');
    const unknownId = await signIn(app, { username: user.username, password: TEST_PASSWORD, captchaId: '00000000-0000-4000-8000-000000000000', captchaAnswer: 'M3NB' });
    expect(unknownId.json().code).toBe('auth.captcha_wrong');
    // none of those checked the password or counted as a failure
    const row = await db.selectFrom('app_user').select(['failed_logins']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.failed_logins).toBe(3);

    const solvedId = await storeCaptcha(db, 'R2D2');
    const solved = await signIn(app, { username: user.username, password: TEST_PASSWORD, captchaId: solvedId, captchaAnswer: ' r2d2 ' });
    expect(solved.statusCode).toBe(200);
    const reset = await db.selectFrom('app_user').select(['failed_logins', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(reset).toEqual({ failed_logins: 0, locked_until: null });
    expect((await signIn(app, { username: user.username, password: TEST_PASSWORD })).statusCode).toBe(200); // no captcha needed any more
  });

  it('asks an unknown name for a captcha exactly as it asks an account', async () => {
    const user = await staff();
    const answers = [];
    for (const username of [user.username, uniq('ghost')]) {
      for (let i = 0; i < 3; i++) await signIn(app, { username, password: 'Wrong-pass1' });
      answers.push(await signIn(app, { username, password: 'Wrong-pass1' }));
    }
    expect(answers[0]!.statusCode).toBe(400);
    expect(shape(answers[1]!.json())).toEqual(shape(answers[0]!.json()));
  });

  it('requires a captcha from an address after its failures pass the address threshold', async () => {
    const strict = await appWith({ loginCaptchaAfterAddress: 2 });
    const address = newAddress();
    for (let i = 0; i < 2; i++) expect((await signIn(strict, { username: uniq('x'), password: 'Wrong-pass1' }, address)).statusCode).toBe(401);
    const user = await staff();
    const res = await signIn(strict, { username: user.username, password: TEST_PASSWORD }, address);
    expect(res.json().code).toBe('auth.captcha_required');
    const captchaId = await storeCaptcha(db, 'HJ4K');
    expect((await signIn(strict, { username: user.username, password: TEST_PASSWORD, captchaId, captchaAnswer: 'HJ4K' }, address)).statusCode).toBe(200);
  });
});

describe('hostile sign-in input', () => {
  it.each(['\u0000', 'ad\u0000min', '\ud800', 'a\udc00b', 'tab\tname'])('answers 400 naming username for %j, and writes nothing', async (username) => {
    const address = newAddress();
    const res = await signIn(app, { username, password: 'Wrong-pass1' }, address);
    expect(res.statusCode).toBe(400);
    // NUL and lone surrogates are refused at the HTTP boundary for every route; other control characters by the service
    expect(res.json()).toMatchObject({ code: username === 'tab\tname' ? 'request.invalid' : 'request.invalid_text', field: 'username' });
    expect(await outcomesFrom(address)).toEqual({});
    expect(await db.selectFrom('sign_in_counter').select('key').where('key', '=', `addr:${address}`).execute()).toEqual([]);
  });

  it('counts a name that NFKC makes 18 times longer without failing', async () => {
    const res = await signIn(app, { username: '\ufdfa'.repeat(64), password: 'Wrong-pass1' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.invalid_credentials');
  });

  it('rejects a captcha id that is not a UUID at the boundary', async () => {
    const res = await signIn(app, { username: 'someone', password: 'x', captchaId: 'nope', captchaAnswer: 'ABCD' });
    expect(res.json()).toMatchObject({ code: 'request.invalid', field: 'captchaId' });
  });
});

describe('sign-in work is capped per node', { timeout: 120_000 }, () => {
  it('answers a fast 429 auth.busy with Retry-After beyond the concurrency and queue, and checks nothing for those', async () => {
    const narrow = await appWith({ loginConcurrency: 1, loginQueue: 2 });
    const address = newAddress();
    const users = await Promise.all(Array.from({ length: 3 }, () => staff()));
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => signIn(narrow, { username: users[i % 3]!.username, password: TEST_PASSWORD }, address)));
    const counts = statusCounts(responses);
    expect(counts[200]).toBe(3);
    expect(counts[429]).toBe(97);
    const busy = responses.find((r) => r.statusCode === 429)!;
    expect(busy.json()).toMatchObject({ code: 'auth.busy' });
    expect(busy.headers['retry-after']).toBe('1');
    expect(await outcomesFrom(address)).toEqual({ success: 3 });
  });
});
