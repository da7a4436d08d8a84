// Share grants through the API on the real database: create, list, revoke (audited), bad input refused with the field
// and nothing written, and the grant enforced in the user directory's read path (named fields only, an owner's tree,
// a department or a client application as grantee, revocation at once, expiry by the clock).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import { Client, login, testApp, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';

let app: App;
let db: Awaited<ReturnType<typeof testDb>>['db'];
let security: Client;
/** Owner: a department with a sub-department, each with one account; the grantee department elsewhere. */
let owner: { id: string };
let child: { id: string };
let grantee: { id: string };
let ownerUser: Awaited<ReturnType<typeof newUser>>;
let childUser: Awaited<ReturnType<typeof newUser>>;
let reader: Client;

const count = async (table: 'share_grant') => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  owner = await newDepartment(db, { regionCode: '650502' });
  child = await newDepartment(db, { regionCode: '650502' });
  await db.updateTable('department').set({ parent_id: owner.id }).where('id', '=', child.id).execute();
  grantee = await newDepartment(db, { regionCode: '650521' });
  ownerUser = await newUser(db, { departmentId: owner.id, phone: '13911112222', grants: [{ role: 'department_staff', regionCode: '650502' }] });
  childUser = await newUser(db, { departmentId: child.id, phone: '13933334444', grants: [] });
  const admin = await newUser(db, { grants: [{ role: 'security_admin', regionCode: '650502' }] });
  security = await login(app, admin.username, admin.password);
  // the grantee's staff member: department_staff reads only its own department tree
  const staff = await newUser(db, { departmentId: grantee.id, grants: [{ role: 'department_staff', regionCode: '650521' }] });
  reader = await login(app, staff.username, staff.password);
});

const shareBody = (over: Record<string, unknown> = {}) => ({
  resource: 'users',
  fields: ['displayName', 'phone'],
  purpose: '社保资格核验',
  ownerDepartmentId: owner.id,
  granteeDepartmentId: grantee.id,
  expiresAt: inDays(30),
  ...over,
});

