// API tests of the department directory: create, list, get, patch, bad input and jurisdiction, on the real app and database.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, login, testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { allPages } from '../../../test/support/paging.ts';
import { creditCodeFor, organisationCodeFor } from '../../shared/validators/credit-code.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
let admin: Client;

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  const user = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  admin = await login(app, user.username, user.password);
});

const countDepartments = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM department`.execute(db)).rows[0]!.n;

let serial = 0;
/** A fresh valid credit code (random organisation-code body, so runs on a shared database do not collide). */
function freshCreditCode(division = '6505'): string {
  const body8 = String(10_000_000 + Math.floor(Math.random() * 89_000_000) + (serial++ % 1000));
  return creditCodeFor({ registration: '11', division, body: organisationCodeFor(body8) });
}

const newBody = (over: Record<string, unknown> = {}) => ({
  code: uniq('D-'),
  name: `测试局${uniq()}`,
  shortName: '测试局',
  kind: 'government',
  regionCode: '6505',
  ...over,
});

/** Sends a request that must fail, and checks the problem and that no department was written. */
async function expectRejected(send: () => ReturnType<Client['request']>, status: number, code: string, field?: string) {
  const before = await countDepartments();
  const res = await send();
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  const problem = res.json();
  expect(problem.code).toBe(code);
  if (field !== undefined) expect(problem.field).toBe(field);
  expect(await countDepartments()).toBe(before);
  return problem;
}

describe('POST /api/departments', () => {
  it('creates a department, returns it with the region name, and audits the write', async () => {
    const creditCode = freshCreditCode();
    const body = newBody({ creditCode });
    const res = await admin.post('/api/departments', body);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      code: body.code,
      name: body.name,
      shortName: '测试局',
      kind: 'government',
      regionCode: '6505',
      regionName: '哈密市',
      parentId: null,
      creditCode,
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(created.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const audit = await db.selectFrom('audit_log').selectAll().where('object_id', '=', created.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'department.create', object_type: 'department', region_code: '6505', outcome: 'success', role: 'platform_admin' });
    expect(audit[0]!.detail).toMatchObject({ code: body.code, creditCode });
  });

  it('creates a sub-department under a parent in an enclosing region', async () => {
    const parent = (await admin.post('/api/departments', newBody())).json();
    const res = await admin.post('/api/departments', newBody({ regionCode: '650502', parentId: parent.id, shortName: null }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ parentId: parent.id, regionCode: '650502', regionName: '伊州区', shortName: null, creditCode: null });
  });

  it('rejects an unknown region code', async () => {
    await expectRejected(() => admin.post('/api/departments', newBody({ regionCode: '659999' })), 400, 'region.unknown', 'regionCode');
  });

  it('rejects an invalid credit code, saying why', async () => {
    const valid = freshCreditCode();
    const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const problem = await expectRejected(() => admin.post('/api/departments', newBody({ creditCode: wrongCheck })), 400, 'department.invalid_credit_code', 'creditCode');
    expect(problem.detail).toContain('check character');
    await expectRejected(() => admin.post('/api/departments', newBody({ creditCode: '91440300708461136t' })), 400, 'department.invalid_credit_code', 'creditCode');
    await expectRejected(() => admin.post('/api/departments', newBody({ creditCode: 'I1650500MB1234567X' })), 400, 'department.invalid_credit_code', 'creditCode');
    await expectRejected(() => admin.post('/api/departments', newBody({ creditCode: valid.slice(0, 17) })), 400, 'department.invalid_credit_code', 'creditCode');
  });

  it('rejects a duplicate code and a duplicate credit code with 409', async () => {
    const creditCode = freshCreditCode();
    const first = newBody({ creditCode });
    expect((await admin.post('/api/departments', first)).statusCode).toBe(201);
    await expectRejected(() => admin.post('/api/departments', newBody({ code: first.code })), 409, 'department.code_taken', 'code');
    await expectRejected(() => admin.post('/api/departments', newBody({ creditCode })), 409, 'department.credit_code_taken', 'creditCode');
  });

  it('rejects a malformed JSON body', async () => {
    await expectRejected(() => admin.request('POST', '/api/departments', '{"code": "X-1", "name": ', { 'content-type': 'application/json' }), 400, 'request.malformed_json', 'body');
  });

  it('rejects a body that is not JSON', async () => {
    const body = JSON.stringify(newBody());
    const problem = await expectRejected(() => admin.request('POST', '/api/departments', body, { 'content-type': 'text/plain' }), 415, 'request.unsupported_media_type', 'content-type');
    expect(problem.detail).toContain('text/plain');
  });

  it('rejects an over-long name', async () => {
    await expectRejected(() => admin.post('/api/departments', newBody({ name: '局'.repeat(101) })), 400, 'request.invalid', 'name');
    expect((await admin.post('/api/departments', newBody({ name: `${uniq()}${'局'.repeat(90)}` }))).statusCode).toBe(201);
  });

  it('rejects markup and control characters in names', async () => {
    await expectRejected(() => admin.post('/api/departments', newBody({ name: '<script>alert(1)</script>' })), 400, 'request.invalid', 'name');
    await expectRejected(() => admin.post('/api/departments', newBody({ name: '哈密市\u0000财政局' })), 400, 'request.invalid_text', 'name');
    await expectRejected(() => admin.post('/api/departments', newBody({ shortName: 'a<b' })), 400, 'request.invalid', 'shortName');
    await expectRejected(() => admin.post('/api/departments', newBody({ name: '   ' })), 400, 'request.invalid', 'name');
  });

  it('rejects an unknown body field and an unknown kind', async () => {
    await expectRejected(() => admin.post('/api/departments', { ...newBody(), isAdmin: true }), 400, 'request.invalid', 'isAdmin');
    await expectRejected(() => admin.post('/api/departments', newBody({ kind: 'bureau' })), 400, 'request.invalid', 'kind');
  });

  it('rejects an unknown parent, and a parent in an unrelated region', async () => {
    await expectRejected(() => admin.post('/api/departments', newBody({ parentId: '00000000-0000-4000-8000-000000000000' })), 400, 'department.unknown_parent', 'parentId');
    const county = (await admin.post('/api/departments', newBody({ regionCode: '650521' }))).json();
    await expectRejected(() => admin.post('/api/departments', newBody({ regionCode: '650502', parentId: county.id })), 400, 'department.parent_outside_region', 'parentId');
  });

  it('refuses users without departments.manage, and regions outside the jurisdiction', async () => {
    const staff = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    const staffClient = await login(app, staff.username, staff.password);
    await expectRejected(() => staffClient.post('/api/departments', newBody()), 403, 'auth.forbidden');
    const countyAdmin = await newUser(db, { regionCode: '650521', grants: [{ role: 'platform_admin', regionCode: '650521' }] });
    const countyClient = await login(app, countyAdmin.username, countyAdmin.password);
    await expectRejected(() => countyClient.post('/api/departments', newBody({ regionCode: '650502' })), 403, 'auth.outside_jurisdiction');
    await expectRejected(() => countyClient.post('/api/departments', newBody({ regionCode: '6505' })), 403, 'auth.outside_jurisdiction');
    expect((await countyClient.post('/api/departments', newBody({ regionCode: '650521' }))).statusCode).toBe(201);
    await expectRejected(() => new Client(app).post('/api/departments', newBody()), 401, 'auth.required');
  });
});

describe('GET /api/departments', () => {
  it('pages through the list in code order with a keyset cursor', async () => {
    const tag = uniq('P');
    for (let i = 0; i < 5; i++) expect((await admin.post('/api/departments', newBody({ code: `${tag}-${i}` }))).statusCode).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await admin.get(`/api/departments?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((d: { code: string }) => d.code));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `${tag}-${i}`));
    expect(pages).toBe(3);
  });

  it('filters by kind, parent and region subtree', async () => {
    const parent = (await admin.post('/api/departments', newBody({ kind: 'party' }))).json();
    const child = (await admin.post('/api/departments', newBody({ regionCode: '650522', parentId: parent.id, kind: 'mass_org' }))).json();
    const byParent = (await admin.get(`/api/departments?parentId=${parent.id}`)).json();
    expect(byParent.items.map((d: { id: string }) => d.id)).toEqual([child.id]);
    const byKind = (await admin.get(`/api/departments?kind=mass_org&q=${child.code}`)).json();
    expect(byKind.items.map((d: { id: string }) => d.id)).toEqual([child.id]);
    expect((await admin.get(`/api/departments?kind=party&q=${child.code}`)).json().items).toEqual([]);
    const inCounty = (await admin.get(`/api/departments?regionCode=650522&q=${child.code}`)).json();
    expect(inCounty.items.map((d: { id: string }) => d.id)).toContain(child.id);
    expect(inCounty.items.every((d: { regionCode: string }) => d.regionCode.startsWith('650522'))).toBe(true);
  });

  it('treats SQL in q as text: an empty result and the table intact', async () => {
    const before = await countDepartments();
    const res = await admin.get(`/api/departments?q=${encodeURIComponent("'; DROP TABLE department; --")}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ items: [], total: 0, nextCursor: null });
    const wildcard = await admin.get(`/api/departments?q=${encodeURIComponent('%_\\')}`);
    expect(wildcard.json().items).toEqual([]);
    expect(await countDepartments()).toBe(before);
  });

  it('rejects bad query parameters', async () => {
    for (const [query, field] of [
      ['kind=bureau', 'kind'],
      ['limit=0', 'limit'],
      ['parentId=nope', 'parentId'],
      ['regionCode=65x', 'regionCode'],
      ['cursor=***', 'cursor'],
      ['extra=1', 'extra'],
    ]) {
      const res = await admin.get(`/api/departments?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json()).toMatchObject({ code: 'request.invalid', field });
    }
    const unknownRegion = await admin.get('/api/departments?regionCode=659999');
    expect(unknownRegion.json()).toMatchObject({ code: 'region.unknown', field: 'regionCode' });
  });
});

