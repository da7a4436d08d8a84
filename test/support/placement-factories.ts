// Placement fixtures (issue 10 §3): a room with hosts in a zone of its own, and VMs holding capacity on them, written
// straight to the inventory tables (the inventory service is another branch's) so each test owns its small pool.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { uniq } from './factories.ts';

export interface Pool {
  zone: string;
  roomId: string;
  hosts: { id: string; code: string }[];
}

/** A room in `regionCode` with `hosts` hosts of `cores` cores at ratio 1 (vCPUs = cores), all in a fresh zone. */
export async function newPool(db: Kysely<Database>, input: { regionCode: string; hosts: number; cores?: number; memoryMb?: number }): Promise<Pool> {
  const region = await db.selectFrom('region').select(['code', 'path']).where('code', '=', input.regionCode).executeTakeFirstOrThrow();
  const zone = uniq('z-');
  await db.insertInto('cloud_zone').values({ code: zone, name: `测试区域${zone}` }).execute();
  const room = await db.insertInto('cloud_room').values({ code: uniq('room-'), name: `测试机房${zone}`, kind: 'datacenter', region_code: region.code, region_path: region.path }).returning('id').executeTakeFirstOrThrow();
  const hosts = [];
  for (let i = 0; i < input.hosts; i++) {
    const code = `${zone}-h${i}`;
    const row = await db
      .insertInto('cloud_host')
      .values({ code, name: `宿主机${i + 1}`, room_id: room.id, cpu_cores: input.cores ?? 8, cpu_ratio: 1, memory_mb: input.memoryMb ?? 65536, zones: [zone] })
      .returning('id')
      .executeTakeFirstOrThrow();
    hosts.push({ id: row.id, code });
  }
  return { zone, roomId: room.id, hosts };
}

/** A running VM of `departmentId` on `hostId`, its capacity claimed. */
export async function newVm(db: Kysely<Database>, input: { departmentId: string; hostId: string; zone: string; vcpus: number; memoryMb?: number; haGroup?: string; name?: string }) {
  const dept = await db.selectFrom('department as d').innerJoin('region as r', 'r.code', 'd.region_code').select(['d.region_code', 'r.path']).where('d.id', '=', input.departmentId).executeTakeFirstOrThrow();
  const memoryMb = input.memoryMb ?? input.vcpus * 2048;
  const vm = await db
    .insertInto('cloud_vm')
    .values({
      domain_name: uniq('gc-t'),
      name: input.name ?? uniq('测试虚拟机'),
      department_id: input.departmentId,
      region_code: dept.region_code,
      region_path: dept.path,
      vcpus: input.vcpus,
      memory_mb: memoryMb,
      disk_gb: 20,
      zone_code: input.zone,
      ha_group: input.haGroup ?? null,
      host_id: input.hostId,
      state: 'running',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('cloud_host')
    .set({ vcpus_allocated: sql`vcpus_allocated + ${input.vcpus}`, memory_mb_allocated: sql`memory_mb_allocated + ${memoryMb}` })
    .where('id', '=', input.hostId)
    .execute();
  return { id: vm.id };
}
