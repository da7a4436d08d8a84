// Complaints under concurrent hands (issue 9 §6): acceptance at the very moment the decision deadline passes, beside
// the readers that show it overdue; two accepts, an accept against a refusal, two results and two closes at once —
// each step is taken once (one 200, the other 409 evaluation.invalid_transition) with exactly one audit record.
// On PostgreSQL (TEST_DATABASE_URL) the requests really overlap; on PGlite they queue.
import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import { login, testConfig, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import * as repo from './repository.ts';

type User = Awaited<ReturnType<typeof newUser>>;
let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: App;
const clock = new ManualClock('2026-11-02T09:00:00+08:00');
let dept: { id: string };
let staff: User;
let admin: User;
let supervisor: User;

const as = (user: User): Promise<Client> => login(app, user.username, user.password);
const audits = async (id: string) => (await sql<{ action: string }>`SELECT action FROM audit_log WHERE object_id = ${id} ORDER BY seq`.execute(db)).rows.map((r) => r.action);

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app } = await buildApp({ db, config: testConfig({ sessionIdleMinutes: 100_000, sessionMaxHours: 10_000 }), serveWeb: false, clock }));
  dept = await newDepartment(db, { regionCode: '650502' });
  const far = await newDepartment(db, { regionCode: '650521' });
  staff = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  admin = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
  supervisor = await newUser(db, { departmentId: far.id, grants: [{ role: 'supervisor', regionCode: '650502' }] });
}, 300_000);

afterAll(async () => app?.close());

