// The home dashboard's figures against the real Hami region tree.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
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
