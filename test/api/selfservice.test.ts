// Self-service through the API (issue 10 §2): a request from the form to provisioning through both approvals, each
// bad input refused with its code and nothing written, 50 racing requests against a quota, racing approvers, cancel
// against approval, auto-approval, a placement failure, lifecycle actions and the VM ledger, the to-do and the
// requester's notifications.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SelfserviceService } from '../../src/modules/selfservice/index.ts';
import { login, testApp, type Client } from '../support/app.ts';
import { newCloudDepartment, newCloudWorld, quotaOf, type CloudWorld } from '../support/cloud-factories.ts';
import { testDb } from '../support/db.ts';
import { newUser, uniq } from '../support/factories.ts';
import { allPages } from '../support/paging.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let services: Awaited<ReturnType<typeof testApp>>['services'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
let world: CloudWorld;
let platform: Client;

beforeAll(async () => {
  ({ app, services } = await testApp());
  ({ db } = await testDb());
  world = await newCloudWorld(db, { hosts: 2, hostVcpus: 64, hostMemoryMb: 262144 });
  const p = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  platform = await login(app, p.username, p.password);
});

const QUOTA = { vcpus: 16, memoryMb: 65536, diskGb: 2000, vms: 10 };

/** A department with a quota, its staff member (with a phone) and two administrators, signed in. */
async function team(quota = QUOTA) {
  const dept = await newCloudDepartment(db, quota);
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const [staffUser, adminUser, admin2User] = await Promise.all([
    newUser(db, { departmentId: dept.id, phone, grants: [{ role: 'department_staff', regionCode: '650502' }] }),
    newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] }),
    newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] }),
  ]);
  const [staff, admin, admin2] = await Promise.all([login(app, staffUser.username, staffUser.password), login(app, adminUser.username, adminUser.password), login(app, admin2User.username, admin2User.password)]);
  return { dept, staff, admin, admin2, staffUser, phone };
}

const body = (t: { dept: { systemId: string } }, over: Record<string, unknown> = {}) => ({
  name: `测试主机${uniq()}`,
  flavourCode: world.small,
  imageCode: world.image,
  diskGb: 40,
  zoneCode: world.zone,
  businessSystemId: t.dept.systemId,
  reason: '业务系统上线',
  ...over,
});

const requestsOf = async (departmentId: string) => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_vm_request WHERE department_id = ${departmentId}`.execute(db)).rows[0]!.n);
const vmsOf = async (departmentId: string) => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_vm WHERE department_id = ${departmentId}`.execute(db)).rows[0]!.n);
const ZERO = { vcpus: 0, memoryMb: 0, diskGb: 0, vms: 0 };