describe('share grants', () => {
  it('are created, listed and revoked by a security administrator, each write audited', async () => {
    const created = await security.post('/api/shares', shareBody());
    expect(created.statusCode, created.body).toBe(201);
    const share = created.json();
    expect(share).toMatchObject({ resource: 'users', fields: ['displayName', 'phone'], status: 'active', abilities: ['revoke'], grantee: { kind: 'department', id: grantee.id } });
    expect((await security.get('/api/shares?active=true')).json().items.map((s: { id: string }) => s.id)).toContain(share.id);
    const revoked = await security.post(`/api/shares/${share.id}/revoke`);
    expect(revoked.json()).toMatchObject({ status: 'revoked', abilities: [] });
    expect((await security.post(`/api/shares/${share.id}/revoke`)).json().code).toBe('share.already_revoked');
    expect((await security.get('/api/shares?active=true')).json().items.map((s: { id: string }) => s.id)).not.toContain(share.id);
    const audit = await db.selectFrom('audit_log').select(['action', 'region_code']).where('object_id', '=', share.id).orderBy('seq').execute();
    expect(audit).toEqual([
      { action: 'share.create', region_code: '650502' },
      { action: 'share.revoke', region_code: '650502' },
    ]);
  });

  it('revoke once when two revocations race: one succeeds, the other is told it was revoked, one audit record', async () => {
    const share = (await security.post('/api/shares', shareBody())).json();
    const answers = await Promise.all([security.post(`/api/shares/${share.id}/revoke`), security.post(`/api/shares/${share.id}/revoke`)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const records = await db.selectFrom('audit_log').select('action').where('object_id', '=', share.id).where('action', '=', 'share.revoke').execute();
    expect(records).toHaveLength(1);
  });

  it('refuses bad grants naming the field, and writes nothing', async () => {
    const before = await count('share_grant');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ resource: 'salaries' }, 'share.unknown_resource', 'resource'],
      [{ fields: ['passwordHash'] }, 'share.unknown_field', 'fields'],
      [{ expiresAt: inDays(-1) }, 'share.expiry_past', 'expiresAt'],
      [{ expiresAt: inDays(400) }, 'share.expiry_too_far', 'expiresAt'],
      [{ granteeTokenId: '00000000-0000-4000-8000-000000000000' }, 'share.grantee_required', 'granteeDepartmentId'],
      [{ granteeDepartmentId: undefined, granteeTokenId: '00000000-0000-4000-8000-000000000000' }, 'share.unknown_grantee', 'granteeTokenId'],
      [{ granteeDepartmentId: owner.id }, 'share.grantee_is_owner', 'granteeDepartmentId'],
      [{ ownerDepartmentId: grantee.id }, 'share.unknown_owner', 'ownerDepartmentId'], // 650521: outside 650502
      [{ purpose: '   ' }, 'share.invalid_purpose', 'purpose'],
      [{ fields: [] }, 'request.invalid', 'fields'],
      [{ expiresAt: 'tomorrow' }, 'request.invalid', 'expiresAt'],
    ];
    for (const [over, code, field] of cases) {
      const res = await security.post('/api/shares', shareBody(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(res.json(), JSON.stringify(over)).toMatchObject({ code, field });
    }
    const system = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    expect((await (await login(app, system.username, system.password)).post('/api/shares', shareBody())).json().code).toBe('auth.forbidden');
    expect(await count('share_grant')).toBe(before);
  });

  it("open named fields of the owner's tree to the grantee department, unmasked and recorded, until revoked", async () => {
    expect((await reader.get(`/api/users?departmentId=${owner.id}`)).json().items).toEqual([]);
    const share = (await security.post('/api/shares', shareBody())).json();
    const seen = async (departmentId: string) => (await reader.get(`/api/users?departmentId=${departmentId}`)).json().items;
    // a new request reads the grant (the session's identity is re-read at most every few seconds: clear this node's copy)
    (await testApp()).services.auth.clearSessionCache();
    const [mine] = await seen(owner.id);
    expect(mine).toEqual({ id: ownerUser.id, access: 'shared', abilities: [], displayName: `测试用户${ownerUser.username}`, phone: '13911112222' });
    expect((await seen(child.id))[0]).toMatchObject({ id: childUser.id, access: 'shared', phone: '13933334444' });
    expect(await seen(grantee.id)).not.toEqual([]); // its own department, fully
    expect((await reader.get(`/api/users/${ownerUser.id}`)).json()).not.toHaveProperty('username');
    const access = await db
      .selectFrom('audit_access')
      .select(['fields', 'permission', 'scope'])
      .where('resource', '=', 'users')
      .where(sql<boolean>`subject_ids @> ${JSON.stringify([ownerUser.id])}::jsonb`)
      .execute();
    expect(access.length).toBeGreaterThan(0);
    expect(access[0]).toMatchObject({ fields: ['phone'], permission: 'users.read', scope: { shares: [expect.objectContaining({ id: share.id })] } });

    await security.post(`/api/shares/${share.id}/revoke`);
    expect(await seen(owner.id)).toEqual([]); // at once, although the session still carries the grant
    expect((await reader.get(`/api/users/${ownerUser.id}`)).statusCode).toBe(404);
  });

  it('open fields to a client application through its API token only', async () => {
    const owner2 = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '650521' }], regionCode: '650521' });
    const holder = await login(app, owner2.username, owner2.password);
    // the token is scoped for the dashboard only: a grant naming the client application itself opens users.read to it
    const { token, id } = (await holder.post('/api/tokens', { name: 'shebao-sync', scopes: ['dashboard.read'] })).json();
    const created = await security.post('/api/shares', shareBody({ granteeDepartmentId: undefined, granteeTokenId: id, fields: ['displayName'] }));
    expect(created.json().grantee).toMatchObject({ kind: 'client', id, name: 'shebao-sync' });
    const machine = new Client(app, undefined, token);
    const items = (await machine.get(`/api/users?departmentId=${owner.id}`)).json().items;
    expect(items).toEqual([{ id: ownerUser.id, access: 'shared', abilities: [], displayName: `测试用户${ownerUser.username}` }]);
    // the same person's session is not the client application
    expect((await holder.get(`/api/users?departmentId=${owner.id}`)).json().items).toEqual([]);
  });
});

describe('share grant expiry', () => {
  let clocked: App;
  const clock = new ManualClock(new Date());
  afterAll(async () => clocked?.close());

  it('is read from the clock: an expired grant opens nothing', async () => {
    // the sessions are timed by the same clock: keep them alive across the two hours it moves
    ({ app: clocked } = await buildApp({ db, config: testConfig({ sessionIdleMinutes: 600 }), serveWeb: false, clock }));
    const admin = await newUser(db, { grants: [{ role: 'security_admin', regionCode: '650502' }] });
    const sec = await login(clocked, admin.username, admin.password);
    const target = await newDepartment(db, { regionCode: '650521' });
    const staff = await newUser(db, { departmentId: target.id, grants: [{ role: 'department_staff', regionCode: '650521' }] });
    const expiresAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
    expect((await sec.post('/api/shares', shareBody({ granteeDepartmentId: target.id, fields: ['displayName'], expiresAt }))).statusCode).toBe(201);
    const client = await login(clocked, staff.username, staff.password);
    expect((await client.get(`/api/users?departmentId=${owner.id}`)).json().items).toHaveLength(1);
    clock.advance(2 * 3_600_000);
    expect((await client.get(`/api/users?departmentId=${owner.id}`)).json().items).toEqual([]);
    expect((await sec.get('/api/shares')).json().items.find((s: { expiresAt: string }) => s.expiresAt === expiresAt)).toMatchObject({ status: 'expired', abilities: [] });
  });
});
