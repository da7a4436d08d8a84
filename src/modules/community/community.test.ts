// The community registry on the real app and database: registration checks (400/403/409 naming the field, nothing
// written), masking and the access log, the list's filter, cursor and jurisdiction, edits with versions, moves with
// residence history, households' member counts, grids and workers, exports, and concurrent registrations and moves.
import { randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { COMMUNITY_A, COMMUNITY_B, makeIdNumber } from '../../../test/support/community-factories.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { allPages } from '../../../test/support/paging.ts';
import { idNumberCheckCharacter } from '../../shared/id-number.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: Awaited<ReturnType<typeof testApp>>['app'];
let services: Awaited<ReturnType<typeof testApp>>['services'];
/** community_worker of COMMUNITY_A; leader of the street (masked reads); admin of the street (both communities). */
let worker: Client;
let workerId: string;
let leader: Client;
let streetAdmin: Client;
/** A community of another county. */
let far: string;

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app, services } = await testApp());
  const dept = await newDepartment(db, { regionCode: '650502001' });
  const w = await newUser(db, { departmentId: dept.id, grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] });
  workerId = w.id;
  worker = await login(app, w.username, w.password);
  const l = await newUser(db, { departmentId: dept.id, grants: [{ role: 'leader', regionCode: '650502001' }] });
  leader = await login(app, l.username, l.password);
  const a = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502001' }] });
  streetAdmin = await login(app, a.username, a.password);
  far = (await db.selectFrom('region').select('code').where('level', '=', 4).where('path', 'like', '/6505/650521/%').orderBy('code').limit(1).executeTakeFirstOrThrow()).code;
});

const randomBirth = () => `19${randomInt(30, 99)}-${String(randomInt(1, 13)).padStart(2, '0')}-${String(randomInt(1, 29)).padStart(2, '0')}`;
const patch = (c: Client, url: string, body: unknown) => c.request('PATCH', url, body);

function person(over: Record<string, unknown> = {}) {
  const sex = randomInt(0, 2) === 0 ? 'M' : 'F';
  return { idNumber: makeIdNumber(randomBirth(), sex), name: uniq('居民'), ethnicity: '01', phone: '13912345678', communityCode: COMMUNITY_A, residenceStatus: 'registered', ...over };
}

const countByName = async (name: string) => Number((await db.selectFrom('community_resident').select((eb) => eb.fn.countAll<string>().as('n')).where('name', '=', name).executeTakeFirstOrThrow()).n);