describe('a request from the form to provisioning', () => {
  it('reserves the quota, goes through the department and the platform, and places and provisions in one step', async () => {
    const t = await team();
    const options = (await t.staff.get('/api/cloud/request-options')).json();
    expect(options.zones.map((z: { code: string }) => z.code)).toContain(world.zone);
    expect(options.zones.map((z: { code: string }) => z.code)).not.toContain(world.closedZone);
    expect(options.businessSystems.map((b: { id: string }) => b.id)).toEqual([t.dept.systemId]);
    expect(options.quota).toMatchObject({ vcpus: { limit: 16, used: 0 } });

    const created = await t.staff.post('/api/cloud/requests', body(t, { flavourCode: world.large, diskGb: 100 }));
    expect(created.statusCode).toBe(201);
    const r = created.json();
    expect(r).toMatchObject({ kind: 'create', state: 'pending_department', vcpus: 4, memoryMb: 8192, diskGb: 100, autoApproved: false, abilities: ['cancel'] });
    expect(r.requestNo).toMatch(/^CR\d{8}\d{5}$/);
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: 4, memoryMb: 8192, diskGb: 100, vms: 1 });

    // the department admin sees it in the to-do and the approval queue; the platform not yet
    const todo = await allPages<{ id: string }>(t.admin, '/api/todo?limit=500');
    expect(todo.find((i) => i.id === r.id)).toMatchObject({ module: 'selfservice', link: `/cloud/approvals?request=${r.id}` });
    const queue = (await t.admin.get('/api/cloud/requests?scope=approvals')).json();
    expect(queue.items.find((i: { id: string }) => i.id === r.id).abilities).toEqual(['approve_department']);
    expect((await platform.post(`/api/cloud/requests/${r.id}/platform-decision`, { decision: 'approve' })).json()).toMatchObject({ status: 409, code: 'selfservice.invalid_transition' });

    const dept = await t.admin.post(`/api/cloud/requests/${r.id}/department-decision`, { decision: 'approve', note: '同意' });
    expect(dept.json()).toMatchObject({ state: 'pending_platform' });
    // every page: the platform's to-do list holds whatever other tests and the demo left waiting
    expect((await allPages<{ id: string }>(platform, '/api/todo?limit=500')).map((i) => i.id)).toContain(r.id);

    const done = await platform.post(`/api/cloud/requests/${r.id}/platform-decision`, { decision: 'approve' });
    expect(done.statusCode).toBe(200);
    const view = done.json();
    expect(view.state).toBe('provisioning');
    expect(view.timeline.map((e: { toState: string }) => e.toState)).toEqual(['pending_department', 'pending_platform', 'approved', 'provisioning']);
    expect(view.vm).toMatchObject({ state: 'provisioning', hostCode: expect.stringContaining('h') });
    expect(view.vm.domainName).toBe(`gc-${view.vm.id.replaceAll('-', '').slice(0, 12)}`);
    expect(view.vmEvents).toMatchObject([{ seq: 1, action: 'provision', outcome: 'requested', state: 'provisioning' }]);

    const vm = await db.selectFrom('cloud_vm').selectAll().where('id', '=', view.vm.id).executeTakeFirstOrThrow();
    expect(world.hostIds).toContain(vm.host_id);
    expect(vm.storage_pool_id).toBe(world.poolId);
    const job = await db.selectFrom('job').select(['name', 'unique_key', 'payload']).where('unique_key', '=', `${vm.id}:provision:${r.id}`).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ name: 'outbox:cloud.vm_action', payload: { vmId: vm.id, action: 'provision', requestId: r.id } });
    // quota stays consumed by the VM; one audit record per step
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: 4, memoryMb: 8192, diskGb: 100, vms: 1 });
    const audits = await db.selectFrom('audit_log').select('action').where('object_id', '=', r.id).orderBy('seq').execute();
    expect(audits.map((a) => a.action)).toEqual(['selfservice.submit', 'selfservice.department_decide', 'selfservice.platform_decide']);
    // the requester is told in the inbox and by SMS, and reads the VM's ledger
    const inbox = await db.selectFrom('inbox_message').select(['title', 'link']).where('recipient_id', '=', t.staffUser.id).execute();
    expect(inbox).toEqual([{ title: expect.stringContaining('已批准'), link: `/cloud/requests/${r.id}` }]);
    expect(await db.selectFrom('sms_message').select('body').where('to_number', '=', t.phone).execute()).toEqual([{ body: expect.stringContaining(r.requestNo) }]);
    expect((await t.staff.get(`/api/cloud/vms/${vm.id}/events`)).json().items).toHaveLength(1);
    // gone from the queues
    expect((await allPages<{ id: string }>(platform, '/api/todo?limit=500')).map((i) => i.id)).not.toContain(r.id);
  });

  it('auto-approves under the department’s policy and places at once', async () => {
    const t = await team();
    const set = await platform.request('PUT', '/api/cloud/approval-policy', { departmentId: t.dept.id, departmentStepRequired: false, autoMaxVcpus: 2, autoMaxMemoryMb: 4096, autoMaxDiskGb: 100 });
    expect(set.json()).toMatchObject({ departmentId: t.dept.id, inherited: false, autoMaxVcpus: 2 });
    const small = (await t.staff.post('/api/cloud/requests', body(t))).json();
    expect(small).toMatchObject({ state: 'provisioning', autoApproved: true });
    expect(small.timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'department_auto', 'platform_auto', 'place']);
    // above the threshold it waits on the platform (the department step skipped)
    const large = (await t.staff.post('/api/cloud/requests', body(t, { flavourCode: world.large }))).json();
    expect(large).toMatchObject({ state: 'pending_platform', autoApproved: false });
    // the default policy is the prefecture's, not a county administrator's
    const county = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '650502' }] });
    const res = await (await login(app, county.username, county.password)).request('PUT', '/api/cloud/approval-policy', { departmentId: null, departmentStepRequired: false, autoMaxVcpus: 256, autoMaxMemoryMb: 4194304, autoMaxDiskGb: 65536 });
    expect(res.statusCode).toBe(403);
    expect((await t.staff.request('PUT', '/api/cloud/approval-policy', { departmentId: t.dept.id, departmentStepRequired: false, autoMaxVcpus: 256, autoMaxMemoryMb: 1, autoMaxDiskGb: 1 })).statusCode).toBe(403);
  });

  it('fails with cloud.no_capacity when no host has room, and gives the quota back', async () => {
    const t = await team();
    const empty = await newCloudWorld(db, { hosts: 0 });
    const r = (await t.staff.post('/api/cloud/requests', body(t, { zoneCode: empty.zone }))).json();
    await t.admin.post(`/api/cloud/requests/${r.id}/department-decision`, { decision: 'approve' });
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: 1, memoryMb: 1024, diskGb: 40, vms: 1 });
    const res = await platform.post(`/api/cloud/requests/${r.id}/platform-decision`, { decision: 'approve' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'failed', failure: 'cloud.no_capacity', vm: null });
    expect(await quotaOf(db, t.dept.id)).toEqual(ZERO);
    expect(await vmsOf(t.dept.id)).toBe(0);
  });

  it('rejects with a note only, returning the quota', async () => {
    const t = await team();
    const r = (await t.staff.post('/api/cloud/requests', body(t))).json();
    expect((await t.admin.post(`/api/cloud/requests/${r.id}/department-decision`, { decision: 'reject' })).json()).toMatchObject({ status: 400, code: 'selfservice.note_required', field: 'note' });
    expect(await quotaOf(db, t.dept.id)).toMatchObject({ vcpus: 1, vms: 1 });
    const rejected = (await t.admin.post(`/api/cloud/requests/${r.id}/department-decision`, { decision: 'reject', note: '请先完成等保测评' })).json();
    expect(rejected).toMatchObject({ state: 'rejected', decisionNote: '请先完成等保测评' });
    expect(await quotaOf(db, t.dept.id)).toEqual(ZERO);
    expect((await t.staff.post(`/api/cloud/requests/${r.id}/cancel`)).json()).toMatchObject({ status: 409, code: 'selfservice.invalid_transition' });
  });
});

