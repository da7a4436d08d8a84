// Per-row abilities in the user and department directories, and the three-role separation on real writes: what a
// row says the caller may do is what the write routes then allow.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import type { Role } from '../../shared/access.ts';
import { systemContext } from '../../shared/context.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
let dept: { id: string; code: string };
let neighbour: { id: string };
let staff: Awaited<ReturnType<typeof newUser>>;
let other: Awaited<ReturnType<typeof newUser>>;
let auditAdmin: Awaited<ReturnType<typeof newUser>>;

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  dept = await newDepartment(db, { regionCode: '650502' });
  neighbour = await newDepartment(db, { regionCode: '650502' });
  staff = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  other = await newUser(db, { departmentId: neighbour.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  auditAdmin = await newUser(db, { departmentId: dept.id, grants: [{ role: 'audit_admin', regionCode: '650502' }] });
});

const as = async (role: Role, regionCode = '6505', departmentId?: string) => {
  const user = await newUser(db, { grants: [{ role, regionCode }], ...(departmentId ? { departmentId } : {}) });
  return { user, client: await login(app, user.username, user.password) };
};
const abilitiesOf = async (client: Client, id: string) => {
  const detail = (await client.get(`/api/users/${id}`)).json();
  const listed = (await client.get(`/api/users?departmentId=${detail.department.id}&limit=100`)).json().items.find((u: { id: string }) => u.id === id);
  expect(listed.abilities, 'the list and the detail agree').toEqual(detail.abilities);
  return detail.abilities as string[];
};

