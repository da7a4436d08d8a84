// Own-password changes: only through the route that checks the current password, whose wrong guesses lock the account.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';

type Setup = Awaited<ReturnType<typeof testApp>> & Awaited<ReturnType<typeof testDb>>;
let app: Setup['app'];
let services: Setup['services'];
let db: Setup['db'];

beforeAll(async () => ({ app, services, db } = { ...(await testApp()), ...(await testDb()) }));

const stored = (id: string) => db.selectFrom('app_user').select(['password_hash', 'failed_logins', 'locked_until']).where('id', '=', id).executeTakeFirstOrThrow();
const failures = (id: string) =>
  db.selectFrom('audit_log').select('detail').where('object_id', '=', id).where('action', '=', 'auth.password_change').where('outcome', '=', 'failure').execute();

describe('an administrator setting their own password', () => {
  it.each(['platform_admin', 'department_admin'] as const)('is refused on the reset route (%s), which writes nothing', async (role) => {
    const admin = await newUser(db, { grants: [{ role, regionCode: '6505' }] });
    const client = await login(app, admin.username, admin.password);
    const before = await stored(admin.id);
    const res = await client.post(`/api/users/${admin.id}/password`, { password: 'Taken-Over-2026' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.use_change_password');
    expect(await stored(admin.id)).toEqual(before);
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    expect((await login(app, admin.username, admin.password)).session).toBeDefined();
  });

  it('still resets another account', async () => {
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    const other = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    const client = await login(app, admin.username, admin.password);
    expect((await client.post(`/api/users/${other.id}/password`, { password: 'Reset-By-Admin-2026' })).statusCode).toBe(204);
  });
});

describe('wrong current passwords on the change-password route', () => {
  it('count towards the lockout: the fifth locks the account and ends its sessions', async () => {
    const user = await newUser(db, { grants: [{ role: 'department_admin', regionCode: '6505' }] });
    const client = await login(app, user.username, user.password);
    const elsewhere = await login(app, user.username, user.password);
    const before = await stored(user.id);
    for (let i = 1; i <= 4; i++) {
      const res = await client.post('/api/auth/password', { currentPassword: `Wrong-pass${i}`, newPassword: 'Brand-New-Pass9' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'auth.wrong_password', field: 'currentPassword', remainingAttempts: 5 - i });
      expect((await stored(user.id)).failed_logins).toBe(i);
    }
    const fifth = await client.post('/api/auth/password', { currentPassword: 'Wrong-pass5', newPassword: 'Brand-New-Pass9' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json()).toMatchObject({ code: 'auth.locked', field: 'currentPassword' });
    const after = await stored(user.id);
    expect(after.password_hash).toBe(before.password_hash);
    expect(after.locked_until!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    services.auth.clearSessionCache();
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
    expect((await elsewhere.get('/api/auth/me')).statusCode).toBe(401);
    const signIn = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } });
    expect(signIn.statusCode).toBe(423);
    expect(await failures(user.id)).toHaveLength(5);
  });

  it('checks no more than five of 100 concurrent guesses', async () => {
    const user = await newUser(db, { grants: [{ role: 'department_admin', regionCode: '6505' }] });
    const client = await login(app, user.username, user.password);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => client.post('/api/auth/password', { currentPassword: `Wrong-guess${i}`, newPassword: 'Brand-New-Pass9' })),
    );
    const codes = results.map((r) => r.json().code as string);
    expect(codes.filter((c) => c === 'auth.wrong_password')).toHaveLength(4);
    expect(codes.filter((c) => c === 'auth.locked')).toHaveLength(96);
    expect(await failures(user.id)).toHaveLength(5);
    const after = await stored(user.id);
    expect(after.locked_until).not.toBeNull();
    // the right password no longer helps while locked
    const right = await client.post('/api/auth/password', { currentPassword: user.password, newPassword: 'Brand-New-Pass9' });
    expect([401, 423]).toContain(right.statusCode);
    expect((await stored(user.id)).password_hash).toBe(after.password_hash);
  });

  it('the right current password forgives earlier failures', async () => {
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const client = await login(app, user.username, user.password);
    await client.post('/api/auth/password', { currentPassword: 'Wrong-pass1', newPassword: 'Brand-New-Pass9' });
    expect((await stored(user.id)).failed_logins).toBe(1);
    expect((await client.post('/api/auth/password', { currentPassword: user.password, newPassword: 'Brand-New-Pass9' })).statusCode).toBe(204);
    expect((await stored(user.id)).failed_logins).toBe(0);
  });
});
