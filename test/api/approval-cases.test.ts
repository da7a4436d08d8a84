// Cases through the API on a ManualClock: counter registration (dates, idempotency), materials (type, size), the whole
// life of a case with 补正, extension once, decision, conclusion and delivery — each change one ledger event, one
// outbox event and one audit record — stale versions, every invalid transition, and who may act.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, CASE_STATES } from '../../src/modules/approval/index.ts';
import { newCase, newItem } from '../support/approval-factories.ts';
import { makeIdNumber } from '../support/community-factories.ts';
import { uniq } from '../support/factories.ts';
import { approvalWorld, countRows, PDF, PNG, upload, type ApprovalWorld } from './approval-support.ts';

let w: ApprovalWorld;
let itemId: string;
beforeAll(async () => {
  w = await approvalWorld();
  const admin = await w.as(w.admin);
  itemId = (await admin.post('/api/approval/items', w.itemBody())).json().id;
});
afterAll(() => w?.close());

const applicant = (over: Record<string, unknown> = {}) => ({ itemId, applicantKind: 'citizen', applicantName: '阿依古丽·买买提', applicantIdNumber: makeIdNumber('1988-03-15', 'F'), applicantPhone: '13899990001', ...over });
const n = (query: ReturnType<typeof sql<{ n: number }>>) => countRows(w.db, query);

describe('counter registration', () => {
  it('refuses dates in the future or before 2000 and bad ID numbers, naming the field, writing nothing', async () => {
    const staff = await w.as(w.staff);
    const id = makeIdNumber('1970-01-01', 'M');
    for (const appliedOn of ['2026-11-03', '2099-01-01', '1999-12-31', '2026-02-30', '20261101']) {
      expect((await staff.post('/api/approval/cases', applicant({ appliedOn, applicantIdNumber: id }))).json(), appliedOn).toMatchObject({ status: 400, field: 'appliedOn' });
    }
    expect((await staff.post('/api/approval/cases', applicant({ applicantIdNumber: '650502198001011234' }))).json()).toMatchObject({ status: 400, code: 'approval.invalid_id_number', field: 'applicantIdNumber' });
    expect(await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM approval_case WHERE applicant_id_number = ${id}`)).toBe(0);
  });

  it('numbers cases uniquely under concurrent registration, and the same request key gives the same case (200)', async () => {
    const staff = await w.as(w.staff);
    const results = await Promise.all(Array.from({ length: 6 }, () => staff.post('/api/approval/cases', applicant({ appliedOn: '2026-10-30' }))));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    const numbers = results.map((r) => r.json().caseNo);
    expect(new Set(numbers).size).toBe(6);
    expect(numbers[0]).toMatch(/^HM20261102/);
    const key = uniq('key-');
    const body = applicant({ requestKey: key });
    const [a, b] = await Promise.all([staff.post('/api/approval/cases', body), staff.post('/api/approval/cases', body)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);
    expect(await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM approval_case WHERE request_key = ${key}`)).toBe(1);
  });

  it('is refused to staff of another department and to readers', async () => {
    for (const user of [w.otherStaff, w.leader]) {
      const res = await (await w.as(user)).post('/api/approval/cases', applicant());
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
  });
});

