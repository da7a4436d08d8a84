// The resource catalogue on the real app and database: validation (400 naming the field, nothing written),
// versions and diffs, Chinese search and facets, exports, the demand list, jurisdiction, concurrent updates.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { ResourceInput } from './rules.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: Awaited<ReturnType<typeof testApp>>['app'];
let services: Awaited<ReturnType<typeof testApp>>['services'];
let mine: { id: string; name: string };
let theirs: { id: string; name: string };
let admin: Client;
let staff: Client;
let platform: Client;

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app, services } = await testApp());
  mine = await newDepartment(db, { regionCode: '650502', name: uniq('哈密市测试人社局') });
  theirs = await newDepartment(db, { regionCode: '650502', name: uniq('哈密市测试医保局') });
  const a = await newUser(db, { departmentId: mine.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
  const s = await newUser(db, { departmentId: mine.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  const p = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  admin = await login(app, a.username, a.password);
  staff = await login(app, s.username, s.password);
  platform = await login(app, p.username, p.password);
});

const put = (client: Client, url: string, body: unknown) => client.request('PUT', url, body);
const enc = (code: string) => encodeURIComponent(code);

function resource(over: Partial<ResourceInput> = {}): ResourceInput {
  return {
    name: over.name ?? `社会保险参保信息${uniq()}`,
    class: 'theme',
    classCode: '2-01-01',
    theme: 'social_security',
    providerDepartmentId: mine.id,
    summary: '企业职工养老保险参保登记',
    format: 'database',
    updateCycle: 'daily',
    openAttr: 'conditional',
    shareModes: ['api'],
    regionItem: 'region',
    personItem: 'id_number',
    items: [
      { code: 'id_number', name: '公民身份号码', type: 'id_number', isKey: true, required: true, sensitivity: 3, shareType: 'conditional', legalBasis: '《个人信息保护法》第十三条' },
      { code: 'name', name: '姓名', type: 'string', shareType: 'unconditional', mask: 'name' },
      { code: 'region', name: '所在区划', type: 'region_code', shareType: 'unconditional' },
      { code: 'insured_status', name: '参保状态', type: 'string', shareType: 'unconditional' },
    ],
    ...over,
  };
}

async function created(client: Client, over: Partial<ResourceInput> = {}) {
  const res = await client.post('/api/catalogue/resources', resource(over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('catalogue validation', () => {
  const cases: [string, (r: ResourceInput) => unknown, string, string][] = [
    ['bad item code', (r) => ({ ...r, items: [{ ...r.items[0]!, code: 'ID-Number' }, ...r.items.slice(1)] }), 'catalogue.invalid_item_code', 'items/0/code'],
    ['duplicate item code', (r) => ({ ...r, items: [...r.items, { ...r.items[1]! }] }), 'catalogue.duplicate_item_code', 'items/4/code'],
    ['no key item', (r) => ({ ...r, items: r.items.map((i) => ({ ...i, isKey: false })) }), 'catalogue.no_key_item', 'items'],
    ['conditional item without legal basis', (r) => ({ ...r, items: [{ ...r.items[0]!, legalBasis: '  ' }, ...r.items.slice(1)] }), 'catalogue.legal_basis_required', 'items/0/legalBasis'],
    ['non-shared item without legal basis', (r) => ({ ...r, items: [...r.items, { code: 'remark', name: '备注', type: 'string', shareType: 'none' }] }), 'catalogue.legal_basis_required', 'items/4/legalBasis'],
    ['region item of another type', (r) => ({ ...r, regionItem: 'name' }), 'catalogue.invalid_region_item', 'regionItem'],
    ['person item of another type', (r) => ({ ...r, personItem: 'region' }), 'catalogue.invalid_person_item', 'personItem'],
    ['unknown related code', (r) => ({ ...r, relatedCodes: ['650500-01/99999'] }), 'catalogue.invalid_related', 'relatedCodes/0'],
    ['class code of another class', (r) => ({ ...r, classCode: '1-01' }), 'catalogue.invalid_class_code', 'classCode'],
    ['base class code outside the scheme', (r) => ({ ...r, class: 'base', classCode: '1-09' }), 'catalogue.invalid_class_code', 'classCode'],
    ['bad resource code', (r) => ({ ...r, code: 'ABC' }), 'catalogue.invalid_code', 'code'],
    ['no share mode', (r) => ({ ...r, shareModes: [] }), 'catalogue.invalid_share_modes', 'shareModes'],
    ['unknown update cycle', (r) => ({ ...r, updateCycle: 'hourly' }), 'request.invalid', 'updateCycle'],
    ['unknown open attribute', (r) => ({ ...r, openAttr: 'public' }), 'request.invalid', 'openAttr'],
    ['no items', (r) => ({ ...r, items: [] }), 'catalogue.no_items', 'items'],
    ['upstream not http', (r) => ({ ...r, upstreamUrl: 'ftp://example.org/x' }), 'catalogue.invalid_upstream_url', 'upstreamUrl'],
  ];
  for (const [title, mutate, code, field] of cases) {
    it(`refuses ${title} (${code}), writing nothing`, async () => {
      const name = `校验资源${uniq()}`;
      const res = await admin.post('/api/catalogue/resources', mutate(resource({ name })));
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code });
      expect(String(res.json().field ?? '')).toContain(field.split('/')[0]);
      if (code !== 'request.invalid') expect(res.json().field).toBe(field);
      expect(await db.selectFrom('data_resource').select('id').where('name', '=', name).execute()).toEqual([]);
    });
  }

  it('generates 前段码/后段码 codes and refuses a taken one', async () => {
    const a = await created(admin);
    const b = await created(admin);
    expect(a.code).toMatch(/^650502-01\/\d{5}$/);
    expect(Number(b.code.split('/')[1])).toBe(Number(a.code.split('/')[1]) + 1);
    const dup = await admin.post('/api/catalogue/resources', resource({ code: a.code }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'catalogue.duplicate_code', field: 'code' });
  });
});

describe('catalogue versions', () => {
  it('bumps the version on every change with a field-level change list, and diffs two versions', async () => {
    const r = await created(admin);
    expect(r).toMatchObject({ version: 1, status: 'draft' });
    const input = resource({ name: `${r.name}（修订）`, updateCycle: 'weekly' });
    input.items = input.items.map((i) => (i.code === 'name' ? { ...i, shareType: 'conditional', legalBasis: '《个人信息保护法》' } : i));
    input.items.push({ code: 'insured_since', name: '参保日期', type: 'date', shareType: 'unconditional' });
    const upd = await put(admin, `/api/catalogue/resources/${enc(r.code)}`, { ...input, expectedVersion: 1 });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().version).toBe(2);
    // the same content again changes nothing
    expect((await put(admin, `/api/catalogue/resources/${enc(r.code)}`, input)).json().version).toBe(2);
    // a stale expected version is refused
    const stale = await put(admin, `/api/catalogue/resources/${enc(r.code)}`, { ...input, summary: 'x', expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('catalogue.version_conflict');
    expect((await admin.post(`/api/catalogue/resources/${enc(r.code)}/publish`)).json()).toMatchObject({ version: 3, status: 'published' });
    const versions = (await staff.get(`/api/catalogue/resources/${enc(r.code)}/versions`)).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    const fields = versions[1].changes.map((c: { field: string }) => c.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'updateCycle', 'items/name/shareType', 'items/name/legalBasis', 'items/insured_since']));
    const diff = (await staff.get(`/api/catalogue/resources/${enc(r.code)}/diff?from=1&to=3`)).json();
    expect(diff.changes).toEqual(expect.arrayContaining([{ field: 'updateCycle', from: 'daily', to: 'weekly' }, expect.objectContaining({ field: 'status', from: 'draft', to: 'published' })]));
    const v1 = (await staff.get(`/api/catalogue/resources/${enc(r.code)}/versions/1`)).json();
    expect(v1.snapshot).toMatchObject({ name: r.name, updateCycle: 'daily', status: 'draft' });
    expect((await staff.get(`/api/catalogue/resources/${enc(r.code)}/versions/9`)).json().code).toBe('catalogue.version_not_found');
    // every version has its audit record, written with it
    const audits = await db.selectFrom('audit_log').select('action').where('object_id', '=', r.id).where('action', 'like', 'catalogue.%').execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['catalogue.resource_create', 'catalogue.resource_publish', 'catalogue.resource_update']);
  });

  it('keeps versions gap-free under concurrent updates of one resource (row lock)', async () => {
    const r = await created(admin);
    const updates = Array.from({ length: 6 }, (_, i) => services.catalogue.update(systemActorContext(), r.code, resource({ name: r.name, summary: `并发修改 ${i}` })));
    const results = await Promise.allSettled(updates);
    expect(results.filter((x) => x.status === 'rejected')).toEqual([]);
    const versions = await db.selectFrom('data_resource_version').select('version').where('resource_id', '=', r.id).orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await db.selectFrom('data_resource').select('version').where('id', '=', r.id).executeTakeFirstOrThrow()).version).toBe(7);
  });
});

