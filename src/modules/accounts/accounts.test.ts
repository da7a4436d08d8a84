// API tests of sign-in, lockout, sessions, CSRF, tokens and the user directory, on the real app and database.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, login, testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { TEST_PASSWORD, newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { permissionsOf } from '../../shared/access.ts';
import { storeCaptcha } from './captcha.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let services: Awaited<ReturnType<typeof testApp>>['services'];
let db: Awaited<ReturnType<typeof testDb>>['db'];

beforeAll(async () => {
  ({ app, services } = await testApp());
  ({ db } = await testDb());
});

const countRows = async (table: 'app_user' | 'user_session' | 'api_token' | 'role_grant') =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n;

describe('sign-in', () => {
  it('signs in, sets an HttpOnly SameSite session cookie and returns the user with permissions', async () => {
    const user = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'govcloud_sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const body = res.json();
    expect(body.user.username).toBe(user.username);
    expect(body.user.permissions).toContain('users.manage');
    // three-role separation: the system administrator neither reads the audit trail nor grants roles
    expect(body.user.permissions).not.toContain('audit.read');
    expect(body.user.permissions).not.toContain('roles.grant');
    expect(body.user.grants[0]).toMatchObject({ role: 'platform_admin', regionCode: '6505', regionName: '哈密市' });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const session = await db.selectFrom('user_session').select(['id_hash']).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(session.id_hash).not.toBe(cookie.value); // only the hash is stored
  });

  it('answers a wrong password and an unknown user alike, without the attempts left', async () => {
    const user = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: 'Wrong-pass1' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.json()).toMatchObject({ code: 'auth.invalid_credentials' });
    expect(wrong.json()).not.toHaveProperty('remainingAttempts');
    const unknown = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: uniq('nobody'), password: 'Wrong-pass1' } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe('auth.invalid_credentials');
  });

  it('locks the account for 15 minutes after 5 failed sign-ins, even for the right password', async () => {
    const user = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    // from the 4th attempt on a captcha is required (see sign-in-guard.test.ts); these solve one each time
    const solved = async (i: number) => (i >= 3 ? { captchaId: await storeCaptcha(db, 'ABCD'), captchaAnswer: 'ABCD' } : {});
    for (let i = 0; i < 4; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: 'Wrong-pass1', ...(await solved(i)) } });
      expect(res.statusCode).toBe(401);
    }
    const fifth = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: 'Wrong-pass1', ...(await solved(4)) } });
    expect(fifth.statusCode).toBe(423);
    const lockedUntil = new Date(fifth.json().lockedUntil).getTime();
    expect(lockedUntil - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(lockedUntil - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const right = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: TEST_PASSWORD } });
    expect(right.statusCode).toBe(423);
    expect(right.json().code).toBe('auth.locked');
    const failures = await db.selectFrom('audit_log').select(['outcome']).where('object_id', '=', user.id).where('action', '=', 'auth.login').orderBy('seq').execute();
    expect(failures.map((f) => f.outcome)).toEqual(['failure', 'failure', 'failure', 'failure', 'failure', 'denied']);
    // after the lock expires the right password works again
    await db.updateTable('app_user').set({ locked_until: new Date(Date.now() - 1000) }).where('id', '=', user.id).execute();
    const later = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: TEST_PASSWORD } });
    expect(later.statusCode).toBe(200);
  });

  it('refuses an address after too many failed sign-ins across accounts (password spraying), with Retry-After', async () => {
    const { buildApp } = await import('../../http/app.ts');
    const { testConfig } = await import('../../../test/support/app.ts');
    const strict = await buildApp({ db, config: testConfig({ loginFailuresPerAddress: 3 }), serveWeb: false });
    try {
      const victims = await Promise.all([1, 2, 3, 4].map(() => newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] })));
      const attempt = (username: string, password: string, remoteAddress = '10.9.8.7') =>
        strict.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
      for (const v of victims.slice(0, 3)) expect((await attempt(v.username, 'Spray-pass1')).statusCode).toBe(401);
      const refused = await attempt(victims[3]!.username, victims[3]!.password);
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ code: 'auth.too_many_failures' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // another address is not affected, and the sprayed accounts are not locked
      expect((await attempt(victims[3]!.username, victims[3]!.password, '10.9.8.8')).statusCode).toBe(200);
    } finally {
      await strict.app.close();
    }
  });

  it('refuses accounts that are not activated or disabled', async () => {
    const pending = await newUser(db, { password: null, grants: [{ role: 'department_staff', regionCode: '6505' }] });
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: pending.username, password: 'Anything-1' } });
    expect(res.statusCode).toBe(401);
  });

  it.each([
    [{ username: 'a' }, 'password'],
    [{ password: 'x' }, 'username'],
    [{ username: 'a'.repeat(65), password: 'x' }, 'username'],
    [{ username: 'a', password: 'x', admin: true }, 'admin'],
  ])('rejects a malformed sign-in body %j naming %s', async (payload, field) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'request.invalid', field });
  });
});

