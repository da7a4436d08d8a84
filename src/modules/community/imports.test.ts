// Resident imports on the real app and database: a CSV with good and bad rows (per-row per-column report, downloadable
// as CSV and XLSX), a GB18030 file, an XLSX, all-or-nothing, a missing column, a concurrent import of the same people,
// and the pull from a population resource through a real share grant (the job, upsert, jurisdiction, no grant → 403).
import { randomInt } from 'node:crypto';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { COMMUNITY_A, COMMUNITY_B, makeIdNumber, newHousehold, newResident } from '../../../test/support/community-factories.ts';
import { newDataGrant, newResource, newRows, PERSON_ITEMS } from '../../../test/support/data-factories.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import type { CommunityService } from './service.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: Awaited<ReturnType<typeof testApp>>['app'];
let community: CommunityService;
let deptId: string;
/** community_worker of COMMUNITY_A. */
let worker: Client;
let far: string;

beforeAll(async () => {
  ({ db } = await testDb());
  const built = await testApp();
  app = built.app;
  community = built.services.community as CommunityService;
  const dept = await newDepartment(db, { regionCode: COMMUNITY_A, name: uniq('建国北路社区居委会') });
  deptId = dept.id;
  const w = await newUser(db, { departmentId: dept.id, grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] });
  worker = await login(app, w.username, w.password);
  far = (await db.selectFrom('region').select('code').where('level', '=', 4).where('path', 'like', '/6505/650521/%').orderBy('code').limit(1).executeTakeFirstOrThrow()).code;
});

const HEADER = '公民身份号码,姓名,性别,出生日期,民族,手机号码,社区代码,户号,与户主关系,现住址,居住类型,迁入日期';
const birth = () => `19${randomInt(40, 99)}-${String(randomInt(1, 13)).padStart(2, '0')}-${String(randomInt(1, 29)).padStart(2, '0')}`;
const id = (sex: 'M' | 'F' = 'F') => makeIdNumber(birth(), sex);
const line = (over: Partial<Record<'id' | 'name' | 'sex' | 'birth' | 'eth' | 'phone' | 'community' | 'hh' | 'rel' | 'addr' | 'res' | 'in', string>> = {}) =>
  [over.id ?? id(), over.name ?? uniq('阿依古丽'), over.sex ?? '', over.birth ?? '', over.eth ?? '维吾尔族', over.phone ?? '13912345678', over.community ?? COMMUNITY_A, over.hh ?? '', over.rel ?? '', over.addr ?? '建国北路 12 号', over.res ?? '户籍', over.in ?? ''].join(',');

function upload(client: Client, body: Buffer | string, query: Record<string, string> = {}) {
  const qs = new URLSearchParams({ name: '居民.csv', ...query }).toString();
  return app.inject({
    method: 'POST',
    url: `/api/community/imports/files?${qs}`,
    headers: { cookie: client.session!.cookie, 'x-csrf-token': client.session!.csrfToken, 'content-type': 'application/octet-stream' },
    payload: body,
  });
}

const registered = async (ids: string[]) => (await db.selectFrom('community_resident').select(['id_number', 'name', 'household_id', 'relation']).where('id_number', 'in', ids).execute()).sort((a, b) => ids.indexOf(a.id_number) - ids.indexOf(b.id_number));
const rejectionsOf = async (importId: string) => (await worker.get(`/api/community/imports/${importId}/rejections?limit=200`)).json().items as { rowNo: number; item: string; code: string }[];

