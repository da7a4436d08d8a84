// Supervised matters through the API on a ManualClock: each kind recorded by its department's staff with its rules
// run in the same transaction, each warning once (change, sweep, concurrent sweeps), the village publications, the
// public penalty disclosure (masked persons, no ID numbers, no sign-in), jurisdiction, and bad input with nothing written.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Services } from '../../services.ts';
import { login, testConfig, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { COMMUNITY_A } from '../../../test/support/community-factories.ts';
import { allPages } from '../../../test/support/paging.ts';
import type { MattersService } from './service.ts';

type User = Awaited<ReturnType<typeof newUser>>;
let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: App;
let matters: MattersService;
const clock = new ManualClock('2026-11-27T10:00:00+08:00');
let bureau: { id: string; name: string };
let subBureau: { id: string };
let farBureau: { id: string };
let staff: User;
let subStaff: User;
let farStaff: User;
let supervisor: User;
let farSupervisor: User;
const VILLAGE = '650502001200'; // 上阿牙村委会, 东河街道

const as = (user: User): Promise<Client> => login(app, user.username, user.password);
const n = async (query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(db)).rows[0]!.n;
const warnings = (id: string) => db.selectFrom('supervision_warning').select(['rule', 'level', 'subject_kind', 'region_path']).where('subject_id', '=', id).orderBy('rule').execute();
const rulesOf = async (id: string) => (await warnings(id)).map((w) => w.rule);
const put = (client: Client, url: string, body: unknown) => client.request('PUT', url, body);
const penalty = (over: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
  title: '某公司超范围使用食品添加剂案',
  refNo: uniq('哈市监处罚'),
  data: { partyKind: 'organization', partyName: '哈密天山乳业有限公司', partyIdNumber: '91650500MA7XYZ1234', articleCode: 'FSL-124', amountYuan: 60_000, filedOn: '2026-10-01', hearingNotifiedOn: '2026-10-20', decidedOn: '2026-11-02', ...data },
  ...over,
});

