// Demo data of the cloud resource pool (issue 10 §8): the 哈密市 data centre with a redundant FC SAN pair and 7 hosts in
// three network zones; the 101 pre-consolidation rooms (56 of seeded departments, 45 in real communities of the
// prefecture) with 1–6 servers each, retired; ~60 business systems of the seeded departments with 1–3 VMs each (two or
// more: an HA group), placed on the hosts by the placement code and charged to host capacity, SAN capacity and the
// department's quota with the contract's counters, so every counter agrees with the VMs. Legacy servers point at the
// VM their workload moved to. Deterministic (a seeded generator), bulk inserts, one audit record per step as the
// system actor; a second run writes nothing.
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { AuditService } from '../audit/index.ts';
import { claimHostCapacity, claimPoolCapacity, reserveQuota } from './capacity.ts';
import { COMMUNITY_MODELS, DEMO_FLAVOURS, DEMO_IMAGES, DEMO_SYSTEMS, DEMO_ZONES, LEGACY_MODELS, LEGACY_ROOM_DEPARTMENTS } from './demo-data.ts';
import { place, type HostSnapshot, type PlacementDemand, type PlacementResult } from './placement/index.ts';

export const DEMO_HOSTS = 7;
export const DEMO_COMMUNITY_ROOMS = 45;

/** A small deterministic generator, so every demo looks the same. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/**
 * The demo's placement: the real placement code, spread with anti-affinity for HA groups and the N+1 reserve while it
 * can be kept. The migrated workload has to land somewhere, so a VM the reserve refuses is placed without it — the
 * zones of the demo pool are small, and the placement view's host-failure simulation then shows what would not restart.
 */
function chooseHost(hosts: readonly HostSnapshot[], demand: PlacementDemand): PlacementResult {
  const kept = place(hosts, demand, { weigher: 'spread', reserveHosts: 1 });
  return 'refused' in kept && kept.refused === 'reserve' ? place(hosts, demand, { weigher: 'spread', reserveHosts: 0 }) : kept;
}

type Trx = Transaction<Database>;

