// Ending access: revocation reaches every node at once, idle timeouts spare sessions in use, disabled accounts lose
// their tokens for good, and tokens cannot manage tokens.
import { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postgresDialect } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { Client, login, signedInWith, testApp, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';
import { AuditService } from '../audit/index.ts';
import { authSettings } from './module.ts';
import { AuthService, lastSeenWriteInterval, sessionIdle } from './service.ts';

let app: App;
/** A second node on the same database, with its own caches (and on PostgreSQL its own connection pool). */
let other: App;
let otherDb: Kysely<Database> | undefined;
let db: Awaited<ReturnType<typeof testDb>>['db'];

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  const url = inject('testDatabaseUrl');
  if (url) otherDb = new Kysely<Database>({ dialect: postgresDialect(url, 2) });
  ({ app: other } = await buildApp({ db: otherDb ?? db, config: testConfig(), serveWeb: false }));
});

afterAll(async () => {
  await other.close();
  await otherDb?.destroy();
});

/** The same session, presented to the other node. */
const onOther = (client: Client): Client => new Client(other, client.session);

async function adminAndUser() {
  // account management and role grants are separate duties (D41): this manager holds both
  const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }, { role: 'security_admin', regionCode: '6505' }] });
  const user = await newUser(db, { regionCode: '650502', grants: [{ role: 'department_staff', regionCode: '650502' }, { role: 'leader', regionCode: '650502' }] });
  const adminClient = await login(app, admin.username, admin.password);
  const userHere = await login(app, user.username, user.password);
  const userThere = onOther(userHere);
  // both nodes have the session in their caches
  expect((await userHere.get('/api/auth/me')).statusCode).toBe(200);
  expect((await userThere.get('/api/auth/me')).statusCode).toBe(200);
  return { admin: adminClient, user, userHere, userThere };
}

/**
 * The ended session on the other node: a write there is refused at once (writes always re-read their session); a read
 * there within the second its node may keep a session row (SessionRowCache).
 */
async function expectEndedOnOther(client: Client, readUrl = '/api/auth/me') {
  const write = await client.request('POST', '/api/tokens', { name: 'after revocation', scopes: ['dashboard.read'], expiresInDays: 1 });
  expect(write.statusCode, 'a write on the other node').toBe(401);
  const started = Date.now();
  let status = (await client.get(readUrl)).statusCode;
  while (status !== 401 && Date.now() - started < 1_500) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = (await client.get(readUrl)).statusCode;
  }
  expect(status, 'a read on the other node').toBe(401);
  expect(Date.now() - started).toBeLessThan(1_500);
}

describe('revocation reaches every node: at once on the revoking node and for writes, within a second for reads elsewhere', () => {
  it('disabling a user ends their session', async () => {
    const { admin, user, userHere, userThere } = await adminAndUser();
    expect((await admin.request('PATCH', `/api/users/${user.id}`, { status: 'disabled' })).statusCode).toBe(200);
    expect((await userHere.get('/api/auth/me')).statusCode, 'a read on the revoking node').toBe(401);
    await expectEndedOnOther(userThere);
  });

  it('an admin password reset ends the session', async () => {
    const { admin, user, userHere, userThere } = await adminAndUser();
    expect((await admin.post(`/api/users/${user.id}/password`, { password: 'Reset-By-Admin-7319' })).statusCode).toBe(204);
    expect((await userHere.get('/api/auth/me')).statusCode, 'a read on the revoking node').toBe(401);
    await expectEndedOnOther(userThere);
  });

  it('signing out on one node ends the session on the other', async () => {
    const { userHere, userThere } = await adminAndUser();
    expect((await userHere.post('/api/auth/logout')).statusCode).toBe(204);
    await expectEndedOnOther(userThere);
  });

  it('withdrawing a role ends the session', async () => {
    const { admin, user, userHere, userThere } = await adminAndUser();
    expect((await admin.delete(`/api/users/${user.id}/grants/leader/650502`)).statusCode).toBe(200);
    expect((await userHere.get('/api/users')).statusCode, 'a read on the revoking node').toBe(401);
    await expectEndedOnOther(userThere, '/api/users');
    const again = onOther(await login(app, user.username, user.password));
    // without leader, department_staff reads only its own department tree (tenancy, D41)
    const listed = (await again.get('/api/users')).json();
    expect(listed.total).toBeGreaterThan(0);
    expect(listed.items.every((u: { department: { id: string } | null }) => u.department?.id === user.departmentId)).toBe(true);
  });
});

