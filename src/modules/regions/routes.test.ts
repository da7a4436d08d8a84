// API tests of the regions routes: reads within a jurisdiction, and effective-dated rename / merge / retire.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';
import type { Db } from '../../db/database.ts';
import { likePrefix } from '../../db/jurisdiction.ts';
import type { App } from '../../http/types.ts';
import type { Role } from '../../shared/access.ts';
import { importRegions, todayInChina } from './index.ts';

// This file mutates regions of 吐鲁番市 (6504), which it imports for itself with an old valid_from;
// the harness's 哈密市 (6505) is only read here.
const MUTABLE = '6504';
const VALID_FROM = '2020-01-01';

let app: App;
let db: Db;

async function client(grants: { role: Role; regionCode: string }[]): Promise<Client> {
  const user = await newUser(db, { grants });
  return login(app, user.username, user.password);
}

/** Codes of current regions directly under `parent`, in code order. */
async function childrenOf(parent: string): Promise<string[]> {
  const rows = await db.selectFrom('region').select('code').where('parent_code', '=', parent).where('valid_to', 'is', null).orderBy('code').execute();
  return rows.map((r) => r.code);
}

/** Everything a change could have written about a region. */
async function stateOf(code: string) {
  const [region, history, audits] = await Promise.all([
    db.selectFrom('region').select(['name', 'valid_to', 'successor_code', 'updated_at']).where('code', '=', code).executeTakeFirst(),
    db.selectFrom('region_history').select(['name', 'change']).where('code', '=', code).execute(),
    db.selectFrom('audit_log').select('seq').where('object_type', '=', 'region').where('object_id', '=', code).execute(),
  ]);
  return { region, history, audits: audits.length };
}

let admin: Client;
/** Townships of 高昌区 (650402) used by separate tests, so no test depends on another's changes. */
let townships: string[];

beforeAll(async () => {
  ({ app } = await testApp());
  db = (await testDb()).db;
  await importRegions(db, MUTABLE, { validFrom: VALID_FROM });
  admin = await client([{ role: 'platform_admin', regionCode: MUTABLE }]);
  townships = await childrenOf('650402');
  expect(townships.length).toBeGreaterThanOrEqual(4);
});

describe('GET /api/regions', () => {
  it('lists the children of a region, ordered by code, page by page', async () => {
    const reader = await client([{ role: 'platform_admin', regionCode: '6505' }]);
    const expected = await childrenOf('650502');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await reader.get(`/api/regions?parent=650502&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((r: { code: string }) => r.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(seen.length).toBeGreaterThan(5);
  });

  it('returns the Region shape, and filters by level and by a name or code search', async () => {
    const reader = await client([{ role: 'department_staff', regionCode: '6505' }]);
    const counties = (await reader.get('/api/regions?level=2')).json();
    expect(counties.items).toEqual([
      { code: '650502', name: '伊州区', level: 2, parentCode: '6505', path: '/6505/650502/', validFrom: expect.any(String), validTo: null, successorCode: null, abilities: [] },
      expect.objectContaining({ code: '650521', name: '巴里坤哈萨克自治县' }),
      expect.objectContaining({ code: '650522', name: '伊吾县' }),
    ]);
    expect(counties.nextCursor).toBeNull();
    const byName = (await reader.get(`/api/regions?q=${encodeURIComponent('伊吾')}&level=2`)).json();
    expect(byName.items.map((r: { code: string }) => r.code)).toEqual(['650522']);
    const byCode = (await reader.get('/api/regions?q=650521&level=2')).json();
    expect(byCode.items.map((r: { code: string }) => r.code)).toEqual(['650521']);
    const percent = (await reader.get(`/api/regions?q=${encodeURIComponent('%')}`)).json();
    expect(percent.items).toEqual([]);
  });

  it('rejects bad query parameters', async () => {
    for (const query of ['parent=65a5', 'level=7', 'limit=0', 'limit=501', 'cursor=***', 'unknown=1', `q=${'x'.repeat(101)}`]) {
      const res = await admin.get(`/api/regions?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().code, query).toBe('request.invalid');
    }
    const res = await admin.get(`/api/regions?cursor=${Buffer.from('not-a-code').toString('base64url')}`);
    expect(res.json()).toMatchObject({ status: 400, code: 'request.invalid_cursor' });
  });

  it('requires sign-in and regions.read', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/api/regions' });
    expect(anonymous.statusCode).toBe(401);
    const nobody = await client([]);
    const res = await nobody.get('/api/regions');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.forbidden');
  });
});

