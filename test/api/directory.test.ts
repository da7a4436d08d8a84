// Directory lists: customary department order (党委 → 人大 → 政府 → 政协 → 法院/检察院 → 群团 → 事业单位), users by
// department in that order, totals under the same filter and jurisdiction, and keyset cursors that follow the order.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPARTMENT_KINDS } from '../../src/modules/departments/index.ts';
import { DEPARTMENT_KIND_RANK } from '../../src/modules/departments/kinds.ts';
import { encodeKeyset } from '../../src/shared/keyset.ts';
import { Client, login, testApp } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser, uniq } from '../support/factories.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
let admin: Client;

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  const user = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  admin = await login(app, user.username, user.password);
});

interface Listed {
  id: string;
  code: string;
  kind: string;
  username: string;
}
interface ListPage {
  items: Listed[];
  total: number;
  nextCursor: string | null;
}

/** Follows nextCursor to the end; returns every page. */
async function allPages(client: Client, url: string): Promise<ListPage[]> {
  const pages: ListPage[] = [];
  let cursor: string | null = null;
  do {
    const res = await client.get(`${url}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as ListPage;
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

// The customary order, as the issue states it.
const CUSTOMARY = ['party', 'people_congress', 'government', 'cppcc', 'court', 'procuratorate', 'mass_org', 'public_institution'];

describe('GET /api/departments order and total', () => {
  it('lists in the customary order by kind, then code, across pages, with the total on every page', async () => {
    const tag = uniq('ORD');
    // Created in reverse order, codes chosen so that code order would be wrong.
    const kinds = [...DEPARTMENT_KINDS].reverse();
    for (const [i, kind] of kinds.entries()) {
      for (const n of [1, 0]) {
        const res = await admin.post('/api/departments', { code: `${tag}-${String.fromCharCode(65 + i)}${n}`, name: `排序测试${tag}${i}${n}`, kind, regionCode: '6505' });
        expect(res.statusCode, res.body).toBe(201);
      }
    }
    const pages = await allPages(admin, `/api/departments?q=${tag}&limit=3`);
    const items = pages.flatMap((p) => p.items);
    expect(items).toHaveLength(kinds.length * 2);
    expect(pages.every((p) => p.total === kinds.length * 2)).toBe(true);
    expect(new Set(items.map((d) => d.id)).size).toBe(items.length);
    const order = [...new Set(items.map((d) => d.kind))];
    expect(order.slice(0, CUSTOMARY.length)).toEqual(CUSTOMARY);
    // Within a kind, by code.
    for (let i = 1; i < items.length; i++) if (items[i]!.kind === items[i - 1]!.kind) expect(items[i]!.code > items[i - 1]!.code).toBe(true);
  });

  it('has the database rank every kind the same way the code does', async () => {
    for (const kind of DEPARTMENT_KINDS) {
      const d = await newDepartment(db, { kind });
      const row = await db.selectFrom('department').select('kind_rank').where('id', '=', d.id).executeTakeFirstOrThrow();
      expect(row.kind_rank, kind).toBe(DEPARTMENT_KIND_RANK[kind]);
    }
  });

  it('counts under the filter and the jurisdiction', async () => {
    const tag = uniq('CNT');
    for (const regionCode of ['650502', '650502', '650521']) {
      expect((await admin.post('/api/departments', { code: `${tag}-${uniq()}`, name: `计数测试${tag}`, kind: 'government', regionCode })).statusCode).toBe(201);
    }
    expect((await admin.get(`/api/departments?q=${tag}`)).json().total).toBe(3);
    expect((await admin.get(`/api/departments?q=${tag}&regionCode=650502`)).json().total).toBe(2);
    expect((await admin.get(`/api/departments?q=${tag}&kind=party`)).json()).toEqual({ items: [], total: 0, nextCursor: null });
    const county = await newUser(db, { regionCode: '650521', grants: [{ role: 'platform_admin', regionCode: '650521' }] });
    const countyClient = await login(app, county.username, county.password);
    const seen = (await countyClient.get(`/api/departments?q=${tag}`)).json();
    expect(seen.total).toBe(1);
    expect(seen.items).toHaveLength(1);
  });

  it('answers cursors it did not issue with 400 request.invalid_cursor', async () => {
    for (const cursor of ['AA', encodeKeyset(['x', 1, 'a']), encodeKeyset([1, 1]), encodeKeyset([1, 1, 'a\u0000']), encodeKeyset([1, 1, '\ud800']), Buffer.from('{"a":1}').toString('base64url')]) {
      const res = await admin.get(`/api/departments?cursor=${cursor}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json()).toMatchObject({ code: 'request.invalid_cursor', field: 'cursor' });
    }
  });
});

