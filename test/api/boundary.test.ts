// The HTTP boundary's checks for every route: storable text, cursors, origins, no-store, request ids, audit of refusals.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { decodeCursor, encodeCursor } from '../../src/shared/pagination.ts';
import { findUnstorableText } from '../../src/http/boundary.ts';
import { login, testApp, type Client } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Kysely<Database>;
let admin: Client;
let countyStaff: Client;

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  const user = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }, { role: 'audit_admin', regionCode: '6505' }] });
  admin = await login(app, user.username, user.password);
  const staff = await newUser(db, { regionCode: '650502', grants: [{ role: 'department_staff', regionCode: '650502' }] });
  countyStaff = await login(app, staff.username, staff.password);
});

const count = async (table: 'app_user' | 'department' | 'api_token') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

const auditOf = (requestId: unknown) =>
  db.selectFrom('audit_log').selectAll().where('request_id', '=', String(requestId)).execute();

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';

describe('text a database cannot store is refused at the boundary, naming the field', () => {
  it('finds NUL bytes and unpaired surrogates in values and keys, at any depth, and passes paired ones', () => {
    expect(findUnstorableText({ a: ['ok', { b: `x${LONE_LOW}` }] }, 'body')).toBe('a/1/b');
    expect(findUnstorableText({ [`k${LONE_HIGH}`]: 1 }, 'body')).toBe(`k${LONE_HIGH}`);
    expect(findUnstorableText('a\0b', 'body')).toBe('body');
    expect(findUnstorableText({ name: '钥匙😀', list: ['\ud83d\ude00'] }, 'body')).toBeUndefined();
    let deep: unknown = LONE_HIGH;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep, 'body')).toBe(Array(100_000).fill('0').join('/'));
  });

  it('sign-in: a NUL byte or a lone surrogate in the name is a 400, not a 500', async () => {
    for (const username of ['adm\0in', LONE_HIGH]) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'x' } });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'request.invalid_text', field: 'username' });
    }
  });

  it('users: display names and grant regions, on create and on update; nothing is stored (not even as U+FFFD)', async () => {
    const dept = await newDepartment(db);
    const before = await count('app_user');
    const base = { username: `surrogate${Date.now()}`, displayName: '张三', departmentId: dept.id };
    const badName = await admin.post('/api/users', { ...base, displayName: `张${LONE_HIGH}` });
    expect(badName.statusCode).toBe(400);
    expect(badName.json()).toMatchObject({ code: 'request.invalid_text', field: 'displayName' });
    const badGrant = await admin.post('/api/users', { ...base, grants: [{ role: 'department_staff', regionCode: `650502${LONE_LOW}` }] });
    expect(badGrant.json()).toMatchObject({ code: 'request.invalid_text', field: 'grants/0/regionCode' });
    expect(await count('app_user')).toBe(before);

    const target = await newUser(db, { departmentId: dept.id });
    const patched = await admin.request('PATCH', `/api/users/${target.id}`, { displayName: `李\0四` });
    expect(patched.json()).toMatchObject({ code: 'request.invalid_text', field: 'displayName' });
    const row = await db.selectFrom('app_user').select('display_name').where('id', '=', target.id).executeTakeFirstOrThrow();
    expect(row.display_name).toBe(`测试用户${target.username}`);
  });

  it('departments, tokens and region renames', async () => {
    const [departments, tokens] = [await count('department'), await count('api_token')];
    const dept = await admin.post('/api/departments', { code: `S${Date.now()}`, name: `部门${LONE_HIGH}`, kind: 'government', regionCode: '6505' });
    expect(dept.json()).toMatchObject({ status: 400, code: 'request.invalid_text', field: 'name' });
    const token = await admin.post('/api/tokens', { name: `key${LONE_LOW}`, scopes: ['dashboard.read'] });
    expect(token.json()).toMatchObject({ status: 400, code: 'request.invalid_text', field: 'name' });
    const before = await db.selectFrom('region').select('name').where('code', '=', '650502').executeTakeFirstOrThrow();
    const rename = await admin.post('/api/regions/650502/rename', { name: `伊州区${LONE_HIGH}`, effectiveDate: '2026-01-01' });
    expect(rename.json()).toMatchObject({ status: 400, code: 'request.invalid_text', field: 'name' });
    expect(await count('department')).toBe(departments);
    expect(await count('api_token')).toBe(tokens);
    expect((await db.selectFrom('region').select('name').where('code', '=', '650502').executeTakeFirstOrThrow()).name).toBe(before.name);
  });

  it('query strings, path parameters and object keys', async () => {
    expect((await admin.get('/api/users?q=a%00b')).json()).toMatchObject({ code: 'request.invalid_text', field: 'q' });
    expect((await admin.get('/api/regions/6505%00')).json()).toMatchObject({ code: 'request.invalid_text', field: 'code' });
    const key = await admin.request('POST', '/api/tokens', `{"name":"k","scopes":["dashboard.read"],"\\ud800":1}`, { 'content-type': 'application/json' });
    expect(key.json()).toMatchObject({ code: 'request.invalid_text', field: LONE_HIGH });
  });

  it('a number in a path or query that coerces to ±Infinity is a 400 naming it, as the range would be', async () => {
    for (const year of ['Infinity', '-Infinity', '1e400']) {
      const res = await admin.get(`/api/calendar/years/${year}`);
      expect([res.statusCode, res.json()]).toEqual([400, expect.objectContaining({ code: 'request.invalid', field: 'year' })]);
    }
    expect((await admin.get('/api/calendar/years/3000')).json()).toMatchObject({ code: 'request.invalid', field: 'year' });
    expect((await admin.get('/api/users?limit=1e400')).json()).toMatchObject({ code: 'request.invalid', field: 'limit' });
    expect((await admin.get('/api/calendar/years/2026')).statusCode).toBe(200);
  });

  it('accepts paired surrogates (emoji, rare characters outside the BMP)', async () => {
    const res = await admin.post('/api/tokens', { name: '钥匙😀𠮷', scopes: ['dashboard.read'] });
    expect(res.statusCode).toBe(201);
    expect(res.json().name).toBe('钥匙😀𠮷');
  });
});

