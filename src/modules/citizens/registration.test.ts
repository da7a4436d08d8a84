// Citizen registration end to end: the real app, the run's database and a real SMPP server on loopback.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../../../test/support/db.ts';
import { CITIZEN_PASSWORD, Caller, useCitizenApp, letMinutePass, newIdNumber, newPhone, receiveCode, registerCitizen } from './test-helpers.ts';

const c = useCitizenApp();
let db: Awaited<ReturnType<typeof testDb>>['db'];

beforeAll(async () => {
  ({ db } = await testDb());
});

const citizensWith = async (where: { phone?: string; idNumber?: string }) =>
  (
    await db
      .selectFrom('citizen')
      .select(sql<number>`count(*)::int`.as('n'))
      .$if(where.phone !== undefined, (q) => q.where('phone', '=', where.phone!))
      .$if(where.idNumber !== undefined, (q) => q.where('id_number', '=', where.idNumber!))
      .executeTakeFirstOrThrow()
  ).n;

describe('citizen registration', () => {
  it('confirms the number by SMS, creates the account, opens its session and shows the masked record', async () => {
    const caller = new Caller(c.app);
    const { phone, idNumber, profile } = await registerCitizen(caller, c.smsc);
    expect(profile.idNumberMasked).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    expect(profile.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    const me = await caller.request('GET', '/api/citizen/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().profile).toMatchObject({ id: profile.id, name: '买买提·艾力' });
    expect(me.body).not.toContain(idNumber);
    expect(me.body).not.toContain(phone);
    const user = await db.selectFrom('app_user').select(['kind', 'password_hash', 'region_code']).where('id', '=', profile.id).executeTakeFirstOrThrow();
    expect(user.kind).toBe('citizen');
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('object_id', '=', profile.id).where('action', '=', 'citizen.register').executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.detail)).not.toContain(idNumber);
  });

  it('stores codes hashed and uses each once', async () => {
    const caller = new Caller(c.app);
    const phone = newPhone();
    const code = await receiveCode(caller, c.smsc, phone, 'register');
    const row = await db.selectFrom('citizen_code').select(['code_hash', 'expires_at', 'created_at']).where('phone', '=', phone).executeTakeFirstOrThrow();
    expect(row.code_hash).not.toContain(code);
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBe(5 * 60_000);
    const body = { name: '张三', idNumber: newIdNumber(), phone, password: CITIZEN_PASSWORD, code };
    expect((await caller.request('POST', '/api/citizen/register', body)).statusCode).toBe(201);
    const again = await new Caller(c.app).request('POST', '/api/citizen/register', { ...body, idNumber: newIdNumber(), phone });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'citizen.code_expired', field: 'code' });
  });

  it('refuses an expired code', async () => {
    const caller = new Caller(c.app);
    const phone = newPhone();
    const code = await receiveCode(caller, c.smsc, phone, 'register');
    await db.updateTable('citizen_code').set({ expires_at: new Date(Date.now() - 1000) }).where('phone', '=', phone).execute();
    const res = await caller.request('POST', '/api/citizen/register', { name: '张三', idNumber: newIdNumber(), phone, password: CITIZEN_PASSWORD, code });
    expect(res.json()).toMatchObject({ status: 400, code: 'citizen.code_expired', field: 'code' });
    expect(await citizensWith({ phone })).toBe(0);
  });

  it.each([
    ['a wrong check character', (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1'), 'check_digit'],
    ['a birth date in the future', () => '650502209901011234', null],
    ['an unknown region prefix', () => '659999199001011235', null],
  ])('refuses %s, naming idNumber, and writes nothing', async (_label, make, problem) => {
    const caller = new Caller(c.app);
    const phone = newPhone();
    const code = await receiveCode(caller, c.smsc, phone, 'register');
    const idNumber = make(newIdNumber());
    const res = await caller.request('POST', '/api/citizen/register', { name: '张三', idNumber, phone, password: CITIZEN_PASSWORD, code });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'citizen.invalid_id_number', field: 'idNumber' });
    if (problem) expect(res.json().problem).toBe(problem);
    expect(await citizensWith({ phone })).toBe(0);
  });

  it.each([
    [{ phone: '12345678901' }, 'phone'],
    [{ code: '12345' }, 'code'],
    [{ name: '' }, 'name'],
    [{ idNumber: 42 }, 'idNumber'],
    [{ extra: 1 }, 'extra'],
  ])('answers bad input %j with 400 naming %s', async (patch, field) => {
    const body = { name: '张三', idNumber: newIdNumber(), phone: newPhone(), password: CITIZEN_PASSWORD, code: '123456', ...patch };
    const res = await new Caller(c.app).request('POST', '/api/citizen/register', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
  });

  it('applies the password policy', async () => {
    const caller = new Caller(c.app);
    const phone = newPhone();
    const code = await receiveCode(caller, c.smsc, phone, 'register');
    const res = await caller.request('POST', '/api/citizen/register', { name: '张三', idNumber: newIdNumber(), phone, password: 'Password1!', code });
    expect(res.json()).toMatchObject({ status: 400, code: 'account.weak_password', field: 'password' });
    expect(await citizensWith({ phone })).toBe(0);
  });
});