async function file(subject: string): Promise<{ id: string; decideDue: string }> {
  clock.set('2026-11-02T09:00:00+08:00');
  const res = await (await as(staff)).post('/api/evaluation/complaints', { departmentId: dept.id, subject, body: '窗口办理超时', complainantName: '马秀英' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('complaints racing', () => {
  it('accepted at the moment its deadline passes: every read shows it overdue only while still filed, and it ends accepted, not overdue', async () => {
    const c = await file('受理时限竞争');
    // five working days after Monday 11-02: due Monday 11-09; the first instant it is overdue is 11-10 00:00 Beijing
    expect(c.decideDue).toBe('2026-11-09');
    clock.set('2026-11-09T23:59:59.999+08:00');
    const [sup, adm] = await Promise.all([as(supervisor), as(admin)]);
    expect((await sup.get(`/api/evaluation/complaints/${c.id}`)).json()).toMatchObject({ state: 'filed', overdue: false });
    clock.set('2026-11-10T00:00:00+08:00');
    const listed = `/api/evaluation/complaints?overdue=true&departmentId=${dept.id}&limit=500`;
    const [accept, ...reads] = await Promise.all([
      adm.post(`/api/evaluation/complaints/${c.id}/decide`, { accept: true }),
      sup.get(listed),
      sup.get(`/api/evaluation/complaints/${c.id}`),
      sup.get(listed),
      adm.get(`/api/evaluation/complaints/${c.id}`),
      sup.get(listed),
    ]);
    expect(accept.statusCode, accept.body).toBe(200);
    expect(accept.json()).toMatchObject({ state: 'accepted', overdue: false });
    for (const r of reads) {
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      const views: { id: string; state: string; overdue: boolean }[] = 'items' in body ? body.items : [body];
      for (const v of views.filter((x) => x.id === c.id)) expect(v.overdue, JSON.stringify(v)).toBe(v.state === 'filed');
      if ('items' in body) for (const v of body.items as { state: string }[]) expect(v.state).toBe('filed');
    }
    expect((await sup.get(listed)).json().items.map((x: { id: string }) => x.id)).not.toContain(c.id);
    expect(await audits(c.id)).toEqual(['evaluation.complaint.file', 'evaluation.complaint.accept']);
  });

  it('an accept against a refusal: one decision stands, the other is 409, one audit record', async () => {
    const c = await file('受理与不予受理同时');
    clock.set('2026-11-03T10:00:00+08:00');
    const [sup, adm] = await Promise.all([as(supervisor), as(admin)]);
    const [a, b] = await Promise.all([adm.post(`/api/evaluation/complaints/${c.id}/decide`, { accept: true }), sup.post(`/api/evaluation/complaints/${c.id}/decide`, { accept: false, reason: '不属于受理范围' })]);
    expect([a.statusCode, b.statusCode].sort(), a.body + b.body).toEqual([200, 409]);
    const [won, lost] = a.statusCode === 200 ? [a, b] : [b, a];
    expect(lost.json()).toMatchObject({ code: 'evaluation.invalid_transition', field: 'state' });
    const now = (await sup.get(`/api/evaluation/complaints/${c.id}`)).json();
    expect(now.state).toBe(won.json().state);
    expect(now.decisionReason).toBe(now.state === 'not_accepted' ? '不属于受理范围' : null);
    expect(await audits(c.id)).toEqual(['evaluation.complaint.file', now.state === 'accepted' ? 'evaluation.complaint.accept' : 'evaluation.complaint.not_accept']);
  });

  it('two results and then two closes at once: each step once, the second 409', async () => {
    const c = await file('结果与办结同时');
    clock.set('2026-11-03T10:00:00+08:00');
    const [sup, adm] = await Promise.all([as(supervisor), as(admin)]);
    expect((await adm.post(`/api/evaluation/complaints/${c.id}/decide`, { accept: true })).statusCode).toBe(200);
    const [r1, r2] = await Promise.all([adm.post(`/api/evaluation/complaints/${c.id}/result`, { result: '已约谈窗口人员' }), sup.post(`/api/evaluation/complaints/${c.id}/result`, { result: '已督促整改' })]);
    expect([r1.statusCode, r2.statusCode].sort(), r1.body + r2.body).toEqual([200, 409]);
    const winner = (r1.statusCode === 200 ? r1 : r2).json().result;
    expect((await sup.get(`/api/evaluation/complaints/${c.id}`)).json()).toMatchObject({ state: 'handled', result: winner });
    const [c1, c2] = await Promise.all([adm.post(`/api/evaluation/complaints/${c.id}/close`), sup.post(`/api/evaluation/complaints/${c.id}/close`)]);
    expect([c1.statusCode, c2.statusCode].sort(), c1.body + c2.body).toEqual([200, 409]);
    expect((c1.statusCode === 409 ? c1 : c2).json().code).toBe('evaluation.invalid_transition');
    expect(await audits(c.id)).toEqual(['evaluation.complaint.file', 'evaluation.complaint.accept', 'evaluation.complaint.result', 'evaluation.complaint.close']);
  });
});

/** Counts the statements executed through the Kysely instance it is plugged into (one result each). */
class StatementCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count += 1;
    return args.result;
  }
}

describe('the complaint list under concurrent filings', () => {
  it('reads its page and its total in one statement: the total counts every page, an empty page still has it', async () => {
    const mine = await newDepartment(db, { regionCode: '650502' });
    const clerk = await newUser(db, { departmentId: mine.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const sup = await as(supervisor);
    const ids: string[] = [];
    for (const subject of ['一', '二', '三']) {
      clock.set('2026-11-02T09:00:00+08:00');
      const res = await (await as(clerk)).post('/api/evaluation/complaints', { departmentId: mine.id, subject: `分页${subject}`, body: '窗口办理超时', complainantName: '马秀英' });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    const first = (await sup.get(`/api/evaluation/complaints?departmentId=${mine.id}&limit=2`)).json();
    expect(first.items).toHaveLength(2);
    expect(first.total).toBe(3);
    expect(first.nextCursor).toBeTruthy();
    const second = (await sup.get(`/api/evaluation/complaints?departmentId=${mine.id}&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ total: 3, nextCursor: null });
    expect([...first.items, ...second.items].map((c: { id: string }) => c.id).sort()).toEqual([...ids].sort());
    // a filter nothing matches: no rows, total 0, in one statement as well
    const counter = new StatementCounter();
    const scope = { permission: 'evaluation.read' as const, paths: ['/6505/'], departments: [], shares: [] };
    const empty = await repo.listComplaints(db.withPlugin(counter), { scope }, { departmentId: mine.id, state: 'closed' }, '2026-11-02', { after: null, limit: 2 });
    expect(empty).toEqual({ rows: [], total: 0 });
    const page = await repo.listComplaints(db.withPlugin(counter), { scope }, { departmentId: mine.id }, '2026-11-02', { after: null, limit: 2 });
    expect(page.total).toBe(3);
    expect(page.rows.slice(0, 2).map((r) => r.id)).toEqual(first.items.map((c: { id: string }) => c.id));
    expect(counter.count).toBe(2);
  });

  it('lists read while complaints are being filed: each total is exactly the rows on its (single) page', async () => {
    const mine = await newDepartment(db, { regionCode: '650502' });
    const clerk = await newUser(db, { departmentId: mine.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
    clock.set('2026-11-02T09:00:00+08:00');
    const [sup, filer] = await Promise.all([as(supervisor), as(clerk)]);
    const url = `/api/evaluation/complaints?departmentId=${mine.id}&limit=500`;
    const filings = Array.from({ length: 12 }, (_, i) => filer.post('/api/evaluation/complaints', { departmentId: mine.id, subject: `并发${i}`, body: '窗口办理超时', complainantName: '马秀英' }));
    const reads = Array.from({ length: 12 }, () => sup.get(url));
    const [filed, listed] = await Promise.all([Promise.all(filings), Promise.all(reads)]);
    for (const r of filed) expect(r.statusCode, r.body).toBe(201);
    for (const r of listed) {
      const body = r.json();
      expect(body.total, r.body).toBe(body.items.length);
    }
    expect((await sup.get(url)).json().total).toBe(12);
  });
});