describe('GET /api/departments/:id', () => {
  it('returns one department, 404 for an unknown id and 400 for a malformed one', async () => {
    const created = (await admin.post('/api/departments', newBody())).json();
    const res = await admin.get(`/api/departments/${created.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(created);
    expect((await admin.get('/api/departments/00000000-0000-4000-8000-000000000000')).json()).toMatchObject({ status: 404, code: 'department.not_found' });
    expect((await admin.get('/api/departments/not-a-uuid')).json()).toMatchObject({ status: 400, code: 'request.invalid', field: 'id' });
  });
});

describe('PATCH /api/departments/:id', () => {
  it('renames and changes short name, kind, parent and credit code, auditing before and after', async () => {
    const parent = (await admin.post('/api/departments', newBody())).json();
    const created = (await admin.post('/api/departments', newBody({ regionCode: '650502', kind: 'government' }))).json();
    const creditCode = freshCreditCode('650502');
    const name = `改名后的局${uniq()}`;
    const res = await admin.request('PATCH', `/api/departments/${created.id}`, { name, shortName: null, kind: 'public_institution', parentId: parent.id, creditCode });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ...created, name, shortName: null, kind: 'public_institution', parentId: parent.id, creditCode });
    const audit = await db.selectFrom('audit_log').selectAll().where('object_id', '=', created.id).where('action', '=', 'department.update').executeTakeFirstOrThrow();
    expect(audit.region_code).toBe('650502');
    expect(audit.detail).toEqual({
      code: created.code,
      before: { name: created.name, shortName: '测试局', kind: 'government', parentId: null, creditCode: null },
      after: { name, shortName: null, kind: 'public_institution', parentId: parent.id, creditCode },
    });
    const cleared = await admin.request('PATCH', `/api/departments/${created.id}`, { parentId: null, creditCode: null });
    expect(cleared.json()).toMatchObject({ parentId: null, creditCode: null, name });
  });

  it('refuses a parent that would make a cycle', async () => {
    const a = (await admin.post('/api/departments', newBody())).json();
    const b = (await admin.post('/api/departments', newBody({ parentId: a.id }))).json();
    const c = (await admin.post('/api/departments', newBody({ parentId: b.id }))).json();
    const self = await admin.request('PATCH', `/api/departments/${a.id}`, { parentId: a.id });
    expect(self.json()).toMatchObject({ status: 400, code: 'department.parent_cycle', field: 'parentId' });
    const loop = await admin.request('PATCH', `/api/departments/${a.id}`, { parentId: c.id });
    expect(loop.json()).toMatchObject({ status: 400, code: 'department.parent_cycle', field: 'parentId' });
    expect((await admin.get(`/api/departments/${a.id}`)).json().parentId).toBeNull();
  });

  it('rejects bad patches without writing', async () => {
    const creditCode = freshCreditCode();
    const other = (await admin.post('/api/departments', newBody({ creditCode }))).json();
    const target = (await admin.post('/api/departments', newBody())).json();
    const url = `/api/departments/${target.id}`;
    for (const [body, status, code, field] of [
      [{ creditCode }, 409, 'department.credit_code_taken', 'creditCode'],
      [{ creditCode: '91440300708461136X' }, 400, 'department.invalid_credit_code', 'creditCode'],
      [{ code: 'NEW-CODE' }, 400, 'request.invalid', 'code'],
      [{ regionCode: '650502' }, 400, 'request.invalid', 'regionCode'],
      [{}, 400, 'request.invalid', undefined],
      [{ name: '<b>x</b>' }, 400, 'request.invalid', 'name'],
      [{ name: 'x'.repeat(101) }, 400, 'request.invalid', 'name'],
      [{ parentId: '00000000-0000-4000-8000-000000000000' }, 400, 'department.unknown_parent', 'parentId'],
    ] as const) {
      const res = await admin.request('PATCH', url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().code).toBe(code);
      if (field) expect(res.json().field).toBe(field);
    }
    expect((await admin.get(url)).json()).toEqual(target);
    expect(other.creditCode).toBe(creditCode);
    const updates = await db.selectFrom('audit_log').select('seq').where('object_id', '=', target.id).where('action', '=', 'department.update').execute();
    expect(updates).toEqual([]);
  });

  it('answers 404 for a department outside the jurisdiction, 403 when visible but not manageable', async () => {
    const there = (await admin.post('/api/departments', newBody({ regionCode: '650522' }))).json();
    const countyAdmin = await newUser(db, { regionCode: '650521', grants: [{ role: 'platform_admin', regionCode: '650521' }] });
    const countyClient = await login(app, countyAdmin.username, countyAdmin.password);
    expect((await countyClient.request('PATCH', `/api/departments/${there.id}`, { name: '越权改名' })).json()).toMatchObject({ status: 404, code: 'department.not_found' });
    const mixed = await newUser(db, {
      regionCode: '650521',
      grants: [
        { role: 'platform_admin', regionCode: '650521' },
        { role: 'leader', regionCode: '6505' },
      ],
    });
    const mixedClient = await login(app, mixed.username, mixed.password);
    expect((await mixedClient.request('PATCH', `/api/departments/${there.id}`, { name: '越权改名' })).json()).toMatchObject({ status: 403, code: 'auth.outside_jurisdiction' });
    expect((await admin.get(`/api/departments/${there.id}`)).json().name).toBe(there.name);
  });
});

describe('jurisdiction', () => {
  let mine: { code: string; parent_code: string | null };
  let sibling: { code: string };
  let otherCounty: { code: string };

  beforeAll(async () => {
    const communities = (county: string) =>
      db.selectFrom('region').select(['code', 'parent_code']).where('level', '=', 4).where('path', 'like', `/6505/${county}/%`).orderBy('code').limit(2).execute();
    const yizhou = await communities('650502');
    mine = yizhou[0]!;
    sibling = yizhou[1]!;
    otherCounty = (await communities('650521'))[0]!;
  });

  it.each(['community_worker', 'department_staff'] as const)('a %s scoped to one community sees only departments in it', async (role) => {
    const own = await newDepartment(db, { regionCode: mine.code, kind: 'government' });
    const next = await newDepartment(db, { regionCode: sibling.code, kind: 'government' });
    const far = await newDepartment(db, { regionCode: otherCounty.code, kind: 'government' });
    const township = await newDepartment(db, { regionCode: mine.parent_code!, kind: 'government' });
    const user = await newUser(db, { departmentId: own.id, grants: [{ role, regionCode: mine.code }] });
    const client = await login(app, user.username, user.password);

    const listed = (await allPages<{ id: string }>(client, '/api/departments?limit=500')).map((d) => d.id);
    expect(listed).toContain(own.id);
    for (const hidden of [next, far, township]) expect(listed).not.toContain(hidden.id);
    for (const hidden of [next, far, township]) {
      expect((await client.get(`/api/departments?q=${hidden.code}`)).json().items).toEqual([]);
      expect((await client.get(`/api/departments/${hidden.id}`)).json()).toMatchObject({ status: 404, code: 'department.not_found' });
    }
    expect((await client.get(`/api/departments/${own.id}`)).json()).toMatchObject({ id: own.id, regionCode: mine.code });
    expect((await client.get(`/api/departments?regionCode=${otherCounty.code}`)).json().items).toEqual([]);
  });
});
