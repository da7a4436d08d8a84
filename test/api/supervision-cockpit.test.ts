// The supervision cockpit's reads (issue 9 §8) through the API: headline figures and the overdue rate per department
// and county, the 督办 list views (open / overdue answer / closed) and one order, and the abilities each row carries
// (computed from the caller's permissions and jurisdiction, never from role names in the console), with bad input
// answered 400 naming the field and two decisions at once settled as one.
import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import type { App } from '../../src/http/types.ts';
import type { SupervisionService } from '../../src/modules/supervision/service.ts';
import { login, testApp, type Client } from '../support/app.ts';
import { newCase, newItem } from '../support/approval-factories.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { systemActorContext } from '../../src/shared/context.ts';

type User = Awaited<ReturnType<typeof newUser>>;
interface Order { id: string; state: string; overdue: boolean; abilities: string[]; summary: string | null; departmentName?: string }
interface Warning { id: string; abilities: string[] }

let db: Kysely<Database>;
let app: App;
let supervision: SupervisionService;
let dept: { id: string };
let item: Awaited<ReturnType<typeof newItem>>;
let supervisor: User;
let farSupervisor: User;
let leader: User;
let staff: User;
let otherStaff: User;

const as = (u: User): Promise<Client> => login(app, u.username, u.password);

/** A reviewing case past both limits (cards fired as of the 25th) and one running well inside its limits. */
async function cases() {
  const late = await newCase(db, item, { state: 'reviewing', appliedOn: '2026-11-02', registeredAt: new Date('2026-11-02T10:00:00+08:00'), promisedDue: '2026-11-16', statutoryDue: '2026-11-23' });
  await newCase(db, item, { state: 'reviewing', appliedOn: '2026-11-20', registeredAt: new Date('2026-11-20T10:00:00+08:00'), promisedDue: '2027-01-20', statutoryDue: '2027-02-20' });
  await db.transaction().execute((trx) => supervision.engine.evaluateCase(trx, late.id, '2026-11-25'));
  const cards = await db.selectFrom('supervision_warning').select(['id', 'rule']).where('subject_id', '=', late.id).execute();
  return { caseId: late.id, yellow: cards.find((w) => w.rule === 'promised.passed')!.id, red: cards.find((w) => w.rule === 'statutory.passed')!.id };
}