describe('a case from counter to delivery', () => {
  it('runs through materials, acceptance, 补正, extension, decision, conclusion and delivery with the clock kept', async () => {
    let staff = await w.as(w.staff);
    const created = await staff.post('/api/approval/cases', applicant());
    expect(created.statusCode, created.body).toBe(201);
    const c = created.json();
    expect(c).toMatchObject({ state: 'submitted', version: 1, statutory: { due: null } });
    expect(c.actions).toEqual(expect.arrayContaining(['accept', 'reject']));
    const path = `/api/approval/cases/${c.id}`;

    // acceptance needs the required materials
    const missing = await staff.post(`${path}/accept`, {});
    expect(missing.json()).toMatchObject({ status: 409, code: 'approval.materials_missing' });
    expect(missing.json().missing.map((m: { seq: number }) => m.seq)).toEqual([1, 2]);
    expect((await upload(staff, `${path}/materials/1`, PNG, '申请书.png')).json()).toMatchObject({ status: 415, code: 'approval.material_type', field: 'body' });
    expect((await upload(staff, `${path}/materials/1`, Buffer.concat([PDF, Buffer.alloc(5000)]), '申请书.pdf')).json()).toMatchObject({ status: 413, code: 'approval.material_too_large' });
    expect((await upload(staff, `${path}/materials/9`, PDF, '申请书.pdf')).json()).toMatchObject({ status: 400, code: 'approval.unknown_material', field: 'seq' });
    expect((await upload(staff, `${path}/materials/1`, PDF, '申请书.pdf')).statusCode).toBe(201);
    expect((await upload(staff, `${path}/materials/2`, PNG, '营业执照.png')).statusCode).toBe(201);
    expect((await upload(await w.as(w.otherStaff), `${path}/materials/2`, PNG, '营业执照.png')).statusCode).toBe(404);

    // an action out of order names from and to
    expect((await staff.post(`${path}/conclude`, {})).json()).toMatchObject({ status: 409, code: 'approval.invalid_transition', from: 'submitted', to: 'concluded' });
    const accepted = (await staff.post(`${path}/accept`, { version: 1 })).json();
    // accepted Monday 11-02: 20 working days from 11-03 → 11-30; 10 → 11-16
    expect(accepted).toMatchObject({ state: 'accepted', acceptedOn: '2026-11-02', statutory: { due: '2026-11-30', remaining: 20 }, promised: { due: '2026-11-16' }, version: 2 });
    expect(accepted.materials[0].files).toHaveLength(1);
    expect((await staff.request('POST', `${path}/review`, {}, { 'if-match': '"1"' })).json()).toMatchObject({ status: 409, code: 'approval.stale', version: 2 });
    expect((await staff.request('POST', `${path}/review`, {}, { 'if-match': '"2"' })).json()).toMatchObject({ state: 'reviewing' });

    // 补正 on Wednesday 11-04, resubmitted Monday 11-09: the pause takes 11-05, 11-06, 11-09 = 3 working days
    w.clock.set('2026-11-04T10:00:00+08:00');
    staff = await w.as(w.staff);
    expect((await staff.post(`${path}/pause`, { pauseKind: 'correction', reason: '申请书缺少法定代表人签字' })).json()).toMatchObject({ status: 400, field: 'materials' });
    expect((await staff.post(`${path}/pause`, { pauseKind: 'correction', reason: '申请书缺少法定代表人签字', materials: [7] })).json()).toMatchObject({ status: 400, code: 'approval.unknown_material' });
    const paused = (await staff.post(`${path}/pause`, { pauseKind: 'correction', reason: '申请书缺少法定代表人签字', materials: [1] })).json();
    expect(paused).toMatchObject({ pausedSince: '2026-11-04', corrections: 1, statutory: { due: '2026-11-30' } });
    expect((await staff.post(`${path}/pause`, { pauseKind: 'special', specialKind: 'testing', reason: '检测' })).json()).toMatchObject({ status: 409, code: 'approval.already_paused' });
    expect((await staff.post(`${path}/decide`, { decision: 'approve' })).json()).toMatchObject({ status: 409, code: 'approval.paused' });
    w.clock.set('2026-11-09T10:00:00+08:00');
    const staff2 = await w.as(w.staff);
    const resumed = (await staff2.post(`${path}/resume`, {})).json();
    expect(resumed).toMatchObject({ pausedSince: null, statutory: { due: '2026-12-03' }, promised: { due: '2026-11-19' } });
    expect(resumed.pauses).toEqual([expect.objectContaining({ kind: 'correction', startedOn: '2026-11-04', endedOn: '2026-11-09', materials: [1] })]);

    // extension: once, approved by the department administrator only
    expect((await staff2.post(`${path}/request_extension`, { reason: '需现场核查' })).json()).toMatchObject({ status: 400, field: 'days' });
    expect((await staff2.post(`${path}/request_extension`, { days: 10, reason: '需现场核查' })).json()).toMatchObject({ extensionState: 'requested' });
    expect((await staff2.post(`${path}/request_extension`, { days: 5, reason: '再次延长' })).json()).toMatchObject({ status: 409, code: 'approval.extension_once' });
    expect((await staff2.post(`${path}/approve_extension`, {})).statusCode).toBe(403);
    const admin = await w.as(w.admin);
    expect((await admin.post(`${path}/approve_extension`, {})).json()).toMatchObject({ extensionState: 'approved', extensionDays: 10, statutory: { due: '2026-12-17' }, promised: { due: '2026-11-19' } });
    expect((await admin.post(`${path}/refuse_extension`, {})).json()).toMatchObject({ status: 409, code: 'approval.invalid_transition' });

    // decision, conclusion, delivery
    expect((await staff2.post(`${path}/decide`, { decision: 'deny' })).json()).toMatchObject({ status: 400, code: 'approval.reason_required', field: 'reason' });
    expect((await staff2.post(`${path}/decide`, { decision: 'approve' })).json()).toMatchObject({ state: 'decided', decision: 'approve' });
    w.clock.set('2026-11-10T10:00:00+08:00');
    const staff3 = await w.as(w.staff);
    expect((await staff3.post(`${path}/withdraw`, {})).json()).toMatchObject({ status: 409, code: 'approval.invalid_transition', from: 'decided' });
    expect((await staff3.post(`${path}/conclude`, {})).json()).toMatchObject({ state: 'concluded', concludedOn: '2026-11-10', statutory: { overdue: false } });
    const delivered = (await staff3.post(`${path}/deliver`, {})).json();
    expect(delivered).toMatchObject({ state: 'delivered', actions: [] });
    expect(delivered.steps.map((s: { step: string; completedOn: string | null }) => [s.step, s.completedOn !== null])).toEqual([
      ['accept', true],
      ['review', true],
      ['decide', true],
      ['conclude', true],
      ['deliver', true],
    ]);

    // the ledger: seq 1…n without gaps; one outbox event and one audit record per event
    const seqs = delivered.events.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(delivered.events.map((e: { action: string }) => e.action)).toEqual(['submit', 'accept', 'review', 'pause', 'resume', 'request_extension', 'approve_extension', 'decide', 'conclude', 'deliver']);
    expect(await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM job WHERE name = 'outbox:approval.case_changed' AND payload->>'caseId' = ${c.id}`)).toBe(seqs.length);
    expect(await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE object_id = ${c.id} AND action LIKE 'approval.case.%' AND action <> 'approval.case.material'`)).toBe(seqs.length);
    w.clock.set('2026-11-02T09:00:00+08:00');
  });
});

