// Self-service placement through the placement module (issue 10, D108): spread with anti-affinity, the N+1 reserve
// kept where it can be, a broken reserve refused or placed-and-flagged under the policy, a host whose room has no disk
// given back; and a failed resize (no room on the host, or the hypervisor's error on test:///default) giving back what
// it reserved.
import { beforeAll, describe, expect, it } from 'vitest';
import { VM_ACTION_TOPIC, type VmActionMessage } from '../../src/modules/cloud/index.ts';
import { connect, virshInstalled, type HypervisorService } from '../../src/modules/hypervisor/index.ts';
import { placeVm } from '../../src/modules/selfservice/placing.ts';
import { login, testApp, type Client } from '../support/app.ts';
import { newCloudDepartment, newCloudWorld, quotaOf } from '../support/cloud-factories.ts';
import { testDb } from '../support/db.ts';
import { newUser, uniq } from '../support/factories.ts';
import { testHypervisorService } from '../support/hypervisor-factories.ts';
import { inRolledBackTransaction } from '../support/rollback.ts';

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

/** A department whose every request of up to 4 vCPU / 8 GB is approved at once, and its staff member signed in. */
async function autoTeam() {
  const dept = await newCloudDepartment(db, { vcpus: 32, memoryMb: 65536, diskGb: 4000, vms: 20 });
  const user = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  const admin = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
  await platform.request('PUT', '/api/cloud/approval-policy', { departmentId: dept.id, departmentStepRequired: false, autoMaxVcpus: 4, autoMaxMemoryMb: 8192, autoMaxDiskGb: 500 });
  return { dept, staff: await login(app, user.username, user.password), admin: await login(app, admin.username, admin.password) };
}

const request = (t: Awaited<ReturnType<typeof autoTeam>>, w: World, over: Record<string, unknown> = {}) =>
  t.staff.post('/api/cloud/requests', { name: `测试主机${uniq()}`, flavourCode: w.small, imageCode: w.image, diskGb: 40, zoneCode: w.zone, businessSystemId: t.dept.systemId, reason: '上线', ...over });

const hostsOf = async (ids: string[]) =>
  (await db.selectFrom('cloud_host').select(['id', 'vcpus_allocated', 'memory_mb_allocated']).where('id', 'in', ids).orderBy('code').execute()).map((h) => ({ ...h, memory_mb_allocated: Number(h.memory_mb_allocated) }));

