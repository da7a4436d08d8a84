// The citizen portal's side of evaluation, through real registration (SMS code from a real SMPP centre): a citizen
// rates their own concluded case once (owned by account or by ID number), never someone else's, never before
// conclusion; files complaints and sees only their own; staff get 403 on these routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type Client } from '../support/app.ts';
import { newCase, newItem } from '../support/approval-factories.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { Caller, newIdNumber, registerCitizen, useCitizenApp } from '../../src/modules/citizens/test-helpers.ts';

const suite = useCitizenApp();
let db: Awaited<ReturnType<typeof testDb>>['db'];
let alice: Caller;
let bob: Caller;
let aliceId: string;
let aliceIdNumber: string;
let item: Awaited<ReturnType<typeof newItem>>;
let staff: Client;

beforeAll(async () => {
  ({ db } = await testDb());
  alice = new Caller(suite.app);
  bob = new Caller(suite.app);
  aliceIdNumber = newIdNumber();
  aliceId = (await registerCitizen(alice, suite.smsc, { idNumber: aliceIdNumber, name: '阿依古丽' })).profile.id;
  await registerCitizen(bob, suite.smsc, { idNumber: newIdNumber() });
  const dept = await newDepartment(db, { regionCode: '650502' });
  item = await newItem(db, { departmentId: dept.id });
  const user = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  staff = await login(suite.app, user.username, user.password);
}, 300_000);

afterAll(() => undefined);

describe('citizen ratings', () => {
  it('rates an own concluded case once, by account or by ID number; others and running cases are refused', async () => {
    const byAccount = await newCase(db, item, { state: 'concluded', citizenId: aliceId, concludedOn: '2026-11-10' });
    const byIdNumber = await newCase(db, item, { state: 'delivered', applicantIdNumber: aliceIdNumber, concludedOn: '2026-11-10' });
    const running = await newCase(db, item, { state: 'reviewing', citizenId: aliceId });

    const page = await alice.request('GET', `/api/citizen/cases/${byAccount.id}/rating`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({ caseNo: byAccount.case_no, ratable: true, rating: null });
    expect((await bob.request('GET', `/api/citizen/cases/${byAccount.id}/rating`)).statusCode).toBe(404);
    expect((await bob.request('POST', `/api/citizen/cases/${byAccount.id}/rating`, { level: 1 })).statusCode).toBe(404);

    const rated = await alice.request('POST', `/api/citizen/cases/${byAccount.id}/rating`, { level: 5, comment: '一次办好', tags: ['一次办好'] });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json()).toMatchObject({ channel: 'portal', level: 5, followUp: null });
    const again = await alice.request('POST', `/api/citizen/cases/${byAccount.id}/rating`, { level: 4 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('evaluation.already_rated');
    expect((await alice.request('GET', `/api/citizen/cases/${byAccount.id}/rating`)).json()).toMatchObject({ ratable: false, rating: { level: 5 } });

    const viaIdNumber = await alice.request('POST', `/api/citizen/cases/${byIdNumber.id}/rating`, { level: 2, comment: '等了很久' });
    expect(viaIdNumber.statusCode, viaIdNumber.body).toBe(201);
    expect(viaIdNumber.json().followUp.due).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const early = await alice.request('POST', `/api/citizen/cases/${running.id}/rating`, { level: 5 });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('evaluation.not_concluded');
    expect((await alice.request('POST', `/api/citizen/cases/${running.id}/rating`, { level: 9 })).json()).toMatchObject({ code: 'request.invalid' });
  });

  it('keeps staff off the citizen routes', async () => {
    expect((await staff.get('/api/citizen/complaints')).statusCode).toBe(403);
  });
});

describe('citizen complaints', () => {
  it('files a complaint about a department (optionally an own case) and lists only the own ones', async () => {
    const departments = (await alice.request('GET', '/api/citizen/complaint-departments')).json().items as { id: string }[];
    expect(departments.map((d) => d.id)).toContain(item.department_id);
    const own = await newCase(db, item, { state: 'concluded', citizenId: aliceId, concludedOn: '2026-11-10' });
    const filed = await alice.request('POST', '/api/citizen/complaints', { departmentId: item.department_id, caseId: own.id, subject: '办理超时', body: '承诺10个工作日，实际超过一个月' });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json()).toMatchObject({ state: 'filed', channel: 'portal', complainantName: '阿依古丽', caseNo: own.case_no });
    const theirs = await newCase(db, item, { state: 'concluded', concludedOn: '2026-11-10' });
    const mismatch = await bob.request('POST', '/api/citizen/complaints', { departmentId: item.department_id, caseId: theirs.id, subject: '冒用', body: '冒用' });
    expect(mismatch.json()).toMatchObject({ code: 'evaluation.case_mismatch', field: 'caseId' });
    const mine = (await alice.request('GET', '/api/citizen/complaints')).json();
    expect(mine.items.map((c: { id: string }) => c.id)).toContain(filed.json().id);
    expect((await bob.request('GET', '/api/citizen/complaints')).json().items.map((c: { id: string }) => c.id)).not.toContain(filed.json().id);
    expect((await alice.request('POST', '/api/citizen/complaints', { departmentId: item.department_id, subject: '', body: 'x' })).statusCode).toBe(400);
  });

  it('serves the published ranking without sign-in, and nothing unpublished', async () => {
    const res = await suite.app.inject({ method: 'GET', url: '/api/public/ranking' });
    expect(res.statusCode).toBe(200);
    expect((await suite.app.inject({ method: 'GET', url: '/api/public/ranking?month=2026-99' })).statusCode).toBe(400);
  });
});
