// The exchange gateway through the real app: tokens, every refusal, masking, region filter, paging, access log, stats.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { idNumberCheckCharacter } from '../../shared/id-number.ts';
import { testDb } from '../../../test/support/db.ts';
import { testApp, login } from '../../../test/support/app.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import { newClientApp, newDataGrant, newResource, newRows } from '../../../test/support/data-factories.ts';
import type { ExchangeService } from './service.ts';

let db: Kysely<Database>;
let app: App;
let services: Services;

beforeAll(async () => {
  db = (await testDb()).db;
  ({ app, services } = await testApp());
});

let serial = 0;
/** A valid 身份证号 born in Hami (6505xx). */
export function idNumber(region = '650502'): string {
  serial += 1;
  const first17 = `${region}1990${String((serial % 12) + 1).padStart(2, '0')}${String((serial % 28) + 1).padStart(2, '0')}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

async function token(client: { clientId: string; secret: string }): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/exchange/token', payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().access_token as string;
}

function call(url: string, bearer: string | null, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url, headers: { ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }), ...headers } });
}

/** A provider resource with three people (two in 650502, one in 650521), a consumer with a client app and a grant. */
async function setup(options: { items?: string[]; masks?: Record<string, 'none' | 'all' | 'id_number' | 'phone' | 'name'>; regionPrefix?: string; ratePerMinute?: number; bindClient?: boolean } = {}) {
  const resource = await newResource(db);
  const people = [
    { id_number: idNumber('650502'), name: '张三丰', phone: '13812345678', region: '650502001', note: '内部' },
    { id_number: idNumber('650502'), name: '李四', phone: '13912345678', region: '650502002', note: '内部' },
    { id_number: idNumber('650521'), name: '王五', phone: '13712345678', region: '650521', note: '内部' },
  ];
  await newRows(db, resource, people);
  const consumer = await newDepartment(db);
  const client = await newClientApp(db, { departmentId: consumer.id, ...(options.ratePerMinute ? { ratePerMinute: options.ratePerMinute } : {}) });
  const { shareId } = await newDataGrant(db, {
    resource,
    consumerDepartmentId: consumer.id,
    items: options.items ?? ['id_number', 'name', 'phone', 'region'],
    clientAppId: options.bindClient === false ? null : client.id,
    ...(options.regionPrefix ? { regionPrefix: options.regionPrefix } : {}),
    ...(options.masks ? { masks: options.masks } : {}),
  });
  const bearer = await token(client);
  const headers = { 'x-grant-id': shareId, 'x-purpose': encodeURIComponent('社会救助资格核查') };
  return { resource, people, consumer, client, shareId, bearer, headers };
}

describe('token endpoint', () => {
  it('issues an opaque token for good credentials (body or Basic, JSON or form) and stores only its digest', async () => {
    const client = await newClientApp(db);
    const basic = Buffer.from(`${client.clientId}:${client.secret}`).toString('base64');
    const form = await app.inject({ method: 'POST', url: '/api/exchange/token', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' });
    expect(form.statusCode, form.body).toBe(200);
    const body = form.json();
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3600);
    expect(body.access_token).toMatch(/^gcx_[A-Za-z0-9_-]{43}$/);
    const stored = await db.selectFrom('exchange_token').selectAll().where('client_app_id', '=', client.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(body.access_token);
    const audited = await db.selectFrom('audit_log').select(['action', 'actor_name']).where('object_id', '=', client.id).where('action', '=', 'exchange.token_issued').execute();
    expect(audited).toEqual([{ action: 'exchange.token_issued', actor_name: client.clientId }]);
  });

  it('answers 401 alike for an unknown client and a wrong secret, refuses disabled apps and expired secrets', async () => {
    const client = await newClientApp(db);
    const unknown = await app.inject({ method: 'POST', url: '/api/exchange/token', payload: { grant_type: 'client_credentials', client_id: 'gc_nobody', client_secret: client.secret } });
    const wrong = await app.inject({ method: 'POST', url: '/api/exchange/token', payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'x'.repeat(43) } });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(unknown.json())).toEqual(strip(wrong.json()));
    expect(unknown.json().code).toBe('exchange.invalid_client');
    expect(unknown.headers['content-type']).toContain('application/problem+json');

    const expired = await newClientApp(db, { expiresAt: new Date(Date.now() - 1000) });
    const res = await app.inject({ method: 'POST', url: '/api/exchange/token', payload: { grant_type: 'client_credentials', client_id: expired.clientId, client_secret: expired.secret } });
    expect(res.statusCode).toBe(401);
    await db.updateTable('client_app').set({ status: 'disabled' }).where('id', '=', client.id).execute();
    const disabled = await app.inject({ method: 'POST', url: '/api/exchange/token', payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret } });
    expect(disabled.statusCode).toBe(401);
    const badGrant = await app.inject({ method: 'POST', url: '/api/exchange/token', payload: { grant_type: 'password', client_id: client.clientId, client_secret: client.secret } });
    expect(badGrant.statusCode).toBe(400);
    expect(badGrant.json()).toMatchObject({ code: 'exchange.unsupported_grant_type', field: 'grant_type' });
    expect(await db.selectFrom('exchange_token').select('token_hash').where('client_app_id', 'in', [client.id, expired.id]).execute()).toEqual([]);
  });
});

describe('lookup by key', () => {
  it('returns the granted items, masked by default, and records the persons in the access log', async () => {
    const s = await setup();
    const person = s.people[0]!;
    const res = await call(`/api/exchange/v1/resources/${s.resource.code}/rows/${person.id_number}`, s.bearer, s.headers);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items).toEqual(['id_number', 'name', 'phone', 'region']);
    expect(body.rows).toEqual([{ id_number: `${person.id_number.slice(0, 6)}********${person.id_number.slice(14)}`, name: '张**', phone: '138****5678', region: '650502001' }]);
    expect(body.rows[0]).not.toHaveProperty('note');
    await services.audit.drainAccessLog();
    const logged = await db.selectFrom('audit_access').selectAll().where('resource', '=', `data:${s.resource.code}`).execute();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ actor_id: s.client.id, actor_name: s.client.clientId, permission: 'exchange.call', subject_ids: [person.id_number], fields: ['id_number', 'name', 'phone', 'region'], region_code: '6505' });
    expect(logged[0]!.detail).toMatchObject({ via: 'exchange', grantId: s.shareId, resourceCode: s.resource.code, clientAppId: s.client.id, consumerDepartmentId: s.consumer.id, purpose: '社会救助资格核查', rows: 1 });
  });

  it('applies the grant’s mask overrides and the fields= selection; an item outside the grant is refused by name', async () => {
    const s = await setup({ items: ['id_number', 'name', 'phone'], masks: { phone: 'none', name: 'all' } });
    const person = s.people[1]!;
    const res = await call(`/api/exchange/v1/resources/${s.resource.code}/rows/${person.id_number}?fields=name,phone`, s.bearer, s.headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows).toEqual([{ name: '***', phone: person.phone }]);
    const outside = await call(`/api/exchange/v1/resources/${s.resource.code}/rows/${person.id_number}?fields=name,note`, s.bearer, s.headers);
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ code: 'exchange.item_not_granted', field: 'fields', item: 'note' });
    const region = await call(`/api/exchange/v1/resources/${s.resource.code}/rows/${person.id_number}?fields=region`, s.bearer, s.headers);
    expect(region.json()).toMatchObject({ code: 'exchange.item_not_granted', item: 'region' });
    const unknown = await call(`/api/exchange/v1/resources/${s.resource.code}/rows/${person.id_number}?fields=salary`, s.bearer, s.headers);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'exchange.unknown_item', field: 'fields' });
  });

  it('applies the region prefix in SQL: a row outside it is not found', async () => {
    const s = await setup({ regionPrefix: '650502' });
    const inside = await call(`/api/exchange/v1/resources/${s.resource.code}/rows/${s.people[0]!.id_number}`, s.bearer, s.headers);
    expect(inside.statusCode).toBe(200);
    const outside = await call(`/api/exchange/v1/resources/${s.resource.code}/rows/${s.people[2]!.id_number}`, s.bearer, s.headers);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().code).toBe('exchange.row_not_found');
  });

  it('does not return deleted rows', async () => {
    const s = await setup();
    await db.updateTable('data_row').set({ deleted: true }).where('resource_id', '=', s.resource.id).where('key', '=', s.people[0]!.id_number).execute();
    const res = await call(`/api/exchange/v1/resources/${s.resource.code}/rows/${s.people[0]!.id_number}`, s.bearer, s.headers);
    expect(res.statusCode).toBe(404);
  });
});

describe('refusals', () => {
  it('no token, bad token, expired token, Basic with a wrong secret', async () => {
    const s = await setup();
    const url = `/api/exchange/v1/resources/${s.resource.code}/rows/${s.people[0]!.id_number}`;
    const none = await call(url, null, s.headers);
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('exchange.token_required');
    const bad = await call(url, 'gcx_not-a-token', s.headers);
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('exchange.invalid_token');
    const other = await newClientApp(db);
    const otherToken = await token(other);
    await db.updateTable('exchange_token').set({ expires_at: new Date(Date.now() - 1000) }).where('client_app_id', '=', other.id).execute();
    // a fresh node would not have it cached; the cached entry carries the expiry too
    const expired = await call(url, otherToken, s.headers);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('exchange.invalid_token');
    // a session's API token (gct_…) is not an exchange token, and an exchange token opens no staff route
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${s.bearer}` } })).statusCode).toBe(401);
    const basic = Buffer.from(`${s.client.clientId}:wrong`).toString('base64');
    const wrong = await app.inject({ method: 'GET', url, headers: { authorization: `Basic ${basic}`, ...s.headers } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('exchange.invalid_client');
    const good = Buffer.from(`${s.client.clientId}:${s.client.secret}`).toString('base64');
    const ok = await app.inject({ method: 'GET', url, headers: { authorization: `Basic ${good}`, ...s.headers } });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a token whose client was disabled on the very next call', async () => {
    const s = await setup();
    const url = `/api/exchange/v1/resources/${s.resource.code}/rows/${s.people[0]!.id_number}`;
    expect((await call(url, s.bearer, s.headers)).statusCode).toBe(200);
    await db.updateTable('client_app').set({ status: 'disabled' }).where('id', '=', s.client.id).execute();
    const res = await call(url, s.bearer, s.headers);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('exchange.client_disabled');
  });

  it('missing grant id or purpose, purpose too long: 400 naming the header', async () => {
    const s = await setup();
    const url = `/api/exchange/v1/resources/${s.resource.code}/rows/${s.people[0]!.id_number}`;
    const noGrant = await call(url, s.bearer, { 'x-purpose': 'x' });
    expect(noGrant.statusCode).toBe(400);
    expect(noGrant.json()).toMatchObject({ code: 'exchange.grant_required', field: 'X-Grant-Id' });
    const noPurpose = await call(url, s.bearer, { 'x-grant-id': s.shareId });
    expect(noPurpose.json()).toMatchObject({ code: 'exchange.purpose_required', field: 'X-Purpose' });
    const long = await call(url, s.bearer, { 'x-grant-id': s.shareId, 'x-purpose': 'a'.repeat(201) });
    expect(long.json()).toMatchObject({ code: 'exchange.purpose_required', field: 'X-Purpose' });
  });

  it('revoked grant (next call), expired grant, wrong resource, other department’s and other client’s grants', async () => {
    const s = await setup();
    const url = `/api/exchange/v1/resources/${s.resource.code}/rows/${s.people[0]!.id_number}`;
    expect((await call(url, s.bearer, s.headers)).statusCode).toBe(200);
    await db.updateTable('share_grant').set({ revoked_at: new Date() }).where('id', '=', s.shareId).execute();
    const revoked = await call(url, s.bearer, s.headers);
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json().code).toBe('exchange.grant_revoked');

    const t = await setup();
    await db.updateTable('share_grant').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', t.shareId).execute();
    const expired = await call(`/api/exchange/v1/resources/${t.resource.code}/rows/${t.people[0]!.id_number}`, t.bearer, t.headers);
    expect(expired.json().code).toBe('exchange.grant_expired');

    const u = await setup();
    const wrongResource = await call(`/api/exchange/v1/resources/${t.resource.code}/rows/${t.people[0]!.id_number}`, u.bearer, { ...u.headers });
    // u's grant is for u's resource, not t's
    expect(wrongResource.statusCode).toBe(403);
    expect(wrongResource.json().code).toBe('exchange.grant_resource_mismatch');

    // another department's client presenting u's grant
    const stranger = await newClientApp(db);
    const strangerToken = await token(stranger);
    const notYours = await call(`/api/exchange/v1/resources/${u.resource.code}/rows/${u.people[0]!.id_number}`, strangerToken, u.headers);
    expect(notYours.statusCode).toBe(403);
    expect(notYours.json().code).toBe('exchange.grant_not_yours');

    // a second client of the same department: the grant names u's client
    const sibling = await newClientApp(db, { departmentId: u.consumer.id });
    const siblingToken = await token(sibling);
    const otherClient = await call(`/api/exchange/v1/resources/${u.resource.code}/rows/${u.people[0]!.id_number}`, siblingToken, u.headers);
    expect(otherClient.statusCode).toBe(403);
    expect(otherClient.json().code).toBe('exchange.grant_not_yours');

    const unknown = await call(`/api/exchange/v1/resources/${u.resource.code}/rows/${u.people[0]!.id_number}`, u.bearer, { ...u.headers, 'x-grant-id': '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('exchange.grant_not_found');

    // none of these refusals handed anything out
    await services.audit.drainAccessLog();
    const logged = await db.selectFrom('audit_access').select('resource').where('resource', '=', `data:${t.resource.code}`).execute();
    expect(logged).toEqual([]);
  });

  it('a department-wide grant serves every client of that department', async () => {
    const s = await setup({ bindClient: false });
    const sibling = await newClientApp(db, { departmentId: s.consumer.id });
    const res = await call(`/api/exchange/v1/resources/${s.resource.code}/rows/${s.people[0]!.id_number}`, await token(sibling), s.headers);
    expect(res.statusCode).toBe(200);
  });

  it('rate limit per client application: 429 with Retry-After', async () => {
    const s = await setup({ ratePerMinute: 3 });
    const url = `/api/exchange/v1/resources/${s.resource.code}/rows/${s.people[0]!.id_number}`;
    for (let i = 0; i < 3; i++) expect((await call(url, s.bearer, s.headers)).statusCode).toBe(200);
    const limited = await call(url, s.bearer, s.headers);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('exchange.rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

describe('search by filter', () => {
  it('filters by equality on granted items, pages by key with a cursor, and refuses filters on other items', async () => {
    const s = await setup();
    const more = Array.from({ length: 5 }, (_, i) => ({ id_number: idNumber('650502'), name: `赵${i}`, phone: '13600000000', region: '650502009', note: '' }));
    await newRows(db, s.resource, more);
    const base = `/api/exchange/v1/resources/${s.resource.code}/rows?region=650502009&limit=2`;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(cursor === null ? base : `${base}&cursor=${cursor}`, s.bearer, s.headers);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      seen.push(...body.rows.map((r: { name: string }) => r.name));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['赵*', '赵*', '赵*', '赵*', '赵*']);
    const refused = await call(`/api/exchange/v1/resources/${s.resource.code}/rows?note=x`, s.bearer, s.headers);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'exchange.item_not_granted', field: 'note' });
    await services.audit.drainAccessLog();
    const logged = await db.selectFrom('audit_access').select(['subject_ids']).where('resource', '=', `data:${s.resource.code}`).execute();
    expect(logged.flatMap((l) => l.subject_ids).sort()).toEqual(more.map((m) => m.id_number).sort());
  });

  it('the region prefix filters searches too', async () => {
    const s = await setup({ regionPrefix: '650521' });
    const res = await call(`/api/exchange/v1/resources/${s.resource.code}/rows?limit=10`, s.bearer, s.headers);
    expect(res.json().rows.map((r: { name: string }) => r.name)).toEqual(['王*']);
  });
});

describe('concurrency and statistics', () => {
  it('serves 100 concurrent calls, each recorded, and counts them in the statistics', async () => {
    const s = await setup({ ratePerMinute: 1000 });
    const url = `/api/exchange/v1/resources/${s.resource.code}/rows/${s.people[0]!.id_number}`;
    const answers = await Promise.all(Array.from({ length: 100 }, () => call(url, s.bearer, s.headers)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(100).fill(200));
    await call(url, s.bearer, { 'x-grant-id': s.shareId });
    await services.audit.drainAccessLog();
    const logged = await db.selectFrom('audit_access').select((eb) => eb.fn.countAll<string>().as('n')).where('resource', '=', `data:${s.resource.code}`).executeTakeFirstOrThrow();
    expect(Number(logged.n)).toBe(100);

    const exchange = services.exchange as ExchangeService;
    await exchange.stats.flush();
    const stat = await db.selectFrom('exchange_stat').selectAll().where('client_app_id', '=', s.client.id).executeTakeFirstOrThrow();
    expect({ calls: Number(stat.calls), rows: Number(stat.rows), refusals: Number(stat.refusals) }).toEqual({ calls: 101, rows: 100, refusals: 1 });

    // the provider's administrator sees it; an administrator of an unrelated department does not
    const admin = await newUser(db, { departmentId: s.resource.providerDepartmentId, grants: [{ role: 'department_admin', regionCode: '6505' }] });
    const provider = await login(app, admin.username, admin.password);
    const seen = await provider.get(`/api/exchange/stats?resourceId=${s.resource.id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().totals).toEqual({ calls: 101, rows: 100, refusals: 1 });
    const outsider = await newUser(db, { grants: [{ role: 'department_admin', regionCode: '6505' }] });
    const other = await login(app, outsider.username, outsider.password);
    expect((await other.get(`/api/exchange/stats?resourceId=${s.resource.id}`)).json().rows).toEqual([]);
    const staff = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    expect((await (await login(app, staff.username, staff.password)).get('/api/exchange/stats')).statusCode).toBe(403);
    const bad = await provider.get('/api/exchange/stats?from=2026-02-01&to=2026-01-01');
    expect(bad.json()).toMatchObject({ code: 'exchange.invalid_range', field: 'from' });
  });
});

describe('demo', () => {
  it('draws 30 days of statistics for each consuming system with a grant, once', async () => {
    const { seedExchangeDemo } = await import('./demo.ts');
    const s = await setup();
    await seedExchangeDemo(db, { now: () => new Date() });
    const first = await db.selectFrom('exchange_stat').select((eb) => eb.fn.countAll<string>().as('n')).where('client_app_id', '=', s.client.id).executeTakeFirstOrThrow();
    expect(Number(first.n)).toBe(30);
    await seedExchangeDemo(db, { now: () => new Date() });
    const again = await db.selectFrom('exchange_stat').select((eb) => eb.fn.countAll<string>().as('n')).where('client_app_id', '=', s.client.id).executeTakeFirstOrThrow();
    expect(Number(again.n)).toBe(30);
  });
});