describe('self-service places through the placement module', () => {
  it('spreads an HA group over hosts (anti-affinity), keeps the N+1 reserve, and refuses a third member when no host is free of it', async () => {
    const w = await newCloudWorld(db, { hosts: 2, hostVcpus: 16, hostMemoryMb: 32768 });
    const t = await autoTeam();
    const group = `ha-${uniq()}`;
    const a = (await request(t, w, { haGroup: group })).json();
    const b = (await request(t, w, { haGroup: group })).json();
    expect([a.state, b.state]).toEqual(['provisioning', 'provisioning']);
    expect(new Set([a.vm.hostCode, b.vm.hostCode]).size).toBe(2);
    // the reserve held: no flag on the timeline or the ledger
    expect(a.timeline.at(-1)).toMatchObject({ action: 'place', note: '' });
    expect(a.vmEvents[0].detail).toMatchObject({ reserveKept: true });
    const c = (await request(t, w, { haGroup: group })).json();
    expect(c).toMatchObject({ state: 'failed', failure: 'cloud.no_capacity', vm: null });
    expect(c.timeline.at(-1)).toMatchObject({ action: 'place', note: 'cloud.no_capacity: anti_affinity' });
    // the failed one gave its quota back
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: 2, memoryMb: 2048, diskGb: 80, vms: 2 });
  });

  it('places on a one-host pool without the reserve under the default policy, flagging it on the timeline and the ledger', async () => {
    const policy = (await platform.get('/api/cloud/placement/policy')).json();
    expect(policy).toMatchObject({ reserveShortfall: 'place' });
    const w = await newCloudWorld(db, { hosts: 1 });
    const t = await autoTeam();
    const r = (await request(t, w)).json();
    expect(r.state).toBe('provisioning');
    expect(r.timeline.at(-1)).toMatchObject({ action: 'place', note: 'cloud.reserve_not_kept' });
    expect(r.vmEvents[0].detail).toMatchObject({ reserveKept: false, hostId: w.hostIds[0], poolId: w.poolId });
  });

  it('under reserveShortfall refuse, a broken reserve is cloud.no_capacity (reserve) with nothing claimed; under place, the VM goes and is flagged', async () => {
    const w = await newCloudWorld(db, { hosts: 1 });
    const demand = { vcpus: 2, memoryMb: 2048, diskGb: 30, zone: w.zone, haGroup: null };
    await inRolledBackTransaction(db, async (trx) => {
      expect(await placeVm(trx, demand, { policy: { weigher: 'spread', reserveHosts: 1, reserveShortfall: 'refuse' } })).toEqual({ refused: 'reserve' });
      const host = await trx.selectFrom('cloud_host').select(['vcpus_allocated']).where('id', '=', w.hostIds[0]!).executeTakeFirstOrThrow();
      expect(host.vcpus_allocated).toBe(0);
      const pool = await trx.selectFrom('cloud_storage_pool').select('allocated_gb').where('id', '=', w.poolId).executeTakeFirstOrThrow();
      expect(Number(pool.allocated_gb)).toBe(0);
      expect(await placeVm(trx, demand, { policy: { weigher: 'spread', reserveHosts: 1, reserveShortfall: 'place' } })).toEqual({ hostId: w.hostIds[0], poolId: w.poolId, reserveKept: false });
      expect(await placeVm(trx, demand, { policy: { weigher: 'spread', reserveHosts: 0 } })).toEqual({ hostId: w.hostIds[0], poolId: w.poolId, reserveKept: true });
      expect(await trx.selectFrom('cloud_host').select('vcpus_allocated').where('id', '=', w.hostIds[0]!).executeTakeFirstOrThrow()).toEqual({ vcpus_allocated: 4 });
    });
  });

  it('gives a host back when its room has no disk left and places on a host of another room', async () => {
    const w = await newCloudWorld(db, { hosts: 1, poolGb: 10 });
    const room = await db.insertInto('cloud_room').values({ code: uniq('room'), name: '第二机房', kind: 'datacenter', region_code: '6505', region_path: '/6505/' }).returning('id').executeTakeFirstOrThrow();
    const pool = await db.insertInto('cloud_storage_pool').values({ code: uniq('pool'), name: '第二存储池', room_id: room.id, kind: 'fc_san', capacity_gb: 1000 }).returning('id').executeTakeFirstOrThrow();
    // the second host is busier, so spread picks the first one (no disk there) first
    const other = await db
      .insertInto('cloud_host')
      .values({ code: uniq('hz'), name: '宿主机B', room_id: room.id, cpu_cores: 8, cpu_ratio: 1, memory_mb: 16384, memory_ratio: 1, local_disk_gb: 0, zones: [w.zone], vcpus_allocated: 1, memory_mb_allocated: 1024 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await inRolledBackTransaction(db, async (trx) => {
      const placed = await placeVm(trx, { vcpus: 1, memoryMb: 1024, diskGb: 40, zone: w.zone }, { policy: { weigher: 'spread', reserveHosts: 0 } });
      expect(placed).toEqual({ hostId: other.id, poolId: pool.id, reserveKept: true });
      const first = await trx.selectFrom('cloud_host').select('vcpus_allocated').where('id', '=', w.hostIds[0]!).executeTakeFirstOrThrow();
      expect(first.vcpus_allocated).toBe(0);
    });
  });

  it('the placement policy carries reserveShortfall: validated, written back unchanged when absent, audited', async () => {
    const before = (await platform.get('/api/cloud/placement/policy')).json();
    const bad = await platform.request('PUT', '/api/cloud/placement/policy', { weigher: before.weigher, reserveHosts: before.reserveHosts, reserveShortfall: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toContain('reserveShortfall');
    // other tests share the pool's policy: the same values written back
    const same = await platform.request('PUT', '/api/cloud/placement/policy', { weigher: before.weigher, reserveHosts: before.reserveHosts, reserveShortfall: before.reserveShortfall });
    expect(same.json()).toMatchObject({ reserveShortfall: before.reserveShortfall, version: before.version + 1 });
    const absent = await platform.request('PUT', '/api/cloud/placement/policy', { weigher: before.weigher, reserveHosts: before.reserveHosts });
    expect(absent.json()).toMatchObject({ reserveShortfall: before.reserveShortfall });
    const audit = await db.selectFrom('audit_log').select('detail').where('action', '=', 'cloud.placement_policy.update').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ reserveShortfall: before.reserveShortfall, before: { reserveShortfall: before.reserveShortfall } });
  });
});

