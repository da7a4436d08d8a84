// Cloud inventory for tests: a world of its own per call — a network zone, flavours and an image with unique codes, a
// room with hosts and a pool in that zone only, a department with its quota and business system. Written to the
// tables directly: the inventory's write service is another part of issue 10 (the lead's own capacity test does the same).
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
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
