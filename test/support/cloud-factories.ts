// Cloud factories (issue 10): a data-centre room with a host in a zone of its own, a business system and a VM of a
// department, and a legacy room with servers. Fresh codes each time, so tests isolate by data. VM rows are written
// directly (the self-service module owns their creation); counters are claimed with the contract's functions.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { claimHostCapacity, reserveQuota } from '../../src/modules/cloud/index.ts';
import { uniq } from './factories.ts';

async function regionOf(db: Kysely<Database>, departmentId: string) {
  return db.selectFrom('department as d').innerJoin('region as g', 'g.code', 'd.region_code').select(['d.region_code', 'g.path']).where('d.id', '=', departmentId).executeTakeFirstOrThrow();
}

export async function newCloudHost(db: Kysely<Database>, input: { zone?: string; cpuCores?: number } = {}) {
  const zone = input.zone ?? uniq('z-');
  await db.insertInto('cloud_zone').values({ code: zone, name: `测试区域${zone}`, open_to_all: true }).onConflict((oc) => oc.doNothing()).execute();
  const room = await db.insertInto('cloud_room').values({ code: uniq('dc-'), name: '测试数据中心', kind: 'datacenter', region_code: '6505', region_path: '/6505/' }).returning('id').executeTakeFirstOrThrow();
  const host = await db
    .insertInto('cloud_host')
    .values({ code: uniq('h-'), name: '测试宿主机', room_id: room.id, cpu_cores: input.cpuCores ?? 16, cpu_ratio: 2, memory_mb: 65536, zones: [zone] })
    .returning(['id', 'code'])
    .executeTakeFirstOrThrow();
  return { zone, roomId: room.id, hostId: host.id, hostCode: host.code };
}

export async function newSystem(db: Kysely<Database>, departmentId: string, name = '测试业务系统') {
  const r = await regionOf(db, departmentId);
  return db
    .insertInto('cloud_business_system')
    .values({ department_id: departmentId, region_code: r.region_code, region_path: r.path, code: uniq('SYS-'), name })
    .returning(['id', 'code', 'name'])
    .executeTakeFirstOrThrow();
}

/** A running VM of the department on the host, its quota (made if missing) and the host's capacity claimed. */
export async function newVm(db: Kysely<Database>, input: { departmentId: string; hostId: string; zone: string; systemId?: string; vcpus?: number; memoryMb?: number; name?: string }) {
  const r = await regionOf(db, input.departmentId);
  const vcpus = input.vcpus ?? 2;
  const memoryMb = input.memoryMb ?? 4096;
  await db.insertInto('cloud_quota').values({ department_id: input.departmentId, vcpus_limit: 64, memory_mb_limit: 262144, disk_gb_limit: 4000, vms_limit: 20 }).onConflict((oc) => oc.doNothing()).execute();
  if ((await reserveQuota(db, input.departmentId, { vcpus, memoryMb, diskGb: 50, vms: 1 })) !== null) throw new Error('test quota refused');
  if (!(await claimHostCapacity(db, input.hostId, vcpus, memoryMb))) throw new Error('test host full');
  const id = crypto.randomUUID();
  await db
    .insertInto('cloud_vm')
    .values({ id, domain_name: `gc-${id.replace(/-/g, '').slice(0, 12)}`, name: input.name ?? uniq('测试虚拟机'), department_id: input.departmentId, region_code: r.region_code, region_path: r.path, business_system_id: input.systemId ?? null, vcpus, memory_mb: memoryMb, disk_gb: 50, zone_code: input.zone, host_id: input.hostId, state: 'running' })
    .execute();
  await db.insertInto('cloud_vm_event').values({ vm_id: id, seq: 1, action: 'provision', outcome: 'succeeded', state: 'running', detail: JSON.stringify({ test: true }) }).execute();
  return { id, vcpus, memoryMb };
}

/** A pre-consolidation room of a department (or a community room when departmentId is null) with servers. */
export async function newLegacyRoom(db: Kysely<Database>, input: { departmentId?: string | null; regionCode: string; servers?: { cores: number; powerWatts: number; utilisation?: number; vmId?: string }[] }) {
  const region = await db.selectFrom('region').select(['code', 'path']).where('code', '=', input.regionCode).executeTakeFirstOrThrow();
  const room = await db
    .insertInto('cloud_room')
    .values({ code: uniq('lr-'), name: uniq('测试机房'), kind: input.departmentId ? 'legacy_department' : 'legacy_community', department_id: input.departmentId ?? null, region_code: region.code, region_path: region.path, status: 'retired' })
    .returning(['id', 'code', 'name'])
    .executeTakeFirstOrThrow();
  const servers = input.servers ?? [{ cores: 8, powerWatts: 400 }];
  await db
    .insertInto('cloud_legacy_server')
    .values(servers.map((s, i) => ({ room_id: room.id, name: `SRV${i + 1}`, cpu_cores: s.cores, memory_gb: 32, avg_cpu_utilisation: s.utilisation ?? 10, power_watts: s.powerWatts, annual_cost_yuan: 3000, vm_id: s.vmId ?? null })))
    .execute();
  return room;
}