describe('catalogue codes under concurrency', () => {
  it('gives concurrent creates under one 前段码 distinct, consecutive codes', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => services.catalogue.create(systemActorContext(), resource({ classCode: '2-12' }))));
    const sequences = results.map((r) => Number(r.code.split('/')[1])).sort((a, b) => a - b);
    expect(new Set(results.map((r) => r.code)).size).toBe(5);
    expect(sequences.at(-1)! - sequences[0]!).toBe(4);
  });
});

describe('catalogue visibility', () => {
  it('shows drafts and withdrawn resources to their managers only', async () => {
    const other = await newUser(db, { departmentId: theirs.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const outsider = await login(app, other.username, other.password);
    const r = await created(admin);
    const seen = async (client: Client) => (await client.get(`/api/catalogue/resources?q=${encodeURIComponent(r.name)}`)).json().items.map((i: { code: string }) => i.code);
    expect(await seen(admin)).toEqual([r.code]);
    expect(await seen(outsider)).toEqual([]);
    await admin.post(`/api/catalogue/resources/${enc(r.code)}/publish`);
    expect(await seen(outsider)).toEqual([r.code]);
    const withdrawn = await admin.post(`/api/catalogue/resources/${enc(r.code)}/withdraw`);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', version: 3 });
    expect(await seen(outsider)).toEqual([]);
    expect((await outsider.get(`/api/catalogue/resources/${enc(r.code)}`)).statusCode).toBe(404);
    expect((await admin.post(`/api/catalogue/resources/${enc(r.code)}/withdraw`)).json().code).toBe('catalogue.invalid_transition');
    // and by id as well as by code
    expect((await admin.get(`/api/catalogue/resources/${r.id}`)).json().code).toBe(r.code);
  });
});

describe('catalogue jurisdiction', () => {
  it("lets a department admin manage its own department's resources only; a platform admin manages in its region", async () => {
    const theirsRes = await platform.post('/api/catalogue/resources', resource({ providerDepartmentId: theirs.id }));
    expect(theirsRes.statusCode, theirsRes.body).toBe(201);
    const code = theirsRes.json().code;
    // a draft of another department is not even visible
    expect((await admin.get(`/api/catalogue/resources/${enc(code)}`)).statusCode).toBe(404);
    await platform.post(`/api/catalogue/resources/${enc(code)}/publish`);
    const seen = (await admin.get(`/api/catalogue/resources/${enc(code)}`)).json();
    expect(seen.abilities).not.toContain('update');
    const edit = await put(admin, `/api/catalogue/resources/${enc(code)}`, resource({ providerDepartmentId: theirs.id, summary: '越权修改' }));
    expect(edit.statusCode).toBe(403);
    expect(edit.json().code).toBe('catalogue.not_your_resource');
    const create = await admin.post('/api/catalogue/resources', resource({ providerDepartmentId: theirs.id }));
    expect(create.statusCode).toBe(403);
    expect(create.json()).toMatchObject({ code: 'catalogue.not_your_resource', field: 'providerDepartmentId' });
    expect((await admin.post(`/api/catalogue/resources/${enc(code)}/withdraw`)).statusCode).toBe(403);
    // staff read, but do not manage
    expect((await staff.post('/api/catalogue/resources', resource())).statusCode).toBe(403);
    expect((await db.selectFrom('data_resource').select('version').where('code', '=', code).executeTakeFirstOrThrow()).version).toBe(2);
  });
});

describe('catalogue search', () => {
  let tag: string;
  beforeAll(async () => {
    tag = uniq('检索').replace(/[^\u4e00-\u9fa5]/g, '') + uniq().slice(-4);
    const specs: Partial<ResourceInput>[] = [
      { name: `社会保险参保信息${tag}`, theme: 'social_security', updateCycle: 'daily' },
      { name: `基本医疗保险参保信息${tag}`, classCode: '2-02-01', theme: 'medical_insurance', updateCycle: 'monthly' },
      { name: `计划生育家庭扶助信息${tag}`, classCode: '2-03-01', theme: 'family_planning', updateCycle: 'quarterly' },
      { name: `党员基本信息${tag}`, classCode: '2-04-01', theme: 'party', updateCycle: 'monthly', openAttr: 'closed' },
    ];
    for (const spec of specs) {
      const r = await created(admin, spec);
      await admin.post(`/api/catalogue/resources/${enc(r.code)}/publish`);
    }
  });
  const names = async (query: string) => {
    const res = await staff.get(`/api/catalogue/resources?limit=100&q=${encodeURIComponent(query)}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.map((r: { name: string }) => r.name) as string[];
  };

  it('finds 社会保险参保信息 by 社保 (characters in order, not a substring) and 医保 by its synonym', async () => {
    expect(await names(`社保${tag}`)).toContain(`社会保险参保信息${tag}`);
    expect(await names(`医保${tag}`)).toContain(`基本医疗保险参保信息${tag}`);
    expect(await names(`计生${tag}`)).toEqual([`计划生育家庭扶助信息${tag}`]);
  });

  it('finds by an item name and by a code, exact first', async () => {
    // an item name: 参保状态 is an item of the 社保 resource only (of this test's four)
    expect((await names(`${tag}参保状态`)).sort()).toEqual([`基本医疗保险参保信息${tag}`, `党员基本信息${tag}`, `社会保险参保信息${tag}`, `计划生育家庭扶助信息${tag}`].sort());
    const r = (await staff.get(`/api/catalogue/resources?q=${encodeURIComponent(`党员基本信息${tag}`)}`)).json();
    expect(r.items[0].name).toBe(`党员基本信息${tag}`);
    const byCode = (await staff.get(`/api/catalogue/resources?q=${encodeURIComponent(r.items[0].code)}`)).json();
    expect(byCode.items[0].code).toBe(r.items[0].code);
    const byItem = await names('参保状态');
    expect(byItem.length).toBeGreaterThanOrEqual(1);
  });

  it('ranks exact over substring over subsequence and pages with a cursor and a total', async () => {
    const first = (await staff.get(`/api/catalogue/resources?limit=2&q=${encodeURIComponent(tag)}`)).json();
    expect(first.total).toBe(4);
    expect(first.items).toHaveLength(2);
    const rest = (await staff.get(`/api/catalogue/resources?limit=2&q=${encodeURIComponent(tag)}&cursor=${first.nextCursor}`)).json();
    expect(rest.items).toHaveLength(2);
    expect(rest.nextCursor).toBeNull();
    const all = [...first.items, ...rest.items].map((r: { code: string }) => r.code);
    expect(new Set(all).size).toBe(4);
    expect((await staff.get('/api/catalogue/resources?cursor=bad')).statusCode).toBe(400);
  });

  it('ranks an exact name first and characters-in-order matches last', async () => {
    const mark = `排序${uniq().replace(/[^0-9]/g, '').slice(-6)}`;
    for (const name of [`医学影像保存${mark}`, `城乡医保${mark}汇总`, `医保${mark}`, `医疗保险${mark}`]) {
      const r = await created(admin, { name, classCode: '2-02-01' });
      await admin.post(`/api/catalogue/resources/${enc(r.code)}/publish`);
    }
    const ranked = await names(`医保${mark}`);
    expect(ranked[0]).toBe(`医保${mark}`);
    expect(ranked.at(-1)).toBe(`医学影像保存${mark}`);
    expect(ranked.slice(1, 3).sort()).toEqual([`医疗保险${mark}`, `城乡医保${mark}汇总`].sort());
  });

  it('counts facets over the other filters', async () => {
    const res = (await staff.get(`/api/catalogue/resources?q=${encodeURIComponent(tag)}&updateCycle=monthly`)).json();
    expect(res.total).toBe(2);
    const count = (facet: { value: string; count: number }[], value: string) => facet.find((f) => f.value === value)?.count;
    expect(count(res.facets.updateCycle, 'monthly')).toBe(2);
    expect(count(res.facets.updateCycle, 'daily')).toBe(1);
    expect(count(res.facets.theme, 'party')).toBe(1);
    expect(count(res.facets.shareType, 'conditional')).toBe(2);
    expect(count(res.facets.openAttr, 'closed')).toBe(1);
    expect(res.facets.provider[0]).toMatchObject({ value: mine.id, label: mine.name, count: 2 });
    expect(count(res.facets.class, 'theme')).toBe(2);
    const byShare = (await staff.get(`/api/catalogue/resources?q=${encodeURIComponent(tag)}&shareType=none`)).json();
    expect(byShare.total).toBe(0);
  });
});

describe('catalogue export', () => {
  it('escapes formula cells in CSV and writes parseable DCAT-AP JSON-LD', async () => {
    const r = await created(admin, { name: `导出资源${uniq()}`, summary: '=cmd|\' /C calc\'!A0' });
    await admin.post(`/api/catalogue/resources/${enc(r.code)}/publish`);
    const csv = await staff.get(`/api/catalogue/export?format=csv&q=${encodeURIComponent(r.name)}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`'=cmd|`);
    expect(csv.body).not.toMatch(/(^|,)=cmd/m);
    expect(csv.body.split('\r\n').filter((l) => l.includes(r.code))).toHaveLength(4);
    const ld = await staff.get(`/api/catalogue/export?format=jsonld&q=${encodeURIComponent(r.name)}`);
    const doc = JSON.parse(ld.body);
    expect(doc['@type']).toBe('dcat:Catalog');
    expect(doc['dcat:dataset'][0]).toMatchObject({
      '@type': 'dcat:Dataset',
      'dct:identifier': r.code,
      'dct:publisher': { 'foaf:name': mine.name },
      'dct:accrualPeriodicity': { '@id': 'http://publications.europa.eu/resource/authority/frequency/DAILY' },
    });
    expect(doc['dcat:dataset'][0]['dcat:distribution'][0]['@type']).toBe('dcat:Distribution');
    const json = JSON.parse((await staff.get(`/api/catalogue/export?format=json&q=${encodeURIComponent(r.name)}`)).body);
    expect(json.resources[0].items).toHaveLength(4);
  });
});

describe('demand list', () => {
  it('is registered by any department, listed with filters, matched or closed by a manager, audited', async () => {
    const res = await staff.post('/api/catalogue/demands', { title: `公积金缴存信息${uniq()}`, purpose: '人才住房补贴审核', items: ['缴存状态'], suggestedProviderId: mine.id });
    expect(res.statusCode, res.body).toBe(201);
    const demand = res.json();
    expect(demand).toMatchObject({ status: 'open', department: { id: mine.id } });
    expect((await staff.post('/api/catalogue/demands', { title: ' ', purpose: 'x' })).json()).toMatchObject({ code: 'catalogue.invalid_demand', field: 'title' });
    const list = (await staff.get(`/api/catalogue/demands?status=open&departmentId=${mine.id}`)).json();
    expect(list.items.map((d: { id: string }) => d.id)).toContain(demand.id);
    expect(list.total).toBeGreaterThanOrEqual(1);
    expect((await staff.post(`/api/catalogue/demands/${demand.id}/decide`, { action: 'close', note: '无' })).statusCode).toBe(403);
    const r = await created(admin);
    expect((await admin.post(`/api/catalogue/demands/${demand.id}/decide`, { action: 'match', resource: r.code })).json().code).toBe('catalogue.not_found'); // a draft
    await admin.post(`/api/catalogue/resources/${enc(r.code)}/publish`);
    const matched = await admin.post(`/api/catalogue/demands/${demand.id}/decide`, { action: 'match', resource: r.code });
    expect(matched.statusCode, matched.body).toBe(200);
    expect(matched.json()).toMatchObject({ status: 'matched', resource: { code: r.code } });
    expect((await admin.post(`/api/catalogue/demands/${demand.id}/decide`, { action: 'close', note: '重复' })).json().code).toBe('catalogue.demand_closed');
    const audits = await db.selectFrom('audit_log').select('action').where('object_id', '=', demand.id).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['catalogue.demand_create', 'catalogue.demand_match']);
  });
});