describe('file imports', () => {
  it('commits the good rows together and reports every bad cell by row and column, downloadable as CSV and XLSX', async () => {
    const household = await newHousehold(db, { communityCode: COMMUNITY_A });
    const other = await newHousehold(db, { communityCode: COMMUNITY_B });
    const existing = await newResident(db, { communityCode: COMMUNITY_A });
    const good = [id('M'), id('F'), id('M')];
    const wrongCheck = `${good[0]!.slice(0, 17)}${good[0]!.endsWith('0') ? '1' : '0'}`;
    const lines = [
      line({ id: good[0], hh: household.household_no, rel: '户主', sex: '男' }),
      line({ id: good[1], hh: household.household_no, rel: '配偶', in: '2015-03-01' }),
      line({ id: good[2], community: COMMUNITY_A, res: '流动', eth: '01' }),
      line({ id: wrongCheck }), // 2: check character
      line({ id: '650502199902301234' }), // 3: 30 February
      line({ phone: '1391234' }), // 4: phone
      line({ id: good[1] }), // 5: twice in the file
      line({ id: existing.id_number }), // 6: registered already
      line({ community: far }), // 7: outside the jurisdiction
      line({ hh: 'NO-SUCH-HOUSEHOLD', rel: '子女' }), // 8: unknown household
      line({ hh: other.household_no, rel: '子女' }), // 9: household of another community
      line({ hh: household.household_no, rel: '户主' }), // 10: a second head
      line({ id: id('F'), sex: '男', eth: '火星族', res: '暂住' }), // 11: three bad columns
    ];
    const res = await upload(worker, `${HEADER}\n${lines.join('\n')}\n`);
    expect(res.statusCode).toBe(201);
    const view = res.json();
    expect(view).toMatchObject({ status: 'committed', encoding: 'utf-8', totalRows: 13, insertedRows: 3, acceptedRows: 3, rejectedRows: 10 });
    const rows = await registered(good);
    expect(rows.map((r) => r.relation)).toEqual(['head', 'spouse', null]);
    expect(rows[0]!.household_id).toBe(household.id);
    const byRow = (await rejectionsOf(view.id)).map((r) => `${r.rowNo}:${r.item}:${r.code}`);
    expect(byRow).toEqual(
      expect.arrayContaining([
        '4:公民身份号码:community.invalid_id_number',
        '5:公民身份号码:community.invalid_id_number',
        '6:手机号码:community.invalid_phone',
        '7:公民身份号码:community.duplicate_resident',
        '8:公民身份号码:community.duplicate_resident',
        '9:社区代码:community.out_of_jurisdiction',
        '10:户号:community.household_not_found',
        '11:户号:community.household_not_found',
        '12:与户主关系:community.head_exists',
        '13:性别:community.id_mismatch',
        '13:民族:community.unknown_ethnicity',
        '13:居住类型:community.invalid_value',
      ]),
    );
    expect(Number((await db.selectFrom('community_household').select('member_count').where('id', '=', household.id).executeTakeFirstOrThrow()).member_count)).toBe(2);
    const history = await db.selectFrom('community_residence').select(['valid_from', 'reason']).innerJoin('community_resident as r', 'r.id', 'community_residence.resident_id').where('r.id_number', '=', good[1]!).execute();
    expect(history).toEqual([{ valid_from: '2015-03-01', reason: 'import' }]);
    const audit = await db.selectFrom('audit_log').select('detail').where('action', '=', 'community.resident_import_file').where('object_id', '=', view.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ inserted: 3, rejected: 10 });

    const csv = await app.inject({ method: 'GET', url: `/api/community/imports/${view.id}/report.csv`, headers: { cookie: worker.session!.cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith('\ufeff行号,数据项,值,错误代码,说明')).toBe(true);
    expect(csv.body).toContain('9,社区代码');
    const xlsx = await app.inject({ method: 'GET', url: `/api/community/imports/${view.id}/report.xlsx`, headers: { cookie: worker.session!.cookie } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.rowCount).toBe(1 + byRow.length);
  });

  it('reads a GB18030 file (detected) and an XLSX', async () => {
    const name = uniq('热依拉');
    const n1 = id();
    const gb = iconv.encode(`${HEADER}\r\n${line({ id: n1, name, eth: '哈萨克族' })}\r\n`, 'gb18030');
    const res = await upload(worker, gb);
    expect(res.json()).toMatchObject({ status: 'committed', encoding: 'gb18030', insertedRows: 1 });
    expect((await registered([n1]))[0]!.name).toBe(name);

    const n2 = id('M');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('居民');
    sheet.addRow(HEADER.split(','));
    sheet.addRow([n2, '马建国', '男', new Date(`${n2.slice(6, 10)}-${n2.slice(10, 12)}-${n2.slice(12, 14)}T00:00:00Z`), '回族', '13800138000', COMMUNITY_A, '', '', '复兴路 3 号', '常住', '']);
    const x = await upload(worker, Buffer.from(await book.xlsx.writeBuffer()), { name: '居民.xlsx' });
    expect(x.json()).toMatchObject({ status: 'committed', format: 'xlsx', insertedRows: 1, rejectedRows: 0 });
  });

  it('all-or-nothing writes nothing when a row fails; a missing column rejects the import; a non-CSV name is 415', async () => {
    const n = id();
    const res = await upload(worker, `${HEADER}\n${line({ id: n })}\n${line({ phone: '12' })}\n`, { allOrNothing: 'true' });
    expect(res.json()).toMatchObject({ status: 'rejected', insertedRows: 0, rejectedRows: 1 });
    expect(await registered([n])).toEqual([]);

    const missing = await upload(worker, `姓名,民族\n张三,汉族\n`);
    expect(missing.json()).toMatchObject({ status: 'rejected' });
    expect((await rejectionsOf(missing.json().id)).map((r) => `${r.rowNo}:${r.item}:${r.code}`)).toContain('0:公民身份号码:community.import_missing_column');

    const pdf = await upload(worker, 'x', { name: '居民.pdf' });
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json()).toMatchObject({ code: 'community.import_invalid_file', field: 'format' });
  });

  it('two imports of the same people at once register each person once', async () => {
    const ids = Array.from({ length: 40 }, () => id());
    const body = `${HEADER}\n${ids.map((n) => line({ id: n })).join('\n')}\n`;
    const [a, b] = await Promise.all([upload(worker, body), upload(worker, body)]);
    const views = [a.json(), b.json()];
    expect(views.map((v) => v.status)).toEqual(['committed', 'committed']);
    expect(views[0].insertedRows + views[1].insertedRows).toBe(40);
    expect(views[0].rejectedRows + views[1].rejectedRows).toBe(40);
    expect(await registered(ids)).toHaveLength(40);
  });

  it('an import of another user is 404; a reader cannot import', async () => {
    const res = await upload(worker, `${HEADER}\n${line()}\n`);
    const dept = await newDepartment(db, { regionCode: COMMUNITY_A });
    const other = await newUser(db, { departmentId: dept.id, grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] });
    const c = await login(app, other.username, other.password);
    expect((await c.get(`/api/community/imports/${res.json().id}`)).statusCode).toBe(404);
    const reader = await newUser(db, { departmentId: dept.id, grants: [{ role: 'leader', regionCode: COMMUNITY_A }] });
    expect((await upload(await login(app, reader.username, reader.password), `${HEADER}\n${line()}\n`)).statusCode).toBe(403);
  });
});