describe('cursors', () => {
  it('only what encodeCursor produced decodes', () => {
    for (const key of ['zhang.san', '650502001', '部门/甲', '😀']) expect(decodeCursor(encodeCursor(key))).toBe(key);
    for (const bad of ['AA', '_w', 'AAA', 'wA', '', 'a+b', '7aD_']) expect(() => decodeCursor(bad), bad).toThrow(expect.objectContaining({ code: 'request.invalid_cursor', field: 'cursor' }));
  });

  it.each(['/api/users', '/api/departments', '/api/regions', '/api/audit'])('%s?cursor=AA (a NUL byte) or stray bytes is a 400 naming cursor', async (path) => {
    for (const cursor of ['AA', '_w', '7aD_']) {
      const res = await admin.get(`${path}?cursor=${cursor}`);
      expect(res.statusCode, `${path} ${cursor}`).toBe(400);
      expect(res.json()).toMatchObject({ code: 'request.invalid_cursor', field: 'cursor' });
    }
  });
});

describe('Cache-Control', () => {
  it('no-store on API answers, errors and probes', async () => {
    for (const res of [await admin.get('/api/auth/me'), await admin.get('/api/users?limit=1'), await admin.get('/api/nothing'), await app.inject({ method: 'GET', url: '/api/auth/me' }), await app.inject({ method: 'GET', url: '/livez' })]) {
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('origin of cookie-authenticated writes', () => {
  const write = (client: Client, headers: Record<string, string>) => client.request('POST', '/api/tokens', { name: 'origin', scopes: ['dashboard.read'] }, headers);

  it('refuses a foreign Origin, a foreign Referer without Origin, and Origin null; nothing is written', async () => {
    const before = await count('api_token');
    for (const headers of <Record<string, string>[]>[{ origin: 'https://evil.example' }, { referer: 'https://evil.example/page' }, { origin: 'null' }, { origin: 'http://localhost:8080' }, { referer: 'not a url' }]) {
      const res = await write(admin, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json()).toMatchObject({ code: 'auth.bad_origin' });
    }
    expect(await count('api_token')).toBe(before);
  });

  it('accepts its own origin (default port written or not), and requests that send neither header', async () => {
    for (const headers of <Record<string, string>[]>[{ origin: 'http://localhost:80' }, { origin: 'http://localhost' }, { referer: 'http://localhost/users' }, {}]) {
      expect((await write(admin, headers)).statusCode, JSON.stringify(headers)).toBe(201);
    }
  });

  it('checks the sign-in too (login CSRF), but not bearer-token requests', async () => {
    const signIn = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'https://evil.example' }, payload: { username: 'nobody', password: 'x' } });
    expect(signIn.json()).toMatchObject({ status: 403, code: 'auth.bad_origin' });
    const token = (await admin.post('/api/tokens', { name: 'bearer', scopes: ['dashboard.read'] })).json().token as string;
    const res = await app.inject({ method: 'DELETE', url: '/api/tokens/00000000-0000-4000-8000-000000000000', headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' } });
    expect(res.json().code).not.toBe('auth.bad_origin');
  });
});

describe('request ids', () => {
  it('are always our own; a well-formed client id is kept apart as clientRequestId', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/audit/verify', headers: { 'x-request-id': 'trace-12345678' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json().requestId).toBe(res.headers['x-request-id']);
    const [record] = await auditOf(res.headers['x-request-id']);
    expect(record).toMatchObject({ request_id: res.headers['x-request-id'], detail: { clientRequestId: 'trace-12345678' } });
    expect(await db.selectFrom('audit_log').select('seq').where('request_id', '=', 'trace-12345678').execute()).toEqual([]);
  });

  it('a malformed client id is dropped', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/audit/verify', headers: { 'x-request-id': '<script>alert(1)</script>' } });
    const [record] = await auditOf(res.headers['x-request-id']);
    expect(record!.detail).toEqual({ status: 401 });
  });
});

describe('audit of refusals', () => {
  it('an anonymous write attempt is recorded: no actor, denied', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/departments', payload: { code: 'X1', name: '匿名', kind: 'government', regionCode: '6505' } });
    expect(res.statusCode).toBe(401);
    const records = await auditOf(res.headers['x-request-id']);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ actor_id: null, actor_name: null, outcome: 'denied', action: 'http.post /api/departments' });
  });

  it('a read refused to a signed-in caller (404 outside the jurisdiction, 403 without the permission) is recorded', async () => {
    const outside = await newUser(db, { regionCode: '650521' });
    const notFound = await countyStaff.get(`/api/users/${outside.id}`);
    expect([403, 404]).toContain(notFound.statusCode);
    const [probe] = await auditOf(notFound.headers['x-request-id']);
    expect(probe).toMatchObject({ action: 'http.get /api/users/:id', outcome: notFound.statusCode === 404 ? 'failure' : 'denied', detail: { params: { id: outside.id } } });
    expect(probe!.actor_id).not.toBeNull();

    const denied = await countyStaff.get('/api/audit');
    expect(denied.statusCode).toBe(403);
    expect(await auditOf(denied.headers['x-request-id'])).toMatchObject([{ action: 'http.get /api/audit', outcome: 'denied' }]);
  });

  it('successful reads and anonymous reads add no record', async () => {
    const ok = await countyStaff.get('/api/auth/me');
    expect(ok.statusCode).toBe(200);
    const anonymous = await app.inject({ method: 'GET', url: '/api/users' });
    expect(anonymous.statusCode).toBe(401);
    expect(await auditOf(ok.headers['x-request-id'])).toEqual([]);
    expect(await auditOf(anonymous.headers['x-request-id'])).toEqual([]);
  });
});