describe('user abilities', () => {
  it('follow the permissions of each duty', async () => {
    const system = await as('platform_admin');
    expect(await abilitiesOf(system.client, staff.id)).toEqual(['update', 'disable', 'reset_password']);
    expect(await abilitiesOf(system.client, auditAdmin.id)).toEqual([]); // separation: not the audit administrator's account
    expect(await abilitiesOf(system.client, system.user.id)).toEqual(['update']);
    const security = await as('security_admin');
    expect(await abilitiesOf(security.client, staff.id)).toEqual(['update', 'disable', 'reset_password', 'grant_roles']);
    expect(await abilitiesOf(security.client, auditAdmin.id)).toEqual(['grant_roles']);
    const leader = await as('leader');
    expect(await abilitiesOf(leader.client, staff.id)).toEqual([]);
  });

  it('keep a department admin to its own department tree', async () => {
    const admin = await as('department_admin', '650502', dept.id);
    expect(await abilitiesOf(admin.client, staff.id)).toEqual(['update', 'disable', 'reset_password', 'grant_roles']);
    expect(await abilitiesOf(admin.client, other.id)).toEqual([]);
    expect(await abilitiesOf(admin.client, auditAdmin.id)).toEqual([]);
  });

  it('change with the row: a disabled account can be enabled, a locked one unlocked', async () => {
    const system = await as('platform_admin');
    const target = await newUser(db, { departmentId: dept.id, grants: [] });
    await db.updateTable('app_user').set({ status: 'disabled', locked_until: new Date(Date.now() + 600_000) }).where('id', '=', target.id).execute();
    expect(await abilitiesOf(system.client, target.id)).toEqual(['update', 'enable', 'unlock', 'reset_password']);
  });

  it('are what the write routes allow: the system administrator neither grants roles nor takes over the audit administrator', async () => {
    const system = await as('platform_admin');
    const grant = await system.client.post(`/api/users/${staff.id}/grants`, { role: 'community_worker', regionCode: '650502' });
    expect(grant.json()).toMatchObject({ status: 403, code: 'auth.forbidden' });
    const before = await db.selectFrom('app_user').select(['password_hash', 'status']).where('id', '=', auditAdmin.id).executeTakeFirstOrThrow();
    const reset = await system.client.post(`/api/users/${auditAdmin.id}/password`, { password: 'Taken-Over-2026' });
    expect(reset.json()).toMatchObject({ status: 403, code: 'auth.separation_of_duties' });
    expect((await system.client.request('PATCH', `/api/users/${auditAdmin.id}`, { status: 'disabled' })).json().code).toBe('auth.separation_of_duties');
    expect(await db.selectFrom('app_user').select(['password_hash', 'status']).where('id', '=', auditAdmin.id).executeTakeFirstOrThrow()).toEqual(before);
    // the security administrator grants and withdraws any role, the audit administrator's too
    const security = await as('security_admin');
    expect((await security.client.post(`/api/users/${auditAdmin.id}/grants`, { role: 'auditor', regionCode: '650502' })).statusCode).toBe(200);
    expect((await security.client.delete(`/api/users/${auditAdmin.id}/grants/auditor/650502`)).statusCode).toBe(200);
    // … but creating accounts with roles needs both duties' permissions: the system administrator creates them bare
    const created = await system.client.post('/api/users', { username: `bare${Date.now()}`, displayName: '王五', departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
    expect(created.json().code).toBe('auth.forbidden');
    const bare = await system.client.post('/api/users', { username: `bare${Date.now()}`, displayName: '王五', departmentId: dept.id });
    expect(bare.statusCode).toBe(201);
    expect(bare.json().abilities).toEqual(['update', 'disable', 'reset_password']);
  });
});

describe('grantable roles on /api/auth/me', () => {
  it('are every role for the security administrator, the delegable ones for a department admin, none without roles.grant', async () => {
    const grantable = async (role: Role, regionCode = '6505', departmentId?: string) => {
      const { client } = await as(role, regionCode, departmentId);
      const res = await client.get('/api/auth/me');
      expect(res.statusCode).toBe(200);
      return res.json().user.grantableRoles as string[];
    };
    expect(await grantable('security_admin')).toEqual(['platform_admin', 'security_admin', 'audit_admin', 'department_admin', 'department_staff', 'community_worker', 'supervisor', 'auditor', 'leader']);
    expect(await grantable('department_admin', '650502', dept.id)).toEqual(['department_staff', 'community_worker']);
    expect(await grantable('platform_admin')).toEqual([]);
    expect(await grantable('audit_admin')).toEqual([]);
    expect(await grantable('department_staff', '650502', dept.id)).toEqual([]);
  });
});

describe('department abilities', () => {
  it('say who may update a department and who may add accounts to it', async () => {
    const system = await as('platform_admin');
    const get = async (client: Client, id: string) => (await client.get(`/api/departments/${id}`)).json().abilities;
    expect(await get(system.client, dept.id)).toEqual(['update', 'add_user']);
    const admin = await as('department_admin', '650502', dept.id);
    expect(await get(admin.client, dept.id)).toEqual(['add_user']);
    expect(await get(admin.client, neighbour.id)).toEqual([]);
    const leader = await as('leader');
    expect(await get(leader.client, dept.id)).toEqual([]);
    const listed = (await system.client.get(`/api/departments?regionCode=650502&q=${dept.code}`)).json().items;
    expect(listed.find((d: { id: string }) => d.id === dept.id).abilities).toEqual(['update', 'add_user']);
  });
});

describe('the audit trail under the separation', () => {
  it('shows records tied to no region to the audit administrator only, and lets only audit duties read or verify', async () => {
    // work without a signed-in actor (the demo seed, start-up) is recorded without a region
    const marker = `m${Date.now()}`;
    await (await testApp()).services.audit.recordNow(systemContext(), { action: 'seed.demo', detail: { marker } });
    const find = async (client: Client) =>
      ((await client.get('/api/audit?action=seed.demo&limit=500')).json().items as { regionCode: string | null; detail: { marker?: string } | null }[]).filter((i) => i.detail?.marker === marker);
    const auditor = await as('audit_admin');
    expect(await find(auditor.client)).toEqual([expect.objectContaining({ regionCode: null })]);
    const regional = await as('auditor');
    expect(await find(regional.client)).toEqual([]);
    expect((await regional.client.post('/api/audit/verify')).statusCode).toBe(200);
    for (const role of ['platform_admin', 'security_admin'] as const) {
      const { client } = await as(role);
      expect((await client.get('/api/audit')).json().code, role).toBe('auth.forbidden');
      expect((await client.post('/api/audit/verify')).json().code, role).toBe('auth.forbidden');
    }
  });
});