beforeAll(async () => {
  ({ db } = await testDb());
  let services;
  ({ app, services } = await testApp());
  supervision = (services as unknown as { supervision: SupervisionService }).supervision;
  dept = await newDepartment(db, { regionCode: '650502', name: '伊州区住房和城乡建设局' });
  const otherDept = await newDepartment(db, { regionCode: '650502', name: '伊州区水利局' });
  const watchDept = await newDepartment(db, { regionCode: '6505', name: '哈密市纪委监委' });
  item = await newItem(db, { departmentId: dept.id, name: '建筑工程施工许可证核发' });
  supervisor = await newUser(db, { departmentId: watchDept.id, grants: [{ role: 'supervisor', regionCode: '650502' }] });
  farSupervisor = await newUser(db, { departmentId: watchDept.id, grants: [{ role: 'supervisor', regionCode: '650521' }] });
  leader = await newUser(db, { departmentId: watchDept.id, grants: [{ role: 'leader', regionCode: '650502' }] });
  staff = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  otherStaff = await newUser(db, { departmentId: otherDept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
}, 300_000);

describe('cockpit overview', () => {
  it('gives headline figures and the overdue rate per department and county, filtered and in scope', async () => {
    const { red } = await cases();
    const sup = await as(supervisor);
    const before = (await sup.get(`/api/supervision/overview?departmentId=${dept.id}`)).json();
    expect(before.totals).toMatchObject({ running: 2, overdue: 1, overdueRate: 0.5, yellow: 1, red: 1, openOrders: 0, overdueOrders: 0 });
    const mine = before.departments.find((d: { id: string }) => d.id === dept.id);
    expect(mine).toMatchObject({ name: '伊州区住房和城乡建设局', running: 2, overdue: 1, overdueRate: 0.5 });
    expect(mine.counts).toMatchObject({ yellow: 1, red: 1 });
    expect(before.departments).toHaveLength(1);
    expect(before.counties).toEqual([expect.objectContaining({ code: '650502', name: '伊州区', running: 2, overdue: 1, overdueRate: 0.5 })]);

    // an order on the red card: open; past its response deadline it counts as overdue
    const order = (await sup.post('/api/supervision/orders', { warningId: red, content: '请说明超期原因', deadlineDays: 2 })).json();
    expect((await sup.get(`/api/supervision/overview?departmentId=${dept.id}`)).json().totals).toMatchObject({ openOrders: 1, overdueOrders: 0 });
    await db.updateTable('supervision_order').set({ respond_by: '2026-11-01' }).where('id', '=', order.id).execute();
    expect((await sup.get(`/api/supervision/overview?departmentId=${dept.id}`)).json().totals).toMatchObject({ openOrders: 1, overdueOrders: 1 });

    // the far supervisor's cockpit holds none of it; the county filter narrows to a subtree
    const far = (await (await as(farSupervisor)).get(`/api/supervision/overview?departmentId=${dept.id}`)).json();
    expect(far.totals).toMatchObject({ running: 0, overdue: 0, yellow: 0, red: 0, openOrders: 0 });
    expect(far.departments).toEqual([]);
    const elsewhere = (await sup.get(`/api/supervision/overview?departmentId=${dept.id}&regionCode=650521`)).json();
    expect(elsewhere.totals).toMatchObject({ running: 0, red: 0, openOrders: 0 });
    expect((await sup.get('/api/supervision/overview?regionCode=65x')).statusCode).toBe(400);
  });

  it('answers 50 concurrent cockpit reads alike', async () => {
    const sup = await as(supervisor);
    const all = await Promise.all(Array.from({ length: 50 }, () => sup.get(`/api/supervision/overview?departmentId=${dept.id}`)));
    expect(new Set(all.map((r) => r.statusCode))).toEqual(new Set([200]));
    expect(new Set(all.map((r) => JSON.stringify(r.json().totals))).size).toBe(1);
  });
});

describe('abilities and order views', () => {
  it('each row says what the caller may do: order for the supervisor, explain and respond for the carded department', async () => {
    const { red, yellow } = await cases();
    const [sup, dep, lead, other] = await Promise.all([as(supervisor), as(staff), as(leader), as(otherStaff)]);
    const warningsOf = async (c: Client) => ((await c.get(`/api/supervision/warnings?departmentId=${dept.id}&limit=200`)).json() as Warning[]);
    const abilitiesOf = (list: Warning[], id: string) => list.find((w) => w.id === id)?.abilities;
    expect(abilitiesOf(await warningsOf(sup), red)).toEqual(['order']);
    expect(abilitiesOf(await warningsOf(dep), red)).toEqual(['explain']);
    expect(abilitiesOf(await warningsOf(lead), red)).toEqual([]);
    expect(abilitiesOf(await warningsOf(other), red)).toBeUndefined();
    // once explained, the card is no longer explainable
    expect((await dep.post(`/api/supervision/warnings/${yellow}/explanation`, { text: '申请人补正材料' })).json()).toMatchObject({ state: 'pending', abilities: [], departmentName: '伊州区住房和城乡建设局' });
    expect(abilitiesOf(await warningsOf(dep), yellow)).toEqual([]);
    const explanations = (await sup.get(`/api/supervision/explanations?state=pending&departmentId=${dept.id}`)).json().items as { warningId: string; abilities: string[] }[];
    expect(explanations.find((e) => e.warningId === yellow)?.abilities).toEqual(['decide']);

    const issued = await sup.post('/api/supervision/orders', { warningId: red, content: '请于期限内整改', deadlineDays: 3 });
    expect(issued.statusCode).toBe(201);
    const order = issued.json() as Order;
    expect(order).toMatchObject({ state: 'issued', overdue: false, abilities: [], departmentName: '伊州区住房和城乡建设局' });
    expect(order.summary).toBeTruthy();
    expect((await dep.get(`/api/supervision/orders/${order.id}`)).json()).toMatchObject({ abilities: ['respond'] });
    expect((await lead.get(`/api/supervision/orders/${order.id}`)).json()).toMatchObject({ abilities: [] });
    expect((await other.get(`/api/supervision/orders/${order.id}`)).statusCode).toBe(404);
    expect((await (await as(farSupervisor)).get(`/api/supervision/orders/${order.id}`)).statusCode).toBe(404);
    expect((await dep.post(`/api/supervision/orders/${order.id}/respond`, { response: '已整改' })).json()).toMatchObject({ state: 'responded', abilities: [] });
    expect((await sup.get(`/api/supervision/orders/${order.id}`)).json()).toMatchObject({ abilities: ['rectified', 'reopen'] });

    // ten decisions at once: one wins, the rest are 409, one audit record
    const tries = await Promise.all(Array.from({ length: 10 }, () => sup.post(`/api/supervision/orders/${order.id}/decide`, { decision: 'rectified' })));
    expect(tries.map((r) => r.statusCode).sort()).toEqual([200, ...Array(9).fill(409)]);
    expect(tries.find((r) => r.statusCode === 200)!.json()).toMatchObject({ state: 'rectified', abilities: ['close'] });
    const audits = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'supervision.order.rectified' AND object_id = ${order.id}`.execute(db)).rows[0]!.n;
    expect(audits).toBe(1);
  });

  it('lists orders as open, overdue answer and closed', async () => {
    const { red, yellow } = await cases();
    const sup = await as(supervisor);
    const a = (await sup.post('/api/supervision/orders', { warningId: red, content: '甲', deadlineDays: 1 })).json() as Order;
    const b = (await sup.post('/api/supervision/orders', { warningId: yellow, content: '乙', deadlineDays: 1 })).json() as Order;
    await db.updateTable('supervision_order').set({ respond_by: '2026-11-02' }).where('id', '=', b.id).execute();
    const view = async (v: string) => ((await sup.get(`/api/supervision/orders?view=${v}&departmentId=${dept.id}&limit=200`)).json() as Order[]);
    const ids = (list: Order[]) => list.map((o) => o.id);
    expect(ids(await view('open'))).toEqual(expect.arrayContaining([a.id, b.id]));
    const overdue = await view('overdue');
    expect(ids(overdue)).toContain(b.id);
    expect(ids(overdue)).not.toContain(a.id);
    expect(overdue.find((o) => o.id === b.id)?.overdue).toBe(true);
    expect(ids(await view('closed'))).not.toContain(a.id);
    const dep = await as(staff);
    await dep.post(`/api/supervision/orders/${a.id}/respond`, { response: '已答复' });
    await sup.post(`/api/supervision/orders/${a.id}/decide`, { decision: 'rectified' });
    expect(ids(await view('closed'))).toContain(a.id);
    expect(ids(await view('open'))).not.toContain(a.id);
  });

  it('rejects bad queries naming the field', async () => {
    const sup = await as(supervisor);
    for (const url of ['/api/supervision/orders?view=late', '/api/supervision/orders?state=bogus', '/api/supervision/orders?departmentId=nope', '/api/supervision/orders/not-a-uuid']) {
      const res = await sup.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await sup.get('/api/supervision/orders/00000000-0000-4000-8000-000000000000')).json()).toMatchObject({ code: 'supervision.not_found' });
    expect((await (await as(staff)).get('/api/supervision/orders?view=open')).statusCode).toBe(200);
  });
});

describe('the 说明理由 list', () => {
  it('pages newest first with the total of its filter; state and department narrow it; bad input is 400 naming the field', async () => {
    const carded = await newDepartment(db, { regionCode: '650502', name: '伊州区自然资源局' });
    const landItem = await newItem(db, { departmentId: carded.id, name: '建设用地规划许可证核发' });
    const filed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const late = await newCase(db, landItem, { state: 'reviewing', appliedOn: '2026-11-02', registeredAt: new Date('2026-11-02T10:00:00+08:00'), promisedDue: '2026-11-16', statutoryDue: '2026-12-31' });
      await db.transaction().execute((trx) => supervision.engine.evaluateCase(trx, late.id, '2026-11-25'));
      const yellow = await db.selectFrom('supervision_warning').select('id').where('subject_id', '=', late.id).where('rule', '=', 'promised.passed').executeTakeFirstOrThrow();
      filed.push((await supervision.explain(systemActorContext(), yellow.id, `说明${i}`)).id);
    }
    const sup = await as(supervisor);
    const url = `/api/supervision/explanations?departmentId=${carded.id}`;
    const first = (await sup.get(`${url}&limit=2`)).json();
    expect(first.items).toHaveLength(2);
    expect(first.total).toBe(3);
    expect(first.nextCursor).toBeTruthy();
    const second = (await sup.get(`${url}&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ total: 3, nextCursor: null });
    // newest first, each once over the two pages
    expect([...first.items, ...second.items].map((e: { id: string }) => e.id)).toEqual([...filed].reverse());
    expect(first.items[0]).toMatchObject({ state: 'pending', text: '说明2', departmentName: '伊州区自然资源局', abilities: ['decide'] });

    expect((await sup.post(`/api/supervision/explanations/${filed[0]}/decide`, { accept: true })).statusCode).toBe(200);
    expect((await sup.get(`${url}&state=pending`)).json()).toMatchObject({ total: 2, nextCursor: null });
    const accepted = (await sup.get(`${url}&state=accepted`)).json();
    expect(accepted.total).toBe(1);
    expect(accepted.items.map((e: { id: string }) => e.id)).toEqual([filed[0]]);
    // outside the jurisdiction: nothing, and a total of 0
    expect((await (await as(farSupervisor)).get(url)).json()).toEqual({ items: [], total: 0, nextCursor: null });

    for (const [query, field] of [
      ['state=bogus', 'state'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['departmentId=x', 'departmentId'],
      ['cursor=AA', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url')}`, 'cursor'],
    ] as const) {
      const res = await sup.get(`/api/supervision/explanations?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().field, query).toBe(field);
    }
  });
});