describe('registering residents', () => {
  it('registers, derives sex and birth date, opens a residence interval and audits', async () => {
    const body = person({ idNumber: makeIdNumber('1958-03-01', 'F'), movedInOn: '2010-05-01' });
    const res = await worker.post('/api/community/residents', body);
    expect(res.statusCode).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ sex: 'F', birthDate: '1958-03-01', idNumber: body.idNumber, phone: '13912345678', masked: false, communityCode: COMMUNITY_A, version: 1, status: 'active' });
    const history = (await worker.get(`/api/community/residents/${r.id}/residences`)).json().items;
    expect(history).toEqual([expect.objectContaining({ communityCode: COMMUNITY_A, validFrom: '2010-05-01', validTo: null })]);
    const audit = await db.selectFrom('audit_log').select(['action', 'region_code']).where('object_id', '=', r.id).execute();
    expect(audit).toEqual([{ action: 'community.resident_register', region_code: COMMUNITY_A }]);
  });

  it.each([
    ['wrong check digit', (b: ReturnType<typeof person>) => ({ ...b, idNumber: b.idNumber.slice(0, 17) + (b.idNumber[17] === '1' ? '2' : '1') }), 400, 'community.invalid_id_number', 'idNumber'],
    ['impossible birth date', (b: ReturnType<typeof person>) => ({ ...b, idNumber: ((s) => s + idNumberCheckCharacter(s))('65050219990231' + '123') }), 400, 'community.invalid_id_number', 'idNumber'],
    ['unknown region prefix', (b: ReturnType<typeof person>) => ({ ...b, idNumber: ((s) => s + idNumberCheckCharacter(s))('99999919800101' + '123') }), 400, 'community.invalid_id_number', 'idNumber'],
    ['sex not matching', (b: ReturnType<typeof person>) => ({ ...b, idNumber: makeIdNumber('1980-01-01', 'M'), sex: 'F' }), 400, 'community.id_mismatch', 'sex'],
    ['birth date not matching', (b: ReturnType<typeof person>) => ({ ...b, idNumber: makeIdNumber('1980-01-01', 'M'), birthDate: '1980-01-02' }), 400, 'community.id_mismatch', 'birthDate'],
    ['bad phone', (b: ReturnType<typeof person>) => ({ ...b, phone: '12345' }), 400, 'community.invalid_phone', 'phone'],
    ['unknown ethnicity', (b: ReturnType<typeof person>) => ({ ...b, ethnicity: '77' }), 400, 'community.unknown_ethnicity', 'ethnicity'],
    ['a street, not a community', (b: ReturnType<typeof person>) => ({ ...b, communityCode: '650502001' }), 400, 'community.not_a_community', 'communityCode'],
    ['community outside jurisdiction', (b: ReturnType<typeof person>) => ({ ...b, communityCode: COMMUNITY_B }), 403, 'community.out_of_jurisdiction', 'communityCode'],
  ] as const)('refuses %s, writing nothing', async (_what, change, status, code, field) => {
    const body = change(person());
    const res = await worker.post('/api/community/residents', body);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code, field });
    expect(await countByName(body.name)).toBe(0);
  });

  it('refuses a duplicate ID number with 409 naming the existing resident', async () => {
    const body = person();
    const first = (await worker.post('/api/community/residents', body)).json();
    const again = await worker.post('/api/community/residents', { ...body, name: uniq('重复') });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'community.duplicate_resident', field: 'idNumber', existingResidentId: first.id });
  });

  it('registers one of two simultaneous registrations of the same ID number', async () => {
    const body = person();
    const results = await Promise.all([worker.post('/api/community/residents', body), worker.post('/api/community/residents', { ...body, name: `${body.name}2` })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(Number((await db.selectFrom('community_resident').select((eb) => eb.fn.countAll<string>().as('n')).where('id_number', '=', body.idNumber).executeTakeFirstOrThrow()).n)).toBe(1);
  });
});

describe('importing residents', () => {
  it('commits the accepted rows together and reports the others per row and field', async () => {
    const existing = (await worker.post('/api/community/residents', person())).json();
    const good = person();
    const rows = [
      good,
      person({ phone: '123' }),
      person({ communityCode: COMMUNITY_B }),
      { ...person(), idNumber: good.idNumber },
      { ...person(), idNumber: existing.idNumber },
      person({ ethnicity: '99' }),
      person(),
    ];
    const res = await worker.post('/api/community/residents/import', { rows });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ rows: 7, accepted: 2, rejected: 5 });
    expect(report.rejections.map((r: { row: number; field: string; code: string }) => [r.row, r.field, r.code])).toEqual([
      [2, 'phone', 'community.invalid_phone'],
      [3, 'communityCode', 'out_of_jurisdiction'],
      [4, 'idNumber', 'community.duplicate_resident'],
      [5, 'idNumber', 'community.duplicate_resident'],
      [6, 'ethnicity', 'community.unknown_ethnicity'],
    ]);
    expect(await countByName(good.name)).toBe(1);
    expect(await countByName(rows[6]!.name)).toBe(1);
    expect(await countByName(rows[1]!.name)).toBe(0);
    const audit = await db.selectFrom('audit_log').select('detail').where('action', '=', 'community.resident_import').where('request_id', '=', res.headers['x-request-id'] as string).execute();
    expect(audit).toEqual([{ detail: expect.objectContaining({ accepted: 2, rejected: 5 }) }]);
  });
});