describe('pull from the population resource', () => {
  const items = [...PERSON_ITEMS, { code: 'gender', name: '性别' }, { code: 'birth_date', name: '出生日期', type: 'date' as const }, { code: 'ethnicity', name: '民族' }];

  it('upserts the granted rows of the jurisdiction by ID number, as a job, audited', async () => {
    const resource = await newResource(db, { name: uniq('人口基础信息'), items });
    await db.updateTable('data_resource').set({ status: 'published' }).where('id', '=', resource.id).execute();
    const mine = [id('F'), id('M')];
    const existing = await newResident(db, { communityCode: COMMUNITY_A });
    const outside = id();
    const row = (n: string, region: string, name = uniq('居民')) => ({ id_number: n, name, phone: '13912340000', region, gender: Number(n[16]) % 2 ? '男' : '女', birth_date: `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`, ethnicity: '汉族' });
    await newRows(db, resource, [row(mine[0]!, COMMUNITY_A), row(mine[1]!, COMMUNITY_A), row(existing.id_number, COMMUNITY_A, '改过的名字'), row(outside, COMMUNITY_B)]);

    // no grant yet: 403
    const denied = await worker.post('/api/community/imports/population', { resourceId: resource.id });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'community.no_population_grant', field: 'resourceId' });
    // a grant that masks the ID number cannot feed the registry
    const masked = await newDataGrant(db, { resource, consumerDepartmentId: deptId, items: ['id_number', 'name', 'region'] });
    expect((await worker.post('/api/community/imports/population', { resourceId: resource.id })).json()).toMatchObject({ code: 'community.grant_lacks_items' });
    await db.updateTable('share_grant').set({ revoked_at: new Date() }).where('id', '=', masked.shareId).execute();

    await newDataGrant(db, { resource, consumerDepartmentId: deptId, items: ['id_number', 'name', 'phone', 'region', 'gender', 'birth_date', 'ethnicity'], masks: { id_number: 'none', name: 'none', phone: 'none' } });
    expect((await worker.get('/api/community/imports/sources')).json().items.map((s: { resourceId: string }) => s.resourceId)).toContain(resource.id);
    const res = await worker.post('/api/community/imports/population', { resourceId: resource.id });
    expect(res.statusCode).toBe(202);
    const queued = res.json();
    expect(queued.status).toBe('queued');
    expect(await db.selectFrom('job').select('id').where('name', '=', 'outbox:community.population_pull').where('unique_key', '=', queued.id).execute()).toHaveLength(1);

    await community.imports.runPull(queued.id);
    await community.imports.runPull(queued.id); // a second delivery of the event does nothing
    const done = (await worker.get(`/api/community/imports/${queued.id}`)).json();
    // the COMMUNITY_B row lies outside the worker's jurisdiction and is never read
    expect(done).toMatchObject({ status: 'committed', totalRows: 3, insertedRows: 2, updatedRows: 1, rejectedRows: 0 });
    expect((await registered([...mine, outside])).map((r) => r.id_number)).toEqual(mine);
    expect((await registered([existing.id_number]))[0]!.name).toBe('改过的名字');
    const audit = await db.selectFrom('audit_log').select('action').where('object_id', '=', queued.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['community.population_pull', 'community.population_pull_commit']);
  });
});