describe('duplicate registration', () => {
  it('answers a taken ID number with 409 naming idNumber, without saying whose, and counts a try on the code', async () => {
    const first = await registerCitizen(new Caller(c.app), c.smsc, { name: '阿依古丽' });
    const caller = new Caller(c.app);
    const phone = newPhone();
    const code = await receiveCode(caller, c.smsc, phone, 'register');
    const res = await caller.request('POST', '/api/citizen/register', { name: '李四', idNumber: first.idNumber, phone, password: CITIZEN_PASSWORD, code });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'citizen.id_number_taken', field: 'idNumber' });
    for (const secret of ['阿依古丽', first.phone, first.phone.slice(-4), first.profile.id]) expect(res.body).not.toContain(secret);
    expect(await citizensWith({ phone })).toBe(0);
    expect(await db.selectFrom('app_user').select('id').where('display_name', '=', '李四').where('kind', '=', 'citizen').where(sql<boolean>`created_at > now() - interval '1 minute'`).execute()).toEqual([]);
    const row = await db.selectFrom('citizen_code').select(['attempts', 'consumed_at']).where('phone', '=', phone).executeTakeFirstOrThrow();
    expect(row).toEqual({ attempts: 1, consumed_at: null });
    // the same code still registers once the ID number is corrected
    const fixed = await caller.request('POST', '/api/citizen/register', { name: '李四', idNumber: newIdNumber(), phone, password: CITIZEN_PASSWORD, code });
    expect(fixed.statusCode).toBe(201);
  });

  it('answers a taken mobile number with 409 naming phone', async () => {
    const first = await registerCitizen(new Caller(c.app), c.smsc);
    const caller = new Caller(c.app);
    await letMinutePass(first.phone);
    const code = await receiveCode(caller, c.smsc, first.phone, 'register');
    const res = await caller.request('POST', '/api/citizen/register', { name: '王五', idNumber: newIdNumber(), phone: first.phone, password: CITIZEN_PASSWORD, code });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'citizen.phone_taken', field: 'phone' });
    expect(res.body).not.toContain(first.idNumber.slice(-4));
  });

  it('lets exactly one of five concurrent registrations with the same ID number win', async () => {
    const idNumber = newIdNumber();
    const callers = Array.from({ length: 5 }, () => new Caller(c.app));
    const phones = callers.map(() => newPhone());
    const codes = await Promise.all(callers.map((caller, i) => receiveCode(caller, c.smsc, phones[i]!, 'register')));
    const names = callers.map((_caller, i) => `并发${idNumber.slice(-6)}${i}`);
    const results = await Promise.all(
      callers.map((caller, i) => caller.request('POST', '/api/citizen/register', { name: names[i], idNumber, phone: phones[i], password: CITIZEN_PASSWORD, code: codes[i] })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.statusCode === 409)) expect(r.json()).toMatchObject({ code: 'citizen.id_number_taken', field: 'idNumber' });
    expect(await citizensWith({ idNumber })).toBe(1);
    // the losers' account rows rolled back with their identity rows
    expect(await db.selectFrom('app_user').select('display_name').where('display_name', 'in', names).execute()).toHaveLength(1);
  });
});

describe('wrong registration codes', () => {
  it('answers a wrong code with the tries left and writes nothing; five wrong ones end the code', async () => {
    const caller = new Caller(c.app);
    const phone = newPhone();
    const code = await receiveCode(caller, c.smsc, phone, 'register');
    const wrong = code === '999999' ? '000000' : String(Number(code) + 1).padStart(6, '0');
    const body = { name: '错码', idNumber: newIdNumber(), phone, password: CITIZEN_PASSWORD };
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await caller.request('POST', '/api/citizen/register', { ...body, code: wrong })).json());
    expect(answers.map((a) => a.remainingAttempts ?? a.code)).toEqual([4, 3, 2, 1, 'citizen.code_expired']);
    expect(answers[0]).toMatchObject({ status: 400, code: 'citizen.wrong_code', field: 'code' });
    expect((await caller.request('POST', '/api/citizen/register', { ...body, code })).json().code).toBe('citizen.code_expired');
    expect(await citizensWith({ phone })).toBe(0);
  });
});
