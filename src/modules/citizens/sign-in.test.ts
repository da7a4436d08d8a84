// Citizen sign-in by password or SMS code, code brute-force limits, and the citizen's own record (phone, password).
import { beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../../../test/support/db.ts';
import { CITIZEN_PASSWORD, Caller, useCitizenApp, letMinutePass, newPhone, receiveCode, registerCitizen } from './test-helpers.ts';

const c = useCitizenApp();
let db: Awaited<ReturnType<typeof testDb>>['db'];

beforeAll(async () => {
  ({ db } = await testDb());
});

describe('citizen sign-in with password', () => {
  it('accepts the mobile number or the ID number (lower-case x too) as the identifier', async () => {
    const citizen = await registerCitizen(new Caller(c.app), c.smsc);
    for (const identifier of [citizen.phone, citizen.idNumber, citizen.idNumber.toLowerCase()]) {
      const caller = new Caller(c.app);
      const res = await caller.request('POST', '/api/citizen/sign-in', { identifier, password: CITIZEN_PASSWORD });
      expect(res.statusCode).toBe(200);
      expect(res.json().profile.id).toBe(citizen.profile.id);
      expect((await caller.request('GET', '/api/citizen/me')).statusCode).toBe(200);
    }
  });

  it('answers a wrong password and an unknown number alike', async () => {
    const citizen = await registerCitizen(new Caller(c.app), c.smsc);
    const wrong = await new Caller(c.app).request('POST', '/api/citizen/sign-in', { identifier: citizen.phone, password: 'Wrong-Password-1' });
    const unknown = await new Caller(c.app).request('POST', '/api/citizen/sign-in', { identifier: newPhone(), password: 'Wrong-Password-1' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('auth.invalid_credentials');
    expect(unknown.json().code).toBe('auth.invalid_credentials');
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });
});

describe('citizen sign-in with an SMS code', () => {
  it('opens a session with the code sent for sign-in, once', async () => {
    const citizen = await registerCitizen(new Caller(c.app), c.smsc);
    await letMinutePass(citizen.phone);
    const caller = new Caller(c.app);
    const code = await receiveCode(caller, c.smsc, citizen.phone, 'sign_in');
    const res = await caller.request('POST', '/api/citizen/sign-in/code', { phone: citizen.phone, code });
    expect(res.statusCode).toBe(200);
    expect(res.json().profile.id).toBe(citizen.profile.id);
    const again = await new Caller(c.app).request('POST', '/api/citizen/sign-in/code', { phone: citizen.phone, code });
    expect(again.json()).toMatchObject({ status: 400, code: 'citizen.code_expired' });
  });

  it('lets one of two concurrent submissions of the right code in', async () => {
    const citizen = await registerCitizen(new Caller(c.app), c.smsc);
    await letMinutePass(citizen.phone);
    const code = await receiveCode(new Caller(c.app), c.smsc, citizen.phone, 'sign_in');
    const results = await Promise.all([new Caller(c.app), new Caller(c.app)].map((caller) => caller.request('POST', '/api/citizen/sign-in/code', { phone: citizen.phone, code })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
  });

  it('answers a sign-in code request for a number without an account like any other, and sends nothing', async () => {
    const phone = newPhone();
    const res = await new Caller(c.app).request('POST', '/api/citizen/codes', { phone, purpose: 'sign_in' });
    expect(res.statusCode).toBe(202);
    expect(Object.keys(res.json()).sort()).toEqual(['expiresAt', 'phoneMasked', 'resendAfterSeconds']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(c.smsc.received(phone)).toEqual([]);
    const wrong = await new Caller(c.app).request('POST', '/api/citizen/sign-in/code', { phone, code: '000000' });
    expect(wrong.json()).toMatchObject({ code: 'citizen.wrong_code', remainingAttempts: 4 });
  });

  it('stops a code after five wrong tries: the right code then opens nothing either', async () => {
    const citizen = await registerCitizen(new Caller(c.app), c.smsc);
    await letMinutePass(citizen.phone);
    const code = await receiveCode(new Caller(c.app), c.smsc, citizen.phone, 'sign_in');
    const wrongCode = code === '999999' ? '000000' : String(Number(code) + 1).padStart(6, '0');
    const sessions = () => db.selectFrom('user_session').select('id_hash').where('user_id', '=', citizen.profile.id).execute();
    const before = (await sessions()).length;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await new Caller(c.app).request('POST', '/api/citizen/sign-in/code', { phone: citizen.phone, code: wrongCode })).json());
    expect(answers.map((a) => a.remainingAttempts ?? a.code)).toEqual([4, 3, 2, 1, 'citizen.code_expired']);
    const right = await new Caller(c.app).request('POST', '/api/citizen/sign-in/code', { phone: citizen.phone, code });
    expect(right.json()).toMatchObject({ status: 400, code: 'citizen.code_expired' });
    expect(await sessions()).toHaveLength(before);
  });

  it('counts concurrent wrong tries exactly: ten at once leave no try beyond the five', async () => {
    const citizen = await registerCitizen(new Caller(c.app), c.smsc);
    await letMinutePass(citizen.phone);
    const code = await receiveCode(new Caller(c.app), c.smsc, citizen.phone, 'sign_in');
    const wrongCode = code === '999999' ? '000000' : String(Number(code) + 1).padStart(6, '0');
    const results = await Promise.all(Array.from({ length: 10 }, () => new Caller(c.app).request('POST', '/api/citizen/sign-in/code', { phone: citizen.phone, code: wrongCode })));
    expect(results.filter((r) => r.json().code === 'citizen.wrong_code')).toHaveLength(4);
    const row = await db.selectFrom('citizen_code').select('attempts').where('phone', '=', citizen.phone).where('purpose', '=', 'sign_in').executeTakeFirstOrThrow();
    expect(row.attempts).toBe(5);
  });
});

describe('the citizen’s own record', () => {
  it('moves the account to a new number confirmed by a code sent to it', async () => {
    const caller = new Caller(c.app);
    const citizen = await registerCitizen(caller, c.smsc);
    const newNumber = newPhone();
    const code = await receiveCode(caller, c.smsc, newNumber, 'change_phone');
    const res = await caller.request('PUT', '/api/citizen/me/phone', { phone: newNumber, code });
    expect(res.statusCode).toBe(200);
    expect(res.json().phoneMasked).toBe(`${newNumber.slice(0, 3)}****${newNumber.slice(-4)}`);
    expect((await new Caller(c.app).request('POST', '/api/citizen/sign-in', { identifier: newNumber, password: CITIZEN_PASSWORD })).statusCode).toBe(200);
    expect((await new Caller(c.app).request('POST', '/api/citizen/sign-in', { identifier: citizen.phone, password: CITIZEN_PASSWORD })).statusCode).toBe(401);
  });

  it('refuses a number another account holds (409 phone), and a change_phone code without a session', async () => {
    const other = await registerCitizen(new Caller(c.app), c.smsc);
    const caller = new Caller(c.app);
    await registerCitizen(caller, c.smsc);
    await letMinutePass(other.phone);
    const code = await receiveCode(caller, c.smsc, other.phone, 'change_phone');
    const res = await caller.request('PUT', '/api/citizen/me/phone', { phone: other.phone, code });
    expect(res.json()).toMatchObject({ status: 409, code: 'citizen.phone_taken', field: 'phone' });
    const anonymous = await new Caller(c.app).request('POST', '/api/citizen/codes', { phone: newPhone(), purpose: 'change_phone' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('changes the password under the policy, ending the other sessions', async () => {
    const caller = new Caller(c.app);
    const citizen = await registerCitizen(caller, c.smsc);
    const other = new Caller(c.app);
    expect((await other.request('POST', '/api/citizen/sign-in', { identifier: citizen.phone, password: CITIZEN_PASSWORD })).statusCode).toBe(200);
    const weak = await caller.request('POST', '/api/citizen/me/password', { currentPassword: CITIZEN_PASSWORD, newPassword: 'abc12345' });
    expect(weak.json()).toMatchObject({ code: 'account.weak_password', field: 'newPassword' });
    const res = await caller.request('POST', '/api/citizen/me/password', { currentPassword: CITIZEN_PASSWORD, newPassword: 'Tian-Shan-Snow-42' });
    expect(res.statusCode).toBe(204);
    expect((await other.request('GET', '/api/citizen/me')).statusCode).toBe(401);
    expect((await caller.request('GET', '/api/citizen/me')).statusCode).toBe(200);
    expect((await new Caller(c.app).request('POST', '/api/citizen/sign-in', { identifier: citizen.idNumber, password: 'Tian-Shan-Snow-42' })).statusCode).toBe(200);
  });

  it('signs out', async () => {
    const caller = new Caller(c.app);
    await registerCitizen(caller, c.smsc);
    expect((await caller.request('POST', '/api/citizen/sign-out')).statusCode).toBe(204);
    expect((await caller.request('GET', '/api/citizen/me')).statusCode).toBe(401);
  });
});