describe('sessions', () => {
  it('serves /api/auth/me with the session and ends it on logout', async () => {
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const client = await login(app, user.username, user.password);
    const me = await client.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    // the role's permissions (the core's and those modules registered, tests' own included), sorted
    expect(me.json().user.permissions).toEqual(expect.arrayContaining(['calendar.read', 'dashboard.read', 'departments.read', 'regions.read', 'users.read']));
    expect(me.json().user.permissions).toEqual([...permissionsOf('leader')].sort());
    expect((await client.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('requires the CSRF token on writes made with the session cookie', async () => {
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const client = await login(app, user.username, user.password);
    const without = await client.request('POST', '/api/auth/logout', {}, { 'x-csrf-token': 'forged' });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('auth.csrf');
    const missing = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: client.session!.cookie } });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('auth.csrf');
    expect((await client.get('/api/auth/me')).statusCode).toBe(200); // still signed in
  });

  it('expires a session idle for longer than the timeout', async () => {
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const client = await login(app, user.username, user.password);
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    await db.updateTable('user_session').set({ last_seen_at: new Date(Date.now() - 35 * 60_000) }).where('user_id', '=', user.id).execute();
    services.auth.clearSessionCache();
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
    expect(await db.selectFrom('user_session').select('id_hash').where('user_id', '=', user.id).execute()).toEqual([]);
  });

  it('ignores garbage cookies', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'govcloud_sid=%00%27;DROP' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.required');
  });
});

describe('API tokens', () => {
  it('creates a scoped, expiring token whose secret is stored only hashed, and revokes it', async () => {
    const user = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    const client = await login(app, user.username, user.password);
    const created = await client.post('/api/tokens', { name: 'dept-sync', scopes: ['dashboard.read'], expiresInDays: 30 });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^gct_/);
    const stored = await db.selectFrom('api_token').select(['token_hash', 'scopes']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(stored.scopes).toEqual(['dashboard.read']);

    const machine = new Client(app, undefined, token);
    expect((await machine.get('/api/dashboard/summary')).statusCode).toBe(200);
    const outOfScope = await machine.get('/api/users');
    expect(outOfScope.statusCode).toBe(403);
    expect(outOfScope.json().code).toBe('auth.token_scope');
    // tokens cannot mint tokens
    expect((await machine.post('/api/tokens', { name: 'x', scopes: ['dashboard.read'] })).statusCode).toBe(403);

    expect((await client.delete(`/api/tokens/${id}`)).statusCode).toBe(204);
    const revoked = await machine.get('/api/dashboard/summary');
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().code).toBe('auth.invalid_token');
  });

  it('refuses expired tokens, unknown scopes and scopes the user does not hold', async () => {
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const client = await login(app, user.username, user.password);
    const before = await countRows('api_token');
    const unknown = await client.post('/api/tokens', { name: 'x', scopes: ['everything'] });
    expect(unknown.json()).toMatchObject({ code: 'token.unknown_scope', field: 'scopes' });
    const notHeld = await client.post('/api/tokens', { name: 'x', scopes: ['users.manage'] });
    expect(notHeld.json()).toMatchObject({ code: 'token.scope_not_held', field: 'scopes' });
    const tooLong = await client.post('/api/tokens', { name: 'x', scopes: ['dashboard.read'], expiresInDays: 1000 });
    expect(tooLong.json()).toMatchObject({ code: 'request.invalid', field: 'expiresInDays' });
    expect(await countRows('api_token')).toBe(before);

    const ok = (await client.post('/api/tokens', { name: 'short', scopes: ['dashboard.read'], expiresInDays: 1 })).json();
    await db.updateTable('api_token').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', ok.id).execute();
    expect((await new Client(app, undefined, ok.token).get('/api/dashboard/summary')).statusCode).toBe(401);
  });
});