describe('jurisdiction: a community worker sees only their own community', () => {
  let worker: Client;
  const own = '650502001002';
  const other = '650521100001';

  beforeAll(async () => {
    worker = await client([{ role: 'community_worker', regionCode: own }]);
  });

  it('gets their own community', async () => {
    const res = await worker.get(`/api/regions/${own}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ code: own, level: 4, parentCode: '650502001', path: `/6505/650502/650502001/${own}/`, history: [] });
  });

  it("gets 404 region.not_found for another community, its ancestors and unknown codes alike", async () => {
    for (const code of [other, '650502001003', '650502001', '650502', '6505', '650599999999']) {
      const res = await worker.get(`/api/regions/${code}`);
      expect(res.statusCode, code).toBe(404);
      expect(res.json().code).toBe('region.not_found');
    }
    const tree = await worker.get('/api/regions/6505/tree');
    expect(tree.statusCode).toBe(404);
  });

  it('lists only their own community, whatever the filter', async () => {
    const all = (await worker.get('/api/regions?includeRetired=true')).json();
    expect(all.items.map((r: { code: string }) => r.code)).toEqual([own]);
    const siblings = (await worker.get('/api/regions?parent=650502001')).json();
    expect(siblings.items.map((r: { code: string }) => r.code)).toEqual([own]);
    const elsewhere = (await worker.get(`/api/regions?parent=650521100`)).json();
    expect(elsewhere.items).toEqual([]);
  });

  it('gets the tree of their own community only', async () => {
    const res = await worker.get(`/api/regions/${own}/tree`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: own, name: expect.any(String), level: 4, children: [] });
  });
});

describe('GET /api/regions/:code/tree', () => {
  it('nests regions depth levels deep (default 2)', async () => {
    const reader = await client([{ role: 'leader', regionCode: '6505' }]);
    const res = await reader.get('/api/regions/6505/tree');
    expect(res.statusCode, res.body).toBe(200);
    const tree = res.json();
    expect(tree).toMatchObject({ code: '6505', name: '哈密市', level: 1 });
    expect(tree.children.map((c: { code: string }) => c.code)).toEqual(['650502', '650521', '650522']);
    const townships = tree.children.flatMap((c: { children: { level: number; children: unknown[] }[] }) => c.children);
    expect(townships).toHaveLength(58);
    expect(townships.every((t: { level: number; children: unknown[] }) => t.level === 3 && t.children.length === 0)).toBe(true);
  });

  it('goes down to communities at depth 3 and counts match the table', async () => {
    const res = await admin.get(`/api/regions/${MUTABLE}/tree?depth=3`);
    const count = (node: { children: unknown[] }): number => 1 + (node.children as { children: unknown[] }[]).reduce((n, c) => n + count(c), 0);
    const rows = await db.selectFrom('region').select('code').where('path', 'like', likePrefix(`/${MUTABLE}/`)).where('valid_to', 'is', null).execute();
    expect(count(res.json())).toBe(rows.length);
  });

  it('refuses a depth beyond 4', async () => {
    for (const depth of ['5', '-1', 'x']) {
      const res = await admin.get(`/api/regions/${MUTABLE}/tree?depth=${depth}`);
      expect(res.statusCode, depth).toBe(400);
      expect(res.json().code).toBe('request.invalid');
    }
  });
});

describe('POST /api/regions/:code/rename', () => {
  it('renames from a date, keeps the old name in history, resolves names as of a date and audits', async () => {
    const [code] = await childrenOf(townships[0]!);
    const before = await db.selectFrom('region').select('name').where('code', '=', code!).executeTakeFirstOrThrow();

    const res = await admin.post(`/api/regions/${code}/rename`, { name: '测试更名社区', effectiveDate: '2023-05-01' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      code,
      name: '测试更名社区',
      validTo: null,
      history: [{ name: before.name, validFrom: VALID_FROM, validTo: '2023-05-01', change: 'rename', parentCode: townships[0] }],
    });

    const asOf = async (at: string) => (await admin.get(`/api/regions/${code}?at=${at}`)).json().asOf;
    expect(await asOf('2019-12-31')).toEqual({ date: '2019-12-31', name: null });
    expect(await asOf('2020-01-01')).toEqual({ date: '2020-01-01', name: before.name });
    expect(await asOf('2023-04-30')).toEqual({ date: '2023-04-30', name: before.name });
    expect(await asOf('2023-05-01')).toEqual({ date: '2023-05-01', name: '测试更名社区' });
    expect((await admin.get(`/api/regions/${code}`)).json().asOf).toBeUndefined();

    const audit = await db.selectFrom('audit_log').select(['action', 'outcome', 'region_code', 'detail', 'role']).where('object_id', '=', code!).where('action', '=', 'region.rename').execute();
    expect(audit).toEqual([
      { action: 'region.rename', outcome: 'success', region_code: code, role: 'platform_admin', detail: { from: before.name, to: '测试更名社区', effectiveDate: '2023-05-01' } },
    ]);

    // A second rename may not be dated before the current name began.
    const early = await admin.post(`/api/regions/${code}/rename`, { name: '再次更名', effectiveDate: '2023-04-30' });
    expect(early.json()).toMatchObject({ status: 400, code: 'region.effective_date_too_early', field: 'effectiveDate' });
    const second = await admin.post(`/api/regions/${code}/rename`, { name: '再次更名', effectiveDate: '2024-02-01' });
    expect(second.json().history.map((h: { name: string; validFrom: string; validTo: string }) => [h.name, h.validFrom, h.validTo])).toEqual([
      [before.name, VALID_FROM, '2023-05-01'],
      ['测试更名社区', '2023-05-01', '2024-02-01'],
    ]);
    expect(await asOf('2023-12-31')).toEqual({ date: '2023-12-31', name: '测试更名社区' });
  });

  it('rejects bad input and writes nothing', async () => {
    const [, code] = await childrenOf(townships[0]!);
    const current = (await stateOf(code!)).region!.name;
    const tomorrow = new Date(Date.parse(`${todayInChina()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const cases: [unknown, number, string, string][] = [
      [{ name: '新名', effectiveDate: '2023/05/01' }, 400, 'request.invalid', 'effectiveDate'],
      [{ name: '新名', effectiveDate: '2023-02-30' }, 400, 'region.invalid_date', 'effectiveDate'],
      [{ name: '新名', effectiveDate: '2019-12-31' }, 400, 'region.effective_date_too_early', 'effectiveDate'],
      [{ name: '新名', effectiveDate: tomorrow }, 400, 'region.effective_date_in_future', 'effectiveDate'],
      [{ name: current, effectiveDate: '2023-05-01' }, 400, 'region.name_unchanged', 'name'],
      [{ name: '   ', effectiveDate: '2023-05-01' }, 400, 'region.invalid_name', 'name'],
      [{ name: '<script>', effectiveDate: '2023-05-01' }, 400, 'request.invalid', 'name'],
      [{ name: '名'.repeat(101), effectiveDate: '2023-05-01' }, 400, 'request.invalid', 'name'],
      [{ name: '新名' }, 400, 'request.invalid', 'effectiveDate'],
      [{ name: '新名', effectiveDate: '2023-05-01', validTo: '2024-01-01' }, 400, 'request.invalid', 'validTo'],
    ];
    const before = await stateOf(code!);
    for (const [body, status, errorCode, field] of cases) {
      const res = await admin.post(`/api/regions/${code}/rename`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json(), JSON.stringify(body)).toMatchObject({ code: errorCode, field });
    }
    expect(await stateOf(code!)).toEqual(before);
  });

  it('answers 404 for unknown codes and codes outside the jurisdiction, 403 without regions.manage', async () => {
    const target = '650502001002'; // 哈密市: outside a 吐鲁番市 admin's jurisdiction
    const before = await stateOf(target);
    for (const code of [target, '650402999999']) {
      const res = await admin.post(`/api/regions/${code}/rename`, { name: '越权更名', effectiveDate: '2023-05-01' });
      expect(res.statusCode, code).toBe(404);
      expect(res.json().code).toBe('region.not_found');
    }
    const worker = await client([{ role: 'community_worker', regionCode: target }]);
    const denied = await worker.post(`/api/regions/${target}/rename`, { name: '越权更名', effectiveDate: '2023-05-01' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('auth.forbidden');
    const malformed = await admin.post('/api/regions/65a5/rename', { name: '越权更名', effectiveDate: '2023-05-01' });
    expect(malformed.json()).toMatchObject({ status: 400, code: 'request.invalid', field: 'code' });
    expect(await stateOf(target)).toEqual(before);
  });

  it('refuses a mutating request without the CSRF header', async () => {
    const [, , code] = await childrenOf(townships[0]!);
    const before = await stateOf(code!);
    const res = await admin.request('POST', `/api/regions/${code}/rename`, { name: '无令牌', effectiveDate: '2023-05-01' }, { 'x-csrf-token': 'wrong' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.csrf');
    expect(await stateOf(code!)).toEqual(before);
  });
});

describe('POST /api/regions/:code/merge', () => {
  it('ends the region, names its successor, keeps it readable and audits', async () => {
    const [code, into] = await childrenOf(townships[1]!);
    const res = await admin.post(`/api/regions/${code}/merge`, { into, effectiveDate: '2024-01-01' });
    expect(res.statusCode, res.body).toBe(200);
    const merged = res.json();
    expect(merged).toMatchObject({ code, validFrom: VALID_FROM, validTo: '2024-01-01', successorCode: into });
    expect(merged.history).toEqual([{ name: merged.name, parentCode: townships[1], validFrom: VALID_FROM, validTo: '2024-01-01', change: 'merge' }]);

    expect((await admin.get(`/api/regions/${code}?at=2023-12-31`)).json().asOf.name).toBe(merged.name);
    expect((await admin.get(`/api/regions/${code}?at=2024-01-01`)).json().asOf.name).toBeNull();

    const current = (await admin.get(`/api/regions?parent=${townships[1]}&limit=500`)).json().items.map((r: { code: string }) => r.code);
    expect(current).not.toContain(code);
    const all = (await admin.get(`/api/regions?parent=${townships[1]}&includeRetired=true&limit=500`)).json().items.map((r: { code: string }) => r.code);
    expect(all).toContain(code);
    const tree = (await admin.get(`/api/regions/${townships[1]}/tree?depth=1`)).json();
    expect(tree.children.map((c: { code: string }) => c.code)).not.toContain(code);

    const audit = await db.selectFrom('audit_log').select(['detail']).where('object_id', '=', code!).where('action', '=', 'region.merge').executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ into, effectiveDate: '2024-01-01' });

    // A merged region no longer changes, and cannot be a merge target.
    const again = await admin.post(`/api/regions/${code}/rename`, { name: '合并后更名', effectiveDate: '2024-06-01' });
    expect(again.json()).toMatchObject({ status: 409, code: 'region.not_current' });
    const [, other] = await childrenOf(townships[1]!); // [into, other, …] now that code is gone
    const intoMerged = await admin.post(`/api/regions/${other}/merge`, { into: code, effectiveDate: '2024-06-01' });
    expect(intoMerged.json()).toMatchObject({ status: 400, code: 'region.unknown_target', field: 'into' });
  });

  it('rejects bad merges and writes nothing', async () => {
    const [code, sibling] = await childrenOf(townships[2]!);
    const outside = '650502001002';
    const county = '650421';
    const cases: [string, unknown, number, string][] = [
      [code!, { into: code, effectiveDate: '2024-01-01' }, 400, 'region.merge_into_self'],
      [code!, { into: '650402999999', effectiveDate: '2024-01-01' }, 400, 'region.unknown_target'],
      [code!, { into: outside, effectiveDate: '2024-01-01' }, 400, 'region.unknown_target'],
      [code!, { into: townships[3], effectiveDate: '2024-01-01' }, 400, 'region.level_mismatch'],
      [code!, { into: sibling, effectiveDate: '2019-06-01' }, 400, 'region.effective_date_too_early'],
      [code!, { into: sibling, effectiveDate: '2024-13-01' }, 400, 'region.invalid_date'],
      [code!, { into: sibling }, 400, 'request.invalid'],
      [code!, { into: 'abc', effectiveDate: '2024-01-01' }, 400, 'request.invalid'],
      [townships[2]!, { into: townships[3], effectiveDate: '2024-01-01' }, 409, 'region.has_children'],
      [county, { into: '650422', effectiveDate: '2024-01-01' }, 409, 'region.has_children'],
      [outside, { into: code, effectiveDate: '2024-01-01' }, 404, 'region.not_found'],
    ];
    const watched = [code!, sibling!, townships[2]!, townships[3]!, county, outside];
    const before = await Promise.all(watched.map(stateOf));
    for (const [from, body, status, errorCode] of cases) {
      const res = await admin.post(`/api/regions/${from}/merge`, body);
      expect(res.statusCode, `${from} ${JSON.stringify(body)}: ${res.body}`).toBe(status);
      expect(res.json().code, `${from} ${JSON.stringify(body)}`).toBe(errorCode);
    }
    expect(await Promise.all(watched.map(stateOf))).toEqual(before);
  });
});

describe('POST /api/regions/:code/retire', () => {
  it('refuses a region with current children, then retires it once they are gone', async () => {
    const township = townships[3]!;
    const children = await childrenOf(township);
    expect(children.length).toBeGreaterThan(1);

    const before = await stateOf(township);
    const refused = await admin.post(`/api/regions/${township}/retire`, { effectiveDate: '2024-03-01' });
    expect(refused.json()).toMatchObject({ status: 409, code: 'region.has_children' });
    expect(refused.json().detail).toContain(children[0]);
    expect(await stateOf(township)).toEqual(before);

    const [first, ...rest] = children;
    for (const child of rest) {
      const res = await admin.post(`/api/regions/${child}/merge`, { into: first, effectiveDate: '2024-03-01' });
      expect(res.statusCode, res.body).toBe(200);
    }
    const last = await admin.post(`/api/regions/${first}/retire`, { effectiveDate: '2024-06-01' });
    expect(last.json()).toMatchObject({ code: first, validTo: '2024-06-01', successorCode: null, history: [expect.objectContaining({ change: 'retire' })] });

    // Children ended on 2024-06-01 at the latest: the township cannot end before they did.
    const tooEarly = await admin.post(`/api/regions/${township}/retire`, { effectiveDate: '2024-05-01' });
    expect(tooEarly.json()).toMatchObject({ status: 409, code: 'region.has_children' });

    const retired = await admin.post(`/api/regions/${township}/retire`, { effectiveDate: '2024-06-01' });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json()).toMatchObject({ code: township, validTo: '2024-06-01', successorCode: null });
    // The row stays, so references to it still resolve.
    expect((await admin.get(`/api/regions/${township}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/regions/${township}/tree`)).json().children).toEqual([]);

    const again = await admin.post(`/api/regions/${township}/retire`, { effectiveDate: '2024-07-01' });
    expect(again.json()).toMatchObject({ status: 409, code: 'region.not_current' });
  });

  it('rejects bad dates, unknown regions and missing permission, writing nothing', async () => {
    const [code] = await childrenOf(townships[2]!);
    const before = await stateOf(code!);
    for (const [body, errorCode] of [
      [{ effectiveDate: '2019-12-31' }, 'region.effective_date_too_early'],
      [{ effectiveDate: '2024-02-30' }, 'region.invalid_date'],
      [{ effectiveDate: 'yesterday' }, 'request.invalid'],
      [{}, 'request.invalid'],
      [{ effectiveDate: '2024-01-01', note: 'x' }, 'request.invalid'],
    ] as const) {
      const res = await admin.post(`/api/regions/${code}/retire`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code, JSON.stringify(body)).toBe(errorCode);
    }
    const reader = await client([{ role: 'department_admin', regionCode: MUTABLE }]);
    const denied = await reader.post(`/api/regions/${code}/retire`, { effectiveDate: '2024-01-01' });
    expect(denied.json()).toMatchObject({ status: 403, code: 'auth.forbidden' });
    const elsewhere = await client([{ role: 'platform_admin', regionCode: '6505' }]);
    const hidden = await elsewhere.post(`/api/regions/${code}/retire`, { effectiveDate: '2024-01-01' });
    expect(hidden.json()).toMatchObject({ status: 404, code: 'region.not_found' });
    expect(await stateOf(code!)).toEqual(before);
  });
});

describe('GET /api/regions/:code?at=', () => {
  it('validates the date', async () => {
    const bad = await admin.get(`/api/regions/${MUTABLE}?at=2024-02-30`);
    expect(bad.json()).toMatchObject({ status: 400, code: 'region.invalid_date', field: 'at' });
    const malformed = await admin.get(`/api/regions/${MUTABLE}?at=20240101`);
    expect(malformed.json()).toMatchObject({ status: 400, code: 'request.invalid' });
  });
});