describe('GET /api/users order and total', () => {
  it('orders by department in the customary order, then user name; the cursor follows; total on every page', async () => {
    const tag = uniq('uo');
    const party = await newDepartment(db, { kind: 'party' });
    const government = await newDepartment(db, { kind: 'government' });
    const institution = await newDepartment(db, { kind: 'public_institution' });
    // Names chosen so that plain user-name order would interleave the departments.
    const plan: [string, string][] = [
      [institution.id, 'a'],
      [government.id, 'b'],
      [party.id, 'c'],
      [institution.id, 'd'],
      [party.id, 'e'],
      [government.id, 'f'],
      [party.id, 'g'],
    ];
    for (const [departmentId, letter] of plan) {
      await newUser(db, { username: `${tag}${letter}`, displayName: `排序${letter}`, departmentId, password: null });
    }
    const pages = await allPages(admin, `/api/users?q=${tag}&limit=2`);
    expect(pages).toHaveLength(4);
    expect(pages.every((p) => p.total === 7)).toBe(true);
    expect(pages.flatMap((p) => p.items).map((u) => u.username)).toEqual(['c', 'e', 'g', 'b', 'f', 'a', 'd'].map((l) => `${tag}${l}`));
  });

  it("keeps users in step when their department's kind changes or they move department", async () => {
    const tag = uniq('uk');
    const first = await newDepartment(db, { kind: 'public_institution' });
    const second = await newDepartment(db, { kind: 'government' });
    for (const [departmentId, letter] of [
      [first.id, 'a'],
      [second.id, 'b'],
    ] as const) {
      await newUser(db, { username: `${tag}${letter}`, displayName: `排序${letter}`, departmentId, password: null });
    }
    const order = async () => (await admin.get(`/api/users?q=${tag}`)).json().items.map((u: Listed) => u.username);
    expect(await order()).toEqual([`${tag}b`, `${tag}a`]);
    // Through the API, as a manager would: the first department becomes a party body and moves ahead.
    expect((await admin.request('PATCH', `/api/departments/${first.id}`, { kind: 'party' })).statusCode).toBe(200);
    expect(await order()).toEqual([`${tag}a`, `${tag}b`]);
    // A user moved to another department takes that department's place.
    const party = await newDepartment(db, { kind: 'party' });
    await db.updateTable('app_user').set({ department_id: party.id }).where('username', '=', `${tag}b`).execute();
    const key = await db.selectFrom('app_user').select(['dept_kind_rank', 'dept_code']).where('username', '=', `${tag}b`).executeTakeFirstOrThrow();
    expect(key).toEqual({ dept_kind_rank: 1, dept_code: party.code });
  });

  it('counts under the filter and the jurisdiction', async () => {
    const department = await newDepartment(db, { regionCode: '650522' });
    for (let i = 0; i < 3; i++) await newUser(db, { departmentId: department.id, password: null });
    expect((await admin.get(`/api/users?departmentId=${department.id}&limit=1`)).json().total).toBe(3);
    const other = await newUser(db, { regionCode: '650521', grants: [{ role: 'platform_admin', regionCode: '650521' }] });
    const otherClient = await login(app, other.username, other.password);
    expect((await otherClient.get(`/api/users?departmentId=${department.id}`)).json()).toEqual({ items: [], total: 0, totalExact: true, nextCursor: null });
  });

  it('answers cursors it did not issue with 400 request.invalid_cursor, writing nothing', async () => {
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(db)).rows[0]!.n;
    for (const cursor of ['AA', encodeKeyset([1, 1, 'a']), encodeKeyset([1, 1, 'a', '\u0000']), encodeKeyset(['1', 1, 'a', 'b'])]) {
      const res = await admin.get(`/api/users?cursor=${cursor}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json()).toMatchObject({ code: 'request.invalid_cursor', field: 'cursor' });
    }
    const after = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(db)).rows[0]!.n;
    expect(after).toBe(before);
  });
});
