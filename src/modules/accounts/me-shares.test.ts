// /api/auth/me reflects share-only access (D62): the share grants made to the caller's department or to the token it
// calls with, and the permission each opens, so the console can show what was shared; revoked ones vanish at once.
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, login, testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
let security: Client;
let owner: { id: string; code?: string };

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const shareBody = (over: Record<string, unknown>) => ({ resource: 'users', fields: ['displayName', 'phone'], purpose: '社保资格核验', ownerDepartmentId: owner.id, expiresAt: inDays(30), ...over });

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  owner = await newDepartment(db, { regionCode: '650502' });
  const admin = await newUser(db, { grants: [{ role: 'security_admin', regionCode: '6505' }] });
  security = await login(app, admin.username, admin.password);
});

describe('/api/auth/me and share grants', () => {
  it('lists the department’s live shares with their owner and fields, and adds users.read to an account holding no role', async () => {
    const grantee = await newDepartment(db, { regionCode: '650521' });
    const bare = await newUser(db, { departmentId: grantee.id, grants: [] });
    const client = await login(app, bare.username, bare.password);
    const before = (await client.get('/api/auth/me')).json().user;
    expect(before).toMatchObject({ permissions: [], shares: [] });

    const share = (await security.post('/api/shares', shareBody({ granteeDepartmentId: grantee.id }))).json();
    const me = (await client.get('/api/auth/me')).json().user;
    expect(me.permissions).toEqual(['users.read']);
    const ownerRow = await db.selectFrom('department').select(['id', 'code', 'name']).where('id', '=', owner.id).executeTakeFirstOrThrow();
    expect(me.shares).toEqual([
      { id: share.id, resource: 'users', permission: 'users.read', fields: ['displayName', 'phone'], ownerDepartment: ownerRow, purpose: '社保资格核验', expiresAt: share.expiresAt, grantee: 'department' },
    ]);
    // the sign-in answer carries them too
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: bare.username, password: bare.password } })).json().user.shares).toHaveLength(1);

    // revoked: gone at once, although the session's identity still carries the grant for a few seconds
    expect((await security.post(`/api/shares/${share.id}/revoke`)).statusCode).toBe(200);
    expect((await client.get('/api/auth/me')).json().user).toMatchObject({ permissions: [], shares: [] });
  });

  it('shows a client application (API token) the shares made to it, not its holder’s session', async () => {
    const holderUser = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '650521' }], regionCode: '650521' });
    const holder = await login(app, holderUser.username, holderUser.password);
    const { token, id } = (await holder.post('/api/tokens', { name: 'shebao-me', scopes: ['dashboard.read'] })).json();
    const share = (await security.post('/api/shares', shareBody({ granteeTokenId: id, fields: ['displayName'] }))).json();
    const machine = (await new Client(app, undefined, token).get('/api/auth/me')).json().user;
    expect(machine.permissions).toEqual(['dashboard.read', 'users.read']);
    expect(machine.shares).toMatchObject([{ id: share.id, grantee: 'client', fields: ['displayName'] }]);
    expect((await holder.get('/api/auth/me')).json().user.shares).toEqual([]);
  });
});