describe('idle timeout', () => {
  it('writes last_seen_at at least four times per timeout and at most once a minute', () => {
    expect(lastSeenWriteInterval(60_000)).toBe(15_000);
    expect(lastSeenWriteInterval(30 * 60_000)).toBe(60_000);
    expect(sessionIdle(0, 60_000, 60_000)).toBe(false);
    expect(sessionIdle(0, 75_001, 60_000)).toBe(true);
  });

  it('keeps a session in use with a 1-minute timeout and ends it after a minute of rest', async () => {
    let now = Date.now();
    const auth = new AuthService(db, new AuditService(db), { ...authSettings(testConfig()), sessionIdleMinutes: 1, clock: () => now });
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const ctx = { actor: undefined, clientAddr: '127.0.0.1', requestId: 'idle-test', audited: false };
    const signedIn = await auth.login(ctx, { username: user.username, password: user.password });
    if (!('sessionToken' in signedIn)) throw new Error('no second factor is wired here');
    const { sessionToken } = signedIn;
    // a request every 20 s for five minutes: never idle for a minute
    for (let i = 0; i < 15; i++) {
      now += 20_000;
      expect(await auth.authenticateSession(sessionToken), `request ${i + 1}`).not.toBeNull();
    }
    now += 61_000 + lastSeenWriteInterval(60_000);
    expect(await auth.authenticateSession(sessionToken)).toBeNull();
    expect(await db.selectFrom('user_session').select('id_hash').where('user_id', '=', user.id).execute()).toEqual([]);
  });
});

describe('API tokens of a disabled account', () => {
  it('are revoked with the account and stay revoked when it is enabled again', async () => {
    const admin = await signedInWith([{ role: 'platform_admin', regionCode: '6505' }]);
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const userClient = await login(app, user.username, user.password);
    const { token, id } = (await userClient.post('/api/tokens', { name: 'report-sync', scopes: ['dashboard.read'] })).json();
    const machine = new Client(app, undefined, token);
    expect((await machine.get('/api/dashboard/summary')).statusCode).toBe(200);

    expect((await admin.request('PATCH', `/api/users/${user.id}`, { status: 'disabled' })).statusCode).toBe(200);
    const revoked = await db.selectFrom('api_token').select('revoked_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(revoked.revoked_at).not.toBeNull();
    expect((await admin.request('PATCH', `/api/users/${user.id}`, { status: 'active' })).statusCode).toBe(200);
    const res = await machine.get('/api/dashboard/summary');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.invalid_token');
  });
});

describe('tokens cannot manage tokens', () => {
  it('refuses to list or revoke tokens with a token, whatever its scopes, and revokes nothing', async () => {
    const session = await signedInWith([{ role: 'platform_admin', regionCode: '6505' }]);
    const scoped = (await session.post('/api/tokens', { name: 'dash', scopes: ['dashboard.read'] })).json();
    const broad = (await session.post('/api/tokens', { name: 'all', scopes: ['dashboard.read', 'users.read', 'users.manage'] })).json();
    for (const secret of [scoped.token as string, broad.token as string]) {
      const machine = new Client(app, undefined, secret);
      const list = await machine.get('/api/tokens');
      expect(list.statusCode).toBe(403);
      expect(list.json().code).toBe('auth.session_required');
      const revoke = await machine.delete(`/api/tokens/${scoped.id}`);
      expect(revoke.statusCode).toBe(403);
      expect(revoke.json().code).toBe('auth.session_required');
    }
    const rows = await db.selectFrom('api_token').select('revoked_at').where('id', 'in', [scoped.id, broad.id]).execute();
    expect(rows.every((r) => r.revoked_at === null)).toBe(true);
    expect((await session.get('/api/tokens')).json().items).toHaveLength(2);
  });
});