describe('reading residents', () => {
  it('masks ID numbers and phones without community.read_sensitive; unmasked reads go to the access log', async () => {
    const r = (await worker.post('/api/community/residents', person())).json();
    const masked = (await leader.get(`/api/community/residents/${r.id}`)).json();
    expect(masked.masked).toBe(true);
    expect(masked.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(masked.phone).toBe('139****5678');
    const read = await worker.get(`/api/community/residents/${r.id}`);
    expect(read.json().idNumber).toBe(r.idNumber);
    await services.audit.drainAccessLog();
    const logged = await db.selectFrom('audit_access').select(['resource', 'permission']).where('request_id', '=', read.headers['x-request-id'] as string).execute();
    expect(logged).toEqual([{ resource: 'community.resident', permission: 'community.read_sensitive' }]);
  });

  it('lists by name with a total and a keyset cursor, inside the jurisdiction only', async () => {
    const tag = uniq('翻页');
    for (let i = 0; i < 3; i++) await worker.post('/api/community/residents', person({ name: `${tag}${i}` }));
    await streetAdmin.post('/api/community/residents', person({ name: `${tag}B`, communityCode: COMMUNITY_B }));
    const first = (await worker.get(`/api/community/residents?q=${encodeURIComponent(tag)}&limit=2`)).json();
    expect(first.total).toBe(3);
    expect(first.items.map((r: { name: string }) => r.name)).toEqual([`${tag}0`, `${tag}1`]);
    const rest = (await worker.get(`/api/community/residents?q=${encodeURIComponent(tag)}&limit=2&cursor=${first.nextCursor}`)).json();
    expect(rest.items.map((r: { name: string }) => r.name)).toEqual([`${tag}2`]);
    expect(rest.nextCursor).toBeNull();
    const street = (await leader.get(`/api/community/residents?q=${encodeURIComponent(tag)}`)).json();
    expect(street.total).toBe(4);
    const onlyB = (await leader.get(`/api/community/residents?q=${encodeURIComponent(tag)}&region=${COMMUNITY_B}`)).json();
    expect(onlyB.items.map((r: { name: string }) => r.name)).toEqual([`${tag}B`]);
  });

  it('filters by sex, age, ethnicity, labels and facts; refuses a bad cursor and an unknown region', async () => {
    const tag = uniq('筛选');
    const old = (await worker.post('/api/community/residents', person({ name: `${tag}老`, idNumber: makeIdNumber('1940-01-01', 'M'), ethnicity: '05' }))).json();
    await worker.post('/api/community/residents', person({ name: `${tag}少`, idNumber: makeIdNumber('2000-01-01', 'F') }));
    const q = `q=${encodeURIComponent(tag)}`;
    const names = async (extra: string) => (await worker.get(`/api/community/residents?${q}&${extra}`)).json().items.map((r: { name: string }) => r.name);
    expect(await names('ageMin=80')).toEqual([`${tag}老`]);
    expect(await names('sex=F')).toEqual([`${tag}少`]);
    expect(await names('ethnicity=05,17')).toEqual([`${tag}老`]);
    await db.insertInto('community_resident_label').values({ resident_id: old.id, label_code: 'elderly_alone', added_by: null }).execute();
    expect(await names('labels=elderly_alone')).toEqual([`${tag}老`]);
    await db.insertInto('community_resident_fact').values({ resident_id: old.id, fact: 'medical_insurance', value: true, source_resource_code: 'X', source_updated_at: null }).execute();
    expect(await names('lacksFacts=medical_insurance')).toEqual([`${tag}少`]);
    expect(await names('hasFacts=medical_insurance')).toEqual([`${tag}老`]);
    const bad = await worker.get('/api/community/residents?cursor=bad');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'request.invalid_cursor', field: 'cursor' });
    const unknown = await worker.get('/api/community/residents?region=650599');
    expect(unknown.json()).toMatchObject({ code: 'community.unknown_region', field: 'region' });
    expect((await worker.get('/api/community/residents?hasFacts=wealth')).statusCode).toBe(400);
  });

  it('matches 1–2 character fragments anywhere within a street, as a prefix across the prefecture', async () => {
    const given = String.fromCodePoint(0x4e00 + randomInt(0, 20000));
    const r = (await worker.post('/api/community/residents', person({ name: `${uniq('短')}${given}` }))).json();
    const prefecture = await login(app, ...(await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] }).then((u) => [u.username, u.password] as const)));
    // every page: a one-character fragment may match any number of other tests' and the demo's residents
    const ids = async (c: Client, query: string) => (await allPages<{ id: string }>(c, `/api/community/residents?${query}&limit=500`)).map((x) => x.id);
    expect(await ids(leader, `q=${encodeURIComponent(given)}`)).toContain(r.id);
    expect(await ids(prefecture, `q=${encodeURIComponent(given)}&region=650502001`)).toContain(r.id);
    expect(await ids(prefecture, `q=${encodeURIComponent(given)}`)).not.toContain(r.id);
    expect(await ids(prefecture, `q=${encodeURIComponent(r.name.slice(0, 2))}`)).toContain(r.id);
  });

  it('exports the filter as CSV and XLSX, masked for the leader, audited and access-logged', async () => {
    const tag = uniq('导出');
    await worker.post('/api/community/residents', person({ name: tag }));
    const csv = await leader.get(`/api/community/residents/export?format=csv&q=${encodeURIComponent(tag)}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d{6}\*{8}/);
    const xlsx = await worker.get(`/api/community/residents/export?format=xlsx&q=${encodeURIComponent(tag)}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    await services.audit.drainAccessLog();
    const logged = await db.selectFrom('audit_access').select('resource').where('request_id', '=', csv.headers['x-request-id'] as string).execute();
    expect(logged).toEqual([{ resource: 'community.resident.export' }]);
  });
});

