// Account management: own password, activation/reset, unlock, disable, role grants — with delegation limits.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let services: Awaited<ReturnType<typeof testApp>>['services'];
let db: Awaited<ReturnType<typeof testDb>>['db'];

beforeAll(async () => {
  ({ app, services } = await testApp());
  ({ db } = await testDb());
});

const grantsOf = async (userId: string) =>
  (await db.selectFrom('role_grant').select(['role', 'region_code']).where('user_id', '=', userId).orderBy('role').execute()).map((g) => `${g.role}@${g.region_code}`);
const auditCount = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(db)).rows[0]!.n;

describe('own password', () => {
  it('changes it, keeps this session and ends the others', async () => {
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const here = await login(app, user.username, user.password);
    const elsewhere = await login(app, user.username, user.password);
    const res = await here.post('/api/auth/password', { currentPassword: user.password, newPassword: 'Brand-New-Pass9' });
    expect(res.statusCode).toBe(204);
    services.auth.clearSessionCache();
    expect((await here.get('/api/auth/me')).statusCode).toBe(200);
    expect((await elsewhere.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login(app, user.username, 'Brand-New-Pass9')).session).toBeDefined();
  });

  it.each([
    [{ currentPassword: 'Wrong-pass1', newPassword: 'Brand-New-Pass9' }, 'auth.wrong_password', 'currentPassword'],
    [{ newPassword: 'weakweak' }, 'request.invalid', 'currentPassword'],
  ])('refuses %j', async (body, code, field) => {
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const client = await login(app, user.username, user.password);
    const before = await db.selectFrom('app_user').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    const res = await client.post('/api/auth/password', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code, field });
    const after = await db.selectFrom('app_user').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(after.password_hash).toBe(before.password_hash);
  });

  it('applies the policy and refuses the same password', async () => {
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const client = await login(app, user.username, user.password);
    expect((await client.post('/api/auth/password', { currentPassword: user.password, newPassword: 'short' })).json()).toMatchObject({ code: 'account.weak_password', field: 'newPassword' });
    expect((await client.post('/api/auth/password', { currentPassword: user.password, newPassword: user.password })).json()).toMatchObject({ code: 'account.password_unchanged' });
  });
});

