// Cloud test factories (issue 10): a world of its own per call for self-service — a network zone, flavours and an image
// with unique codes, a room with hosts and a pool in that zone only, a department with its quota — and, for the
// inventory, a host, a business system, a VM and a legacy room with servers. Fresh codes each time: tests isolate by data.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { claimHostCapacity, reserveQuota } from '../../src/modules/cloud/index.ts';
import { newDepartment, uniq } from './factories.ts';

type Db = Kysely<Database>;

export interface CloudWorld {
  zone: string;
  /** A zone nobody was granted and that is not open to all. */
  closedZone: string;
  small: string;
  large: string;
  retiredFlavour: string;
  image: string;
  retiredImage: string;
  roomId: string;
  hostIds: string[];
  poolId: string;
}

/** Flavours (small 1 vCPU/1 GB, large 4 vCPU/8 GB), an image needing 20 GB, and `hosts` hosts of 8 vCPU/16 GB in a fresh zone. */
export async function newCloudWorld(db: Db, options: { hosts?: number; hostVcpus?: number; hostMemoryMb?: number; poolGb?: number } = {}): Promise<CloudWorld> {
  const tag = uniq();
  const zone = `z${tag}`;
  const closedZone = `zc${tag}`;
  await db.insertInto('cloud_zone').values([{ code: zone, name: `测试区域${tag}`, open_to_all: true }, { code: closedZone, name: `受限区域${tag}`, open_to_all: false }]).execute();
  const [small, large, retiredFlavour] = [`s${tag}`, `l${tag}`, `r${tag}`];
  await db
    .insertInto('cloud_flavour')
    .values([
      { code: small, name: `1核1G ${tag}`, vcpus: 1, memory_mb: 1024 },
      { code: large, name: `4核8G ${tag}`, vcpus: 4, memory_mb: 8192 },
      { code: retiredFlavour, name: `停用 ${tag}`, vcpus: 1, memory_mb: 1024, active: false },
    ])
    .execute();
  const [image, retiredImage] = [`i${tag}`, `ri${tag}`];
  await db.insertInto('cloud_image').values([{ code: image, name: `麒麟V10 ${tag}`, os: 'Kylin V10', min_disk_gb: 20 }, { code: retiredImage, name: `旧镜像 ${tag}`, os: 'CentOS 7', min_disk_gb: 20, active: false }]).execute();
  const room = await db
    .insertInto('cloud_room')
    .values({ code: `room${tag}`, name: `测试机房${tag}`, kind: 'datacenter', region_code: '6505', region_path: '/6505/' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const pool = await db.insertInto('cloud_storage_pool').values({ code: `pool${tag}`, name: `存储池${tag}`, room_id: room.id, kind: 'fc_san', capacity_gb: options.poolGb ?? 100_000, allocated_gb: 0, used_gb: 0 }).returning('id').executeTakeFirstOrThrow();
  const hostIds: string[] = [];
  for (let i = 0; i < (options.hosts ?? 1); i++) {
    const host = await db
      .insertInto('cloud_host')
      .values({ code: `h${tag}${i}`, name: `宿主机${i}`, room_id: room.id, cpu_cores: options.hostVcpus ?? 8, cpu_ratio: 1, memory_mb: options.hostMemoryMb ?? 16384, memory_ratio: 1, local_disk_gb: 0, zones: [zone], memory_mb_allocated: 0, hypervisor_uri: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    hostIds.push(host.id);
  }
  return { zone, closedZone, small, large, retiredFlavour, image, retiredImage, roomId: room.id, hostIds, poolId: pool.id };
}

/** A department with a quota and an active business system. */
export async function newCloudDepartment(db: Db, quota: { vcpus: number; memoryMb: number; diskGb: number; vms: number }, regionCode = '650502') {
  const dept = await newDepartment(db, { regionCode });
  const region = await db.selectFrom('region').select('path').where('code', '=', regionCode).executeTakeFirstOrThrow();
  await db.insertInto('cloud_quota').values({ department_id: dept.id, vcpus_limit: quota.vcpus, memory_mb_limit: quota.memoryMb, disk_gb_limit: quota.diskGb, vms_limit: quota.vms }).execute();
  const system = await db
    .insertInto('cloud_business_system')
    .values({ department_id: dept.id, region_code: regionCode, region_path: region.path, code: uniq('BS'), name: `业务系统${dept.code}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...dept, systemId: system.id, regionPath: region.path };
}

/** Quota use of a department. */
export async function quotaOf(db: Db, departmentId: string) {
  const q = await db.selectFrom('cloud_quota').selectAll().where('department_id', '=', departmentId).executeTakeFirstOrThrow();
  return { vcpus: q.vcpus_used, memoryMb: Number(q.memory_mb_used), diskGb: Number(q.disk_gb_used), vms: q.vms_used };
}

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
