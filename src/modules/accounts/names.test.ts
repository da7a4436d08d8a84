// Names: user names and department codes are unique regardless of case; display names are trimmed and never blank.
import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, signedInWith, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, uniq } from '../../../test/support/factories.ts';
import { CaseDuplicateError, up as caseInsensitiveNames } from '../../db/migrations/0005_case_insensitive_names.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
let admin: Client;

beforeAll(async () => {
  [{ app }, { db }, admin] = await Promise.all([testApp(), testDb(), signedInWith([{ role: 'platform_admin', regionCode: '6505' }])]);
});

const count = async (table: 'app_user' | 'department' | 'api_token') => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n;

describe('user names are case-insensitive', () => {
  it('refuses HS.X beside hs.x with 409 naming the field, and signs in whatever the case', async () => {
    const dept = await newDepartment(db);
    const name = `HS.${uniq()}`.toUpperCase();
    const created = await admin.post('/api/users', { username: name, displayName: '大写', departmentId: dept.id, password: 'Case-Blind-Login-42' });
    expect(created.statusCode, created.body).toBe(201);
    const before = await count('app_user');
    for (const variant of [name.toLowerCase(), name, `hs.${name.slice(3)}`]) {
      const res = await admin.post('/api/users', { username: variant, displayName: '小写', departmentId: dept.id });
      expect(res.statusCode, variant).toBe(409);
      expect(res.json()).toMatchObject({ code: 'user.username_taken', field: 'username' });
    }
    expect(await count('app_user')).toBe(before);
    const signedIn = await login(app, name.toLowerCase(), 'Case-Blind-Login-42');
    expect((await signedIn.get('/api/auth/me')).json().user.username).toBe(name);
  });

  it('lets only one of 100 concurrent case variants through', async () => {
    const dept = await newDepartment(db);
    const base = `race${uniq()}`;
    const variants = Array.from({ length: 100 }, (_, i) => [...base].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join(''));
    const results = await Promise.all(variants.map((username) => admin.post('/api/users', { username, displayName: '并发', departmentId: dept.id })));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    const rows = await db.selectFrom('app_user').select('id').where(sql<string>`lower(username)`, '=', base).execute();
    expect(rows).toHaveLength(1);
  });
});

describe('department codes are case-insensitive', () => {
  it('refuses hs-x beside HS-X with 409 naming the field', async () => {
    const code = `HS-${uniq()}`.toUpperCase();
    const first = await admin.post('/api/departments', { code, name: '大写部门', kind: 'government', regionCode: '6505' });
    expect(first.statusCode, first.body).toBe(201);
    const before = await count('department');
    const second = await admin.post('/api/departments', { code: code.toLowerCase(), name: '小写部门', kind: 'government', regionCode: '6505' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'department.code_taken', field: 'code' });
    expect(await count('department')).toBe(before);
  });

  it('lets only one of 100 concurrent case variants through', async () => {
    const base = `r-${uniq()}`;
    const variants = Array.from({ length: 100 }, (_, i) => [...base].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join(''));
    const results = await Promise.all(variants.map((code) => admin.post('/api/departments', { code, name: '并发部门', kind: 'government', regionCode: '6505' })));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().field === 'code')).toBe(true);
    expect(await db.selectFrom('department').select('id').where(sql<string>`lower(code)`, '=', base).execute()).toHaveLength(1);
  });
});

describe('migration 0005 on a database that already holds case duplicates', () => {
  it('fails with a message naming the duplicates, and changes nothing', async () => {
    const suffix = uniq();
    let failure: unknown;
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`DROP INDEX app_user_username_lower`.execute(trx);
        await sql`DROP INDEX department_code_lower`.execute(trx);
        const dept = await newDepartment(trx);
        await trx.insertInto('app_user').values([
          { username: `Dup.${suffix}`, display_name: 'a', kind: 'staff', department_id: dept.id, region_code: '6505' },
          { username: `dup.${suffix}`, display_name: 'b', kind: 'staff', department_id: dept.id, region_code: '6505' },
        ]).execute();
        failure = await caseInsensitiveNames(trx as unknown as Kysely<unknown>).catch((error: unknown) => error);
        throw new Error('roll back');
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || error.message !== 'roll back') throw error;
      });
    expect(failure).toBeInstanceOf(CaseDuplicateError);
    expect((failure as Error).message).toContain(`app_user.username: Dup.${suffix}, dup.${suffix}`);
    // the indexes are still there
    const indexes = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname IN ('app_user_username_lower', 'department_code_lower')`.execute(db);
    expect(indexes.rows[0]!.n).toBe(2);
  });
});

describe('names are trimmed and never blank', () => {
  it('refuses a blank display name on create and update with 400 naming the field, and trims a padded one', async () => {
    const dept = await newDepartment(db);
    const before = await count('app_user');
    const blank = await admin.post('/api/users', { username: uniq('blank'), displayName: '   ', departmentId: dept.id });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({ code: 'user.invalid_display_name', field: 'displayName' });
    expect(await count('app_user')).toBe(before);

    const padded = await admin.post('/api/users', { username: uniq('pad'), displayName: '  张三  ', departmentId: dept.id });
    expect(padded.json().displayName).toBe('张三');
    const id = padded.json().id as string;
    const rename = await admin.request('PATCH', `/api/users/${id}`, { displayName: '\u3000 ' });
    expect(rename.statusCode).toBe(400);
    expect(rename.json()).toMatchObject({ code: 'user.invalid_display_name', field: 'displayName' });
    const stored = await db.selectFrom('app_user').select('display_name').where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.display_name).toBe('张三');
  });

  it('refuses a blank token name and trims a padded one', async () => {
    const before = await count('api_token');
    const blank = await admin.post('/api/tokens', { name: '   ', scopes: ['dashboard.read'] });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({ code: 'token.invalid_name', field: 'name' });
    expect(await count('api_token')).toBe(before);
    expect((await admin.post('/api/tokens', { name: ' 报表同步 ', scopes: ['dashboard.read'] })).json().name).toBe('报表同步');
  });

  it('refuses blank department names and short names, and blank region renames, naming the field', async () => {
    const before = await count('department');
    const name = await admin.post('/api/departments', { code: uniq('B'), name: '   ', kind: 'government', regionCode: '6505' });
    expect(name.statusCode).toBe(400);
    expect(name.json().field).toBe('name');
    const shortName = await admin.post('/api/departments', { code: uniq('B'), name: '某部门', shortName: '   ', kind: 'government', regionCode: '6505' });
    expect(shortName.statusCode).toBe(400);
    expect(shortName.json().field).toBe('shortName');
    expect(await count('department')).toBe(before);
    const dept = await newDepartment(db);
    const patch = await admin.request('PATCH', `/api/departments/${dept.id}`, { name: '   ' });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().field).toBe('name');

    const region = await db.selectFrom('region').select(['code', 'name']).where('parent_code', '=', '650502').orderBy('code').executeTakeFirstOrThrow();
    const rename = await admin.post(`/api/regions/${region.code}/rename`, { name: '   ', effectiveDate: '2024-01-01' });
    expect(rename.statusCode).toBe(400);
    expect(rename.json()).toMatchObject({ field: 'name' });
    expect((await db.selectFrom('region').select('name').where('code', '=', region.code).executeTakeFirstOrThrow()).name).toBe(region.name);
  });
});
