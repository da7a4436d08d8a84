// 督办 orders and 说明理由 through the API: the state machines with their 409s, two clicks at once, jurisdiction
// (a supervisor of another county and a department that is not the carded one see nothing), to-do items both ways,
// audit records, and bad input naming the field with nothing written.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { login, testConfig, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newCase, newItem } from '../../../test/support/approval-factories.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import { allPages } from '../../../test/support/paging.ts';
import type { SupervisionService } from './service.ts';

type User = Awaited<ReturnType<typeof newUser>>;
let db: Kysely<Database>;
let app: App;
let supervision: SupervisionService;
let dept: { id: string };
let item: Awaited<ReturnType<typeof newItem>>;
let supervisor: User;
let farSupervisor: User;
let staff: User;
let otherStaff: User;
let leader: User;

const as = (u: User): Promise<Client> => login(app, u.username, u.password);
const audits = async (action: string, objectId: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action} AND object_id = ${objectId}`.execute(db)).rows[0]!.n;

/** A reviewing case past both limits on the 25th, with its yellow and red cards fired. */
async function carded() {
  const c = await newCase(db, item, { state: 'reviewing', appliedOn: '2026-11-02', registeredAt: new Date('2026-11-02T10:00:00+08:00'), promisedDue: '2026-11-16', statutoryDue: '2026-11-23' });
  await db.transaction().execute((trx) => supervision.engine.evaluateCase(trx, c.id, '2026-11-25'));
  const cards = await db.selectFrom('supervision_warning').select(['id', 'rule']).where('subject_id', '=', c.id).execute();
  return { caseId: c.id, yellow: cards.find((w) => w.rule === 'promised.passed')!.id, red: cards.find((w) => w.rule === 'statutory.passed')!.id };
}

beforeAll(async () => {
  ({ db } = await testDb());
  let services;
  ({ app, services } = await buildApp({ db, config: testConfig({ sessionIdleMinutes: 600 }), serveWeb: false }));
  supervision = (services as unknown as { supervision: SupervisionService }).supervision;
  dept = await newDepartment(db, { regionCode: '650502', name: '伊州区自然资源局' });
  const otherDept = await newDepartment(db, { regionCode: '650502', name: '伊州区交通运输局' });
  const watchDept = await newDepartment(db, { regionCode: '6505', name: '哈密市纪委监委' });
  item = await newItem(db, { departmentId: dept.id, name: '建设工程规划许可证核发' });
  supervisor = await newUser(db, { departmentId: watchDept.id, grants: [{ role: 'supervisor', regionCode: '650502' }] });
  farSupervisor = await newUser(db, { departmentId: watchDept.id, grants: [{ role: 'supervisor', regionCode: '650521' }] });
  leader = await newUser(db, { departmentId: watchDept.id, grants: [{ role: 'leader', regionCode: '650502' }] });
  staff = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  otherStaff = await newUser(db, { departmentId: otherDept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
}, 300_000);

afterAll(async () => app?.close());

describe('督办 orders', () => {
  it('issued → responded → reopened → responded → rectified → closed, with 409 on every wrong step', async () => {
    const { red } = await carded();
    const sup = await as(supervisor);
    const dep = await as(staff);
    const issued = await sup.post('/api/supervision/orders', { warningId: red, content: '请于期限内说明超期原因并整改', deadlineDays: 3 });
    expect(issued.statusCode, issued.body).toBe(201);
    const order = issued.json();
    expect(order).toMatchObject({ state: 'issued', warningId: red, departmentId: dept.id });
    expect(order.respondBy > order.issuedOn).toBe(true);
    expect(await audits('supervision.order.issue', order.id)).toBe(1);
    // the department sees it in 我的待办; the supervisor may not answer, the department may not decide
    const todo = await dep.get('/api/todo');
    expect(todo.body).toContain(order.orderNo);
    expect((await sup.post(`/api/supervision/orders/${order.id}/respond`, { response: 'x' })).statusCode).toBe(403);
    expect((await dep.post(`/api/supervision/orders/${order.id}/decide`, { decision: 'rectified' })).statusCode).toBe(403);
    expect((await sup.post(`/api/supervision/orders/${order.id}/decide`, { decision: 'rectified' })).json()).toMatchObject({ code: 'supervision.invalid_state' });
    // two answers at once: one wins, the other is 409
    const both = await Promise.all([dep.post(`/api/supervision/orders/${order.id}/respond`, { response: '已组织整改，补发许可证' }), dep.post(`/api/supervision/orders/${order.id}/respond`, { response: '重复提交' })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const reopen = await sup.post(`/api/supervision/orders/${order.id}/decide`, { decision: 'reopen' });
    expect(reopen.statusCode).toBe(400);
    expect(reopen.json()).toMatchObject({ code: 'supervision.invalid_text' });
    expect((await sup.post(`/api/supervision/orders/${order.id}/decide`, { decision: 'reopen', note: '整改材料不完整' })).json()).toMatchObject({ state: 'reopened', decisionNote: '整改材料不完整' });
    expect((await dep.post(`/api/supervision/orders/${order.id}/respond`, { response: '已补充整改材料' })).json()).toMatchObject({ state: 'responded' });
    expect((await sup.post(`/api/supervision/orders/${order.id}/decide`, { decision: 'close' })).statusCode).toBe(409);
    expect((await sup.post(`/api/supervision/orders/${order.id}/decide`, { decision: 'rectified' })).json()).toMatchObject({ state: 'rectified' });
    expect((await sup.post(`/api/supervision/orders/${order.id}/decide`, { decision: 'close' })).json()).toMatchObject({ state: 'closed' });
    expect((await dep.post(`/api/supervision/orders/${order.id}/respond`, { response: '再答复' })).statusCode).toBe(409);
    expect(await audits('supervision.order.respond', order.id)).toBe(2);
  });

  it('keeps orders within jurisdiction and rejects bad input naming the field, writing nothing', async () => {
    const { caseId } = await carded();
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM supervision_order WHERE case_id = ${caseId}`.execute(db)).rows[0]!.n;
    const far = await as(farSupervisor);
    const out = await far.post('/api/supervision/orders', { caseId, content: '越权督办', deadlineDays: 3 });
    expect(out.statusCode).toBe(403);
    expect(out.json()).toMatchObject({ code: 'supervision.out_of_scope', field: 'caseId' });
    const sup = await as(supervisor);
    const bad = await sup.post('/api/supervision/orders', { caseId, content: '督办', deadlineDays: 0 });
    expect(bad.statusCode).toBe(400);
    const none = await sup.post('/api/supervision/orders', { content: '督办', deadlineDays: 3 });
    expect(none.json()).toMatchObject({ code: 'supervision.target_required', field: 'warningId' });
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM supervision_order WHERE case_id = ${caseId}`.execute(db)).rows[0]!.n).toBe(before);
    const issued = (await sup.post('/api/supervision/orders', { caseId, content: '请说明办理进度', deadlineDays: 5 })).json();
    // another department's staff and the far supervisor see nothing of it
    expect((await (await as(otherStaff)).post(`/api/supervision/orders/${issued.id}/respond`, { response: '冒名答复' })).statusCode).toBe(404);
    expect((await far.get('/api/supervision/orders')).json().map((o: { id: string }) => o.id)).not.toContain(issued.id);
    expect((await far.get(`/api/supervision/cases/${caseId}`)).statusCode).toBe(404);
    expect((await (await as(leader)).get('/api/supervision/orders')).json().map((o: { id: string }) => o.id)).toContain(issued.id);
  });
});

describe('说明理由', () => {
  it('the carded department explains, the supervisor rejects with a reason, then accepts and the card closes', async () => {
    const { yellow, caseId } = await carded();
    const dep = await as(staff);
    const sup = await as(supervisor);
    expect((await (await as(otherStaff)).post(`/api/supervision/warnings/${yellow}/explanation`, { text: '非本部门' })).statusCode).toBe(404);
    const both = await Promise.all([dep.post(`/api/supervision/warnings/${yellow}/explanation`, { text: '申请人补正材料延误' }), dep.post(`/api/supervision/warnings/${yellow}/explanation`, { text: '重复' })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const explanation = both.find((r) => r.statusCode === 201)!.json();
    expect(await dep.get('/api/supervision/warnings?state=explained&limit=200').then((r) => r.json().map((w: { id: string }) => w.id))).toContain(yellow);
    // this explanation itself, on whichever page of the supervisor's to-do list it falls
    expect((await allPages<{ id: string; title: string }>(sup, '/api/todo?limit=500')).find((i) => i.id === explanation.id)?.title).toContain('审核说明理由');
    const noReason = await sup.post(`/api/supervision/explanations/${explanation.id}/decide`, { accept: false });
    expect(noReason.json()).toMatchObject({ code: 'supervision.invalid_text', field: 'reason' });
    expect((await sup.post(`/api/supervision/explanations/${explanation.id}/decide`, { accept: false, reason: '补正期间不计时，理由不成立' })).json()).toMatchObject({ state: 'rejected' });
    expect((await sup.post(`/api/supervision/explanations/${explanation.id}/decide`, { accept: true })).statusCode).toBe(409);
    const again = (await dep.post(`/api/supervision/warnings/${yellow}/explanation`, { text: '系统故障导致延误，附运维记录' })).json();
    expect((await sup.post(`/api/supervision/explanations/${again.id}/decide`, { accept: true })).json()).toMatchObject({ state: 'accepted' });
    const card = await db.selectFrom('supervision_warning').select(['state', 'closed_at']).where('id', '=', yellow).executeTakeFirstOrThrow();
    expect(card.state).toBe('closed');
    expect(card.closed_at).not.toBeNull();
    expect((await dep.post(`/api/supervision/warnings/${yellow}/explanation`, { text: '再说明' })).statusCode).toBe(409);
    expect(await audits('supervision.explanation.accept', yellow)).toBe(1);
    expect(await audits('supervision.explanation.reject', yellow)).toBe(1);
    // a prompt is not a card; the ledger drill-down shows the case's events and warnings
    const ledger = (await sup.get(`/api/supervision/cases/${caseId}`)).json();
    expect(ledger.events.length).toBeGreaterThanOrEqual(2);
    expect(ledger.warnings.map((w: { rule: string }) => w.rule)).toContain('statutory.passed');
  });

  it('counts warnings by department and county for the cockpit, within the caller’s region', async () => {
    await carded();
    const overview = (await (await as(leader)).get('/api/supervision/overview?from=2026-11-25&to=2026-11-25')).json();
    const mine = overview.departments.find((d: { id: string }) => d.id === dept.id);
    expect(mine.counts.red).toBeGreaterThanOrEqual(1);
    expect(overview.counties.map((c: { code: string }) => c.code)).toEqual(['650502']);
    expect(overview.counties[0].name).toBe('伊州区');
    expect((await (await as(leader)).get('/api/supervision/warnings?from=2026-13-01')).statusCode).toBe(400);
  });
});
