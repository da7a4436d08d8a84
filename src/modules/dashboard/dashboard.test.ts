// The home dashboard's figures against the real Hami region tree.
import { sql } from 'kysely';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { login, testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import { dashboardRows, dashboardStatement } from './repository.ts';
import type { Scope } from '../../shared/access.ts';
import type { RegionNode } from './service.ts';

let ctx: Awaited<ReturnType<typeof testApp>>;
let db: Awaited<ReturnType<typeof testDb>>['db'];
beforeAll(async () => {
  ctx = await testApp();
  ({ db } = await testDb());
});

const find = (node: RegionNode, code: string): RegionNode | undefined =>
  node.code === code ? node : node.children.map((c) => find(c, code)).find(Boolean);

describe('dashboard summary', () => {
  it('gives a prefecture admin the whole Hami tree down to townships, with subtree counts', async () => {
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    const client = await login(ctx.app, admin.username, admin.password);
    const township = await db.selectFrom('region').select(['code', 'parent_code']).where('level', '=', 3).where('code', 'like', '650522%').orderBy('code').limit(1).executeTakeFirstOrThrow();
    const community = await db.selectFrom('region').select('code').where('parent_code', '=', township.code).limit(1).executeTakeFirstOrThrow();

    ctx.services.dashboard.invalidate();
    const before = (await client.get('/api/dashboard/summary')).json();
    expect(before.tree).toMatchObject({ code: '6505', name: '哈密市', level: 1 });
    expect(before.tree.children.map((c: RegionNode) => c.name).sort()).toEqual(['伊吾县', '伊州区', '巴里坤哈萨克自治县'].sort());
    expect(before.totals.regions).toEqual({ prefecture: 1, county: 3, township: 58, community: 307 });
    expect(find(before.tree, community.code)).toBeUndefined(); // communities are counted, not listed

    await newDepartment(db, { regionCode: community.code });
    ctx.services.dashboard.invalidate();
    const after = (await client.get('/api/dashboard/summary')).json();
    for (const code of ['6505', '650522', township.code]) {
      expect(find(after.tree, code)!.departments, code).toBe(find(before.tree, code)!.departments + 1);
    }
    expect(after.totals.departments).toBe(before.totals.departments + 1);
    expect(after.tree.departments).toBe(after.totals.departments);
  });

  it("answers each role for its own jurisdiction: a county admin their county, a community worker their community", async () => {
    const prefecture = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const whole = (await (await login(ctx.app, prefecture.username, prefecture.password)).get('/api/dashboard/summary')).json();
    expect(whole.jurisdiction).toEqual([{ code: '6505', name: '哈密市', level: 1, ancestors: [] }]);

    const countyAdmin = await newUser(db, { regionCode: '650521', grants: [{ role: 'department_admin', regionCode: '650521' }] });
    const county = (await (await login(ctx.app, countyAdmin.username, countyAdmin.password)).get('/api/dashboard/summary')).json();
    expect(county.jurisdiction).toEqual([{ code: '650521', name: '巴里坤哈萨克自治县', level: 2, ancestors: [{ code: '6505', name: '哈密市', level: 1 }] }]);
    expect(county.tree).toMatchObject({ code: '650521', level: 2 });
    expect(county.totals.regions.prefecture).toBe(0);
    expect(county.totals.regions.county).toBe(1);
    expect(county.totals.departments).toBeLessThan(whole.totals.departments);

    const community = await db
      .selectFrom('region as c')
      .innerJoin('region as t', 't.code', 'c.parent_code')
      .select(['c.code', 'c.name', 't.code as township_code', 't.name as township_name'])
      .where('c.level', '=', 4)
      .where('c.code', 'like', '650502%')
      .orderBy('c.code', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const committee = await newDepartment(db, { regionCode: community.code, kind: 'mass_org' });
    const worker = await newUser(db, { departmentId: committee.id, grants: [{ role: 'community_worker', regionCode: community.code }] });
    ctx.services.dashboard.invalidate();
    const own = (await (await login(ctx.app, worker.username, worker.password)).get('/api/dashboard/summary')).json();
    expect(own.jurisdiction).toEqual([
      {
        code: community.code,
        name: community.name,
        level: 4,
        ancestors: [
          { code: '6505', name: '哈密市', level: 1 },
          { code: '650502', name: '伊州区', level: 2 },
          { code: community.township_code, name: community.township_name, level: 3 },
        ],
      },
    ]);
    expect(own.tree).toMatchObject({ code: community.code, level: 4, children: [] });
    expect(own.totals.regions).toEqual({ prefecture: 0, county: 0, township: 0, community: 1 });
    expect(own.totals.departments).toBeGreaterThanOrEqual(1);
    expect(own.totals.users).toBeGreaterThanOrEqual(1);
    expect(own.tree.departments).toBe(own.totals.departments);
  });

  it('joins disjoint jurisdictions under one synthetic root', async () => {
    const leader = await newUser(db, {
      grants: [
        { role: 'leader', regionCode: '650521' },
        { role: 'leader', regionCode: '650522' },
      ],
    });
    const client = await login(ctx.app, leader.username, leader.password);
    const summary = (await client.get('/api/dashboard/summary')).json();
    expect(summary.tree.code).toBe('');
    expect(summary.tree.children.map((c: RegionNode) => c.code)).toEqual(['650521', '650522']);
    expect(summary.totals.regions.prefecture).toBe(0);
    expect(summary.totals.regions.county).toBe(2);
  });

  it('answers 304 to a client that already has the current summary', async () => {
    const admin = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const client = await login(ctx.app, admin.username, admin.password);
    const first = await client.get('/api/dashboard/summary');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await client.request('GET', '/api/dashboard/summary', undefined, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const stale = await client.request('GET', '/api/dashboard/summary', undefined, { 'if-none-match': '"old"' });
    expect(stale.statusCode).toBe(200);
    expect(stale.json()).toEqual(first.json());
  });

  it('needs a signed-in caller', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/dashboard/summary' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.required');
  });
});

describe('dashboard statement (D128)', () => {
  const scope = (paths: string[]): Scope => ({ permission: 'users.read', paths, departments: [], shares: [] });

  it.runIf(!inject('testDatabaseUrl'))('on PGlite: keeps one prepared statement per scope, answers what the plain statement answers, and prepares again after a DEALLOCATE', async () => {
    const prefecture = scope(['/6505/']);
    const plain = JSON.parse((await sql<{ j: string }>`${sql.raw(dashboardStatement(prefecture, 3))}`.execute(db)).rows[0]!.j) as unknown;
    expect(await dashboardRows(db, prefecture, 3)).toEqual(plain);
    const kept = await sql<{ name: string }>`SELECT name FROM pg_prepared_statements WHERE name LIKE 'dashboard\\_%'`.execute(db);
    expect(kept.rows.length).toBeGreaterThan(0);
    // counts are read at each EXECUTE, not kept with the plan
    const county = await db.selectFrom('region').select('code').where('code', '=', '650502').executeTakeFirstOrThrow();
    const before = (await dashboardRows(db, prefecture, 3)).listed.find((r) => r.code === county.code)!;
    const department = await newDepartment(db, { regionCode: county.code });
    const after = (await dashboardRows(db, prefecture, 3)).listed.find((r) => r.code === county.code)!;
    expect(after.departments).toBe(before.departments + 1);
    expect(department.id).toBeTruthy();
    // a statement dropped behind the repository's back is prepared again
    for (const { name } of kept.rows) await sql.raw(`DEALLOCATE ${name}`).execute(db);
    expect(await dashboardRows(db, prefecture, 3)).toMatchObject({ listed: expect.arrayContaining([expect.objectContaining({ code: '6505' })]) });
  });

  it('writes scope values as literals that cannot break out of the statement', async () => {
    const rows = await dashboardRows(db, scope(["/6505'); DROP TABLE region; --/", '/x\\y_%/']), 3);
    expect(rows).toEqual({ listed: [], unlisted: [], named: [] });
    expect(await db.selectFrom('region').select('code').where('code', '=', '6505').executeTakeFirst()).toBeDefined();
  });
});