describe('changing residents', () => {
  it('edits with an optimistic version', async () => {
    const r = (await worker.post('/api/community/residents', person())).json();
    const ok = await patch(worker, `/api/community/residents/${r.id}`, { version: 1, address: '建国北路 1 号', ethnicity: '03' });
    expect(ok.json()).toMatchObject({ version: 2, address: '建国北路 1 号', ethnicity: '03' });
    const stale = await patch(worker, `/api/community/residents/${r.id}`, { version: 1, address: 'x' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'community.version_conflict', field: 'version' });
    expect((await patch(worker, `/api/community/residents/${r.id}`, { version: 2, phone: '123' })).json()).toMatchObject({ code: 'community.invalid_phone' });
  });

  it('moves a resident: the old interval closes, a new one opens; the old community still counts them for the past', async () => {
    const r = (await streetAdmin.post('/api/community/residents', person({ movedInOn: '2015-01-01' }))).json();
    expect((await worker.post(`/api/community/residents/${r.id}/move`, { version: 1, communityCode: far })).json()).toMatchObject({ code: 'community.out_of_jurisdiction', field: 'communityCode' });
    const moved = await streetAdmin.post(`/api/community/residents/${r.id}/move`, { version: 1, communityCode: COMMUNITY_B, on: '2024-06-01' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ communityCode: COMMUNITY_B, version: 2, movedInOn: '2024-06-01' });
    const history = (await streetAdmin.get(`/api/community/residents/${r.id}/residences`)).json().items;
    expect(history).toEqual([
      expect.objectContaining({ communityCode: COMMUNITY_A, validFrom: '2015-01-01', validTo: '2024-06-01' }),
      expect.objectContaining({ communityCode: COMMUNITY_B, validFrom: '2024-06-01', validTo: null }),
    ]);
    // the worker of A no longer sees them
    expect((await worker.get(`/api/community/residents/${r.id}`)).statusCode).toBe(404);
    const pastInA = await db.selectFrom('community_residence').select('resident_id').where('community_code', '=', COMMUNITY_A).where('valid_from', '<=', '2020-01-01').where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', '2020-01-01')])).where('resident_id', '=', r.id).execute();
    expect(pastInA).toHaveLength(1);
  });

  it('lets one of two simultaneous moves win, keeping one open interval', async () => {
    const r = (await streetAdmin.post('/api/community/residents', person({ movedInOn: '2015-01-01' }))).json();
    const other = (await db.selectFrom('region').select('code').where('parent_code', '=', '650502001').where('code', 'not in', [COMMUNITY_A, COMMUNITY_B]).limit(1).executeTakeFirstOrThrow()).code;
    const results = await Promise.all([
      streetAdmin.post(`/api/community/residents/${r.id}/move`, { version: 1, communityCode: COMMUNITY_B }),
      streetAdmin.post(`/api/community/residents/${r.id}/move`, { version: 1, communityCode: other }),
    ]);
    expect(results.map((x) => x.statusCode).sort()).toEqual([200, 409]);
    const intervals = await db.selectFrom('community_residence').selectAll().where('resident_id', '=', r.id).execute();
    expect(intervals).toHaveLength(2);
    expect(intervals.filter((i) => i.valid_to === null)).toHaveLength(1);
  });

  it('records a death, closing the interval', async () => {
    const r = (await worker.post('/api/community/residents', person({ movedInOn: '2015-01-01' }))).json();
    const res = await worker.post(`/api/community/residents/${r.id}/leave`, { version: 1, status: 'deceased', on: '2025-01-01' });
    expect(res.json()).toMatchObject({ status: 'deceased', version: 2 });
    expect((await worker.post(`/api/community/residents/${r.id}/move`, { version: 2, communityCode: COMMUNITY_A })).json()).toMatchObject({ code: 'community.resident_inactive' });
    const history = (await worker.get(`/api/community/residents/${r.id}/residences`)).json().items;
    expect(history[0]).toMatchObject({ validTo: '2025-01-01' });
  });
});

