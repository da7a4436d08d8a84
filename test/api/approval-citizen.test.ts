// The citizen's side through the portal's routes: browse without signing in, apply online (a double submission at
// once gives one case), upload a material, 补正 resubmit, withdraw; another citizen sees none of it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniq } from '../support/factories.ts';
import { approvalWorld, citizenUpload, countRows, PDF, PNG, type ApprovalWorld } from './approval-support.ts';

let w: ApprovalWorld;
let itemId: string;
beforeAll(async () => {
  w = await approvalWorld();
  itemId = (await (await w.as(w.admin)).post('/api/approval/items', w.itemBody())).json().id;
});
afterAll(() => w?.close());

describe('the citizen portal', () => {
  it('applies once under a double submission, uploads, resubmits after 补正 and withdraws; others see nothing', async () => {
    expect((await w.app.inject({ method: 'GET', url: `/api/citizen/approval/items/${itemId}` })).statusCode).toBe(200);
    const me = await w.citizen();
    const key = uniq('apply-');
    const [a, b] = await Promise.all([me.caller.request('POST', '/api/citizen/approval/cases', { itemId, requestKey: key }), me.caller.request('POST', '/api/citizen/approval/cases', { itemId, requestKey: key })]);
    expect([a.statusCode, b.statusCode].sort(), a.body + b.body).toEqual([200, 201]);
    const c = a.json();
    expect(b.json().id).toBe(c.id);
    expect(c).toMatchObject({ channel: 'online', state: 'submitted', applicantIdNumber: me.idNumber });
    expect(await countRows(w.db, sql<{ n: number }>`SELECT count(*)::int AS n FROM approval_case WHERE request_key = ${key}`)).toBe(1);
    const path = `/api/citizen/approval/cases/${c.id}`;
    expect((await citizenUpload(w.app, me.caller, `${path}/materials/1`, PDF, '申请书.pdf')).statusCode).toBe(201);
    expect((await citizenUpload(w.app, me.caller, `${path}/materials/2`, PNG, '身份证.png')).statusCode).toBe(201);
    expect((await me.caller.request('GET', '/api/citizen/approval/cases')).json().items.map((i: { id: string }) => i.id)).toContain(c.id);

    // staff accept and ask for 补正; the applicant resubmits, which resumes the clock
    const staff = await w.as(w.staff);
    expect((await staff.post(`/api/approval/cases/${c.id}/accept`, {})).statusCode).toBe(200);
    expect((await staff.post(`/api/approval/cases/${c.id}/pause`, { pauseKind: 'correction', reason: '身份证照片不清晰', materials: [2] })).json().pausedSince).toBe('2026-11-02');
    expect((await me.caller.request('GET', path)).json().actions).toEqual(expect.arrayContaining(['resubmit', 'withdraw']));
    const resubmitted = await me.caller.request('POST', `${path}/resubmit`, {});
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    expect(resubmitted.json()).toMatchObject({ pausedSince: null, corrections: 1 });

    // another citizen: not found, cannot act or upload
    const other = await w.citizen();
    expect((await other.caller.request('GET', path)).statusCode).toBe(404);
    expect((await other.caller.request('POST', `${path}/withdraw`, {})).statusCode).toBe(404);
    expect((await citizenUpload(w.app, other.caller, `${path}/materials/1`, PDF, '申请书.pdf')).statusCode).toBe(404);
    expect((await other.caller.request('GET', '/api/citizen/approval/cases')).json().items).toEqual([]);

    // a citizen cannot take staff actions (the portal's route offers resubmit and withdraw only)
    expect((await me.caller.request('POST', `${path}/accept`, {})).statusCode).toBe(400);
    const withdrawn = await me.caller.request('POST', `${path}/withdraw`, { reason: '不再需要' });
    expect(withdrawn.json()).toMatchObject({ state: 'withdrawn', reason: '不再需要' });
    expect((await me.caller.request('POST', `${path}/withdraw`, {})).json()).toMatchObject({ status: 409, code: 'approval.invalid_transition', from: 'withdrawn' });
  });

  it('refuses online applications for items the portal does not offer', async () => {
    const admin = await w.as(w.admin);
    const offline = (await admin.post('/api/approval/items', w.itemBody({ online: false }))).json();
    const me = await w.citizen();
    expect((await me.caller.request('POST', '/api/citizen/approval/cases', { itemId: offline.id, requestKey: uniq('k-') })).json()).toMatchObject({ status: 409, code: 'approval.item_offline' });
    const retired = (await admin.post('/api/approval/items', w.itemBody())).json();
    await admin.post(`/api/approval/items/${retired.id}/retire`, { version: 1 });
    expect((await me.caller.request('POST', '/api/citizen/approval/cases', { itemId: retired.id, requestKey: uniq('k-') })).json()).toMatchObject({ status: 409, code: 'approval.item_retired' });
  });
});