export async function seedCloudDemo(db: Kysely<Database>, audit: AuditService, options: DemoOptions): Promise<void> {
  const prefix = options.prefecture;
  const dcCode = `${prefix}-DC01`;
  if (await db.selectFrom('cloud_room').select('id').where('code', '=', dcCode).executeTakeFirst()) return;
  const departments = await db
    .selectFrom('department as d')
    .innerJoin('region as g', 'g.code', 'd.region_code')
    .select(['d.id', 'd.code', 'd.name', 'd.region_code', 'g.path', 'g.name as region_name'])
    .where('d.code', 'in', LEGACY_ROOM_DEPARTMENTS.map((k) => `${prefix}-${k}`))
    .execute();
  if (departments.length === 0) return;
  options.onStep?.('cloud: data centre, legacy rooms, business systems and VMs');
  const byKey = new Map(departments.map((d) => [d.code.slice(prefix.length + 1), d]));
  const home = byKey.get('SJB') ?? byKey.get('SZF') ?? departments[0]!;
  const ctx = systemActorContext();
  const rng = prng(10);

  await db.transaction().execute(async (trx) => {
    // two nodes seeding together: the second waits, then finds the data centre
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`govcloud.seed.cloud.${prefix}`}))`.execute(trx);
    if (await trx.selectFrom('cloud_room').select('id').where('code', '=', dcCode).executeTakeFirst()) return;

    // ---- step 1: the data centre, its SAN pair, zones and grants, 7 hosts, flavours and images
    const dc = await trx
      .insertInto('cloud_room')
      .values({ code: dcCode, name: `${home.region_name}政务云数据中心`, kind: 'datacenter', region_code: home.region_code, region_path: home.path, address: `${home.region_name}伊州区 云计算产业园 A 栋 3 层`, area_m2: 420 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const pools = await trx
      .insertInto('cloud_storage_pool')
      .values([
        { code: `${prefix}-SAN-A`, name: 'FC SAN 存储池 A（双控，主）', room_id: dc.id, kind: 'fc_san', capacity_gb: 200 * 1024 },
        { code: `${prefix}-SAN-B`, name: 'FC SAN 存储池 B（双控，镜像）', room_id: dc.id, kind: 'fc_san', capacity_gb: 200 * 1024 },
      ])
      .returning(['id', 'code'])
      .execute();
    await trx.insertInto('cloud_zone').values(DEMO_ZONES.map((z) => ({ ...z }))).onConflict((oc) => oc.column('code').doNothing()).execute();
    const zoneGrants = new Map<string, Set<string>>();
    for (const [key, , , zone] of DEMO_SYSTEMS) {
      const dept = byKey.get(key);
      if (dept && zone !== 'egov-extranet') (zoneGrants.get(zone) ?? zoneGrants.set(zone, new Set()).get(zone)!).add(dept.id);
    }
    const grantRows = [...zoneGrants].flatMap(([zone, ids]) => [...ids].map((id) => ({ zone_code: zone, department_id: id })));
    if (grantRows.length > 0) await trx.insertInto('cloud_zone_grant').values(grantRows).onConflict((oc) => oc.doNothing()).execute();
    const hostRows = Array.from({ length: DEMO_HOSTS }, (_, i) => {
      const n = i + 1;
      const zones = ['egov-extranet', ...(n <= 4 ? ['egov-intranet'] : []), ...(n >= 5 ? ['internet'] : [])];
      return {
        code: `${prefix}-CN${String(n).padStart(2, '0')}`,
        name: `计算节点 ${String(n).padStart(2, '0')}`,
        room_id: dc.id,
        rack: `A0${Math.ceil(n / 2)}-U${n % 2 === 1 ? '10' : '14'}`,
        model: '华为 FusionServer 2288H V6（2 × 16 核 Xeon Gold 6326，512 GB）',
        cpu_cores: 32,
        cpu_ratio: 4,
        memory_mb: 512 * 1024,
        memory_ratio: 1,
        local_disk_gb: 2 * 960,
        zones,
        power_watts: 650,
        hypervisor_uri: null,
      };
    });
    const hosts = await trx.insertInto('cloud_host').values(hostRows).returning(['id', 'code', 'zones']).execute();
    await trx.insertInto('cloud_flavour').values(DEMO_FLAVOURS.map((f) => ({ ...f }))).onConflict((oc) => oc.column('code').doNothing()).execute();
    await trx.insertInto('cloud_image').values(DEMO_IMAGES.map((i) => ({ ...i }))).onConflict((oc) => oc.column('code').doNothing()).execute();
    await audit.record(trx, ctx, { action: 'cloud.demo', objectType: 'cloud_room', objectId: dc.id, regionCode: home.region_code, detail: { step: 'datacenter', hosts: hosts.length, pools: pools.length, zones: DEMO_ZONES.length } });

    // ---- step 2: business systems, quotas, VMs placed and charged
    const systems = DEMO_SYSTEMS.filter(([key]) => byKey.has(key));
    const systemRows = await trx
      .insertInto('cloud_business_system')
      .values(
        systems.map(([key, suffix, name, , , level]) => {
          const d = byKey.get(key)!;
          return { department_id: d.id, region_code: d.region_code, region_path: d.path, code: `${prefix}-${key}-${suffix}`, name, description: `${d.name}${name}，整合前运行在本部门机房，2025 年迁入政务云。`, protection_level: level };
        }),
      )
      .returning(['id', 'code'])
      .execute();
    const systemId = new Map(systemRows.map((r) => [r.code, r.id]));
    type PlannedVm = Insertable<Database['cloud_vm']> & { id: string };
    const vms: PlannedVm[] = [];
    for (const [key, suffix, name, zone, count] of systems) {
      const d = byKey.get(key)!;
      const roles = count === 1 ? ['应用'] : count === 2 ? ['应用 1', '应用 2'] : ['应用 1', '应用 2', '数据库'];
      const heavy = count === 3 || rng.next() < 0.3;
      for (let i = 0; i < count; i++) {
        const flavour = roles[i] === '数据库' ? DEMO_FLAVOURS[5] : heavy ? rng.pick([DEMO_FLAVOURS[3], DEMO_FLAVOURS[4]]) : rng.pick([DEMO_FLAVOURS[1], DEMO_FLAVOURS[2], DEMO_FLAVOURS[2]]);
        const image = zone === 'egov-intranet' ? DEMO_IMAGES[0] : rng.pick([DEMO_IMAGES[0], DEMO_IMAGES[0], DEMO_IMAGES[1], DEMO_IMAGES[2], DEMO_IMAGES[3]]);
        const id = crypto.randomUUID();
        vms.push({
          id,
          domain_name: `gc-${id.replace(/-/g, '').slice(0, 12)}`,
          name: `${name}-${roles[i]}`,
          department_id: d.id,
          region_code: d.region_code,
          region_path: d.path,
          business_system_id: systemId.get(`${prefix}-${key}-${suffix}`)!,
          flavour_code: flavour.code,
          image_code: image.code,
          vcpus: flavour.vcpus,
          memory_mb: flavour.memory_mb,
          disk_gb: Math.max(image.min_disk_gb, rng.pick([100, 200, 200, 500])),
          zone_code: zone,
          ha_group: count > 1 && roles[i] !== '数据库' ? `${prefix}-${key}-${suffix}-ha` : null,
          state: 'running',
          state_detail: '',
        });
      }
    }
    // each department with systems gets a quota: what it runs, rounded up with room to grow
    const need = new Map<string, { vcpus: number; memoryMb: number; diskGb: number; vms: number }>();
    for (const v of vms) {
      const n = need.get(v.department_id) ?? { vcpus: 0, memoryMb: 0, diskGb: 0, vms: 0 };
      need.set(v.department_id, { vcpus: n.vcpus + v.vcpus, memoryMb: n.memoryMb + v.memory_mb, diskGb: n.diskGb + v.disk_gb, vms: n.vms + 1 });
    }
    const roundUp = (x: number, step: number) => Math.ceil(x / step) * step;
    await trx
      .insertInto('cloud_quota')
      .values([...need].map(([id, n]) => ({ department_id: id, vcpus_limit: roundUp(n.vcpus * 1.5, 8), memory_mb_limit: roundUp(n.memoryMb * 1.5, 16384), disk_gb_limit: roundUp(n.diskGb * 1.5, 500), vms_limit: n.vms + 4 })))
      .onConflict((oc) => oc.column('department_id').doNothing())
      .execute();
    const snapshot: HostSnapshot[] = hosts.map((h) => ({ id: h.id, code: h.code, state: 'up', zones: h.zones, vcpus: 32 * 4, memoryMb: 512 * 1024, vcpusAllocated: 0, memoryMbAllocated: 0, haGroups: [], vms: [] }));
    // the big ones first, as an operator migrating them would
    const order = [...vms].sort((a, b) => b.vcpus - a.vcpus || b.memory_mb - a.memory_mb);
    for (const [i, vm] of order.entries()) {
      const choice = chooseHost(snapshot, { vcpus: vm.vcpus, memoryMb: vm.memory_mb, zone: vm.zone_code, haGroup: vm.ha_group ?? null });
      if ('refused' in choice) throw new Error(`cloud demo: no host for ${vm.name} (${choice.refused})`);
      if (!(await claimHostCapacity(trx, choice.hostId, vm.vcpus, vm.memory_mb))) throw new Error(`cloud demo: host capacity claim failed for ${vm.name}`);
      const pool = pools[i % pools.length]!;
      if (!(await claimPoolCapacity(trx, pool.id, vm.disk_gb))) throw new Error(`cloud demo: SAN full for ${vm.name}`);
      const refused = await reserveQuota(trx, vm.department_id, { vcpus: vm.vcpus, memoryMb: vm.memory_mb, diskGb: vm.disk_gb, vms: 1 });
      if (refused) throw new Error(`cloud demo: quota (${refused}) refused ${vm.name}`);
      const host = snapshot.find((h) => h.id === choice.hostId)!;
      host.vcpusAllocated += vm.vcpus;
      host.memoryMbAllocated += vm.memory_mb;
      if (vm.ha_group) host.haGroups = [...host.haGroups, vm.ha_group];
      // the VMs per host let the reserve check see each one's size (not the host's whole allocation as one VM)
      host.vms = [...(host.vms ?? []), { id: vm.id!, vcpus: vm.vcpus, memoryMb: vm.memory_mb, zone: vm.zone_code, haGroup: vm.ha_group ?? null }];
      vm.host_id = host.id;
      vm.storage_pool_id = pool.id;
    }
    await trx.insertInto('cloud_vm').values(vms).execute();
    // new VMs: each ledger starts at seq 1 (what appendVmEvent would write), in one statement
    await trx
      .insertInto('cloud_vm_event')
      .values(vms.map((vm) => ({ vm_id: vm.id, seq: 1, action: 'provision', outcome: 'succeeded' as const, state: 'running' as const, actor_id: null, detail: JSON.stringify({ host: snapshot.find((h) => h.id === vm.host_id)?.code ?? null, migratedFrom: 'legacy room', demo: true }) })))
      .execute();
    await audit.record(trx, ctx, { action: 'cloud.demo', objectType: 'cloud_room', objectId: dc.id, regionCode: home.region_code, detail: { step: 'systems', systems: systemRows.length, vms: vms.length, quotas: need.size } });

    // ---- step 3: the 101 pre-consolidation rooms and their servers, retired, each pointing at its VM
    const roomPlans = await legacyRooms(trx, prefix, departments, home.path, rng);
    const roomIds = await trx.insertInto('cloud_room').values(roomPlans.map((p) => p.room)).returning(['id', 'code']).execute();
    const roomId = new Map(roomIds.map((r) => [r.code, r.id]));
    const vmsOf = (departmentId: string | null) => vms.filter((v) => v.department_id === departmentId);
    const community = vms.filter((v) => v.business_system_id === systemId.get(`${prefix}-MZJ-SQFW`));
    const shared = vms.filter((v) => v.business_system_id === systemId.get(`${prefix}-SZF-WZQ`));
    const servers: Insertable<Database['cloud_legacy_server']>[] = [];
    for (const plan of roomPlans) {
      // a department without a system of its own ran its website and office system: now on the shared portal group
      const own = plan.room.kind === 'legacy_community' ? community : vmsOf(plan.room.department_id ?? null);
      const targets = own.length > 0 ? own : shared;
      for (let i = 0; i < plan.servers; i++) {
        const small = plan.room.kind === 'legacy_community';
        const cores = small ? rng.pick([2, 4, 4]) : rng.pick([4, 8, 8, 12, 16]);
        servers.push({
          room_id: roomId.get(plan.room.code)!,
          name: `${plan.short}-${small ? 'PC' : 'SRV'}${String(i + 1).padStart(2, '0')}`,
          model: small ? rng.pick(COMMUNITY_MODELS) : rng.pick(LEGACY_MODELS),
          cpu_cores: cores,
          memory_gb: small ? rng.pick([8, 16, 16]) : rng.pick([32, 64, 64, 128]),
          disk_gb: small ? rng.pick([500, 1000]) : rng.pick([600, 1200, 2400, 4800]),
          avg_cpu_utilisation: (5 + rng.next() * 15).toFixed(2),
          power_watts: small ? rng.int(180, 300) : rng.int(350, 750),
          annual_cost_yuan: small ? rng.int(800, 2000) : rng.int(2500, 8000),
          retired_on: plan.room.retired_on ?? null,
          vm_id: targets.length > 0 ? targets[i % targets.length]!.id : null,
        });
      }
    }
    await trx.insertInto('cloud_legacy_server').values(servers).execute();
    await audit.record(trx, ctx, { action: 'cloud.demo', objectType: 'cloud_room', objectId: dc.id, regionCode: home.region_code, detail: { step: 'legacy', rooms: roomPlans.length, servers: servers.length } });
  });
}

/** The department rooms (one per listed department found) and community rooms (45 communities spread over the prefecture). */
async function legacyRooms(trx: Trx, prefix: string, departments: readonly { id: string; code: string; name: string; region_code: string; path: string }[], prefecturePath: string, rng: ReturnType<typeof prng>) {
  const retiredOn = (i: number) => `2025-${String(3 + (i % 9)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`;
  const order = new Map<string, number>(LEGACY_ROOM_DEPARTMENTS.map((k, i) => [`${prefix}-${k}`, i]));
  const depts = [...departments].sort((a, b) => order.get(a.code)! - order.get(b.code)!);
  const plans: { room: Insertable<Database['cloud_room']> & { code: string }; servers: number; short: string }[] = depts.map((d, i) => ({
    room: { code: `${d.code}-JF`, name: `${d.name}机房`, kind: 'legacy_department', department_id: d.id, region_code: d.region_code, region_path: d.path, address: `${d.name}办公楼`, area_m2: rng.int(12, 40), status: 'retired', retired_on: retiredOn(i) },
    servers: rng.int(2, 6),
    short: d.code.slice(prefix.length + 1),
  }));
  const all = await trx.selectFrom('region').select(['code', 'name', 'path']).where('level', '=', 4).where('path', 'like', `${prefecturePath}%`).orderBy('code').execute();
  // urban communities (社区) had the server closets; villages only where there are too few of them
  const urban = all.filter((c) => c.name.includes('社区'));
  const communities = urban.length >= DEMO_COMMUNITY_ROOMS ? urban : all;
  const step = communities.length / DEMO_COMMUNITY_ROOMS;
  for (let i = 0; i < Math.min(DEMO_COMMUNITY_ROOMS, communities.length); i++) {
    const c = communities[Math.floor(i * step)]!;
    plans.push({
      room: { code: `${prefix}-SQ-${c.code}`, name: `${c.name}机房（弱电间）`, kind: 'legacy_community', department_id: null, region_code: c.code, region_path: c.path, address: `${c.name}党群服务中心`, area_m2: rng.int(4, 10), status: 'retired', retired_on: retiredOn(i + 5) },
      servers: rng.int(1, 3),
      short: `SQ${c.code.slice(-6)}`,
    });
  }
  return plans;
}