describe('households, grids and buildings', () => {
  it('keeps member_count with members and relations', async () => {
    const h = (await worker.post('/api/community/households', { communityCode: COMMUNITY_A, address: '建国北路 2 号' })).json();
    const head = (await worker.post('/api/community/residents', person({ householdId: h.id, relation: 'head', movedInOn: '2020-01-01' }))).json();
    const child = (await worker.post('/api/community/residents', person())).json();
    const added = await worker.post(`/api/community/households/${h.id}/members`, { residentId: child.id, relation: 'child' });
    expect(added.json()).toMatchObject({ memberCount: 2, members: [expect.objectContaining({ residentId: head.id, relation: 'head' }), expect.objectContaining({ residentId: child.id, relation: 'child' })] });
    const another = (await worker.post('/api/community/residents', person())).json();
    expect((await worker.post(`/api/community/households/${h.id}/members`, { residentId: another.id, relation: 'head' })).json()).toMatchObject({ code: 'community.head_exists' });
    const removed = await worker.delete(`/api/community/households/${h.id}/members/${child.id}`);
    expect(removed.json()).toMatchObject({ memberCount: 1 });
    expect((await worker.post(`/api/community/residents/${head.id}/leave`, { version: 1, status: 'moved_out' })).statusCode).toBe(200);
    expect((await worker.get(`/api/community/households/${h.id}`)).json()).toMatchObject({ memberCount: 0 });
  });

  it('creates and renames grids, assigns only workers whose grant covers the community', async () => {
    const g = await worker.post('/api/community/grids', { communityCode: COMMUNITY_A, name: '第一网格' });
    expect(g.statusCode).toBe(201);
    const grid = g.json();
    expect((await patch(worker, `/api/community/grids/${grid.id}`, { name: '一网格' })).json()).toMatchObject({ name: '一网格' });
    const assigned = await worker.post(`/api/community/grids/${grid.id}/workers`, { userId: workerId });
    expect(assigned.json().workers.map((w: { userId: string }) => w.userId)).toEqual([workerId]);
    const elsewhere = await newUser(db, { grants: [{ role: 'community_worker', regionCode: COMMUNITY_B }] });
    const refused = await worker.post(`/api/community/grids/${grid.id}/workers`, { userId: elsewhere.id });
    expect(refused.json()).toMatchObject({ code: 'community.worker_out_of_scope', field: 'userId' });
    expect((await worker.delete(`/api/community/grids/${grid.id}/workers/${workerId}`)).json().workers).toEqual([]);
    expect((await worker.post('/api/community/grids', { communityCode: COMMUNITY_B, name: 'x' })).statusCode).toBe(403);
    const b = await worker.post('/api/community/buildings', { communityCode: COMMUNITY_A, gridId: grid.id, name: '1 号楼', floors: 6 });
    expect(b.statusCode).toBe(201);
    expect((await worker.get(`/api/community/buildings?community=${COMMUNITY_A}`)).json().items.map((x: { id: string }) => x.id)).toContain(b.json().id);
  });

  it('keeps reads inside the jurisdiction', async () => {
    const r = (await streetAdmin.post('/api/community/residents', person({ communityCode: COMMUNITY_B }))).json();
    expect((await worker.get(`/api/community/residents/${r.id}`)).statusCode).toBe(404);
    const grids = (await worker.get('/api/community/grids')).json().items;
    expect(grids.every((g: { communityCode: string }) => g.communityCode === COMMUNITY_A)).toBe(true);
  });
});