describe('a failed resize gives back what it reserved', () => {
  /** A running VM of 1 vCPU / 1 GB of an auto-approving team, then a resize to 4 vCPU / 8 GB needing both approvals. */
  async function resizeRequested(w: World) {
    const t = await autoTeam();
    const r = (await request(t, w)).json();
    const vmId = r.vm.id as string;
    return { t, vmId };
  }
  const askResize = async (t: Awaited<ReturnType<typeof autoTeam>>, w: World, vmId: string) => {
    await platform.request('PUT', '/api/cloud/approval-policy', { departmentId: t.dept.id, departmentStepRequired: true, autoMaxVcpus: 0, autoMaxMemoryMb: 0, autoMaxDiskGb: 0 });
    const resize = (await t.staff.post(`/api/cloud/vms/${vmId}/actions/resize`, { flavourCode: w.large, reason: '业务增长' })).json();
    expect(resize.state).toBe('pending_department');
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: 4, memoryMb: 8192, diskGb: 40, vms: 1 });
    await t.admin.post(`/api/cloud/requests/${resize.id}/department-decision`, { decision: 'approve' });
    return (await platform.post(`/api/cloud/requests/${resize.id}/platform-decision`, { decision: 'approve' })).json();
  };

  it('no room on the VM’s host: the request fails cloud.no_capacity, the growth goes back to the quota, the host keeps its allocation', async () => {
    const w = await newCloudWorld(db, { hosts: 1 });
    const { t, vmId } = await resizeRequested(w);
    await db.updateTable('cloud_vm').set({ state: 'running' }).where('id', '=', vmId).execute();
    await db.updateTable('cloud_vm_request').set({ state: 'done' }).where('vm_id', '=', vmId).execute();
    // someone else filled the host meanwhile
    await db.updateTable('cloud_host').set({ vcpus_allocated: 7 }).where('id', '=', w.hostIds[0]!).execute();
    const done = await askResize(t, w, vmId);
    expect(done).toMatchObject({ state: 'failed', failure: 'cloud.no_capacity' });
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: 1, memoryMb: 1024, diskGb: 40, vms: 1 });
    expect((await hostsOf(w.hostIds))[0]).toMatchObject({ vcpus_allocated: 7 });
    expect(await db.selectFrom('cloud_vm').select(['vcpus', 'memory_mb']).where('id', '=', vmId).executeTakeFirstOrThrow()).toEqual({ vcpus: 1, memory_mb: 1024 });
  });

  it.skipIf(!installed)('the hypervisor fails the resize on test:///default: quota and host capacity go back, the VM keeps its shape', async () => {
    const w = await newCloudWorld(db, { hosts: 1 });
    await db.updateTable('cloud_host').set({ hypervisor_uri: 'test:///default' }).where('id', '=', w.hostIds[0]!).execute();
    const { t, vmId } = await resizeRequested(w);
    const job = async (action: string) => {
      const row = await db.selectFrom('job').select(['payload', 'unique_key']).where('name', '=', `outbox:${VM_ACTION_TOPIC}`).where('unique_key', 'like', `${vmId}:${action}:%`).executeTakeFirstOrThrow();
      return { message: row.payload as VmActionMessage, key: row.unique_key! };
    };
    const provision = await job('provision');
    expect(await hv.handle(provision.message, provision.key)).toMatchObject({ outcome: 'succeeded', state: 'running' });
    const before = (await hostsOf(w.hostIds))[0]!;
    expect(before).toMatchObject({ vcpus_allocated: 1, memory_mb_allocated: 1024 });

    const approved = await askResize(t, w, vmId);
    expect(approved.state).toBe('provisioning');
    // the growth is claimed on the host while the hypervisor works
    expect((await hostsOf(w.hostIds))[0]).toMatchObject({ vcpus_allocated: 4, memory_mb_allocated: 8192 });
    // the domain vanished behind our back: the hypervisor step fails, its compensation gives the growth back
    const vm = await db.selectFrom('cloud_vm').select('domain_name').where('id', '=', vmId).executeTakeFirstOrThrow();
    await connect('test:///default', { timeoutMs: 60_000 }).undefine(vm.domain_name);
    const resize = await job('resize');
    const result = await hv.handle(resize.message, resize.key);
    expect(result).toMatchObject({ outcome: 'failed', state: 'running' });
    expect(result.error).toMatch(/hypervisor\.no_domain/);
    expect((await hostsOf(w.hostIds))[0]).toMatchObject({ vcpus_allocated: 1, memory_mb_allocated: 1024 });
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: 1, memoryMb: 1024, diskGb: 40, vms: 1 });
    const view = (await t.staff.get(`/api/cloud/requests/${approved.id}`)).json();
    expect(view).toMatchObject({ state: 'failed', failure: expect.stringContaining('hypervisor.no_domain') });
    // delivered again: settled already, nothing given back twice
    expect(await hv.handle(resize.message, resize.key)).toMatchObject({ outcome: 'skipped' });
    expect(await quotaOf(db, t.dept.id)).toEqual({ vcpus: 1, memoryMb: 1024, diskGb: 40, vms: 1 });
  });
});
