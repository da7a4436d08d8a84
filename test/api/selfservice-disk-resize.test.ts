// A resize request may grow a VM's disk (issue 10, D110, D122): a smaller or unchanged disk is refused on `diskGb`
// with nothing written; the growth is reserved from the quota at submission, given back exactly once on rejection or
// cancellation, claimed on the VM's storage pool at approval (none left: the request fails and everything goes back),
// and recorded on the VM when the hypervisor settles — or given back, once, when the hypervisor fails (test:///default).
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { VM_ACTION_TOPIC, type VmActionMessage } from '../../src/modules/cloud/index.ts';
import { connect, virshInstalled, type HypervisorService } from '../../src/modules/hypervisor/index.ts';
import { login, testApp, type Client } from '../support/app.ts';
import { newCloudDepartment, newCloudWorld, quotaOf } from '../support/cloud-factories.ts';
import { testDb } from '../support/db.ts';
import { newUser, uniq } from '../support/factories.ts';
import { testHypervisorService } from '../support/hypervisor-factories.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let services: Awaited<ReturnType<typeof testApp>>['services'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
let platform: Client;
let hv: HypervisorService;
const installed = await virshInstalled();

beforeAll(async () => {
  ({ app, services } = await testApp());
  ({ db } = await testDb());
  hv = testHypervisorService(db, services);
  const p = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  platform = await login(app, p.username, p.password);
});

type World = Awaited<ReturnType<typeof newCloudWorld>>;

/** A team whose create requests are approved at once, with a running 1 vCPU / 1 GB / 40 GB VM; resizes then need both steps. */
async function teamWithVm(w: World, uri: string | null = null) {
  if (uri) await db.updateTable('cloud_host').set({ hypervisor_uri: uri }).where('id', 'in', w.hostIds).execute();
  const dept = await newCloudDepartment(db, { vcpus: 32, memoryMb: 65536, diskGb: 400, vms: 20 });
  const user = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  const adminUser = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
  const staff = await login(app, user.username, user.password);
  const admin = await login(app, adminUser.username, adminUser.password);
  await platform.request('PUT', '/api/cloud/approval-policy', { departmentId: dept.id, departmentStepRequired: false, autoMaxVcpus: 4, autoMaxMemoryMb: 8192, autoMaxDiskGb: 500 });
  const r = (await staff.post('/api/cloud/requests', { name: `测试主机${uniq()}`, flavourCode: w.small, imageCode: w.image, diskGb: 40, zoneCode: w.zone, businessSystemId: dept.systemId, reason: '上线' })).json();
  expect(r.state).toBe('provisioning');
  const vmId = r.vm.id as string;
  if (uri) {
    const job = await jobOf(vmId, 'provision');
    expect(await hv.handle(job.message, job.key)).toMatchObject({ outcome: 'succeeded', state: 'running' });
  } else {
    await db.updateTable('cloud_vm').set({ state: 'running' }).where('id', '=', vmId).execute();
    await db.updateTable('cloud_vm_request').set({ state: 'done' }).where('vm_id', '=', vmId).execute();
  }
  await platform.request('PUT', '/api/cloud/approval-policy', { departmentId: dept.id, departmentStepRequired: true, autoMaxVcpus: 0, autoMaxMemoryMb: 0, autoMaxDiskGb: 0 });
  return { dept, staff, admin, vmId };
}

async function jobOf(vmId: string, action: string) {
  const row = await db.selectFrom('job').select(['payload', 'unique_key']).where('name', '=', `outbox:${VM_ACTION_TOPIC}`).where('unique_key', 'like', `${vmId}:${action}:%`).executeTakeFirstOrThrow();
  return { message: row.payload as VmActionMessage, key: row.unique_key! };
}