describe('managing users', () => {
  it('activates a pending account, which can then sign in', async () => {
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    const client = await login(app, admin.username, admin.password);
    const pending = await newUser(db, { password: null, grants: [{ role: 'department_staff', regionCode: '6505' }] });
    expect((await client.get(`/api/users/${pending.id}`)).json().activated).toBe(false);
    const weak = await client.post(`/api/users/${pending.id}/password`, { password: 'abc' });
    expect(weak.json()).toMatchObject({ code: 'account.weak_password', field: 'password' });
    expect((await client.post(`/api/users/${pending.id}/password`, { password: 'Activated-2026' })).statusCode).toBe(204);
    expect((await client.get(`/api/users/${pending.id}`)).json().activated).toBe(true);
    expect((await login(app, pending.username, 'Activated-2026')).session).toBeDefined();
    const actions = await db.selectFrom('audit_log').select('action').where('object_id', '=', pending.id).where('action', 'like', 'user.%').execute();
    expect(actions.map((a) => a.action)).toContain('user.activate');
  });

  it('unlocks a locked account', async () => {
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    const client = await login(app, admin.username, admin.password);
    const user = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    await db.updateTable('app_user').set({ locked_until: new Date(Date.now() + 600_000) }).where('id', '=', user.id).execute();
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } })).statusCode).toBe(423);
    expect((await client.get(`/api/users/${user.id}`)).json().lockedUntil).toMatch(/^\d{4}-/);
    expect((await client.post(`/api/users/${user.id}/unlock`)).statusCode).toBe(204);
    expect((await client.get(`/api/users/${user.id}`)).json().lockedUntil).toBeNull();
    expect((await login(app, user.username, user.password)).session).toBeDefined();
  });

  it('disables an account, ending its sessions, and refuses to disable oneself', async () => {
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    const client = await login(app, admin.username, admin.password);
    const user = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    const theirs = await login(app, user.username, user.password);
    const res = await client.request('PATCH', `/api/users/${user.id}`, { status: 'disabled', displayName: '已调离' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'disabled', displayName: '已调离' });
    services.auth.clearSessionCache();
    expect((await theirs.get('/api/auth/me')).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } })).statusCode).toBe(401);
    const self = await client.request('PATCH', `/api/users/${admin.id}`, { status: 'disabled' });
    expect(self.json()).toMatchObject({ code: 'user.cannot_disable_self', field: 'status' });
    const empty = await client.request('PATCH', `/api/users/${user.id}`, {});
    expect(empty.statusCode).toBe(400);
    const badPhone = await client.request('PATCH', `/api/users/${user.id}`, { phone: "1'; DROP TABLE app_user;--" });
    expect(badPhone.json()).toMatchObject({ code: 'request.invalid', field: 'phone' });
  });

  it('grants and withdraws roles within the jurisdiction, audited', async () => {
    const admin = await newUser(db, { grants: [{ role: 'security_admin', regionCode: '6505' }] });
    const client = await login(app, admin.username, admin.password);
    const user = await newUser(db, { regionCode: '650502', grants: [] });
    const added = await client.post(`/api/users/${user.id}/grants`, { role: 'auditor', regionCode: '650502' });
    expect(added.statusCode).toBe(200);
    expect(added.json().grants).toEqual([{ role: 'auditor', regionCode: '650502', regionName: '伊州区' }]);
    expect((await client.post(`/api/users/${user.id}/grants`, { role: 'auditor', regionCode: '650502' })).json().code).toBe('user.grant_exists');
    const removed = await client.delete(`/api/users/${user.id}/grants/auditor/650502`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().grants).toEqual([]);
    expect((await client.delete(`/api/users/${user.id}/grants/auditor/650502`)).json().code).toBe('user.grant_not_found');
    expect((await client.delete(`/api/users/${user.id}/grants/emperor/650502`)).json()).toMatchObject({ code: 'request.invalid', field: 'role' });
    const actions = await db.selectFrom('audit_log').select('action').where('object_id', '=', user.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action).filter((a) => a.endsWith('grant'))).toEqual(['user.grant', 'user.revoke_grant']);
  });

  it('keeps a department admin to delegable roles, their jurisdiction, and users they could have made', async () => {
    const deptAdmin = await newUser(db, { regionCode: '650502', grants: [{ role: 'department_admin', regionCode: '650502' }] });
    const client = await login(app, deptAdmin.username, deptAdmin.password);
    const staff = await newUser(db, { departmentId: deptAdmin.departmentId, grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const supervisor = await newUser(db, { departmentId: deptAdmin.departmentId, grants: [{ role: 'supervisor', regionCode: '650502' }] });
    const neighbour = await newUser(db, { regionCode: '650502', grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const farAway = await newUser(db, { regionCode: '650521', grants: [] });
    const before = await auditCount();
    const beforeGrants = await grantsOf(staff.id);

    expect((await client.post(`/api/users/${staff.id}/grants`, { role: 'auditor', regionCode: '650502' })).json().code).toBe('auth.role_not_delegable');
    expect((await client.post(`/api/users/${staff.id}/grants`, { role: 'community_worker', regionCode: '650521' })).json().code).toBe('auth.outside_jurisdiction');
    expect((await client.post(`/api/users/${staff.id}/grants`, { role: 'community_worker', regionCode: '659999' })).json()).toMatchObject({ code: 'region.unknown', field: 'regionCode' });
    expect((await client.post(`/api/users/${supervisor.id}/password`, { password: 'Taken-Over-2026' })).json().code).toBe('auth.role_not_delegable');
    expect((await client.post(`/api/users/${farAway.id}/unlock`)).statusCode).toBe(404);
    expect((await client.post(`/api/users/${neighbour.id}/unlock`)).json().code).toBe('auth.other_department');
    expect((await client.post(`/api/users/${deptAdmin.id}/grants`, { role: 'community_worker', regionCode: '650502' })).json().code).toBe('auth.self_grant');
    expect(await grantsOf(staff.id)).toEqual(beforeGrants);
    // rejected writes leave only their own audit records (one per attempt), no domain change
    expect(await auditCount()).toBe(before + 7);

    const ok = await client.post(`/api/users/${staff.id}/grants`, { role: 'community_worker', regionCode: '650502' });
    expect(ok.statusCode).toBe(200);

    // the directory tells the console which rows this manager may act on
    const flag = async (id: string) => (await client.get(`/api/users/${id}`)).json().manageable;
    expect(await flag(staff.id)).toBe(true);
    expect(await flag(deptAdmin.id)).toBe(true);
    expect(await flag(supervisor.id)).toBe(false);
    expect(await flag(neighbour.id)).toBe(false);
  });

  it('is closed to roles without users.manage', async () => {
    const leader = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const client = await login(app, leader.username, leader.password);
    const user = await newUser(db, { grants: [] });
    expect((await client.get(`/api/users/${user.id}`)).json().manageable).toBe(false);
    const dept = await newDepartment(db);
    expect((await client.post(`/api/users/${user.id}/unlock`)).json().code).toBe('auth.forbidden');
    expect((await client.post('/api/users', { username: 'x1', displayName: 'x', departmentId: dept.id })).json().code).toBe('auth.forbidden');
  });
});