beforeAll(async () => {
  ({ db } = await testDb());
  let services: Services;
  ({ app, services } = await buildApp({ db, config: testConfig({ sessionIdleMinutes: 600 }), serveWeb: false, clock }));
  matters = services.matters as MattersService;
  bureau = await newDepartment(db, { regionCode: '650502', name: `伊州区市场监督管理局${uniq()}` });
  subBureau = await newDepartment(db, { regionCode: '650502001' });
  await db.updateTable('department').set({ parent_id: bureau.id }).where('id', '=', subBureau.id).execute();
  farBureau = await newDepartment(db, { regionCode: '650521' });
  staff = await newUser(db, { departmentId: bureau.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  subStaff = await newUser(db, { departmentId: subBureau.id, grants: [{ role: 'department_staff', regionCode: '650502001' }] });
  farStaff = await newUser(db, { departmentId: farBureau.id, grants: [{ role: 'department_staff', regionCode: '650521' }] });
  supervisor = await newUser(db, { grants: [{ role: 'supervisor', regionCode: '650502' }] });
  farSupervisor = await newUser(db, { grants: [{ role: 'supervisor', regionCode: '650521' }] });
});

afterAll(async () => app?.close());

describe('行政处罚', () => {
  it('records a penalty with its audit record; a lawful one fires nothing', async () => {
    const client = await as(staff);
    const res = await client.post('/api/matters/penalty', penalty());
    expect(res.statusCode).toBe(200);
    const made = res.json();
    expect(made).toMatchObject({ kind: 'penalty', state: 'open', departmentId: bureau.id, regionCode: '650502', version: 1, abilities: { edit: true }, warnings: [] });
    expect(await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'matters.create' AND object_id = ${made.id}`)).toBe(1);
  });

  it('flags the amount, the late decision and the missing hearing notice, each once across changes and sweeps', async () => {
    const client = await as(staff);
    const made = (await client.post('/api/matters/penalty', penalty({}, { amountYuan: 120_000, filedOn: '2026-07-01', decidedOn: '2026-10-15', hearingNotifiedOn: null }))).json();
    expect(await rulesOf(made.id)).toEqual(['matter.penalty.amount_out_of_range', 'matter.penalty.decision_late', 'matter.penalty.hearing_notice_missing']);
    const w = await warnings(made.id);
    expect(w.map((x) => x.level)).toEqual(['irregular', 'yellow', 'irregular']);
    expect(w.every((x) => x.subject_kind === 'penalty' && x.region_path.startsWith('/6505/650502/'))).toBe(true);
    // a change, a sweep and two sweeps at once add nothing
    const changed = await put(client, `/api/matters/penalty/${made.id}`, { ...penalty({}, { amountYuan: 120_001, filedOn: '2026-07-01', decidedOn: '2026-10-15', hearingNotifiedOn: null }), refNo: made.refNo, version: 1 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().version).toBe(2);
    await Promise.all([matters.sweep(), matters.sweep()]);
    expect(await rulesOf(made.id)).toHaveLength(3);
    expect(changed.json().openWarnings).toEqual({ yellow: 1, red: 0, irregular: 2 });
  });

  it('fires the late decision of an undecided penalty only past day 90 (sweep)', async () => {
    const client = await as(staff);
    const made = (await client.post('/api/matters/penalty', penalty({}, { filedOn: '2026-08-29', decidedOn: null, hearingNotifiedOn: null }))).json();
    expect(await matters.sweep('2026-11-27')).toBeGreaterThanOrEqual(0);
    expect(await rulesOf(made.id)).toEqual([]); // day 90
    await matters.sweep('2026-11-28');
    expect(await rulesOf(made.id)).toEqual(['matter.penalty.decision_late']);
  });

  it('refuses bad input naming the field, with nothing written', async () => {
    const client = await as(staff);
    const before = await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM supervised_matter WHERE department_id = ${bureau.id}`);
    const cases: [unknown, number, string, string][] = [
      [penalty({}, { amountYuan: -1 }), 400, 'request.invalid', 'data/amountYuan'],
      [penalty({}, { articleCode: 'NOPE-1' }), 400, 'matters.unknown_article', 'data/articleCode'],
      [penalty({}, { decidedOn: '2026-09-01' }), 400, 'matters.date_order', 'data/decidedOn'],
      [penalty({}, { decidedOn: '2026-12-01' }), 400, 'matters.future_date', 'data/decidedOn'],
      [penalty({}, { filedOn: '2026-02-30x' }), 400, 'request.invalid', 'data/filedOn'],
      [penalty({ regionCode: '650521' }), 400, 'matters.region_outside_department', 'regionCode'],
      [penalty({ departmentId: farBureau.id }), 403, 'matters.department_out_of_scope', 'departmentId'],
      [{ ...penalty(), extra: 1 }, 400, 'request.invalid', ''],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await client.post('/api/matters/penalty', body);
      expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
      expect(res.json().code).toBe(code);
      if (field) expect(res.json().field).toBe(field);
    }
    const dup = penalty();
    expect((await client.post('/api/matters/penalty', dup)).statusCode).toBe(200);
    const again = await client.post('/api/matters/penalty', dup);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'matters.duplicate_ref', field: 'refNo' });
    expect(await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM supervised_matter WHERE department_id = ${bureau.id}`)).toBe(before + 1);
  });

  it('lets one of two concurrent changes of the same version win', async () => {
    const client = await as(staff);
    const made = (await client.post('/api/matters/penalty', penalty())).json();
    const body = { ...penalty(), refNo: made.refNo, version: 1 };
    const results = await Promise.all([put(client, `/api/matters/penalty/${made.id}`, { ...body, title: '甲' }), put(client, `/api/matters/penalty/${made.id}`, { ...body, title: '乙' })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('matters.version_conflict');
  });
});

describe('行政处罚公示', () => {
  it('lists decided penalties without sign-in: organisations named, persons masked, no ID numbers', async () => {
    const client = await as(staff);
    const org = (await client.post('/api/matters/penalty', penalty({ title: `公示测试${uniq()}` }))).json();
    const person = (await client.post('/api/matters/penalty', penalty({ title: `公示测试个人${uniq()}` }, { partyKind: 'person', partyName: '张三丰', partyIdNumber: '650502198005011234', amountYuan: 50_000, hearingNotifiedOn: '2026-10-20' }))).json();
    const undecided = (await client.post('/api/matters/penalty', penalty({ title: `公示测试未决${uniq()}` }, { decidedOn: null }))).json();
    const res = await app.inject({ method: 'GET', url: '/api/public/penalties?limit=100' });
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(text).not.toContain('650502198005011234');
    expect(text).not.toContain('91650500MA7XYZ1234');
    expect(text).not.toContain('张三丰');
    const items = res.json().items as { id: string; partyName: string; law: string }[];
    expect(items.find((i) => i.id === org.id)).toMatchObject({ partyName: '哈密天山乳业有限公司', law: '《中华人民共和国食品安全法》' });
    expect(items.find((i) => i.id === person.id)!.partyName).toBe('张**');
    expect(items.some((i) => i.id === undecided.id)).toBe(false);
    // a person's name is not a search key
    const byName = (await app.inject({ method: 'GET', url: `/api/public/penalties?q=${encodeURIComponent('张三丰')}` })).json();
    expect(byName.items).toEqual([]);
  });
});

describe('执法案件, 公共资源交易, 重点项目', () => {
  it('fires the enforcement stage late on working days', async () => {
    const client = await as(staff);
    const made = (await client.post('/api/matters/enforcement', { title: '违规占道经营案', refNo: uniq('哈城管立'), data: { cause: '违规占道经营', filedOn: '2026-09-01' } })).json();
    expect(await rulesOf(made.id)).toEqual(['matter.enforcement.investigation_late', 'matter.enforcement.investigation_overdue']);
    const bad = await client.post('/api/matters/enforcement', { title: '案', refNo: uniq('x'), data: { cause: '案', filedOn: '2026-09-01', decidedOn: '2026-10-01' } });
    expect(bad.json()).toMatchObject({ code: 'matters.date_order', field: 'data/investigatedOn' });
  });

  it('flags a short tender window and a short publicity', async () => {
    const client = await as(staff);
    const ok = (await client.post('/api/matters/trading', { title: '教学楼建设项目', refNo: uniq('HMGGZY'), data: { method: 'open_tender', noticeOn: '2026-09-01', bidOpenOn: '2026-09-21', awardPublishedOn: '2026-09-24', publicityEndOn: '2026-09-27' } })).json();
    expect(await rulesOf(ok.id)).toEqual([]);
    const short = (await client.post('/api/matters/trading', { title: '照明改造', refNo: uniq('HMGGZY'), data: { method: 'open_tender', noticeOn: '2026-09-01', bidOpenOn: '2026-09-20', awardPublishedOn: '2026-09-24', publicityEndOn: '2026-09-26' } })).json();
    expect(await rulesOf(short.id)).toEqual(['matter.trading.publicity_short', 'matter.trading.tender_window_short']);
  });

  it('flags late milestones; completing them adds nothing and removes nothing', async () => {
    const client = await as(staff);
    const body = { title: '城北供热管网改造', refNo: uniq('HMZD'), data: { startOn: '2026-03-01', investmentYuan: 96_000_000, milestones: [{ seq: 1, name: '开工', plannedOn: '2026-04-01', completedOn: '2026-03-30' }, { seq: 2, name: '主体完工', plannedOn: '2026-11-20', completedOn: null }] } };
    const made = (await client.post('/api/matters/project', body)).json();
    expect(made.data.milestones).toHaveLength(2);
    expect(await rulesOf(made.id)).toEqual(['matter.project.milestone_late:2']);
    const dupSeq = await client.post('/api/matters/project', { ...body, refNo: uniq('HMZD'), data: { ...body.data, milestones: [body.data.milestones[0], body.data.milestones[0]] } });
    expect(dupSeq.json()).toMatchObject({ code: 'matters.duplicate_milestone', field: 'data/milestones/1/seq' });
  });
});

describe('阳光村务', () => {
  it('flags a missed period once, records publications, refuses wrong periods and villages', async () => {
    const client = await as(subStaff);
    const notVillage = await client.post('/api/matters/village', { title: '东河街道', refNo: uniq('CWGK'), regionCode: '650502001', data: { frequency: 'monthly', dueDay: 10, since: '2026-09' } });
    expect(notVillage.json()).toMatchObject({ code: 'matters.not_a_village', field: 'regionCode' });
    const made = (await client.post('/api/matters/village', { title: '上阿牙村财务公开', refNo: uniq('CWGK'), regionCode: VILLAGE, data: { frequency: 'monthly', dueDay: 10, since: '2026-09' } })).json();
    expect(made.regionCode).toBe(VILLAGE);
    expect(await rulesOf(made.id)).toEqual(['matter.village.missed:2026-09', 'matter.village.missed:2026-10']);
    const pub = await client.post(`/api/matters/${made.id}/publications`, { period: '2026-10', publishedOn: '2026-11-20', summary: '10月收支公开', incomeYuan: 32000, expenseYuan: 21000.5 });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().publications[0]).toMatchObject({ period: '2026-10', incomeYuan: 32000, expenseYuan: 21000.5 });
    const twice = await client.post(`/api/matters/${made.id}/publications`, { period: '2026-10', publishedOn: '2026-11-21', summary: '重复' });
    expect(twice.json()).toMatchObject({ code: 'matters.duplicate_publication', field: 'period' });
    const quarter = await client.post(`/api/matters/${made.id}/publications`, { period: '2026-Q3', publishedOn: '2026-11-21', summary: '季度' });
    expect(quarter.json()).toMatchObject({ code: 'matters.invalid_period', field: 'period' });
    await matters.sweep();
    expect(await rulesOf(made.id)).toEqual(['matter.village.missed:2026-09', 'matter.village.missed:2026-10']);
    // the schedule's owner is the sub-bureau: the parent bureau's staff may change it (department tree), the far one not
    expect((await (await as(staff)).get(`/api/matters/${made.id}`)).json().abilities.edit).toBe(true);
    expect((await (await as(farStaff)).post(`/api/matters/${made.id}/publications`, { period: '2026-09', publishedOn: '2026-11-21', summary: 'x' })).statusCode).toBe(404);
  });
});

describe('jurisdiction', () => {
  it('shows supervisors their region prefix only, staff their department tree, and refuses others', async () => {
    const client = await as(subStaff);
    // both matters carry this test's own title, so the filtered list holds every matter that could be shown
    // whatever other tests and the demo have written: the far one is missing only because of jurisdiction
    const title = `管辖测试${uniq()}案`;
    const mine = (await client.post('/api/matters/penalty', penalty({ title }))).json();
    const far = (await (await as(farStaff)).post('/api/matters/penalty', penalty({ title, regionCode: '650521' }, { amountYuan: 120_000, hearingNotifiedOn: null }))).json();
    const sup = await as(supervisor);
    const idsOf = async (c: Client) => (await c.get(`/api/matters?kind=penalty&q=${encodeURIComponent(title)}`)).json().items.map((m: { id: string }) => m.id);
    expect(await idsOf(sup)).toEqual([mine.id]);
    expect(await idsOf(await as(farSupervisor))).toEqual([far.id]);
    expect((await sup.get(`/api/matters/${far.id}`)).statusCode).toBe(404);
    expect((await sup.get(`/api/matters/${mine.id}`)).json().abilities.edit).toBe(false);
    expect((await sup.post('/api/matters/penalty', penalty())).statusCode).toBe(403);
    expect((await (await as(farSupervisor)).get(`/api/matters/${far.id}`)).statusCode).toBe(200);
    // staff of the sub-bureau do not see the parent's matters; the parent's staff see the sub-bureau's
    const parents = (await (await as(staff)).post('/api/matters/penalty', penalty())).json();
    expect((await client.get(`/api/matters/${parents.id}`)).statusCode).toBe(404);
    expect((await (await as(staff)).get(`/api/matters/${mine.id}`)).statusCode).toBe(200);
    // the far matter is irregular (amount, no hearing notice): its warnings show over there, never here
    const warnedSubjects = async (c: Client) => (await allPages<{ subjectId: string }>(c, '/api/matters/warnings?limit=500')).map((w) => w.subjectId);
    expect(await warnedSubjects(await as(farSupervisor))).toContain(far.id);
    expect(await warnedSubjects(sup)).not.toContain(far.id);
    const nobody = await as(await newUser(db, { regionCode: COMMUNITY_A, grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] }));
    expect((await nobody.get('/api/matters')).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/matters' })).statusCode).toBe(401);
  });
});
