// Factories of the hypervisor tests: a fresh department with a quota, a room, a storage pool and a host on a given
// libvirt URI, and VMs placed on it with their reservation taken the way self-service takes it (quota, host, pool).
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { claimHostCapacity, claimPoolCapacity, reserveQuota, type VmState } from '../../src/modules/cloud/index.ts';
import { connect, hypervisorConfig, HypervisorService, type HypervisorConfig } from '../../src/modules/hypervisor/index.ts';
import type { Hypervisor } from '../../src/modules/cloud/index.ts';
import { systemClock } from '../../src/platform/clock.ts';
import type { Services } from '../../src/services.ts';
import { newDepartment, newUser, uniq } from './factories.ts';

export interface CloudFixture {
  departmentId: string;
  regionCode: string;
  regionPath: string;
  hostId: string;
  poolId: string;
  zone: string;
  userId: string;
}

export async function cloudFixture(db: Kysely<Database>, uri: string | null): Promise<CloudFixture> {
  const dept = await newDepartment(db);
  const user = await newUser(db, { departmentId: dept.id });
  const region = await db.selectFrom('region').select(['code', 'path']).where('code', '=', dept.region_code).executeTakeFirstOrThrow();
  await db.insertInto('cloud_quota').values({ department_id: dept.id, vcpus_limit: 64, memory_mb_limit: 65536, disk_gb_limit: 1000, vms_limit: 40 }).execute();
  const zone = uniq('zone-');
  await db.insertInto('cloud_zone').values({ code: zone, name: '测试区', open_to_all: true }).execute();
  const room = await db.insertInto('cloud_room').values({ code: uniq('room-'), name: '测试机房', kind: 'datacenter', region_code: region.code, region_path: region.path }).returning('id').executeTakeFirstOrThrow();
  const pool = await db.insertInto('cloud_storage_pool').values({ code: uniq('pool-'), name: '测试存储', room_id: room.id, kind: 'fc_san', capacity_gb: 1000 }).returning('id').executeTakeFirstOrThrow();
  const host = await db
    .insertInto('cloud_host')
    .values({ code: uniq('host-'), name: '测试宿主机', room_id: room.id, cpu_cores: 16, cpu_ratio: 2, memory_mb: 32768, zones: [zone], hypervisor_uri: uri })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { departmentId: dept.id, regionCode: region.code, regionPath: region.path, hostId: host.id, poolId: pool.id, zone, userId: user.id };
}

/** A VM placed on the fixture's host with its reservation taken; optionally a self-service request behind it. */
export async function placedVm(db: Kysely<Database>, f: CloudFixture, input: { vcpus?: number; memoryMb?: number; diskGb?: number; state?: VmState; withRequest?: boolean; domainName?: string } = {}) {
  const vcpus = input.vcpus ?? 1;
  const memoryMb = input.memoryMb ?? 64;
  const diskGb = input.diskGb ?? 1;
  return db.transaction().execute(async (trx) => {
    if ((await reserveQuota(trx, f.departmentId, { vcpus, memoryMb, diskGb, vms: 1 })) !== null) throw new Error('quota refused');
    if (!(await claimHostCapacity(trx, f.hostId, vcpus, memoryMb))) throw new Error('host full');
    if (!(await claimPoolCapacity(trx, f.poolId, diskGb))) throw new Error('pool full');
    const vm = await trx
      .insertInto('cloud_vm')
      .values({
        domain_name: input.domainName ?? uniq('gc-t-'),
        name: '测试虚拟机',
        department_id: f.departmentId,
        region_code: f.regionCode,
        region_path: f.regionPath,
        vcpus,
        memory_mb: memoryMb,
        disk_gb: diskGb,
        zone_code: f.zone,
        host_id: f.hostId,
        storage_pool_id: f.poolId,
        state: input.state ?? 'provisioning',
        created_by: f.userId,
      })
      .returning(['id', 'domain_name'])
      .executeTakeFirstOrThrow();
    let requestId: string | null = null;
    if (input.withRequest) {
      const r = await trx
        .insertInto('cloud_vm_request')
        .values({
          request_no: uniq('REQ'),
          kind: 'create',
          department_id: f.departmentId,
          region_code: f.regionCode,
          region_path: f.regionPath,
          requested_by: f.userId,
          vm_id: vm.id,
          name: '测试虚拟机',
          vcpus,
          memory_mb: memoryMb,
          disk_gb: diskGb,
          zone_code: f.zone,
          reason: '测试',
          state: 'approved',
          quota_reserved: true,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      requestId = r.id;
    }
    return { id: vm.id, domainName: vm.domain_name, requestId };
  });
}

/** What the fixture's department, host and pool hold now. */
export async function held(db: Kysely<Database>, f: CloudFixture) {
  const q = await db.selectFrom('cloud_quota').selectAll().where('department_id', '=', f.departmentId).executeTakeFirstOrThrow();
  const h = await db.selectFrom('cloud_host').select(['vcpus_allocated', 'memory_mb_allocated', 'reconciled_at']).where('id', '=', f.hostId).executeTakeFirstOrThrow();
  const p = await db.selectFrom('cloud_storage_pool').select('allocated_gb').where('id', '=', f.poolId).executeTakeFirstOrThrow();
  return { quotaVcpus: q.vcpus_used, quotaMemoryMb: Number(q.memory_mb_used), quotaDiskGb: Number(q.disk_gb_used), quotaVms: q.vms_used, hostVcpus: h.vcpus_allocated, hostMemoryMb: Number(h.memory_mb_allocated), poolGb: Number(p.allocated_gb), reconciledAt: h.reconciled_at };
}

export async function vmRow(db: Kysely<Database>, id: string) {
  return db.selectFrom('cloud_vm').select(['state', 'state_detail', 'vcpus', 'memory_mb', 'decommissioned_at']).where('id', '=', id).executeTakeFirstOrThrow();
}

export async function ledger(db: Kysely<Database>, id: string) {
  return db.selectFrom('cloud_vm_event').select(['action', 'outcome', 'state', 'detail']).where('vm_id', '=', id).orderBy('seq').execute();
}

/** The settled events enqueued for a VM. */
export async function settledEvents(db: Kysely<Database>, vmId: string) {
  const rows = await db.selectFrom('job').select(['payload', 'unique_key']).where('name', '=', 'outbox:cloud.vm_action_settled').execute();
  return rows.filter((r) => (r.payload as { vmId?: string }).vmId === vmId).map((r) => r.payload as { vmId: string; action: string; outcome: string; requestId: string | null; error?: string });
}

/** A hypervisor service over the app's audit and outbox, diskless and forcing stops at once (test domains have no OS). */
export function testHypervisorService(db: Kysely<Database>, services: Services): HypervisorService {
  return new HypervisorService({ db, clock: systemClock, audit: services.audit, outbox: services.outbox, config: { ...hypervisorConfig({}), disks: false, stopGraceMs: 0, timeoutMs: 60_000 } });
}

/** A hypervisor service whose host URI `uri` is served by `driver` (real QEMU tests): diskless unless told, stops forced. */
export function serviceOver(db: Kysely<Database>, services: Services, uri: string, driver: Hypervisor, config: Partial<HypervisorConfig> = {}): HypervisorService {
  return new HypervisorService({
    db,
    clock: systemClock,
    audit: services.audit,
    outbox: services.outbox,
    config: { ...hypervisorConfig({}), disks: false, stopGraceMs: 0, timeoutMs: 120_000, ...config },
    connect: (u) => (u === uri ? driver : connect(u)),
  });
}