describe('bad input: a clear error and nothing written', () => {
  it('refuses unknown or retired flavours and images, a small disk, a closed zone, another department’s system, and an exceeded quota', async () => {
    const t = await team({ vcpus: 3, memoryMb: 65536, diskGb: 100, vms: 10 });
    const other = await newCloudDepartment(db, QUOTA);
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ flavourCode: world.retiredFlavour }, 400, 'cloud.unknown_flavour', 'flavourCode'],
      [{ flavourCode: 'no-such-flavour' }, 400, 'cloud.unknown_flavour', 'flavourCode'],
      [{ imageCode: world.retiredImage }, 400, 'cloud.unknown_image', 'imageCode'],
      [{ imageCode: 'no-such-image' }, 400, 'cloud.unknown_image', 'imageCode'],
      [{ diskGb: 10 }, 400, 'selfservice.disk_too_small', 'diskGb'],
      [{ zoneCode: world.closedZone }, 403, 'cloud.zone_not_allowed', 'zoneCode'],
      [{ zoneCode: 'no-such-zone' }, 400, 'selfservice.unknown_zone', 'zoneCode'],
      [{ businessSystemId: other.systemId }, 400, 'selfservice.unknown_business_system', 'businessSystemId'],
      [{ diskGb: 101 }, 409, 'cloud.quota_exceeded', 'disk_gb'],
      [{ flavourCode: world.large, diskGb: 20 }, 409, 'cloud.quota_exceeded', 'vcpus'],
    ];
    for (const [over, status, code, field] of cases) {
      const res = await t.staff.post('/api/cloud/requests', body(t, over));
      expect(res.json(), JSON.stringify(over)).toMatchObject({ status, code, field });
    }
    // schema: a missing reason or a zero disk
    expect((await t.staff.post('/api/cloud/requests', { ...body(t), reason: undefined })).statusCode).toBe(400);
    expect((await t.staff.post('/api/cloud/requests', body(t, { diskGb: 0 }))).statusCode).toBe(400);
    expect(await requestsOf(t.dept.id)).toBe(0);
    expect(await quotaOf(db, t.dept.id)).toEqual(ZERO);
    // the zone granted to the department opens it
    await db.insertInto('cloud_zone_grant').values({ zone_code: world.closedZone, department_id: t.dept.id }).execute();
    expect((await t.staff.post('/api/cloud/requests', body(t, { zoneCode: world.closedZone }))).statusCode).toBe(201);
  });

  it('hides requests from other departments and refuses their approvers', async () => {
    const t = await team();
    const them = await team();
    const r = (await t.staff.post('/api/cloud/requests', body(t))).json();
    expect((await them.staff.get(`/api/cloud/requests/${r.id}`)).statusCode).toBe(404);
    expect((await them.admin.post(`/api/cloud/requests/${r.id}/department-decision`, { decision: 'approve' })).statusCode).toBe(404);
    expect((await them.admin.get('/api/cloud/requests?scope=all')).json().items.map((i: { id: string }) => i.id)).not.toContain(r.id);
    // staff may not approve, the admin may not cancel someone else's request
    expect((await t.staff.post(`/api/cloud/requests/${r.id}/department-decision`, { decision: 'approve' })).statusCode).toBe(403);
    expect((await t.admin.post(`/api/cloud/requests/${r.id}/cancel`)).json()).toMatchObject({ status: 403, code: 'selfservice.not_requester' });
    expect((await t.staff.get(`/api/cloud/requests/${r.id}`)).json().state).toBe('pending_department');
  });
});