describe('user directory', () => {
  it('creates a user with grants, masks the phone, and audits the read of personal data', async () => {
    const admin = await newUser(db, { grants: [{ role: 'security_admin', regionCode: '6505' }] });
    const client = await login(app, admin.username, admin.password);
    const dept = await newDepartment(db, { regionCode: '650502' });
    const username = uniq('new');
    const created = await client.post('/api/users', {
      username,
      displayName: '张三',
      departmentId: dept.id,
      password: 'Strong-Pass1',
      phone: '13899990000',
      grants: [{ role: 'department_staff', regionCode: '650502' }],
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ username, phone: '138****0000', grants: [{ role: 'department_staff', regionCode: '650502', regionName: '伊州区' }] });
    const read = await client.get(`/api/users/${body.id}`);
    expect(read.statusCode).toBe(200);
    const audit = await db.selectFrom('audit_log').select(['action', 'actor_id', 'region_code']).where('object_id', '=', body.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['user.create']);
    // the read of personal data goes to the access log, with the permission used
    const reads = await db.selectFrom('audit_access').select(['resource', 'actor_id', 'region_code', 'permission', 'subject_ids']).where('request_id', '=', read.headers['x-request-id'] as string).execute();
    expect(reads).toEqual([{ resource: 'user', actor_id: admin.id, region_code: '650502', permission: 'users.read', subject_ids: [body.id] }]);
    // the new account can sign in
    expect((await login(app, username, 'Strong-Pass1')).session).toBeDefined();
  });

  it('rejects bad new users with the field at fault and writes nothing', async () => {
    const admin = await newUser(db, { grants: [{ role: 'security_admin', regionCode: '6505' }] });
    const client = await login(app, admin.username, admin.password);
    const dept = await newDepartment(db, { regionCode: '650502' });
    const base = { username: uniq('bad'), displayName: '李四', departmentId: dept.id };
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ ...base, password: 'weak' }, 400, 'account.weak_password', 'password'],
      [{ ...base, grants: [{ role: 'department_staff', regionCode: '659999999999' }] }, 400, 'region.unknown', 'grants/0/regionCode'],
      [{ ...base, grants: [{ role: 'emperor', regionCode: '6505' }] }, 400, 'request.invalid', 'grants/0/role'],
      [{ ...base, username: "x'; DROP TABLE app_user; --" }, 400, 'request.invalid', 'username'],
      [{ ...base, displayName: '<script>alert(1)</script>' }, 400, 'request.invalid', 'displayName'],
      [{ ...base, displayName: '名'.repeat(101) }, 400, 'request.invalid', 'displayName'],
      [{ ...base, departmentId: '00000000-0000-4000-8000-000000000000' }, 400, 'user.unknown_department', 'departmentId'],
      [{ ...base, departmentId: 'not-a-uuid' }, 400, 'request.invalid', 'departmentId'],
      [{ ...base, username: admin.username }, 409, 'user.username_taken', 'username'],
    ];
    const users = await countRows('app_user');
    const grants = await countRows('role_grant');
    for (const [payload, status, code, field] of cases) {
      const res = await client.post('/api/users', payload);
      expect({ status: res.statusCode, code: res.json().code, field: res.json().field }).toEqual({ status, code, field });
    }
    expect(await countRows('app_user')).toBe(users);
    expect(await countRows('role_grant')).toBe(grants);
  });

  it('lets a department admin create accounts only in their own department tree, with delegable roles inside the jurisdiction', async () => {
    const deptAdmin = await newUser(db, { regionCode: '650502', grants: [{ role: 'department_admin', regionCode: '650502' }] });
    const client = await login(app, deptAdmin.username, deptAdmin.password);
    const inside = { id: deptAdmin.departmentId };
    const outside = await newDepartment(db, { regionCode: '650521' });
    const neighbour = await newDepartment(db, { regionCode: '650502' }); // same county, another tenant
    const sub = await newDepartment(db, { regionCode: '650502' });
    await db.updateTable('department').set({ parent_id: deptAdmin.departmentId }).where('id', '=', sub.id).execute();
    const users = await countRows('app_user');
    const otherTenant = await client.post('/api/users', { username: uniq('e'), displayName: '王五', departmentId: neighbour.id });
    expect(otherTenant.statusCode).toBe(403);
    expect(otherTenant.json().code).toBe('auth.other_department');
    expect(await countRows('app_user')).toBe(users);
    expect((await client.post('/api/users', { username: uniq('e'), displayName: '王五', departmentId: sub.id })).statusCode).toBe(201);
    const escalate = await client.post('/api/users', { username: uniq('e'), displayName: '王五', departmentId: inside.id, grants: [{ role: 'platform_admin', regionCode: '650502' }] });
    expect(escalate.json().code).toBe('auth.role_not_delegable');
    const away = await client.post('/api/users', { username: uniq('e'), displayName: '王五', departmentId: outside.id });
    expect(away.json().code).toBe('user.unknown_department');
    const farGrant = await client.post('/api/users', { username: uniq('e'), displayName: '王五', departmentId: inside.id, grants: [{ role: 'department_staff', regionCode: '650521' }] });
    expect(farGrant.json().code).toBe('auth.outside_jurisdiction');
    const ok = await client.post('/api/users', { username: uniq('e'), displayName: '王五', departmentId: inside.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
    expect(ok.statusCode).toBe(201);
  });

  it('pages through users with a cursor', async () => {
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    const client = await login(app, admin.username, admin.password);
    const first = (await client.get('/api/users?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await client.get(`/api/users?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((u: { id: string }) => u.id)).not.toContain(first.items[1].id);
    expect(second.total).toBe(first.total);
    const bad = await client.get('/api/users?cursor=%25%25');
    expect(bad.json()).toMatchObject({ code: 'request.invalid', field: 'cursor' });
  });
});