const requestsOf = async (departmentId: string) => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_vm_request WHERE department_id = ${departmentId}`.execute(db)).rows[0]!.n);
const poolOf = async (poolId: string) => Number((await db.selectFrom('cloud_storage_pool').select('allocated_gb').where('id', '=', poolId).executeTakeFirstOrThrow()).allocated_gb);
const diskOf = async (vmId: string) => (await db.selectFrom('cloud_vm').select('disk_gb').where('id', '=', vmId).executeTakeFirstOrThrow()).disk_gb;
const BASE = { vcpus: 1, memoryMb: 1024, diskGb: 40, vms: 1 };

async function approve(t: Awaited<ReturnType<typeof teamWithVm>>, id: string) {
  await t.admin.post(`/api/cloud/requests/${id}/department-decision`, { decision: 'approve' });
  return (await platform.post(`/api/cloud/requests/${id}/platform-decision`, { decision: 'approve' })).json();
}

describe('a resize request growing the disk', () => {
  it('refuses a smaller, unchanged or missing size on its field, writing nothing', async () => {
    const w = await newCloudWorld(db);
    const t = await teamWithVm(w);
    const requests = await requestsOf(t.dept.id);
    const shrink = await t.staff.post(`/api/cloud/vms/${t.vmId}/actions/resize`, { diskGb: 20, reason: '缩容' });
    expect(shrink.statusCode).toBe(400);
    expect(shrink.headers['content-type']).toContain('application/problem+json');
    expect(shrink.json()).toMatchObject({ code: 'selfservice.disk_shrink', field: 'diskGb' });
    // a shrink with a new flavour is refused all the same
    expect((await t.staff.post(`/api/cloud/vms/${t.vmId}/actions/resize`, { flavourCode: w.large, diskGb: 39, reason: '缩容' })).json()).toMatchObject({ status: 400, code: 'selfservice.disk_shrink', field: 'diskGb' });
    expect((await t.staff.post(`/api/cloud/vms/${t.vmId}/actions/resize`, { diskGb: 40, reason: '不变' })).json()).toMatchObject({ status: 400, code: 'selfservice.nothing_to_change', field: 'diskGb' });
    expect((await t.staff.post(`/api/cloud/vms/${t.vmId}/actions/resize`, { reason: '什么也不改' })).json()).toMatchObject({ status: 400, code: 'selfservice.nothing_to_change', field: 'flavourCode' });
    for (const diskGb of [0, 65537, 1.5, '100']) {
      const bad = await t.staff.post(`/api/cloud/vms/${t.vmId}/actions/resize`, { diskGb, reason: '非法' });
      expect(bad.statusCode, String(diskGb)).toBe(400);
      expect(bad.json().field).toContain('diskGb');
    }
    expect(await requestsOf(t.dept.id)).toBe(requests);
    expect(await quotaOf(db, t.dept.id)).toEqual(BASE);
    expect(await diskOf(t.vmId)).toBe(40);
  });

  it('reserves only the disk’s growth and gives it back exactly once on rejection and on cancellation', async () => {
    const w = await newCloudWorld(db);
    const t = await teamWithVm(w);
    const grow = await t.staff.post(`/api/cloud/vms/${t.vmId}/actions/resize`, { diskGb: 100, reason: '数据增长' });
    expect(grow.statusCode).toBe(201);
    expect(grow.json()).toMatchObject({ kind: 'resize', state: 'pending_department', vcpus: 1, memoryMb: 1024, diskGb: 100 });
    expect(await quotaOf(db, t.dept.id)).toEqual({ ...BASE, diskGb: 100 });
    const rejected = await t.admin.post(`/api/cloud/requests/${grow.json().id}/department-decision`, { decision: 'reject', note: '暂不扩容' });
    expect(rejected.json().state).toBe('rejected');
    expect(await quotaOf(db, t.dept.id)).toEqual(BASE);
    // a second rejection is refused and gives nothing back again
    expect((await t.admin.post(`/api/cloud/requests/${grow.json().id}/department-decision`, { decision: 'reject', note: '再驳回' })).statusCode).toBe(409);
    expect(await quotaOf(db, t.dept.id)).toEqual(BASE);

    // flavour and disk together: both growths reserved, both back on cancellation, once
    const both = (await t.staff.post(`/api/cloud/vms/${t.vmId}/actions/resize`, { flavourCode: w.large, diskGb: 60, reason: '扩容' })).json();
    expect(both).toMatchObject({ vcpus: 4, memoryMb: 8192, diskGb: 60 });
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: 4, memoryMb: 8192, diskGb: 60, vms: 1 });
    expect((await t.staff.post(`/api/cloud/requests/${both.id}/cancel`)).json().state).toBe('cancelled');
    expect((await t.staff.post(`/api/cloud/requests/${both.id}/cancel`)).statusCode).toBe(409);
    expect(await quotaOf(db, t.dept.id)).toEqual(BASE);
    expect(await diskOf(t.vmId)).toBe(40);
  });

  it('two growths submitted at once, with quota for one: one is admitted and reserved, the other refused, nothing twice', async () => {
    const w = await newCloudWorld(db);
    const t = await teamWithVm(w);
    // the department's storage quota is 400 GB with 40 in use: one growth to 300 fits, two do not
    const answers = await Promise.all([1, 2].map(() => t.staff.post(`/api/cloud/vms/${t.vmId}/actions/resize`, { diskGb: 300, reason: '并发扩容' })));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses[0]).toBe(201);
    expect(statuses[1]).toBeGreaterThanOrEqual(400);
    expect(statuses[1]).toBeLessThan(500);
    expect(await quotaOf(db, t.dept.id)).toEqual({ ...BASE, diskGb: 300 });
    expect(Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_vm_request WHERE vm_id = ${t.vmId} AND kind = 'resize'`.execute(db)).rows[0]!.n)).toBe(1);
  });

  it('a pool without room for the growth fails the request at approval: quota, host and pool as before', async () => {
    const w = await newCloudWorld(db, { poolGb: 100 });
    const t = await teamWithVm(w);
    expect(await poolOf(w.poolId)).toBe(40);
    const r = (await t.staff.post(`/api/cloud/vms/${t.vmId}/actions/resize`, { flavourCode: w.large, diskGb: 101, reason: '扩容' })).json();
    const host = await db.selectFrom('cloud_host').select('vcpus_allocated').where('id', '=', w.hostIds[0]!).executeTakeFirstOrThrow();
    const done = await approve(t, r.id);
    expect(done).toMatchObject({ state: 'failed', failure: 'cloud.no_capacity' });
    expect(done.timeline.at(-1)).toMatchObject({ action: 'place', note: 'cloud.no_capacity: storage' });
    expect(await poolOf(w.poolId)).toBe(40);
    expect(await db.selectFrom('cloud_host').select('vcpus_allocated').where('id', '=', w.hostIds[0]!).executeTakeFirstOrThrow()).toEqual(host);
    expect(await quotaOf(db, t.dept.id)).toEqual(BASE);
    expect(await diskOf(t.vmId)).toBe(40);
  });

  it.skipIf(!installed)('the hypervisor settles it on test:///default: the VM has the larger disk, the growth counted once; a redelivery changes nothing', async () => {
    const w = await newCloudWorld(db);
    const t = await teamWithVm(w, 'test:///default');
    const r = (await t.staff.post(`/api/cloud/vms/${t.vmId}/actions/resize`, { diskGb: 100, reason: '数据增长' })).json();
    const approved = await approve(t, r.id);
    expect(approved.state).toBe('provisioning');
    expect(approved.vmEvents.at(-1)).toMatchObject({ action: 'resize', outcome: 'requested', detail: { diskGb: 100 } });
    expect(await poolOf(w.poolId)).toBe(100);
    const job = await jobOf(t.vmId, 'resize');
    expect(job.message).toMatchObject({ action: 'resize', diskGb: 100 });
    expect(await hv.handle(job.message, job.key)).toMatchObject({ outcome: 'succeeded', state: 'running' });
    expect(await diskOf(t.vmId)).toBe(100);
    expect(await quotaOf(db, t.dept.id)).toEqual({ ...BASE, diskGb: 100 });
    expect(await poolOf(w.poolId)).toBe(100);
    expect((await t.staff.get(`/api/cloud/requests/${r.id}`)).json().state).toBe('done');
    expect(await hv.handle(job.message, job.key)).toMatchObject({ outcome: 'skipped' });
    expect(await quotaOf(db, t.dept.id)).toEqual({ ...BASE, diskGb: 100 });
    expect(await poolOf(w.poolId)).toBe(100);
  });

  it.skipIf(!installed)('the hypervisor fails it on test:///default: the disk’s growth goes back to quota and pool once, the VM keeps its disk', async () => {
    const w = await newCloudWorld(db);
    const t = await teamWithVm(w, 'test:///default');
    const r = (await t.staff.post(`/api/cloud/vms/${t.vmId}/actions/resize`, { diskGb: 100, reason: '数据增长' })).json();
    await approve(t, r.id);
    expect(await poolOf(w.poolId)).toBe(100);
    // the domain vanished behind our back
    const vm = await db.selectFrom('cloud_vm').select('domain_name').where('id', '=', t.vmId).executeTakeFirstOrThrow();
    await connect('test:///default', { timeoutMs: 60_000 }).undefine(vm.domain_name);
    const job = await jobOf(t.vmId, 'resize');
    const result = await hv.handle(job.message, job.key);
    expect(result).toMatchObject({ outcome: 'failed' });
    expect(await diskOf(t.vmId)).toBe(40);
    expect(await quotaOf(db, t.dept.id)).toEqual(BASE);
    expect(await poolOf(w.poolId)).toBe(40);
    expect(await hv.handle(job.message, job.key)).toMatchObject({ outcome: 'skipped' });
    expect(await quotaOf(db, t.dept.id)).toEqual(BASE);
    expect(await poolOf(w.poolId)).toBe(40);
  });
});