describe('races', () => {
  it('admits exactly the quota’s worth of 50 concurrent requests, never more, with no 500', async () => {
    const N = 7;
    const t = await team({ vcpus: N, memoryMb: 1_000_000, diskGb: 100_000, vms: 100 });
    const results = await Promise.all(Array.from({ length: 50 }, () => t.staff.post('/api/cloud/requests', body(t))));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(N);
    expect(codes.filter((c) => c === 409)).toHaveLength(50 - N);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json()).toMatchObject({ code: 'cloud.quota_exceeded', field: 'vcpus' });
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: N, memoryMb: N * 1024, diskGb: N * 40, vms: N });
    expect(await requestsOf(t.dept.id)).toBe(N);
    const numbers = results.filter((r) => r.statusCode === 201).map((r) => r.json().requestNo);
    expect(new Set(numbers).size).toBe(N);
  });

  it('gives the same request for the same key, even at once', async () => {
    const t = await team();
    const key = uniq('k');
    const [a, b] = await Promise.all([t.staff.post('/api/cloud/requests', body(t, { requestKey: key })), t.staff.post('/api/cloud/requests', body(t, { requestKey: key }))]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);
    expect(await quotaOf(db, t.dept.id)).toMatchObject({ vcpus: 1, vms: 1 });
  });

  it('lets one of two approvers deciding at once win; the other gets 409', async () => {
    const t = await team();
    const r = (await t.staff.post('/api/cloud/requests', body(t))).json();
    const results = await Promise.all([t.admin.post(`/api/cloud/requests/${r.id}/department-decision`, { decision: 'approve' }), t.admin2.post(`/api/cloud/requests/${r.id}/department-decision`, { decision: 'reject', note: '不同意' })]);
    expect(results.map((x) => x.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((x) => x.statusCode === 409)!.json().code).toBe('selfservice.invalid_transition');
    const state = (await t.staff.get(`/api/cloud/requests/${r.id}`)).json().state;
    expect(await quotaOf(db, t.dept.id)).toEqual(state === 'rejected' ? ZERO : { vcpus: 1, memoryMb: 1024, diskGb: 40, vms: 1 });
    // two platform approvers at once: one VM
    if (state === 'pending_platform') {
      const p2 = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
      const second = await login(app, p2.username, p2.password);
      const both = await Promise.all([platform.post(`/api/cloud/requests/${r.id}/platform-decision`, { decision: 'approve' }), second.post(`/api/cloud/requests/${r.id}/platform-decision`, { decision: 'approve' })]);
      expect(both.map((x) => x.statusCode).sort()).toEqual([200, 409]);
      expect(await vmsOf(t.dept.id)).toBe(1);
    }
  });

  it('settles cancel against the platform’s approval one way, with the quota and VMs to match', async () => {
    const t = await team();
    for (let i = 0; i < 3; i++) {
      const r = (await t.staff.post('/api/cloud/requests', body(t))).json();
      await t.admin.post(`/api/cloud/requests/${r.id}/department-decision`, { decision: 'approve' });
      const [cancel, approve] = await Promise.all([t.staff.post(`/api/cloud/requests/${r.id}/cancel`), platform.post(`/api/cloud/requests/${r.id}/platform-decision`, { decision: 'approve' })]);
      expect([cancel.statusCode, approve.statusCode].sort()).toEqual([200, 409]);
      const state = (await t.staff.get(`/api/cloud/requests/${r.id}`)).json().state;
      expect(state).toBe(cancel.statusCode === 200 ? 'cancelled' : 'provisioning');
    }
    const placed = await vmsOf(t.dept.id);
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: placed, memoryMb: placed * 1024, diskGb: placed * 40, vms: placed });
  });
});

