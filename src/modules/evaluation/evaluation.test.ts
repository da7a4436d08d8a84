// Evaluation through the API on a ManualClock: counter ratings once (also under concurrent clicks), bad-rating
// follow-up deadlines on the working calendar across the National Day holiday, complaints' state machine and
// deadline, the monthly score on a hand-made month (every part computed by hand), ties sharing a rank, publication
// and the public ranking, jurisdiction, and bad input with nothing written.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import { login, testConfig, type Client } from '../../../test/support/app.ts';
import { newCase, newItem } from '../../../test/support/approval-factories.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import { allPages } from '../../../test/support/paging.ts';

type User = Awaited<ReturnType<typeof newUser>>;
let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: App;
const clock = new ManualClock('2026-09-30T09:00:00+08:00');
let deptA: { id: string };
let deptB: { id: string };
let deptFar: { id: string };
let staffA: User;
let adminA: User;
let adminB: User;
let supervisor: User;
let supervisorFar: User;

const as = (user: User): Promise<Client> => login(app, user.username, user.password);
const count = async (table: 'evaluation_rating' | 'evaluation_complaint', column: string, value: string) =>
  Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${value}`.execute(db)).rows[0]!.n);
const concludedCase = async (departmentId: string, over: Parameters<typeof newCase>[2] = {}) => {
  const item = await newItem(db, { departmentId });
  return newCase(db, item, { state: 'concluded', acceptedOn: '2026-09-01', concludedOn: '2026-09-10', promisedDue: '2026-09-15', statutoryDue: '2026-09-29', ...over });
};

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app } = await buildApp({ db, config: testConfig({ sessionIdleMinutes: 100_000, sessionMaxHours: 10_000 }), serveWeb: false, clock }));
  deptA = await newDepartment(db, { regionCode: '650502' });
  deptB = await newDepartment(db, { regionCode: '650502' });
  deptFar = await newDepartment(db, { regionCode: '650521' });
  staffA = await newUser(db, { departmentId: deptA.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  adminA = await newUser(db, { departmentId: deptA.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
  adminB = await newUser(db, { departmentId: deptB.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
  supervisor = await newUser(db, { departmentId: deptFar.id, grants: [{ role: 'supervisor', regionCode: '650502' }] });
  supervisorFar = await newUser(db, { departmentId: deptFar.id, grants: [{ role: 'supervisor', regionCode: '650521' }] });
}, 300_000);

afterAll(async () => app?.close());

describe('好差评 at the counter', () => {
  it('rates a concluded case once; a second or concurrent rating is 409; a running case is 409', async () => {
    clock.set('2026-09-30T09:00:00+08:00');
    const staff = await as(staffA);
    const done = await concludedCase(deptA.id);
    const [one, two] = await Promise.all([
      staff.post('/api/evaluation/ratings', { caseId: done.id, level: 5, comment: '很满意', tags: ['办事快'] }),
      staff.post('/api/evaluation/ratings', { caseId: done.id, level: 4 }),
    ]);
    expect([one.statusCode, two.statusCode].sort()).toEqual([201, 409]);
    expect([one, two].find((r) => r.statusCode === 409)!.json().code).toBe('evaluation.already_rated');
    expect(await count('evaluation_rating', 'case_id', done.id)).toBe(1);
    const again = await staff.post('/api/evaluation/ratings', { caseId: done.id, level: 3 });
    expect(again.statusCode).toBe(409);

    const item = await newItem(db, { departmentId: deptA.id });
    const running = await newCase(db, item, { state: 'reviewing' });
    const early = await staff.post('/api/evaluation/ratings', { caseId: running.id, level: 5 });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('evaluation.not_concluded');
    expect(await count('evaluation_rating', 'case_id', running.id)).toBe(0);
  });

  it('gives a bad rating a follow-up deadline 3 working days on, across the National Day holiday; a to-do for the department admin; follow-up once', async () => {
    clock.set('2026-09-30T09:00:00+08:00');
    const staff = await as(staffA);
    const done = await concludedCase(deptA.id);
    const res = await staff.post('/api/evaluation/ratings', { caseId: done.id, level: 1, comment: '跑了三趟', tags: ['多次跑腿'] });
    expect(res.statusCode, res.body).toBe(201);
    const rating = res.json();
    // 2026-10-01…07 are the National Day holiday, 10-08 (Thu) and 10-09 (Fri) working, 10-10 (Sat) a make-up working day
    expect(rating.followUp).toMatchObject({ due: '2026-10-10', overdue: false, doneAt: null });
    expect(rating.applicantName).toMatch(/\*$/);

    const admin = await as(adminA);
    // every page of the to-do lists: other tests and the demo leave any number of items in the county
    const todo = await allPages<{ id: string; deadline: string }>(admin, '/api/todo?limit=500');
    expect(todo.find((t) => t.id === rating.id)?.deadline).toBe('2026-10-10');
    const otherTodo = await allPages<{ id: string }>(await as(adminB), '/api/todo?limit=500');
    expect(otherTodo.map((t) => t.id)).not.toContain(rating.id);

    clock.set('2026-10-12T09:00:00+08:00');
    const overdue = (await admin.get(`/api/evaluation/ratings?followUp=overdue&departmentId=${deptA.id}&limit=500`)).json().items as { id: string }[];
    expect(overdue.map((r) => r.id)).toContain(rating.id);
    const followed = await staff.post(`/api/evaluation/ratings/${rating.id}/follow-up`, { contacted: true, result: '已电话致歉并加急办理', satisfied: true });
    expect(followed.statusCode, followed.body).toBe(200);
    expect(followed.json().followUp).toMatchObject({ contacted: true, satisfied: true, overdue: true });
    const twice = await staff.post(`/api/evaluation/ratings/${rating.id}/follow-up`, { contacted: true, result: '再次回访', satisfied: true });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('evaluation.already_followed_up');
    const good = (await admin.get(`/api/evaluation/ratings?bad=false&departmentId=${deptA.id}`)).json().items[0] as { id: string };
    expect((await staff.post(`/api/evaluation/ratings/${good.id}/follow-up`, { contacted: true, result: '无需', satisfied: true })).json().code).toBe('evaluation.no_follow_up_needed');
  });

  it('keeps ratings inside the jurisdiction: another department or county sees neither list nor record', async () => {
    clock.set('2026-09-30T09:00:00+08:00');
    const done = await concludedCase(deptA.id);
    const id = (await (await as(staffA)).post('/api/evaluation/ratings', { caseId: done.id, level: 2 })).json().id as string;
    // by the case's own number: whoever may see the rating finds it whatever else the county holds, the others nothing
    const ids = async (user: User) => ((await (await as(user)).get(`/api/evaluation/ratings?caseNo=${done.case_no}`)).json().items as { id: string }[]).map((r) => r.id);
    expect(await ids(adminA)).toEqual([id]);
    expect(await ids(supervisor)).toEqual([id]);
    expect(await ids(adminB)).toEqual([]);
    expect(await ids(supervisorFar)).toEqual([]);
    expect((await (await as(adminB)).get(`/api/evaluation/ratings/${id}`)).statusCode).toBe(404);
    expect((await (await as(adminB)).post(`/api/evaluation/ratings/${id}/follow-up`, { contacted: false, result: '越权', satisfied: null })).statusCode).toBe(404);
    // a case of another department cannot be rated at my counter
    const theirs = await concludedCase(deptB.id);
    expect((await (await as(staffA)).post('/api/evaluation/ratings', { caseId: theirs.id, level: 5 })).statusCode).toBe(404);
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const staff = await as(staffA);
    const done = await concludedCase(deptA.id);
    for (const body of [{ caseId: done.id, level: 6 }, { caseId: done.id, level: 0 }, { caseId: done.id, level: 3, tags: ['不存在'] }, { caseId: done.id, level: 3, comment: 'x'.repeat(501) }, { caseId: 'nope', level: 3 }]) {
      const res = await staff.post('/api/evaluation/ratings', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().field).toBeTruthy();
    }
    expect(await count('evaluation_rating', 'case_id', done.id)).toBe(0);
    expect((await staff.post(`/api/evaluation/ratings/${done.id}/follow-up`, { contacted: true, result: '  ', satisfied: true })).json().code).toBe('evaluation.result_required');
  });
});

describe('投诉', () => {
  it('goes filed → accepted → handled → closed, with a decision deadline of 5 working days over the holiday; invalid steps 409', async () => {
    clock.set('2026-09-30T09:00:00+08:00');
    const staff = await as(staffA);
    const filed = await staff.post('/api/evaluation/complaints', { departmentId: deptA.id, subject: '办理超时', body: '承诺5日办结，实际两周', complainantName: '王建军', complainantPhone: '13909021234' });
    expect(filed.statusCode, filed.body).toBe(201);
    const c = filed.json();
    // five working days after 09-30: 10-08, 10-09, 10-10 (make-up), 10-12, 10-13
    expect(c).toMatchObject({ state: 'filed', decideDue: '2026-10-13', overdue: false, complainantName: '王**', complainantPhone: '139****1234' });
    const sup = await as(supervisor);
    expect((await sup.post(`/api/evaluation/complaints/${c.id}/close`)).json().code).toBe('evaluation.invalid_transition');
    expect((await sup.post(`/api/evaluation/complaints/${c.id}/result`, { result: '已处理' })).statusCode).toBe(409);
    // a department admin decides their own department's complaints only; staff cannot decide at all
    expect((await (await as(adminB)).post(`/api/evaluation/complaints/${c.id}/decide`, { accept: true })).statusCode).toBe(404);
    expect((await staff.post(`/api/evaluation/complaints/${c.id}/decide`, { accept: true })).statusCode).toBe(403);

    clock.set('2026-10-14T09:00:00+08:00');
    const listed = (await sup.get(`/api/evaluation/complaints?overdue=true&departmentId=${deptA.id}&limit=500`)).json().items as { id: string; overdue: boolean }[];
    expect(listed.find((x) => x.id === c.id)?.overdue).toBe(true);
    const [d1, d2] = await Promise.all([sup.post(`/api/evaluation/complaints/${c.id}/decide`, { accept: true }), (await as(adminA)).post(`/api/evaluation/complaints/${c.id}/decide`, { accept: true })]);
    expect([d1.statusCode, d2.statusCode].sort()).toEqual([200, 409]);
    const handled = await sup.post(`/api/evaluation/complaints/${c.id}/result`, { result: '已批评教育窗口人员并致歉' });
    expect(handled.json()).toMatchObject({ state: 'handled', overdue: false });
    expect((await sup.post(`/api/evaluation/complaints/${c.id}/close`)).json().state).toBe('closed');
    const audits = await sql<{ action: string }>`SELECT action FROM audit_log WHERE object_id = ${c.id} ORDER BY seq`.execute(db);
    expect(audits.rows.map((r) => r.action)).toEqual(['evaluation.complaint.file', 'evaluation.complaint.accept', 'evaluation.complaint.result', 'evaluation.complaint.close']);
  });

  it('needs a reason not to accept; nothing changes without one', async () => {
    const staff = await as(staffA);
    const c = (await staff.post('/api/evaluation/complaints', { departmentId: deptA.id, subject: '态度差', body: '窗口态度生硬', complainantName: '李秀英' })).json();
    const sup = await as(supervisor);
    const res = await sup.post(`/api/evaluation/complaints/${c.id}/decide`, { accept: false, reason: '  ' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'evaluation.reason_required', field: 'reason' });
    expect((await sup.get(`/api/evaluation/complaints/${c.id}`)).json().state).toBe('filed');
    const no = await sup.post(`/api/evaluation/complaints/${c.id}/decide`, { accept: false, reason: '不属于受理范围' });
    expect(no.json()).toMatchObject({ state: 'not_accepted', decisionReason: '不属于受理范围' });
    expect((await sup.post(`/api/evaluation/complaints/${c.id}/result`, { result: 'x' })).json().code).toBe('evaluation.invalid_transition');
    // out of the far supervisor's region: neither listed nor readable
    const far = await as(supervisorFar);
    expect(((await far.get('/api/evaluation/complaints?limit=500')).json().items as { id: string }[]).map((x) => x.id)).not.toContain(c.id);
    expect((await far.get(`/api/evaluation/complaints/${c.id}`)).statusCode).toBe(404);
  });

  it('refuses a department outside the filer’s scope and a case of another department', async () => {
    const staff = await as(staffA);
    const before = await count('evaluation_complaint', 'department_id', deptB.id);
    const res = await staff.post('/api/evaluation/complaints', { departmentId: deptB.id, subject: '越权', body: '越权', complainantName: '张三' });
    expect(res.json()).toMatchObject({ code: 'evaluation.department_not_found', field: 'departmentId' });
    const other = await concludedCase(deptB.id);
    const mismatch = await staff.post('/api/evaluation/complaints', { departmentId: deptA.id, caseId: other.id, subject: '办件', body: '办件', complainantName: '张三' });
    expect(mismatch.json()).toMatchObject({ code: 'evaluation.case_mismatch', field: 'caseId' });
    expect(await count('evaluation_complaint', 'department_id', deptB.id)).toBe(before);
  });
});

describe('monthly score', () => {
  /** One department's March 2026, every part computed by hand in the comment of the assertion. */
  async function handMadeMonth(departmentId: string, staff: Client) {
    const item = await newItem(db, { departmentId, promisedDays: 10, statutoryDays: 20 });
    const clocks = { acceptedOn: '2026-03-02', promisedDue: '2026-03-16', statutoryDue: '2026-03-30' };
    const onTime = await newCase(db, item, { state: 'concluded', ...clocks, concludedOn: '2026-03-10' });
    const early = await newCase(db, item, { state: 'delivered', ...clocks, concludedOn: '2026-03-04' });
    const latePromised = await newCase(db, item, { state: 'concluded', ...clocks, concludedOn: '2026-03-20' });
    await newCase(db, item, { state: 'concluded', ...clocks, concludedOn: '2026-03-31' });
    await newCase(db, item, { state: 'reviewing', acceptedOn: '2026-02-10', promisedDue: '2026-02-24', statutoryDue: '2026-03-10' });
    const dept = await db.selectFrom('department as d').innerJoin('region as r', 'r.code', 'd.region_code').select(['d.region_code', 'r.path']).where('d.id', '=', departmentId).executeTakeFirstOrThrow();
    for (const firedOn of ['2026-03-12', '2026-04-01']) {
      await db
        .insertInto('supervision_warning')
        .values({ subject_kind: 'case', subject_id: onTime.id, rule: `irregular.late_entry.${firedOn}`, level: 'irregular', department_id: departmentId, region_code: dept.region_code, region_path: dept.path, fired_on: firedOn, summary: '登记滞后' })
        .execute();
    }
    clock.set('2026-03-25T10:00:00+08:00');
    for (const [c, level] of [[onTime, 5], [early, 4], [latePromised, 1]] as const) expect((await staff.post('/api/evaluation/ratings', { caseId: c.id, level })).statusCode).toBe(201);
    // the bad rating's follow-up was due 03-30 and is done on 03-31: late
    clock.set('2026-03-31T10:00:00+08:00');
    const bad = (await staff.get(`/api/evaluation/ratings?bad=true&departmentId=${departmentId}`)).json().items[0] as { id: string; followUp: { due: string } };
    expect(bad.followUp.due).toBe('2026-03-30');
    expect((await staff.post(`/api/evaluation/ratings/${bad.id}/follow-up`, { contacted: true, result: '已回访', satisfied: false })).statusCode).toBe(200);
  }

  it('scores a hand-made month part by part, ranks ties alike, leaves a department without cases unscored, publishes once', async () => {
    // departments of their own: the other tests' ratings must not count here
    const [deptM, deptN, deptC, idle] = await Promise.all([1, 2, 3, 4].map(() => newDepartment(db, { regionCode: '650502' })));
    const staffOf = (d: { id: string }, role: 'department_staff' | 'department_admin' = 'department_staff') => newUser(db, { departmentId: d.id, grants: [{ role, regionCode: '650502' }] });
    const adminM = await staffOf(deptM!, 'department_admin');
    await handMadeMonth(deptM!.id, await as(await staffOf(deptM!)));
    await handMadeMonth(deptN!.id, await as(await staffOf(deptN!)));
    const staffC = await staffOf(deptC!);
    const itemC = await newItem(db, { departmentId: deptC!.id });
    const perfect = await newCase(db, itemC, { state: 'concluded', acceptedOn: '2026-03-02', promisedDue: '2026-03-16', statutoryDue: '2026-03-30', concludedOn: '2026-03-03' });
    clock.set('2026-03-25T10:00:00+08:00');
    expect((await (await as(staffC)).post('/api/evaluation/ratings', { caseId: perfect.id, level: 5 })).statusCode).toBe(201);

    clock.set('2026-04-02T10:00:00+08:00');
    const sup = await as(supervisor);
    expect((await sup.post('/api/evaluation/scores/compute', { month: '2026-05' })).json().code).toBe('evaluation.invalid_month');
    expect((await sup.post('/api/evaluation/scores/compute', { month: '2026-13' })).statusCode).toBe(400);
    expect((await (await as(adminA)).post('/api/evaluation/scores/compute', { month: '2026-03' })).json().code).toBe('evaluation.region_scope_required');
    const computed = await Promise.all([sup.post('/api/evaluation/scores/compute', { month: '2026-03' }), sup.post('/api/evaluation/scores/compute', { month: '2026-03' })]);
    expect(computed.map((r) => r.statusCode)).toEqual([200, 200]);
    const items = (await sup.get('/api/evaluation/scores?month=2026-03')).json().items as { departmentId: string; score: number; grade: string; rank: number; components: Record<string, number> }[];
    const a = items.find((s) => s.departmentId === deptM!.id)!;
    const b = items.find((s) => s.departmentId === deptN!.id)!;
    const c = items.find((s) => s.departmentId === deptC!.id)!;
    // timeliness 40 × 2/4 on time = 20; overdue 30 − 10 × 2 broke the statutory limit (one concluded 03-31 > 03-30, one
    // still running past 03-10) = 10; irregularities 10 − 5 × 1 (April's does not count) = 5; satisfaction
    // 15 × (avg 10/3 − 1)/4 = 8.75 + 5 × (1 − 1 late follow-up / 1 bad) = 8.75; bonus 10 × 1 early / 4 = 2.5 → 46.25
    expect(a.components).toMatchObject({ timeliness: 20, overdue: 10, irregularities: 5, satisfaction: 8.75, bonus: 2.5, concluded: 4, onTime: 2, brokeStatutory: 2, early: 1, irregular: 1, ratings: 3, badRatings: 1, lateFollowUps: 1 });
    expect(a).toMatchObject({ score: 46.25, grade: 'fail' });
    expect(b).toMatchObject({ score: 46.25, rank: a.rank });
    expect(c).toMatchObject({ score: 110, grade: 'excellent' });
    expect(c.rank).toBeLessThan(a.rank);
    expect(items.find((s) => s.departmentId === idle!.id)).toBeUndefined();
    // the county filter and another county's supervisor
    expect(((await sup.get('/api/evaluation/scores?month=2026-03&countyCode=650521')).json().items as unknown[]).length).toBe(0);
    expect(((await (await as(supervisorFar)).get('/api/evaluation/scores?month=2026-03')).json().items as { departmentId: string }[]).map((s) => s.departmentId)).not.toContain(deptM!.id);
    // a department admin sees its own department only
    expect(((await (await as(adminM)).get('/api/evaluation/scores?month=2026-03')).json().items as { departmentId: string }[]).map((s) => s.departmentId)).toEqual([deptM!.id]);
    const trend = (await sup.get(`/api/evaluation/scores/trend/${deptM!.id}`)).json().items as { month: string; score: number }[];
    expect(trend).toContainEqual(expect.objectContaining({ month: '2026-03', score: 46.25 }));

    // not public until published; then public, and no longer recomputed
    expect((await app.inject({ method: 'GET', url: '/api/public/ranking?month=2026-03' })).json().items).toEqual([]);
    expect((await sup.post('/api/evaluation/scores/publish', { month: '2026-03' })).statusCode).toBe(200);
    const ranking = (await app.inject({ method: 'GET', url: '/api/public/ranking?month=2026-03' })).json();
    expect(ranking.items.length).toBeGreaterThanOrEqual(3);
    expect(ranking.items[0]).not.toHaveProperty('departmentId');
    expect((await sup.post('/api/evaluation/scores/compute', { month: '2026-03' })).json().code).toBe('evaluation.month_published');
    expect((await sup.post('/api/evaluation/scores/publish', { month: '2026-03' })).json().code).toBe('evaluation.month_published');
    expect((await sup.post('/api/evaluation/scores/publish', { month: '2026-02' })).json().code).toBe('evaluation.nothing_to_publish');
  });
});
