// The item catalogue through the API: create with materials and steps, search in Chinese with facets, version bumps,
// stale edits, retirement, the portal's public read, and writes refused outside the manager's department tree.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalWorld, countRows, type ApprovalWorld } from './approval-support.ts';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await approvalWorld();
});
afterAll(() => w?.close());

describe('approval items', () => {
  it('are created by the department administrator with materials and steps, found by a partial Chinese name, counted in facets', async () => {
    const admin = await w.as(w.admin);
    const res = await admin.post('/api/approval/items', w.itemBody({ name: '道路货物运输经营许可（测试）' }));
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json();
    expect(item).toMatchObject({ version: 1, status: 'active', statutoryDays: 20, promisedDays: 10, department: { id: w.dept.id } });
    expect(item.materials).toHaveLength(3);
    expect(item.steps.map((s: { step: string }) => s.step)).toEqual(['accept', 'review', 'decide', 'conclude', 'deliver']);
    const leader = await w.as(w.leader);
    const found = await leader.get(`/api/approval/items?q=${encodeURIComponent('货物运输')}&departmentId=${w.dept.id}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().items.map((i: { id: string }) => i.id)).toContain(item.id);
    expect(found.json().facets.kind.find((f: { value: string }) => f.value === 'licence').count).toBeGreaterThanOrEqual(1);
    expect(found.json().facets.department.find((f: { value: string }) => f.value === w.dept.id)).toBeTruthy();
    expect((await admin.post('/api/approval/items', w.itemBody({ code: item.code }))).json()).toMatchObject({ status: 409, code: 'approval.duplicate_code' });
  });

  it('refuse bad input naming the field, and write nothing', async () => {
    const admin = await w.as(w.admin);
    const before = await countRows(w.db, sql<{ n: number }>`SELECT count(*)::int AS n FROM approval_item WHERE department_id = ${w.dept.id}`);
    expect((await admin.post('/api/approval/items', w.itemBody({ promisedDays: 30 }))).json()).toMatchObject({ status: 400, code: 'approval.invalid_limits', field: 'promisedDays' });
    expect((await admin.post('/api/approval/items', w.itemBody({ feeYuan: 10 }))).json()).toMatchObject({ status: 400, code: 'approval.invalid_fee', field: 'feeYuan' });
    expect((await admin.post('/api/approval/items', w.itemBody({ steps: [{ step: 'review' }, { step: 'accept' }] }))).json()).toMatchObject({ status: 400, code: 'approval.invalid_steps' });
    expect((await admin.post('/api/approval/items', w.itemBody({ statutoryDays: 0 }))).statusCode).toBe(400);
    expect((await admin.post('/api/approval/items', w.itemBody({ departmentId: w.farDept.id }))).json()).toMatchObject({ status: 403, code: 'approval.department_out_of_scope', field: 'departmentId' });
    expect((await admin.post('/api/approval/items', w.itemBody({ departmentId: w.otherDept.id }))).json()).toMatchObject({ status: 403, code: 'approval.department_out_of_scope' });
    const staff = await w.as(w.staff);
    expect((await staff.post('/api/approval/items', w.itemBody())).statusCode).toBe(403);
    expect(await countRows(w.db, sql<{ n: number }>`SELECT count(*)::int AS n FROM approval_item WHERE department_id = ${w.dept.id}`)).toBe(before);
  });

  it('move to a new version on change, refuse a stale edit, and retire out of the portal', async () => {
    const admin = await w.as(w.admin);
    const item = (await admin.post('/api/approval/items', w.itemBody())).json();
    const changed = await admin.request('PUT', `/api/approval/items/${item.id}`, { version: 1, promisedDays: 8, steps: [{ step: 'accept', limitDays: 3 }, { step: 'review' }, { step: 'decide' }] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ version: 2, promisedDays: 8 });
    expect(changed.json().steps).toHaveLength(3);
    expect((await admin.request('PUT', `/api/approval/items/${item.id}`, { version: 1, name: '旧版本修改' })).json()).toMatchObject({ status: 409, code: 'approval.stale', field: 'version' });
    const anonymous = await w.app.inject({ method: 'GET', url: `/api/citizen/approval/items/${item.id}` });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json().materials[0].name).toBe('食品经营许可申请书');
    const retired = await admin.post(`/api/approval/items/${item.id}/retire`, { version: 2 });
    expect(retired.json()).toMatchObject({ status: 'retired', version: 3 });
    expect((await w.app.inject({ method: 'GET', url: `/api/citizen/approval/items/${item.id}` })).statusCode).toBe(404);
    const offline = (await admin.post('/api/approval/items', w.itemBody({ online: false }))).json();
    const portal = await w.app.inject({ method: 'GET', url: `/api/citizen/approval/items?departmentId=${w.dept.id}&limit=200` });
    const ids = portal.json().items.map((i: { id: string }) => i.id);
    expect(ids).not.toContain(offline.id);
    expect(ids).not.toContain(item.id);
    expect(await countRows(w.db, sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'approval.item.%' AND object_id = ${item.id}`)).toBe(3);
  });

  it('are outside the jurisdiction of a reader in another county', async () => {
    const admin = await w.as(w.admin);
    const item = (await admin.post('/api/approval/items', w.itemBody())).json();
    const far = await w.as(w.farLeader);
    expect((await far.get(`/api/approval/items/${item.id}`)).statusCode).toBe(404);
    expect((await far.get(`/api/approval/items?departmentId=${w.dept.id}`)).json().total).toBe(0);
  });
});
