// Three-role separation (D61): the security administrator may not hand an audit role to an account it controls —
// itself, one whose password it set, one it creates — nor take over an audit account by setting its password.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
let security: Client;
let securityId: string;

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  const admin = await newUser(db, { grants: [{ role: 'security_admin', regionCode: '6505' }] });
  securityId = admin.id;
  security = await login(app, admin.username, admin.password);
});

const rolesOf = async (id: string) => (await db.selectFrom('role_grant').select('role').where('user_id', '=', id).orderBy('role').execute()).map((g) => g.role);

describe('granting audit roles', () => {
  it('refuses every audit role to the security administrator itself', async () => {
    for (const role of ['audit_admin', 'auditor', 'supervisor']) {
      const res = await security.post(`/api/users/${securityId}/grants`, { role, regionCode: '6505' });
      expect(res.statusCode, role).toBe(403);
      expect(res.json().code).toBe('auth.self_grant');
    }
    expect(await rolesOf(securityId)).toEqual(['security_admin']);
  });

  it('refuses an audit role to an account whose password the security administrator set, until the holder changes it', async () => {
    const staff = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    expect((await security.post(`/api/users/${staff.id}/password`, { password: 'Zq8#known-to-admin' })).statusCode).toBe(204);
    for (const role of ['audit_admin', 'auditor', 'supervisor']) {
      const res = await security.post(`/api/users/${staff.id}/grants`, { role, regionCode: '6505' });
      expect(res.statusCode, role).toBe(403);
      expect(res.json()).toMatchObject({ code: 'auth.audit_role_controlled' });
    }
    expect(await rolesOf(staff.id)).toEqual(['department_staff']);
    // a role outside the audit duty is still the security administrator's to give
    expect((await security.post(`/api/users/${staff.id}/grants`, { role: 'leader', regionCode: '6505' })).statusCode).toBe(200);
    // once the holder has chosen their own password, the account is no longer the administrator's
    const holder = await login(app, staff.username, 'Zq8#known-to-admin');
    expect((await holder.post('/api/auth/password', { currentPassword: 'Zq8#known-to-admin', newPassword: 'Own-choice#2026x' })).statusCode).toBe(204);
    expect((await security.post(`/api/users/${staff.id}/grants`, { role: 'auditor', regionCode: '6505' })).statusCode).toBe(200);
  });

  it('refuses to create an account that starts with an audit role', async () => {
    const dept = (await newUser(db, { regionCode: '6505' })).departmentId;
    const username = `audit.new.${Date.now().toString(36)}`;
    const res = await security.post('/api/users', { username, displayName: '新审计员', departmentId: dept, password: 'Zq8#first-pass', grants: [{ role: 'auditor', regionCode: '6505' }] });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'auth.audit_role_controlled', field: 'grants/0/role' });
    expect(await db.selectFrom('app_user').select('id').where('username', '=', username).execute()).toEqual([]);
  });

  it('keeps the security administrator from setting the password of an account holding an audit role', async () => {
    const auditor = await newUser(db, { grants: [{ role: 'auditor', regionCode: '6505' }] });
    const before = await db.selectFrom('app_user').select('password_hash').where('id', '=', auditor.id).executeTakeFirstOrThrow();
    const res = await security.post(`/api/users/${auditor.id}/password`, { password: 'Zq8#taken-over-26' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.separation_of_duties');
    expect(await db.selectFrom('app_user').select('password_hash').where('id', '=', auditor.id).executeTakeFirstOrThrow()).toEqual(before);
    expect((await security.get(`/api/users/${auditor.id}`)).json().abilities).not.toContain('reset_password');
    // the system administrator, who grants no roles, still resets it
    const system = await login(app, ...(await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] }).then((u) => [u.username, u.password] as const)));
    expect((await system.post(`/api/users/${auditor.id}/password`, { password: 'Zq8#reset-by-system' })).statusCode).toBe(204);
  });
});
