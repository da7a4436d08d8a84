// Account takeover across jurisdictions: a manager may act only on accounts whose every grant the manager could have made.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Awaited<ReturnType<typeof testDb>>['db'];

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
});

const snapshot = async (id: string) => {
  const user = await db.selectFrom('app_user').select(['password_hash', 'display_name', 'status', 'locked_until']).where('id', '=', id).executeTakeFirstOrThrow();
  const grants = await db.selectFrom('role_grant').select(['role', 'region_code']).where('user_id', '=', id).orderBy('role').execute();
  return { user, grants };
};

/** Every management write on the target is refused with `code`, and nothing about the target changes. */
async function expectNoManagement(client: Client, id: string, code: string) {
  await db.updateTable('app_user').set({ locked_until: new Date(Date.now() + 600_000) }).where('id', '=', id).execute();
  const before = await snapshot(id);
  const attempts = [
    await client.post(`/api/users/${id}/password`, { password: 'Taken-Over-2026' }),
    await client.request('PATCH', `/api/users/${id}`, { displayName: '被接管' }),
    await client.request('PATCH', `/api/users/${id}`, { status: 'disabled' }),
    await client.post(`/api/users/${id}/unlock`),
    await client.post(`/api/users/${id}/grants`, { role: 'community_worker', regionCode: '650502' }),
    await client.delete(`/api/users/${id}/grants/department_staff/6505`),
  ];
  for (const res of attempts) {
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().code).toBe(code);
  }
  expect(await snapshot(id)).toEqual(before);
  expect((await client.get(`/api/users/${id}`)).json().manageable).toBe(false);
  const listed = (await client.get(`/api/users?q=${encodeURIComponent((await db.selectFrom('app_user').select('username').where('id', '=', id).executeTakeFirstOrThrow()).username)}`)).json();
  expect(listed.items.find((u: { id: string }) => u.id === id)?.manageable).toBe(false);
}

describe('managing an account whose grants reach beyond the manager', () => {
  it('refuses a department admin a user of their own department who holds department_staff over the prefecture', async () => {
    const deptAdmin = await newUser(db, { regionCode: '650502', grants: [{ role: 'department_admin', regionCode: '650502' }] });
    const client = await login(app, deptAdmin.username, deptAdmin.password);
    const wide = await newUser(db, { departmentId: deptAdmin.departmentId, grants: [{ role: 'department_staff', regionCode: '6505' }] });
    const mixed = await newUser(db, { departmentId: deptAdmin.departmentId, grants: [{ role: 'community_worker', regionCode: '650502' }, { role: 'department_staff', regionCode: '6505' }] });
    await expectNoManagement(client, wide.id, 'auth.grant_outside_jurisdiction');
    await expectNoManagement(client, mixed.id, 'auth.grant_outside_jurisdiction');

    // a colleague whose grants lie inside the admin's jurisdiction stays manageable
    const inside = await newUser(db, { departmentId: deptAdmin.departmentId, grants: [{ role: 'department_staff', regionCode: '650502' }] });
    expect((await client.get(`/api/users/${inside.id}`)).json().manageable).toBe(true);
    expect((await client.post(`/api/users/${inside.id}/password`, { password: 'Handed-Over-2026' })).statusCode).toBe(204);
  });

  it('refuses a platform admin with a county jurisdiction a user who holds a role over the prefecture', async () => {
    const countyAdmin = await newUser(db, { regionCode: '650502', grants: [{ role: 'platform_admin', regionCode: '650502' }, { role: 'security_admin', regionCode: '650502' }] });
    const client = await login(app, countyAdmin.username, countyAdmin.password);
    const wide = await newUser(db, { regionCode: '650502', grants: [{ role: 'department_staff', regionCode: '6505' }, { role: 'leader', regionCode: '6505' }] });
    await expectNoManagement(client, wide.id, 'auth.grant_outside_jurisdiction');
    const inside = await newUser(db, { regionCode: '650502', grants: [{ role: 'leader', regionCode: '650502001' }] });
    expect((await client.get(`/api/users/${inside.id}`)).json().manageable).toBe(true);
    expect((await client.post(`/api/users/${inside.id}/unlock`)).statusCode).toBe(204);
  });

  it('lets a prefecture platform admin manage the same user', async () => {
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    const client = await login(app, admin.username, admin.password);
    const wide = await newUser(db, { regionCode: '650502', grants: [{ role: 'department_staff', regionCode: '6505' }] });
    expect((await client.get(`/api/users/${wide.id}`)).json().manageable).toBe(true);
    expect((await client.post(`/api/users/${wide.id}/password`, { password: 'Handed-Over-2026' })).statusCode).toBe(204);
  });
});
