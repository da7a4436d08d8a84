// Client applications through the API: the secret shown once and stored hashed, rotation with a 24-hour grace for
// the previous secret, expiry and disabling refused by verifyClientSecret, own-department jurisdiction, audit.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import { login, testConfig, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import { hashClientSecret, verifyClientSecret } from './index.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: App;
const clock = new ManualClock('2026-06-01T10:00:00+08:00');
let dept: { id: string };
let admin: Awaited<ReturnType<typeof newUser>>;
let outsider: Awaited<ReturnType<typeof newUser>>;
const as = (user: { username: string; password: string }): Promise<Client> => login(app, user.username, user.password);

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app } = await buildApp({ db, config: testConfig({ sessionIdleMinutes: 600 }), serveWeb: false, clock }));
  dept = await newDepartment(db, { regionCode: '650502' });
  admin = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
  outsider = await newUser(db, { grants: [{ role: 'department_admin', regionCode: '650502' }] });
});
afterAll(async () => app?.close());

describe('client applications', () => {
  it('are created with a secret shown once, stored hashed, rotated with a grace period, disabled and expired', async () => {
    const c = await as(admin);
    const created = await c.post('/api/sharing/clients', { name: '低保核查系统', ratePerMinute: 120 });
    expect(created.statusCode, created.body).toBe(201);
    const { client, clientSecret } = created.json();
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(client).toMatchObject({ name: '低保核查系统', ratePerMinute: 120, status: 'active', department: { id: dept.id }, abilities: ['rotate', 'disable', 'edit'] });
    const stored = await db.selectFrom('client_app').select('secret_hash').where('id', '=', client.id).executeTakeFirstOrThrow();
    expect(stored.secret_hash).toBe(hashClientSecret(clientSecret));
    // the secret is in no later answer, nor in the audit trail
    expect((await c.get(`/api/sharing/clients/${client.id}`)).body).not.toContain(clientSecret);
    const audit = await sql<{ detail: string }>`SELECT detail::text AS detail FROM audit_log WHERE object_id = ${client.id}`.execute(db);
    expect(audit.rows.length).toBeGreaterThan(0);
    expect(audit.rows.every((r) => !r.detail.includes(clientSecret) && !r.detail.includes(stored.secret_hash))).toBe(true);
    expect(await verifyClientSecret(db, client.clientId, clientSecret, clock.now())).toMatchObject({ id: client.id, departmentId: dept.id, ratePerMinute: 120 });
    expect(await verifyClientSecret(db, client.clientId, `${clientSecret}x`, clock.now())).toBeNull();
    expect((await c.post('/api/sharing/clients', { name: '低保核查系统' })).json()).toMatchObject({ code: 'clients.duplicate_name', field: 'name' });

    const rotated = await c.post(`/api/sharing/clients/${client.id}/rotate`);
    expect(rotated.statusCode).toBe(200);
    const next = rotated.json().clientSecret as string;
    expect(next).not.toBe(clientSecret);
    expect(rotated.json().client.previousSecretValidUntil).toBe('2026-06-02T02:00:00.000Z');
    expect(await verifyClientSecret(db, client.clientId, clientSecret, clock.now())).not.toBeNull();
    expect(await verifyClientSecret(db, client.clientId, next, clock.now())).not.toBeNull();
    clock.advance(24 * 3600_000 + 1000);
    expect(await verifyClientSecret(db, client.clientId, clientSecret, clock.now())).toBeNull();
    expect(await verifyClientSecret(db, client.clientId, next, clock.now())).not.toBeNull();

    const c2 = await as(admin);
    expect((await c2.post(`/api/sharing/clients/${client.id}/disable`)).json()).toMatchObject({ status: 'disabled', abilities: ['enable', 'edit'] });
    expect(await verifyClientSecret(db, client.clientId, next, clock.now())).toBeNull();
    await c2.post(`/api/sharing/clients/${client.id}/enable`);
    const soon = new Date(clock.now().getTime() + 3600_000).toISOString();
    expect((await c2.request('PATCH', `/api/sharing/clients/${client.id}`, { secretExpiresAt: soon, ratePerMinute: 60 })).json()).toMatchObject({ ratePerMinute: 60, secretExpiresAt: soon });
    expect(await verifyClientSecret(db, client.clientId, next, clock.now())).not.toBeNull();
    clock.advance(3600_000 + 1000);
    expect(await verifyClientSecret(db, client.clientId, next, clock.now())).toBeNull();
    const past = await c2.request('PATCH', `/api/sharing/clients/${client.id}`, { secretExpiresAt: '2020-01-01T00:00:00Z' });
    expect(past.json()).toMatchObject({ code: 'clients.invalid_expiry', field: 'secretExpiresAt' });
  });

  it('are managed by their own department only', async () => {
    const c = await as(admin);
    const { client } = (await c.post('/api/sharing/clients', { name: '另一个系统' })).json();
    const other = await as(outsider);
    expect((await other.get(`/api/sharing/clients/${client.id}`)).statusCode).toBe(404);
    expect((await other.post(`/api/sharing/clients/${client.id}/rotate`)).statusCode).toBe(404);
    expect((await other.post('/api/sharing/clients', { name: '越权', departmentId: dept.id })).json()).toMatchObject({ code: 'clients.unknown_department' });
    expect((await other.get('/api/sharing/clients')).json().items.map((i: { id: string }) => i.id)).not.toContain(client.id);
    const list = (await c.get('/api/sharing/clients?limit=1')).json();
    expect(list.total).toBe(2);
    expect(list.nextCursor).not.toBeNull();
    const page2 = (await c.get(`/api/sharing/clients?limit=1&cursor=${list.nextCursor}`)).json();
    expect(page2.items[0].id).not.toBe(list.items[0].id);
  });
});