describe('the state machine', () => {
  it('refuses every action a state does not allow with 409 approval.invalid_transition, changing nothing', async () => {
    const item = await newItem(w.db, { departmentId: w.dept.id, materials: [] });
    const admin = await w.as(w.admin);
    const allowed: Record<string, string[]> = {
      submitted: ['accept', 'reject', 'withdraw'],
      accepted: ['review', 'pause', 'resume', 'resubmit', 'request_extension', 'approve_extension', 'refuse_extension', 'withdraw'],
      reviewing: ['pause', 'resume', 'resubmit', 'request_extension', 'approve_extension', 'refuse_extension', 'decide', 'withdraw'],
      decided: ['pause', 'resume', 'resubmit', 'request_extension', 'approve_extension', 'refuse_extension', 'conclude'],
      concluded: ['deliver'],
      delivered: [],
      rejected: [],
      withdrawn: [],
    };
    let tried = 0;
    for (const state of CASE_STATES) {
      const c = await newCase(w.db, item, { state, acceptedOn: ['submitted', 'rejected', 'withdrawn'].includes(state) ? null : '2026-11-02' });
      for (const action of ACTIONS.filter((a) => !allowed[state]!.includes(a))) {
        const res = await admin.post(`/api/approval/cases/${c.id}/${action}`, { reason: '理由', decision: 'approve', days: 5, pauseKind: 'special', specialKind: 'hearing' });
        expect({ state, action, body: res.json() }).toMatchObject({ state, action, body: { status: 409, code: 'approval.invalid_transition', from: state } });
        tried++;
      }
      expect(await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM approval_case_event WHERE case_id = ${c.id}`)).toBe(state === 'submitted' ? 1 : 2);
    }
    expect(tried).toBeGreaterThan(60);
  });

  it('lets readers see but not act, and hides cases from another county', async () => {
    const staff = await w.as(w.staff);
    const c = (await staff.post('/api/approval/cases', applicant())).json();
    const leader = await w.as(w.leader);
    const seen = await leader.get(`/api/approval/cases/${c.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().applicantIdNumber).toMatch(/\*/);
    expect(seen.json().actions).toEqual([]);
    expect((await (await w.as(w.otherStaff)).post(`/api/approval/cases/${c.id}/reject`, { reason: 'x' })).statusCode).toBe(403);
    expect((await (await w.as(w.farLeader)).get(`/api/approval/cases/${c.id}`)).statusCode).toBe(404);
    const list = (await staff.get('/api/approval/cases?scope=department&state=submitted&limit=200')).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(c.id);
    const far = (await (await w.as(w.farLeader)).get(`/api/approval/cases?scope=all&q=${c.caseNo}`)).json();
    expect(far.total).toBe(0);
  });

  it('puts open cases of the department on the staff member’s to-do list, soonest due first', async () => {
    const staff = await w.as(w.staff);
    const todo = await staff.get('/api/todo?limit=200');
    expect(todo.statusCode, todo.body).toBe(200);
    const mine = todo.json().items.filter((i: { module: string }) => i.module === 'approval');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0].link).toMatch(/^\/approval\/cases\//);
  });

  it('recomputes provisional clocks from the ledgers when the job runs', async () => {
    const item = await newItem(w.db, { departmentId: w.dept.id, materials: [] });
    const c = await newCase(w.db, item, { state: 'reviewing', acceptedOn: '2026-09-28', statutoryDue: '2026-12-31', promisedDue: '2026-12-31', dueProvisional: true });
    const approval = (w.services as unknown as { approval: { recomputeProvisional(): Promise<number> } }).approval;
    expect(await approval.recomputeProvisional()).toBeGreaterThanOrEqual(1);
    const row = await w.db.selectFrom('approval_case').select(['statutory_due', 'promised_due', 'due_provisional']).where('id', '=', c.id).executeTakeFirstOrThrow();
    // 20 and 10 working days after Monday 2026-09-28, over National Day
    expect(row).toEqual({ statutory_due: '2026-10-30', promised_due: '2026-10-16', due_provisional: false });
  });
});