describe('lifecycle of a VM', () => {
  /** A VM of its own team on a host of its own (8 vCPU / 16 GB), provisioned by auto-approval. */
  async function provisioned() {
    const t = await team();
    const own = await newCloudWorld(db, { hosts: 1 });
    await platform.request('PUT', '/api/cloud/approval-policy', { departmentId: t.dept.id, departmentStepRequired: false, autoMaxVcpus: 4, autoMaxMemoryMb: 8192, autoMaxDiskGb: 100 });
    const r = (await t.staff.post('/api/cloud/requests', body(t, { zoneCode: own.zone }))).json();
    expect(r.state).toBe('provisioning');
    return { t, vmId: r.vm.id as string };
  }
  /** What the hypervisor does when provisioning settles: the VM runs, its request is done. */
  const setState = async (vmId: string, state: 'running' | 'stopped') => {
    await db.updateTable('cloud_vm').set({ state }).where('id', '=', vmId).execute();
    await db.updateTable('cloud_vm_request').set({ state: 'done' }).where('vm_id', '=', vmId).where('state', '=', 'provisioning').execute();
  };

  it('checks the state, writes the ledger and the hypervisor message, and is refused outside the department', async () => {
    const { t, vmId } = await provisioned();
    expect((await t.staff.post(`/api/cloud/vms/${vmId}/actions/start`)).json()).toMatchObject({ status: 409, code: 'cloud.invalid_state' });
    await setState(vmId, 'running'); // what the hypervisor does when provisioning settles
    const stop = await t.staff.post(`/api/cloud/vms/${vmId}/actions/stop`);
    expect(stop.statusCode).toBe(202);
    expect(stop.json()).toMatchObject({ vmId, action: 'stop', state: 'running', seq: 2 });
    const snap = await t.staff.post(`/api/cloud/vms/${vmId}/actions/snapshot`, { snapshot: 'before-upgrade' });
    expect(snap.statusCode).toBe(202);
    expect((await t.staff.post(`/api/cloud/vms/${vmId}/actions/resume`)).json().code).toBe('cloud.invalid_state');
    const events = (await t.staff.get(`/api/cloud/vms/${vmId}/events`)).json().items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['provision', 'stop', 'snapshot']);
    expect(events[2].detail).toEqual({ snapshot: 'before-upgrade' });
    const jobs = await db.selectFrom('job').select('unique_key').where('name', '=', 'outbox:cloud.vm_action').where('unique_key', 'like', `${vmId}:%`).execute();
    expect(jobs.map((j) => j.unique_key).sort()).toEqual([`${vmId}:provision:${(await db.selectFrom('cloud_vm_request').select('id').where('vm_id', '=', vmId).executeTakeFirstOrThrow()).id}`, `${vmId}:snapshot:3`, `${vmId}:stop:2`].sort());
    const them = await team();
    expect((await them.staff.post(`/api/cloud/vms/${vmId}/actions/stop`)).statusCode).toBe(404);
    expect((await them.staff.get(`/api/cloud/vms/${vmId}/events`)).statusCode).toBe(404);
    expect((await t.staff.post(`/api/cloud/vms/${uniq()}/actions/stop`)).statusCode).toBe(400);
  });

  it('resizes by request reserving only the growth, one open request at a time, and decommissions', async () => {
    const { t, vmId } = await provisioned();
    await setState(vmId, 'running');
    await platform.request('PUT', '/api/cloud/approval-policy', { departmentId: t.dept.id, departmentStepRequired: true, autoMaxVcpus: 0, autoMaxMemoryMb: 0, autoMaxDiskGb: 0 });
    expect((await t.staff.post(`/api/cloud/vms/${vmId}/actions/resize`, { flavourCode: world.small, reason: '同规格' })).json().code).toBe('selfservice.same_flavour');
    const resize = await t.staff.post(`/api/cloud/vms/${vmId}/actions/resize`, { flavourCode: world.large, reason: '业务增长' });
    expect(resize.statusCode).toBe(201);
    expect(resize.json()).toMatchObject({ kind: 'resize', state: 'pending_department', vcpus: 4, memoryMb: 8192 });
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: 4, memoryMb: 8192, diskGb: 40, vms: 1 });
    expect((await t.staff.post(`/api/cloud/vms/${vmId}/actions/decommission`, { reason: '下线' })).json()).toMatchObject({ status: 409, code: 'selfservice.vm_busy' });
    const id = resize.json().id;
    await t.admin.post(`/api/cloud/requests/${id}/department-decision`, { decision: 'approve' });
    const placed = (await platform.post(`/api/cloud/requests/${id}/platform-decision`, { decision: 'approve' })).json();
    expect(placed.state).toBe('provisioning');
    expect(placed.vmEvents.at(-1)).toMatchObject({ action: 'resize', outcome: 'requested', detail: { vcpus: 4, memoryMb: 8192 } });
    // the hypervisor settles it (request done, VM reshaped); then decommission
    await db.updateTable('cloud_vm_request').set({ state: 'done' }).where('id', '=', id).execute();
    const decommission = (await t.staff.post(`/api/cloud/vms/${vmId}/actions/decommission`, { reason: '系统下线' })).json();
    await t.admin.post(`/api/cloud/requests/${decommission.id}/department-decision`, { decision: 'approve' });
    expect((await platform.post(`/api/cloud/requests/${decommission.id}/platform-decision`, { decision: 'approve' })).json()).toMatchObject({ state: 'provisioning', vm: { state: 'decommissioning' } });
    expect((await t.staff.post(`/api/cloud/vms/${vmId}/actions/stop`)).json().code).toBe('cloud.invalid_state');
  });

  it('tells the requester when the hypervisor settles an action, once per message', async () => {
    const { t, vmId } = await provisioned();
    const svc = (services as unknown as { selfservice: SelfserviceService }).selfservice;
    const request = await db.selectFrom('cloud_vm_request').select('id').where('vm_id', '=', vmId).executeTakeFirstOrThrow();
    const message = { vmId, action: 'provision', requestId: request.id, outcome: 'failed' as const, error: 'no hypervisor' };
    await svc.onSettled(message, `${vmId}:provision`);
    await svc.onSettled(message, `${vmId}:provision`); // delivered twice
    const inbox = await db.selectFrom('inbox_message').select(['title', 'body']).where('recipient_id', '=', t.staffUser.id).where('kind', '=', 'selfservice.settled').execute();
    expect(inbox).toEqual([{ title: expect.stringContaining('开通失败'), body: '原因：no hypervisor' }]);
    expect(await db.selectFrom('sms_message').select('body').where('to_number', '=', t.phone).where('body', 'like', '%开通失败%').execute()).toHaveLength(1);
  });
});
